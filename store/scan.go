package store

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

// countRange counts the keys in [from, end) without reading their values.
// Range scans size their result with it: a digest reads tens of thousands
// of records, and growing a slice of them by appending copies the records
// over and over (at 10,000 wins that was as slow as decoding them).
func countRange(c *bolt.Cursor, from, end []byte) int {
	n := 0
	for k, _ := c.Seek(from); k != nil && bytes.Compare(k, end) < 0; k, _ = c.Next() {
		n++
	}
	return n
}

// reactionCursor is a cursor on the reactions bucket. A read transaction
// keeps one: the digest asks for the amplifiers of every win of five weeks,
// and bbolt does not cache buckets in read transactions, so opening the
// bucket and a new cursor each time was most of Amplifiers' allocations.
// A write transaction gets a fresh one, as writes can invalidate a cursor.
func (t *Tx) reactionCursor() *bolt.Cursor {
	if t.tx.Writable() {
		return t.tx.Bucket(bucketReactions).Cursor()
	}
	if t.reactions == nil {
		t.reactions = t.tx.Bucket(bucketReactions).Cursor()
	}
	return t.reactions
}
