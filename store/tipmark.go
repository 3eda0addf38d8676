package store

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Tip marks: a colleague saving a tip, or saying they'll try it. They rank
// the tips library and feed the digest's "People teaching each other".
// Each person marks a tip at most once per kind; a mark holds a person and
// a time, no words, so forget moves it to the person's placeholder and it
// goes with its tip.
var (
	bucketTipMarks       = []byte("tip_marks")         // u64 tip ‖ kind ‖ user -> u64(unixNano)
	bucketTipMarksByUser = []byte("tip_marks_by_user") // user 0x00 ‖ u64 tip ‖ kind -> u64(unixNano)
	bucketTipMarksByTime = []byte("tip_marks_by_time") // u64(unixNano) ‖ u64 tip ‖ kind ‖ user -> nil
)

func init() {
	allBuckets = append(allBuckets, bucketTipMarks, bucketTipMarksByUser, bucketTipMarksByTime)
}

// TipMarkKind is what a colleague did with a tip.
type TipMarkKind byte

const (
	// MarkSave is the tip's "Save" button.
	MarkSave TipMarkKind = 's'
	// MarkTry is the tip's "I'll try this" button.
	MarkTry TipMarkKind = 't'
)

// TipMark is one person's save or try of a tip.
type TipMark struct {
	TipID uint64
	User  string
	Kind  TipMarkKind
	At    time.Time
}

func tipMarkKey(tip uint64, kind TipMarkKind, user string) []byte {
	k := make([]byte, 0, 9+len(user))
	k = append(k, u64(tip)...)
	k = append(k, byte(kind))
	return append(k, user...)
}

func tipMarkUserKey(user string, tip uint64, kind TipMarkKind) []byte {
	return append(append(userKey(user, nil), u64(tip)...), byte(kind))
}

func tipMarkTimeKey(at time.Time, tip uint64, kind TipMarkKind, user string) []byte {
	return append(timePrefix(at), tipMarkKey(tip, kind, user)...)
}

// MarkTip records that user saved or will try tip, at the transaction's
// time, once per person and kind; added is false when it was already
// recorded.
func (t *Tx) MarkTip(tip uint64, user string, kind TipMarkKind) (added bool, err error) {
	if user == "" || (kind != MarkSave && kind != MarkTry) {
		return false, fmt.Errorf("mark tip %d: bad mark", tip)
	}
	key := tipMarkKey(tip, kind, user)
	if t.tx.Bucket(bucketTipMarks).Get(key) != nil {
		return false, nil
	}
	at := u64(uint64(t.now.UnixNano()))
	for _, err := range []error{
		t.tx.Bucket(bucketTipMarks).Put(key, at),
		t.tx.Bucket(bucketTipMarksByUser).Put(tipMarkUserKey(user, tip, kind), at),
		t.tx.Bucket(bucketTipMarksByTime).Put(tipMarkTimeKey(t.now, tip, kind, user), nil),
	} {
		if err != nil {
			return false, fmt.Errorf("mark tip %d: %w", tip, err)
		}
	}
	return true, nil
}

