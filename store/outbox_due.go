package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"time"
)

// The due index. For each pending entry bucketOutboxDue holds
//
//	lane (1 byte) ‖ u64(due, unix ns) ‖ u64(id)  ->  u64(TargetKey) ‖ kind
//
// The sender seeks its lane and reads keys in due order, stopping at the
// first that is not due yet: it decodes only the entries it is about to
// send, so a backlog of thousands waiting out a 429 costs a scan of small
// keys, and an urgent entry (a modal, an ephemeral reply) is never behind
// posts at all. The index is derived data: RebuildOutboxIndex, which the
// sender runs when it starts, makes it whole from the entries (after an
// upgrade, or a forget that deleted entries without it), and a key whose
// entry is gone is dropped by the sender when it meets it.

const (
	laneUrgent byte = 0
	lanePosts  byte = 1
)

// OutboxHead is what the sender needs to choose an entry without reading it.
type OutboxHead struct {
	ID   uint64
	Due  time.Time
	Kind string
	// Target is TargetKey of the entry's channel (or user): the key its
	// pacing and rate limits are kept under.
	Target uint64
	key    []byte
}

// TargetKey is the key pacing and rate limits are kept under for a channel
// or user. It is a hash so the index never holds a person's ID.
func TargetKey(target string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(target))
	return h.Sum64()
}

func outboxDueKey(e OutboxEntry) []byte {
	k := make([]byte, 17)
	k[0] = lanePosts
	if e.Urgent() {
		k[0] = laneUrgent
	}
	binary.BigEndian.PutUint64(k[1:9], unixNanos(e.Due()))
	binary.BigEndian.PutUint64(k[9:], e.ID)
	return k
}

func outboxDueValue(e OutboxEntry) []byte {
	v := make([]byte, 8, 8+len(e.Kind))
	binary.BigEndian.PutUint64(v, TargetKey(e.Target()))
	return append(v, e.Kind...)
}

// unixNanos is t as an index key part; times before 1970 sort first.
func unixNanos(t time.Time) uint64 {
	if t.Before(time.Unix(0, 0)) {
		return 0
	}
	return uint64(t.UnixNano())
}

// OutboxDue returns the heads of the entries in the urgent lane (or the
// posts lane) that are due by now, in due order, and when the next entry
// of that lane falls due after now (zero if none is pending).
func (s *Store) OutboxDue(urgent bool, now time.Time) (heads []OutboxHead, next time.Time, err error) {
	lane := lanePosts
	if urgent {
		lane = laneUrgent
	}
	end := make([]byte, 9)
	end[0] = lane
	binary.BigEndian.PutUint64(end[1:], unixNanos(now)+1)
	err = s.View(func(t *Tx) error {
		c := t.tx.Bucket(bucketOutboxDue).Cursor()
		k, v := c.Seek([]byte{lane})
		for ; k != nil && k[0] == lane && bytes.Compare(k, end) < 0; k, v = c.Next() {
			if len(k) != 17 || len(v) < 8 {
				continue // not ours to judge: RebuildOutboxIndex drops it
			}
			heads = append(heads, OutboxHead{
				ID: readU64(k[9:]), Due: time.Unix(0, int64(readU64(k[1:9]))), Kind: string(v[8:]),
				Target: readU64(v[:8]), key: bytes.Clone(k),
			})
		}
		if k != nil && k[0] == lane && len(k) == 17 {
			next = time.Unix(0, int64(readU64(k[1:9])))
		}
		return nil
	})
	return heads, next, err
}

// DropStaleHead removes h from the due index if its entry is gone (a forget
// or retention deleted it). It reports whether it did.
func (s *Store) DropStaleHead(h OutboxHead) (dropped bool, err error) {
	err = s.Update(func(t *Tx) error {
		if t.tx.Bucket(bucketOutbox).Get(u64(h.ID)) != nil {
			return nil
		}
		dropped = true
		return t.tx.Bucket(bucketOutboxDue).Delete(h.key)
	})
	return dropped, err
}

// RebuildOutboxIndex rewrites the due index from the pending entries and
// says how many it indexed. An entry that cannot be decoded is moved to
// the dead letters as it is, where `flywheel outbox --dead` shows it.
func (s *Store) RebuildOutboxIndex() (n int, err error) {
	err = s.Update(func(t *Tx) error {
		if err := t.tx.DeleteBucket(bucketOutboxDue); err != nil {
			return fmt.Errorf("rebuild outbox index: %w", err)
		}
		idx, err := t.tx.CreateBucket(bucketOutboxDue)
		if err != nil {
			return fmt.Errorf("rebuild outbox index: %w", err)
		}
		type bad struct{ k, v []byte }
		var unreadable []bad
		err = t.tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
			var e OutboxEntry
			if json.Unmarshal(v, &e) != nil || e.ID != readU64(k) {
				unreadable = append(unreadable, bad{bytes.Clone(k), bytes.Clone(v)})
				return nil
			}
			n++
			return idx.Put(outboxDueKey(e), outboxDueValue(e))
		})
		if err != nil {
			return fmt.Errorf("rebuild outbox index: %w", err)
		}
		for _, b := range unreadable {
			if err := t.tx.Bucket(bucketOutbox).Delete(b.k); err != nil {
				return err
			}
			if err := t.tx.Bucket(bucketDead).Put(b.k, b.v); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}
