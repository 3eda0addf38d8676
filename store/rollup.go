package store

import (
	"bytes"
	"fmt"
)

// Rollups: the weekly figures of weeks that have closed, computed once by
// the digest package and kept so that trends over many weeks cost about
// what one week costs. The store keeps them as opaque values under keys
// the digest chooses (they name the week, the team and the rules'
// settings); it never interprets them.
var bucketRollups = []byte("rollups") // key -> value, both the digest's

func init() { allBuckets = append(allBuckets, bucketRollups) }

// Rollup returns the value kept under key, or nil. The value is a copy.
func (t *Tx) Rollup(key []byte) []byte {
	b := t.tx.Bucket(bucketRollups)
	if b == nil { // a file opened read-only that predates rollups
		return nil
	}
	return bytes.Clone(b.Get(key))
}

// PutRollup keeps value under key.
func (t *Tx) PutRollup(key, value []byte) error {
	if err := t.tx.Bucket(bucketRollups).Put(key, value); err != nil {
		return fmt.Errorf("put rollup: %w", err)
	}
	return nil
}

// RollupKeys lists the keys of every rollup, in key order.
func (t *Tx) RollupKeys() [][]byte {
	b := t.tx.Bucket(bucketRollups)
	if b == nil {
		return nil
	}
	var keys [][]byte
	_ = b.ForEach(func(k, _ []byte) error { keys = append(keys, bytes.Clone(k)); return nil })
	return keys
}

// DeleteRollup forgets the rollup under key, so the next trend recounts
// that week from the records.
func (t *Tx) DeleteRollup(key []byte) error {
	if err := t.tx.Bucket(bucketRollups).Delete(key); err != nil {
		return fmt.Errorf("delete rollup: %w", err)
	}
	return nil
}

// CountRollups is how many rollups are kept.
func (t *Tx) CountRollups() int {
	b := t.tx.Bucket(bucketRollups)
	if b == nil {
		return 0
	}
	return b.Stats().KeyN
}
