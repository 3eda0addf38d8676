package store

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
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
	// OutboxDelete deletes the bot's own message Channel/TS (chat.delete):
	// a withdrawn win's post.
	OutboxDelete = "delete"
	// OutboxUpdate rewrites the bot's message Channel/TS (chat.update); with
	// WinPost set it is WinID's post, rendered from the stored win when sent.
	OutboxUpdate = "update"
	// OutboxRespond replaces the message a button was clicked on through
	// the click's ResponseURL (which also reaches ephemeral messages).
	OutboxRespond = "respond"
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
	// ResponseURL is where an OutboxRespond entry sends its Text and Blocks.
	ResponseURL string `json:"response_url,omitempty"`
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
	// post before making it again. SendingAt is when it was set: no earlier
	// attempt's post can be older.
	Sending   bool      `json:"sending,omitempty"`
	SendingAt time.Time `json:"sending_at,omitempty"`
	LastError string    `json:"last_error,omitempty"`
	// Panics counts deliveries of this entry that panicked.
	Panics int `json:"panics,omitempty"`
	// RequeuedAt is when an operator last moved the entry back from the
	// dead letters: its delivery window starts again then.
	RequeuedAt time.Time `json:"requeued_at,omitempty"`
	// Done names the steps already made of a delivery that takes several
	// Slack calls (an export's wins CSV before its tips CSV), so a retry
	// after a later step failed makes only the rest.
	Done []string `json:"done,omitempty"`
}

// Due is when the entry should next be tried.
func (e OutboxEntry) Due() time.Time {
	if e.NotBefore.After(e.CreatedAt) {
		return e.NotBefore
	}
	return e.CreatedAt
}

// WindowStart is when the entry's delivery window opened: when it was
// queued, or last requeued by an operator.
func (e OutboxEntry) WindowStart() time.Time {
	if e.RequeuedAt.After(e.CreatedAt) {
		return e.RequeuedAt
	}
	return e.CreatedAt
}

// Urgent says whether someone is waiting on screen for the entry: a modal
// (its trigger_id lives 3 seconds) or an ephemeral reply. Urgent entries
// have a lane of their own, so no backlog of posts delays them.
func (e OutboxEntry) Urgent() bool { return e.Kind == OutboxOpenView || e.Kind == OutboxEphemeral }

// Target is where the entry goes: its channel, else its user.
func (e OutboxEntry) Target() string { return cmp.Or(e.Channel, e.User) }

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
	return id, t.putOutbox(e)
}

// putOutbox saves a pending entry and its place in the due index.
func (t *Tx) putOutbox(e OutboxEntry) error {
	raw, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode outbox entry: %w", err)
	}
	if err := t.tx.Bucket(bucketOutbox).Put(u64(e.ID), raw); err != nil {
		return fmt.Errorf("save outbox entry: %w", err)
	}
	if err := t.tx.Bucket(bucketOutboxDue).Put(outboxDueKey(e), outboxDueValue(e)); err != nil {
		return fmt.Errorf("index outbox entry: %w", err)
	}
	return nil
}

// OutboxEntry loads a pending entry; ErrNotFound if it is gone (sent, dead,
// or dropped by a forget or retention).
func (t *Tx) OutboxEntry(id uint64) (OutboxEntry, error) {
	return t.outboxIn(bucketOutbox, id)
}

func (t *Tx) outboxIn(bucket []byte, id uint64) (OutboxEntry, error) {
	raw := t.tx.Bucket(bucket).Get(u64(id))
	if raw == nil {
		return OutboxEntry{}, fmt.Errorf("outbox entry %d: %w", id, ErrNotFound)
	}
	var e OutboxEntry
	if err := json.Unmarshal(raw, &e); err != nil {
		return OutboxEntry{}, fmt.Errorf("decode outbox entry %d: %w", id, err)
	}
	return e, nil
}

// Done removes a pending entry: sent, or of no use any more. An entry
// already gone is no error (a forget may have dropped it meanwhile).
func (t *Tx) Done(id uint64) error {
	e, err := t.OutboxEntry(id)
	switch {
	case errors.Is(err, ErrNotFound):
		return nil
	case err != nil:
		// Unreadable: remove it all the same. Its due-index key, if any,
		// goes when the sender next meets it (see OutboxDue).
		if err := t.tx.Bucket(bucketOutbox).Delete(u64(id)); err != nil {
			return fmt.Errorf("outbox done %d: %w", id, err)
		}
		return nil
	}
	return t.deleteOutbox(e)
}

func (t *Tx) deleteOutbox(e OutboxEntry) error {
	if err := t.tx.Bucket(bucketOutbox).Delete(u64(e.ID)); err != nil {
		return fmt.Errorf("outbox done %d: %w", e.ID, err)
	}
	if err := t.tx.Bucket(bucketOutboxDue).Delete(outboxDueKey(e)); err != nil {
		return fmt.Errorf("outbox done %d: %w", e.ID, err)
	}
	return nil
}

// UpdateOutbox applies fn to the stored pending entry and saves it, moving
// it in the due index. The stored entry is the one truth: the sender never
// saves a copy it held across a Slack call, so a flag set by one step (such
// as Sending) cannot be lost by the next.
func (t *Tx) UpdateOutbox(id uint64, fn func(*OutboxEntry)) (OutboxEntry, error) {
	e, err := t.OutboxEntry(id)
	if err != nil {
		return e, err
	}
	if err := t.tx.Bucket(bucketOutboxDue).Delete(outboxDueKey(e)); err != nil {
		return e, fmt.Errorf("update outbox entry %d: %w", id, err)
	}
	fn(&e)
	e.ID = id
	return e, t.putOutbox(e)
}

