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

// forgetInspirations deletes user's "I'll try this" clicks. Keys are
// collected first: deleting while a bbolt cursor iterates skips keys.
func (t *Tx) forgetInspirations(user string) error {
	prefix := userKey(user, nil)
	type click struct {
		userKey, timeKey []byte
		win              uint64
	}
	var clicks []click
	c := t.tx.Bucket(bucketInspByUser).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		clicks = append(clicks, click{bytes.Clone(k), bytes.Clone(k[len(prefix):]), readU64(v)})
	}
	for _, cl := range clicks {
		for _, del := range []struct{ bucket, key []byte }{
			{bucketInspByUser, cl.userKey}, {bucketInspirations, cl.timeKey}, {bucketInspByWin, inspByWinKey(cl.win, user)},
		} {
			if err := t.tx.Bucket(del.bucket).Delete(del.key); err != nil {
				return fmt.Errorf("forget inspirations: %w", err)
			}
		}
	}
	return nil
}
