package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// reactionRecord is the latest state of one (win, reactor, emoji) reaction.
// Slack delivers reaction_added and reaction_removed independently and may
// reorder or retry them, so the record keeps the event_ts of the newest event
// applied and older events are ignored.
type reactionRecord struct {
	Added   bool      `json:"added"`
	EventTS string    `json:"event_ts"`
	At      time.Time `json:"at"`
}

// The store writes reactionRecord with encoding/json, Added first, so a
// record starts with one of these; reactionAdded reads that without
// decoding the rest (the digest asks for every reaction of five weeks).
var (
	reactionAddedPrefix   = []byte(`{"added":true,`)
	reactionRemovedPrefix = []byte(`{"added":false,`)
)

// reactionAdded says whether a stored reaction is live.
func reactionAdded(v []byte) (bool, error) {
	switch {
	case bytes.HasPrefix(v, reactionAddedPrefix):
		return true, nil
	case bytes.HasPrefix(v, reactionRemovedPrefix):
		return false, nil
	}
	var r reactionRecord // any other spelling: decode it
	if err := reactionCodec.decode(v, &r); err != nil {
		return false, fmt.Errorf("decode reaction: %w", err)
	}
	return r.Added, nil
}

func reactionKey(winID uint64, reactor, emoji string) []byte {
	k := make([]byte, 0, 8+len(reactor)+1+len(emoji))
	k = append(k, u64(winID)...)
	k = append(k, reactor...)
	k = append(k, 0)
	return append(k, emoji...)
}

// SetReaction records that reactor added (or removed) emoji on a win post.
// It returns whether the stored state changed. Self-reactions are the
// caller's to filter: the store counts what it is given.
func (t *Tx) SetReaction(winID uint64, reactor, emoji string, added bool, eventTS string) (bool, error) {
	b := t.tx.Bucket(bucketReactions)
	key := reactionKey(winID, reactor, emoji)
	if raw := b.Get(key); raw != nil {
		var prev reactionRecord
		if err := reactionCodec.decode(raw, &prev); err != nil {
			return false, fmt.Errorf("decode reaction: %w", err)
		}
		if eventTS != "" && compareTS(eventTS, prev.EventTS) < 0 {
			return false, nil // an older event arriving late
		}
		if prev.Added == added {
			return false, nil
		}
	} else if !added {
		return false, nil // removing a reaction we never counted
	}
	raw, err := json.Marshal(reactionRecord{Added: added, EventTS: eventTS, At: t.now.UTC()})
	if err != nil {
		return false, fmt.Errorf("encode reaction: %w", err)
	}
	if err := b.Put(key, raw); err != nil {
		return false, fmt.Errorf("save reaction: %w", err)
	}
	return true, nil
}

// Amplifiers returns the unique users with at least one live reaction on a
// win, in key order.
func (t *Tx) Amplifiers(winID uint64) ([]string, error) {
	prefix := u64(winID)
	var users []string
	c := t.reactionCursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		added, err := reactionAdded(v)
		if err != nil {
			return nil, err
		}
		if !added {
			continue
		}
		rest := k[len(prefix):]
		user := string(rest[:bytes.IndexByte(rest, 0)])
		if len(users) == 0 || users[len(users)-1] != user {
			users = append(users, user)
		}
	}
	return users, nil
}

// compareTS orders Slack timestamps ("1732526400.000100"). They are decimal
// strings, so compare the integer part by length first, then lexically.
func compareTS(a, b string) int {
	ai, bi := bytes.IndexByte([]byte(a), '.'), bytes.IndexByte([]byte(b), '.')
	if ai < 0 {
		ai = len(a)
	}
	if bi < 0 {
		bi = len(b)
	}
	if ai != bi {
		if ai < bi {
			return -1
		}
		return 1
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
