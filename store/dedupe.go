package store

import (
	"encoding/json"
	"fmt"
	"time"
)

// DedupeTTL is how long a processed envelope is remembered. Slack retries an
// event for up to 24 hours, so keep a margin beyond that.
const DedupeTTL = 48 * time.Hour

// Seen is what the bot remembers about an envelope it already processed.
type Seen struct {
	Expires time.Time
	// Ack is the acknowledgement payload sent the first time (a slash
	// command's ephemeral reply), sent again if Slack redelivers.
	Ack json.RawMessage
}

type seenRecord struct {
	Expires time.Time       `json:"exp"`
	Ack     json.RawMessage `json:"ack,omitempty"`
}

// Seen reports whether key (an event_id or envelope_id) was processed and
// has not expired.
func (t *Tx) Seen(key string) (Seen, bool, error) {
	raw := t.tx.Bucket(bucketDedupe).Get([]byte(key))
	if raw == nil {
		return Seen{}, false, nil
	}
	var r seenRecord
	if err := json.Unmarshal(raw, &r); err != nil {
		return Seen{}, false, fmt.Errorf("decode dedupe %q: %w", key, err)
	}
	if !t.now.Before(r.Expires) {
		return Seen{}, false, nil
	}
	return Seen{Expires: r.Expires, Ack: r.Ack}, true, nil
}

// MarkSeen remembers key for DedupeTTL, in the same transaction as the
// records the envelope produced, so "processed" and "recorded" never disagree.
func (t *Tx) MarkSeen(key string, ack json.RawMessage) error {
	raw, err := json.Marshal(seenRecord{Expires: t.now.Add(DedupeTTL).UTC(), Ack: ack})
	if err != nil {
		return fmt.Errorf("encode dedupe: %w", err)
	}
	if err := t.tx.Bucket(bucketDedupe).Put([]byte(key), raw); err != nil {
		return fmt.Errorf("save dedupe: %w", err)
	}
	return nil
}

// PurgeSeen deletes expired dedupe records and returns how many went.
func (s *Store) PurgeSeen() (int, error) {
	var n int
	err := s.Update(func(t *Tx) error {
		b := t.tx.Bucket(bucketDedupe)
		var expired [][]byte
		// Collect first: deleting while iterating a bbolt cursor skips keys.
		err := b.ForEach(func(k, v []byte) error {
			var r seenRecord
			if json.Unmarshal(v, &r) != nil || !t.now.Before(r.Expires) {
				expired = append(expired, append([]byte(nil), k...))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range expired {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(expired)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("purge dedupe: %w", err)
	}
	return n, nil
}
