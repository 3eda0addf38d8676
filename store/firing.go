package store

import (
	"fmt"
	"time"
)

// FiringKey names one firing of the digest schedule: its nominal time in
// UTC, fixed-width so keys sort by time.
func FiringKey(at time.Time) string { return at.UTC().Format("2006-01-02T15:04:05Z") }

func firingKey(key, channel string) []byte { return []byte(key + "\x00" + channel) }

// FiringPosted reports whether the digest for firing key was already queued
// for channel. A restart, a retry or a crash between channels then never
// posts twice and never skips a channel.
func (t *Tx) FiringPosted(key, channel string) bool {
	return t.tx.Bucket(bucketFirings).Get(firingKey(key, channel)) != nil
}

// MarkFiring records that firing key was queued for channel. Call it in the
// same transaction as the outbox entry for the post.
func (t *Tx) MarkFiring(key, channel string) error {
	if err := t.tx.Bucket(bucketFirings).Put(firingKey(key, channel), u64(uint64(t.now.UnixNano()))); err != nil {
		return fmt.Errorf("mark digest firing: %w", err)
	}
	return nil
}

// LatestFiring is the key of the most recent firing recorded ("" if none).
func (t *Tx) LatestFiring() string {
	k, _ := t.tx.Bucket(bucketFirings).Cursor().Last()
	for i, c := range k {
		if c == 0 {
			return string(k[:i])
		}
	}
	return string(k)
}
