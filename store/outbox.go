package store

import (
	"encoding/json"
	"fmt"
	"time"
)

// Outbox kinds: each is one thing the bot owes Slack after an ack.
const (
	OutboxPost      = "post"      // chat.postMessage
	OutboxEphemeral = "ephemeral" // chat.postEphemeral
	OutboxOpenView  = "open_view" // views.open
	OutboxNominate  = "nominate"  // fetch a nominated message's text, then post the win
	// OutboxPublishHome publishes User's App Home tab (views.publish), built
	// from the store when it is sent, so a late retry shows fresh numbers.
	OutboxPublishHome = "publish_home"
	// OutboxExport uploads a CSV of the wins of the quarter holding
	// CreatedAt to User's DM (files.getUploadURLExternal, the upload,
	// files.completeUploadExternal).
	OutboxExport = "export"
)

// PermalinkPlaceholder in an entry's Text is replaced by the permalink of
// LinkChannel/LinkTS when the entry is sent.
const PermalinkPlaceholder = "%PERMALINK%"

// OutboxEntry is a post (or other Slack call) the bot owes. It is written in
// the same transaction as the record that causes it, so a crash after the ack
// loses nothing: the sender drains the outbox on start.
type OutboxEntry struct {
	ID        uint64          `json:"id"`
	Kind      string          `json:"kind"`
	Channel   string          `json:"channel,omitempty"`
	User      string          `json:"user,omitempty"`
	ThreadTS  string          `json:"thread_ts,omitempty"`
	TS        string          `json:"ts,omitempty"`
	Text      string          `json:"text,omitempty"`
	Blocks    json.RawMessage `json:"blocks,omitempty"`
	TriggerID string          `json:"trigger_id,omitempty"`
	View      json.RawMessage `json:"view,omitempty"`
	// WinID links the entry to a win: a "post" with WinPost set records its
	// ts on that win, so reactions on the post count as amplification.
	WinID   uint64 `json:"win_id,omitempty"`
	WinPost bool   `json:"win_post,omitempty"`
	// QuestionID with QuestionPost set indexes the post as a message about
	// that question, so thread replies to it count as answers.
	QuestionID   uint64 `json:"question_id,omitempty"`
	QuestionPost bool   `json:"question_post,omitempty"`
	// LinkChannel/LinkTS: the sender fetches that message's permalink
	// (chat.getPermalink) and puts it where Text says PermalinkPlaceholder.
	LinkChannel string `json:"link_channel,omitempty"`
	LinkTS      string `json:"link_ts,omitempty"`
	// Chart is a chart's figures (the digest's): the sender draws it as a
	// PNG and uploads it (files.getUploadURLExternal, the upload,
	// files.completeUploadExternal, shared nowhere) before posting, then
	// names it by its file ID where Blocks hold the chart placeholder.
	// ChartFileID keeps the upload's ID so a retry posts the same file;
	// ChartKey, when set, is what the upload is remembered as.
	Chart       json.RawMessage `json:"chart,omitempty"`
	ChartFileID string          `json:"chart_file_id,omitempty"`
	ChartKey    string          `json:"chart_key,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	NotBefore time.Time `json:"not_before,omitempty"`
	// ExpiresAt drops an entry that is useless late (a modal's trigger_id
	// lives 3 seconds).
	ExpiresAt time.Time `json:"expires_at,omitempty"`
	Attempts  int       `json:"attempts,omitempty"`
	// Sending is set (and committed) before the first attempt to post. If
	// it is set when the entry is picked up again, an earlier attempt may
	// have reached Slack (a crash, a timeout), so the sender looks for the
	// post before making it again.
	Sending   bool   `json:"sending,omitempty"`
	LastError string `json:"last_error,omitempty"`
}

// Enqueue adds an entry to the outbox and returns its ID.
func (t *Tx) Enqueue(e OutboxEntry) (uint64, error) {
	b := t.tx.Bucket(bucketOutbox)
	id, err := b.NextSequence()
	if err != nil {
		return 0, fmt.Errorf("enqueue: %w", err)
	}
	e.ID = id
	if e.CreatedAt.IsZero() {
		e.CreatedAt = t.now.UTC()
	}
	return id, t.putOutbox(bucketOutbox, e)
}

func (t *Tx) putOutbox(bucket []byte, e OutboxEntry) error {
	raw, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode outbox entry: %w", err)
	}
	if err := t.tx.Bucket(bucket).Put(u64(e.ID), raw); err != nil {
		return fmt.Errorf("save outbox entry: %w", err)
	}
	return nil
}

// Outbox returns up to limit pending entries in the order they were queued.
func (s *Store) Outbox(limit int) ([]OutboxEntry, error) {
	var out []OutboxEntry
	err := s.View(func(t *Tx) error {
		c := t.tx.Bucket(bucketOutbox).Cursor()
		for k, v := c.First(); k != nil && len(out) < limit; k, v = c.Next() {
			var e OutboxEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("decode outbox entry %d: %w", readU64(k), err)
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// Done removes a sent entry.
func (t *Tx) Done(id uint64) error {
	if err := t.tx.Bucket(bucketOutbox).Delete(u64(id)); err != nil {
		return fmt.Errorf("outbox done %d: %w", id, err)
	}
	return nil
}

// Retry saves an entry's new attempt count, error and NotBefore.
func (t *Tx) Retry(e OutboxEntry) error {
	if t.tx.Bucket(bucketOutbox).Get(u64(e.ID)) == nil {
		return fmt.Errorf("outbox retry %d: %w", e.ID, ErrNotFound)
	}
	return t.putOutbox(bucketOutbox, e)
}

// GiveUp moves an entry to the dead-letter bucket, where it stays for admins
// to see: an undeliverable post is never dropped silently.
func (t *Tx) GiveUp(e OutboxEntry, reason string) error {
	e.LastError = reason
	if err := t.Done(e.ID); err != nil {
		return err
	}
	return t.putOutbox(bucketDead, e)
}

// Dead returns the entries the sender gave up on.
func (s *Store) Dead() ([]OutboxEntry, error) {
	var out []OutboxEntry
	err := s.View(func(t *Tx) error {
		return t.tx.Bucket(bucketDead).ForEach(func(k, v []byte) error {
			var e OutboxEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("decode dead entry: %w", err)
			}
			out = append(out, e)
			return nil
		})
	})
	return out, err
}

// OutboxLen is the number of pending entries.
func (s *Store) OutboxLen() (n int, err error) {
	err = s.View(func(t *Tx) error {
		n = t.tx.Bucket(bucketOutbox).Stats().KeyN
		return nil
	})
	return n, err
}

// ScrubOutbox deletes the pending and dead-lettered entries for which
// match (given the entry and its stored JSON) is true, and says how many
// went. Forget uses it: a post still owed that names a forgotten person or
// quotes their words must never be sent, nor kept for admins.
func (t *Tx) ScrubOutbox(match func(e OutboxEntry, raw []byte) bool) (int, error) {
	n := 0
	for _, bucket := range [][]byte{bucketOutbox, bucketDead} {
		var keys [][]byte
		err := t.tx.Bucket(bucket).ForEach(func(k, v []byte) error {
			var e OutboxEntry
			if json.Unmarshal(v, &e) != nil || match(e, v) {
				keys = append(keys, append([]byte(nil), k...))
			}
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("scrub outbox: %w", err)
		}
		for _, k := range keys {
			if err := t.tx.Bucket(bucket).Delete(k); err != nil {
				return n, fmt.Errorf("scrub outbox: %w", err)
			}
		}
		n += len(keys)
	}
	return n, nil
}
