package store

import (
	"bytes"
	"fmt"
	"time"
)

// First interactions: when each person first did anything with Flywheel
// (asked a question, opened the App Home, clicked a button, ran /win), so
// the digest can say how long people take from first touch to first win.
var (
	bucketFirstSeen       = []byte("first_interaction")         // user -> u64(unixNano)
	bucketFirstSeenByTime = []byte("first_interaction_by_time") // u64(unixNano) ‖ user -> nil
)

// The buckets join allBuckets here rather than in store.go so this record
// kind stays in one file; package-level vars are set before init runs, so
// Open still creates every bucket in its one Update. A file opened
// read-only that predates them simply has none: reads return nothing.
func init() {
	allBuckets = append(allBuckets, bucketFirstSeen, bucketFirstSeenByTime)
}

// FirstInteraction is when User first interacted with Flywheel.
type FirstInteraction struct {
	User string
	At   time.Time
}

func firstSeenTimeKey(at time.Time, user string) []byte {
	return append(timePrefix(at), user...)
}

// NoteInteraction records the transaction's time as user's first
// interaction, unless one is already recorded. Call it in the same
// transaction as whatever the person did (before a win is added, so a
// /win counts as touching Flywheel at the moment of the win).
func (t *Tx) NoteInteraction(user string) error {
	if user == "" {
		return nil
	}
	b := t.tx.Bucket(bucketFirstSeen)
	if b.Get([]byte(user)) != nil {
		return nil
	}
	if err := b.Put([]byte(user), u64(uint64(t.now.UnixNano()))); err != nil {
		return fmt.Errorf("note first interaction: %w", err)
	}
	if err := t.tx.Bucket(bucketFirstSeenByTime).Put(firstSeenTimeKey(t.now, user), nil); err != nil {
		return fmt.Errorf("index first interaction: %w", err)
	}
	return nil
}

// FirstInteraction is when user first interacted with Flywheel; the zero
// time (and no error) if they never have, as FirstWinAt does. People whose
// win a colleague nominated may have a first win before, or without, any
// interaction of their own.
func (t *Tx) FirstInteraction(user string) (time.Time, error) {
	return t.timeRecord(bucketFirstSeen, user, "first interaction")
}

// FirstInteractionsBetween returns the people whose first interaction has
// from <= At < to, oldest first: one range scan over the time index.
func (t *Tx) FirstInteractionsBetween(from, to time.Time) ([]FirstInteraction, error) {
	b := t.tx.Bucket(bucketFirstSeenByTime)
	if b == nil {
		return nil, nil
	}
	var out []FirstInteraction
	end := timePrefix(to)
	c := b.Cursor()
	for k, _ := c.Seek(timePrefix(from)); k != nil && bytes.Compare(k, end) < 0; k, _ = c.Next() {
		if len(k) < 8 {
			return nil, fmt.Errorf("first interaction index: bad key %x", k)
		}
		out = append(out, FirstInteraction{User: string(k[8:]), At: time.Unix(0, int64(readU64(k[:8]))).UTC()})
	}
	return out, nil
}

// moveInteraction gives user's first-interaction record to placeholder
// (for Forget): "time to first win" of a past week keeps its numbers.
func (t *Tx) moveInteraction(user, placeholder string) error {
	b := t.tx.Bucket(bucketFirstSeen)
	raw := b.Get([]byte(user))
	if raw == nil {
		return nil
	}
	if len(raw) != 8 {
		return fmt.Errorf("first interaction of %s: bad record", user)
	}
	at := time.Unix(0, int64(readU64(raw)))
	idx := t.tx.Bucket(bucketFirstSeenByTime)
	for _, err := range []error{
		idx.Delete(firstSeenTimeKey(at, user)), b.Delete([]byte(user)),
		b.Put([]byte(placeholder), u64(uint64(at.UnixNano()))), idx.Put(firstSeenTimeKey(at, placeholder), nil),
	} {
		if err != nil {
			return fmt.Errorf("forget first interaction: %w", err)
		}
	}
	return nil
}

// pruneInteractions deletes the first interactions older than before that
// no digest week within retention can need: of people with no win, and of
// people whose first win is older than before too ("time to first win"
// reads a first interaction only for the week of the first win).
func (t *Tx) pruneInteractions(before time.Time) (int, error) {
	type old struct {
		user string
		at   time.Time
	}
	var gone []old
	c := t.tx.Bucket(bucketFirstSeenByTime).Cursor()
	end := timePrefix(before)
	for k, _ := c.First(); k != nil && bytes.Compare(k, end) < 0; k, _ = c.Next() {
		if len(k) < 8 {
			continue
		}
		user := string(k[8:])
		first, err := t.FirstWinAt(user)
		if err != nil {
			return 0, err
		}
		if first.IsZero() || first.Before(before) {
			gone = append(gone, old{user, time.Unix(0, int64(readU64(k[:8])))})
		}
	}
	for _, g := range gone {
		for _, err := range []error{
			t.tx.Bucket(bucketFirstSeenByTime).Delete(firstSeenTimeKey(g.at, g.user)), t.tx.Bucket(bucketFirstSeen).Delete([]byte(g.user)),
		} {
			if err != nil {
				return 0, fmt.Errorf("prune first interactions: %w", err)
			}
		}
	}
	return len(gone), nil
}
