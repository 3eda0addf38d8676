package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Inspiration is someone clicking "I'll try this" on a colleague's win: the
// flywheel turning, made visible.
type Inspiration struct {
	At    time.Time
	WinID uint64 // the inspiring win
	User  string // who was inspired
}

type inspirationRecord struct {
	V     int       `json:"v"`
	At    time.Time `json:"at"`
	WinID uint64    `json:"win"`
	User  string    `json:"user"`
}

func inspByWinKey(winID uint64, user string) []byte {
	return append(u64(winID), user...)
}

// AddInspiration records that user was inspired by win, once per person per
// win; added is false when it was already recorded.
func (t *Tx) AddInspiration(winID uint64, user string) (added bool, err error) {
	byWin := t.tx.Bucket(bucketInspByWin)
	if byWin.Get(inspByWinKey(winID, user)) != nil {
		return false, nil
	}
	seq, err := t.tx.Bucket(bucketInspirations).NextSequence()
	if err != nil {
		return false, fmt.Errorf("add inspiration: %w", err)
	}
	key := timeKey(t.now, seq)
	raw, err := json.Marshal(inspirationRecord{V: 1, At: t.now.UTC(), WinID: winID, User: user})
	if err != nil {
		return false, fmt.Errorf("encode inspiration: %w", err)
	}
	if err := t.tx.Bucket(bucketInspirations).Put(key, raw); err != nil {
		return false, fmt.Errorf("save inspiration: %w", err)
	}
	if err := byWin.Put(inspByWinKey(winID, user), key); err != nil {
		return false, fmt.Errorf("index inspiration: %w", err)
	}
	if err := t.tx.Bucket(bucketInspByUser).Put(userKey(user, key), u64(winID)); err != nil {
		return false, fmt.Errorf("index inspiration: %w", err)
	}
	return true, nil
}

// InspiredBy lists the people a win inspired, in key order.
func (t *Tx) InspiredBy(winID uint64) ([]string, error) {
	prefix := u64(winID)
	var users []string
	c := t.tx.Bucket(bucketInspByWin).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		users = append(users, string(k[8:]))
	}
	return users, nil
}

// LatestInspiration is the most recent win user clicked "I'll try this" on
// at or after since (0 if none).
func (t *Tx) LatestInspiration(user string, since time.Time) uint64 {
	prefix := userKey(user, nil)
	c := t.tx.Bucket(bucketInspByUser).Cursor()
	// Seek past the user's last key, then step back.
	end := append(bytes.Clone(prefix[:len(prefix)-1]), 1)
	k, v := c.Seek(end)
	if k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, prefix) || len(k) < len(prefix)+8 {
		return 0
	}
	at := time.Unix(0, int64(readU64(k[len(prefix):len(prefix)+8])))
	if at.Before(since) {
		return 0
	}
	return readU64(v)
}

// InspirationsBetween returns clicks with from <= At < to, oldest first.
func (t *Tx) InspirationsBetween(from, to time.Time) ([]Inspiration, error) {
	var out []Inspiration
	end := timePrefix(to)
	c := t.tx.Bucket(bucketInspirations).Cursor()
	for k, v := c.Seek(timePrefix(from)); k != nil && bytes.Compare(k, end) < 0; k, v = c.Next() {
		var r inspirationRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return nil, fmt.Errorf("decode inspiration: %w", err)
		}
		out = append(out, Inspiration{At: r.At, WinID: r.WinID, User: r.User})
	}
	return out, nil
}

// rekeyInspirations moves user's "I'll try this" clicks to placeholder
// (for Forget), so the spread a past week showed keeps its numbers. Keys
// are collected first: deleting while a bbolt cursor iterates skips keys.
func (t *Tx) rekeyInspirations(user, placeholder string) (int, error) {
	prefix := userKey(user, nil)
	type click struct {
		timeKey []byte
		win     uint64
	}
	var clicks []click
	c := t.tx.Bucket(bucketInspByUser).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		clicks = append(clicks, click{bytes.Clone(k[len(prefix):]), readU64(v)})
	}
	for _, cl := range clicks {
		raw, err := json.Marshal(inspirationRecord{V: 1, At: time.Unix(0, int64(readU64(cl.timeKey[:8]))).UTC(), WinID: cl.win, User: placeholder})
		if err != nil {
			return 0, fmt.Errorf("forget inspirations: %w", err)
		}
		for _, err := range []error{
			t.tx.Bucket(bucketInspByUser).Delete(userKey(user, cl.timeKey)),
			t.tx.Bucket(bucketInspByWin).Delete(inspByWinKey(cl.win, user)),
			t.tx.Bucket(bucketInspirations).Put(cl.timeKey, raw),
			t.tx.Bucket(bucketInspByUser).Put(userKey(placeholder, cl.timeKey), u64(cl.win)),
			t.tx.Bucket(bucketInspByWin).Put(inspByWinKey(cl.win, placeholder), cl.timeKey),
		} {
			if err != nil {
				return 0, fmt.Errorf("forget inspirations: %w", err)
			}
		}
	}
	return len(clicks), nil
}

// deleteInspirationsBefore deletes the clicks made before the time key
// end, with their indexes (for retention), and says how many went.
func (t *Tx) deleteInspirationsBefore(end []byte) (int, error) {
	type click struct {
		key []byte
		r   inspirationRecord
	}
	var old []click
	c := t.tx.Bucket(bucketInspirations).Cursor()
	for k, v := c.First(); k != nil && bytes.Compare(k, end) < 0; k, v = c.Next() {
		var r inspirationRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return 0, fmt.Errorf("decode inspiration: %w", err)
		}
		old = append(old, click{bytes.Clone(k), r})
	}
	for _, cl := range old {
		for _, err := range []error{
			t.tx.Bucket(bucketInspirations).Delete(cl.key),
			t.tx.Bucket(bucketInspByUser).Delete(userKey(cl.r.User, cl.key)),
		} {
			if err != nil {
				return 0, fmt.Errorf("prune inspirations: %w", err)
			}
		}
		// The per-win index leads to the newest click only if it is this one.
		if k := inspByWinKey(cl.r.WinID, cl.r.User); bytes.Equal(t.tx.Bucket(bucketInspByWin).Get(k), cl.key) {
			if err := t.tx.Bucket(bucketInspByWin).Delete(k); err != nil {
				return 0, fmt.Errorf("prune inspirations: %w", err)
			}
		}
	}
	return len(old), nil
}