// TipMarks returns the saves and tries of tip, by kind then user.
func (t *Tx) TipMarks(tip uint64) ([]TipMark, error) {
	b := t.tx.Bucket(bucketTipMarks)
	if b == nil {
		return nil, nil
	}
	var out []TipMark
	prefix := u64(tip)
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		m, err := decodeTipMark(k, v)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

func decodeTipMark(k, v []byte) (TipMark, error) {
	if len(k) < 10 || len(v) != 8 {
		return TipMark{}, fmt.Errorf("tip mark %x: bad record", k)
	}
	return TipMark{TipID: readU64(k[:8]), Kind: TipMarkKind(k[8]), User: string(k[9:]), At: time.Unix(0, int64(readU64(v))).UTC()}, nil
}

// TipMarksBetween returns the saves and tries made with from <= At < to,
// oldest first.
func (t *Tx) TipMarksBetween(from, to time.Time) ([]TipMark, error) {
	b := t.tx.Bucket(bucketTipMarksByTime)
	if b == nil {
		return nil, nil
	}
	var out []TipMark
	end := timePrefix(to)
	c := b.Cursor()
	for k, _ := c.Seek(timePrefix(from)); k != nil && bytes.Compare(k, end) < 0; k, _ = c.Next() {
		if len(k) < 18 {
			return nil, fmt.Errorf("tip mark %x: bad key", k)
		}
		m, err := decodeTipMark(k[8:], k[:8])
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// TipsMarkedBy lists the tips user marked with kind (their saved tips),
// newest mark first.
func (t *Tx) TipsMarkedBy(user string, kind TipMarkKind) ([]TipMark, error) {
	b := t.tx.Bucket(bucketTipMarksByUser)
	if b == nil {
		return nil, nil
	}
	var out []TipMark
	prefix := userKey(user, nil)
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		rest := k[len(prefix):]
		if len(rest) != 9 || len(v) != 8 {
			return nil, fmt.Errorf("tip mark %x: bad key", k)
		}
		if TipMarkKind(rest[8]) != kind {
			continue
		}
		out = append(out, TipMark{TipID: readU64(rest[:8]), User: user, Kind: kind, At: time.Unix(0, int64(readU64(v))).UTC()})
	}
	// Newest first: what someone saved last is what they look for.
	slices.SortStableFunc(out, func(a, b TipMark) int { return cmp.Or(b.At.Compare(a.At), cmp.Compare(b.TipID, a.TipID)) })
	return out, nil
}

// deleteTipMarks deletes every mark on tip with its indexes (with the tip,
// by DeleteWin or retention) and says how many went.
func (t *Tx) deleteTipMarks(tip uint64) (int, error) {
	marks, err := t.TipMarks(tip)
	if err != nil || len(marks) == 0 {
		return 0, err
	}
	for _, m := range marks {
		if err := t.deleteTipMark(m); err != nil {
			return 0, err
		}
	}
	return len(marks), nil
}

func (t *Tx) deleteTipMark(m TipMark) error {
	for _, del := range []struct {
		b *bolt.Bucket
		k []byte
	}{
		{t.tx.Bucket(bucketTipMarks), tipMarkKey(m.TipID, m.Kind, m.User)},
		{t.tx.Bucket(bucketTipMarksByUser), tipMarkUserKey(m.User, m.TipID, m.Kind)},
		{t.tx.Bucket(bucketTipMarksByTime), tipMarkTimeKey(m.At, m.TipID, m.Kind, m.User)},
	} {
		if err := del.b.Delete(del.k); err != nil {
			return fmt.Errorf("delete tip mark: %w", err)
		}
	}
	return nil
}

// rekeyTipMarks moves user's saves and tries to placeholder (for Forget):
// the tips keep their counts, nothing says who made them.
func (t *Tx) rekeyTipMarks(user, placeholder string) (int, error) {
	prefix := userKey(user, nil)
	var mine []TipMark
	c := t.tx.Bucket(bucketTipMarksByUser).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		rest := k[len(prefix):]
		if len(rest) != 9 || len(v) != 8 {
			continue
		}
		mine = append(mine, TipMark{TipID: readU64(rest[:8]), User: user, Kind: TipMarkKind(rest[8]), At: time.Unix(0, int64(readU64(v))).UTC()})
	}
	for _, m := range mine {
		if err := t.deleteTipMark(m); err != nil {
			return 0, fmt.Errorf("forget tip marks: %w", err)
		}
		at := u64(uint64(m.At.UnixNano()))
		for _, err := range []error{
			t.tx.Bucket(bucketTipMarks).Put(tipMarkKey(m.TipID, m.Kind, placeholder), at),
			t.tx.Bucket(bucketTipMarksByUser).Put(tipMarkUserKey(placeholder, m.TipID, m.Kind), at),
			t.tx.Bucket(bucketTipMarksByTime).Put(tipMarkTimeKey(m.At, m.TipID, m.Kind, placeholder), nil),
		} {
			if err != nil {
				return 0, fmt.Errorf("forget tip marks: %w", err)
			}
		}
	}
	return len(mine), nil
}
