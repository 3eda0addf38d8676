package store

import (
	"encoding/binary"
	"time"
)

// timeKey orders records by time: u64(unixNano) ‖ u64(id). Fixed-width
// big-endian so byte order is time order, and a week is one cursor range.
func timeKey(at time.Time, id uint64) []byte {
	k := make([]byte, 16)
	binary.BigEndian.PutUint64(k[:8], uint64(at.UnixNano()))
	binary.BigEndian.PutUint64(k[8:], id)
	return k
}

// keyTime is the time a timeKey starts with.
func keyTime(key []byte) time.Time {
	return time.Unix(0, int64(binary.BigEndian.Uint64(key[:8])))
}

// timePrefix is the smallest key at or after t.
func timePrefix(t time.Time) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, uint64(t.UnixNano()))
	return k
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func readU64(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

// msgKey identifies a Slack message: channel IDs and ts never contain '/'.
func msgKey(channel, ts string) []byte { return []byte(channel + "/" + ts) }
