package store

import (
	"bytes"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// First wins: when each person's first win was recorded, kept as its own
// small record. Retention prunes wins, but someone whose first win is older
// than retention.days is still a veteran: "new contributors" and "time to
// first win" must not count them again. Forget moves the record to the
// person's placeholder along with their other numbers.
var bucketFirstWin = []byte("first_win") // user -> u64(unixNano)

func init() { allBuckets = append(allBuckets, bucketFirstWin) }

// noteFirstWin keeps the earliest win time seen for user.
func (t *Tx) noteFirstWin(user string, at time.Time) error {
	b := t.tx.Bucket(bucketFirstWin)
	if raw := b.Get([]byte(user)); len(raw) == 8 && int64(readU64(raw)) <= at.UnixNano() {
		return nil
	}
	if err := b.Put([]byte(user), u64(uint64(at.UnixNano()))); err != nil {
		return fmt.Errorf("note first win: %w", err)
	}
	return nil
}

// FirstWinAt is when user's first win was recorded (zero if never), even
// if that win has since been pruned: the digest's "new contributors" are
// people whose first win is in the week.
func (t *Tx) FirstWinAt(user string) (time.Time, error) {
	return t.timeRecord(bucketFirstWin, user, "first win")
}

// timeRecord reads the time stored under user in bucket: the zero time if
// there is none (or no such bucket, in a read-only file from before it).
func (t *Tx) timeRecord(bucket []byte, user, what string) (time.Time, error) {
	b := t.tx.Bucket(bucket)
	if b == nil {
		return time.Time{}, nil
	}
	raw := b.Get([]byte(user))
	if raw == nil {
		return time.Time{}, nil
	}
	if len(raw) != 8 {
		return time.Time{}, fmt.Errorf("%s of %s: bad record", what, user)
	}
	return time.Unix(0, int64(readU64(raw))).UTC(), nil
}

// moveFirstWin gives user's first-win record to placeholder (for Forget).
func (t *Tx) moveFirstWin(user, placeholder string) error {
	b := t.tx.Bucket(bucketFirstWin)
	raw := b.Get([]byte(user))
	if raw == nil {
		return nil
	}
	v := bytes.Clone(raw)
	if err := b.Delete([]byte(user)); err != nil {
		return fmt.Errorf("forget first win: %w", err)
	}
	if err := b.Put([]byte(placeholder), v); err != nil {
		return fmt.Errorf("forget first win: %w", err)
	}
	return nil
}

// migrateFirstWinsAndReactionTimes (schema 2 → 3) fills the first-win
// records from the wins index and gives each live reaction the time span
// and time index the digest now reads.
func migrateFirstWinsAndReactionTimes(btx *bolt.Tx) error {
	t := &Tx{tx: btx}
	c := btx.Bucket(bucketWinByUser).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		i := bytes.IndexByte(k, 0)
		if i < 0 || len(k) != i+1+16 {
			continue
		}
		if err := t.noteFirstWin(string(k[:i]), time.Unix(0, int64(readU64(k[i+1:i+9])))); err != nil {
			return err
		}
	}
	return t.migrateReactionSpans()
}