// GiveUp moves a pending entry to the dead letters, where it stays for
// operators to see and requeue (`flywheel outbox`): an undeliverable post
// is never dropped silently.
func (t *Tx) GiveUp(id uint64, reason string) error {
	e, err := t.OutboxEntry(id)
	if err != nil {
		return err
	}
	if err := t.deleteOutbox(e); err != nil {
		return err
	}
	e.LastError = reason
	raw, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode dead letter: %w", err)
	}
	if err := t.tx.Bucket(bucketDead).Put(u64(e.ID), raw); err != nil {
		return fmt.Errorf("save dead letter: %w", err)
	}
	return nil
}

// Requeue moves dead letter id back to the outbox, due now, with its
// attempts reset and a fresh delivery window. Sending is kept: a post an
// earlier attempt may have made is still looked for first.
func (t *Tx) Requeue(id uint64) error {
	e, err := t.outboxIn(bucketDead, id)
	if err != nil {
		return err
	}
	if err := t.tx.Bucket(bucketDead).Delete(u64(id)); err != nil {
		return fmt.Errorf("requeue %d: %w", id, err)
	}
	e.Attempts, e.Panics, e.NotBefore, e.ExpiresAt = 0, 0, time.Time{}, time.Time{}
	e.RequeuedAt = t.now.UTC()
	e.LastError = "requeued after: " + e.LastError
	return t.putOutbox(e)
}

// RequeueAll requeues every dead letter and says how many.
func (t *Tx) RequeueAll() (int, error) {
	var ids []uint64
	err := t.tx.Bucket(bucketDead).ForEach(func(k, _ []byte) error {
		ids = append(ids, readU64(k))
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if err := t.Requeue(id); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// Outbox returns up to limit pending entries in the order they were queued.
func (s *Store) Outbox(limit int) ([]OutboxEntry, error) {
	return s.outboxList(bucketOutbox, limit)
}

// Dead returns the entries the sender gave up on, oldest first.
func (s *Store) Dead() ([]OutboxEntry, error) { return s.outboxList(bucketDead, -1) }

func (s *Store) outboxList(bucket []byte, limit int) ([]OutboxEntry, error) {
	var out []OutboxEntry
	errStop := errors.New("enough")
	err := s.View(func(t *Tx) error {
		return t.eachOutbox(bucket, func(e OutboxEntry) error {
			if len(out) == limit {
				return errStop
			}
			out = append(out, e)
			return nil
		})
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return out, err
}

// EachOutbox calls fn for each pending entry (or, with dead, each dead
// letter) in the order they were queued. An entry that cannot be decoded
// comes with its ID and LastError saying so, for operators to see.
func (t *Tx) EachOutbox(dead bool, fn func(OutboxEntry) error) error {
	if dead {
		return t.eachOutbox(bucketDead, fn)
	}
	return t.eachOutbox(bucketOutbox, fn)
}

func (t *Tx) eachOutbox(bucket []byte, fn func(OutboxEntry) error) error {
	c := t.tx.Bucket(bucket).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var e OutboxEntry
		if err := json.Unmarshal(v, &e); err != nil {
			e = OutboxEntry{ID: readU64(k), LastError: "unreadable entry: " + err.Error()}
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// OutboxLen is the number of pending entries.
func (s *Store) OutboxLen() (n int, err error) {
	err = s.View(func(t *Tx) error {
		n = t.tx.Bucket(bucketOutbox).Stats().KeyN
		return nil
	})
	return n, err
}

// OutboxStats is what operators watch: how much is owed, how much was
// given up on, and since when the oldest pending entry has waited.
type OutboxStats struct {
	Pending, Dead int
	// OldestPending is when the oldest pending entry was queued (zero
	// when none is).
	OldestPending time.Time
}

// OutboxStats reads the outbox's numbers in one snapshot.
func (s *Store) OutboxStats() (st OutboxStats, err error) {
	err = s.View(func(t *Tx) error {
		st.Pending = t.tx.Bucket(bucketOutbox).Stats().KeyN
		st.Dead = t.tx.Bucket(bucketDead).Stats().KeyN
		// IDs follow the queue order, so the first is the oldest.
		if k, _ := t.tx.Bucket(bucketOutbox).Cursor().First(); k != nil {
			e, err := t.OutboxEntry(readU64(k))
			if err != nil {
				return err
			}
			st.OldestPending = e.CreatedAt
		}
		return nil
	})
	return st, err
}

// ScrubOutbox deletes the pending and dead-lettered entries for which
// match (given the entry and its stored JSON) is true, and says how many
// went. Forget uses it: a post still owed that names a forgotten person or
// quotes their words must never be sent, nor kept for admins.
func (t *Tx) ScrubOutbox(match func(e OutboxEntry, raw []byte) bool) (int, error) {
	n := 0
	for _, bucket := range [][]byte{bucketOutbox, bucketDead} {
		var keys, dueKeys [][]byte
		err := t.tx.Bucket(bucket).ForEach(func(k, v []byte) error {
			var e OutboxEntry
			bad := json.Unmarshal(v, &e) != nil
			if bad || match(e, v) {
				keys = append(keys, append([]byte(nil), k...))
				if !bad && bytes.Equal(bucket, bucketOutbox) {
					dueKeys = append(dueKeys, outboxDueKey(e)) // its place in the due index goes too
				}
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
		for _, k := range dueKeys {
			if err := t.tx.Bucket(bucketOutboxDue).Delete(k); err != nil {
				return n, fmt.Errorf("scrub outbox: %w", err)
			}
		}
		n += len(keys)
	}
	return n, nil
}
