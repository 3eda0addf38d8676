package store

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOutbox(t *testing.T) {
	s, _ := openTest(t)
	var ids []uint64
	require.NoError(t, s.Update(func(tx *Tx) error {
		for _, text := range []string{"a", "b", "c"} {
			id, err := tx.Enqueue(OutboxEntry{Kind: OutboxPost, Channel: "CWINS", Text: text})
			require.NoError(t, err)
			ids = append(ids, id)
		}
		return nil
	}))
	pending, err := s.Outbox(10)
	require.NoError(t, err)
	require.Len(t, pending, 3)
	assert.Equal(t, "a", pending[0].Text, "the outbox lists in the order it was queued")
	assert.Equal(t, t0, pending[0].CreatedAt)

	require.NoError(t, s.Update(func(tx *Tx) error {
		require.NoError(t, tx.Done(ids[0]))
		_, err := tx.UpdateOutbox(ids[1], func(e *OutboxEntry) {
			e.Attempts, e.NotBefore, e.LastError = 1, t0.Add(time.Second), "ratelimited"
		})
		require.NoError(t, err)
		require.NoError(t, tx.Done(ids[0]), "done twice is no error: a forget may have dropped it first")
		return tx.GiveUp(ids[2], "channel_not_found")
	}))
	pending, err = s.Outbox(10)
	require.NoError(t, err)
	require.Len(t, pending, 1)
	assert.Equal(t, 1, pending[0].Attempts)
	assert.Equal(t, "ratelimited", pending[0].LastError)
	dead, err := s.Dead()
	require.NoError(t, err)
	require.Len(t, dead, 1)
	assert.Equal(t, "channel_not_found", dead[0].LastError)
	assert.Equal(t, "c", dead[0].Text)
	n, err := s.OutboxLen()
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	require.NoError(t, s.Update(func(tx *Tx) error {
		_, err := tx.UpdateOutbox(ids[0], func(*OutboxEntry) {})
		assert.ErrorIs(t, err, ErrNotFound, "a sent entry cannot be brought back by a late update")
		return nil
	}))
}

// TestOutboxDue: entries come out by due time, not by ID; urgent entries
// have their own lane; the next due time is known without reading entries.
func TestOutboxDue(t *testing.T) {
	s, c := openTest(t)
	var late, early, view uint64
	require.NoError(t, s.Update(func(tx *Tx) error {
		var err error
		late, err = tx.Enqueue(OutboxEntry{Kind: OutboxPost, Channel: "CWINS", Text: "later", NotBefore: t0.Add(time.Minute)})
		require.NoError(t, err)
		early, err = tx.Enqueue(OutboxEntry{Kind: OutboxPost, Channel: "UANA", Text: "now"})
		require.NoError(t, err)
		view, err = tx.Enqueue(OutboxEntry{Kind: OutboxOpenView, TriggerID: "1.2.x", ExpiresAt: t0.Add(3 * time.Second)})
		return err
	}))

	heads, next, err := s.OutboxDue(false, t0)
	require.NoError(t, err)
	require.Len(t, heads, 1, "only what is due")
	assert.Equal(t, early, heads[0].ID)
	assert.Equal(t, OutboxPost, heads[0].Kind)
	assert.Equal(t, TargetKey("UANA"), heads[0].Target)
	assert.True(t, next.Equal(t0.Add(time.Minute)), "next due: %s", next)

	urgent, next, err := s.OutboxDue(true, t0)
	require.NoError(t, err)
	require.Len(t, urgent, 1)
	assert.Equal(t, view, urgent[0].ID)
	assert.True(t, next.IsZero())

	// A retry moves the entry in the index: "now" waits 2 minutes, so
	// "later" comes first although it was queued first.
	require.NoError(t, s.Update(func(tx *Tx) error {
		_, err := tx.UpdateOutbox(early, func(e *OutboxEntry) { e.NotBefore = t0.Add(2 * time.Minute) })
		return err
	}))
	c.t = t0.Add(3 * time.Minute)
	heads, _, err = s.OutboxDue(false, c.t)
	require.NoError(t, err)
	require.Len(t, heads, 2)
	assert.Equal(t, []uint64{late, early}, []uint64{heads[0].ID, heads[1].ID})

	// An entry deleted without the index (as forget and retention do) is
	// dropped from it when met; the rebuild makes the index whole.
	require.NoError(t, s.Update(func(tx *Tx) error { return tx.tx.Bucket(bucketOutbox).Delete(u64(late)) }))
	dropped, err := s.DropStaleHead(heads[0])
	require.NoError(t, err)
	assert.True(t, dropped)
	dropped, err = s.DropStaleHead(heads[1])
	require.NoError(t, err)
	assert.False(t, dropped, "a live entry keeps its place")
	require.NoError(t, s.Update(func(tx *Tx) error { return tx.tx.Bucket(bucketOutboxDue).Delete(heads[1].key) }))
	n, err := s.RebuildOutboxIndex()
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	heads, _, err = s.OutboxDue(false, c.t)
	require.NoError(t, err)
	require.Len(t, heads, 1)
	assert.Equal(t, early, heads[0].ID)
}

// TestOutboxRequeue: a dead letter comes back due now with its attempts
// reset and a fresh delivery window; Sending is kept so an earlier post is
// looked for before posting again.
func TestOutboxRequeue(t *testing.T) {
	s, c := openTest(t)
	var a, b uint64
	require.NoError(t, s.Update(func(tx *Tx) error {
		a, _ = tx.Enqueue(OutboxEntry{Kind: OutboxPost, Channel: "CWINS", Text: "a"})
		b, _ = tx.Enqueue(OutboxEntry{Kind: OutboxPost, Channel: "CWINS", Text: "b"})
		for _, id := range []uint64{a, b} {
			_, err := tx.UpdateOutbox(id, func(e *OutboxEntry) {
				e.Attempts, e.Sending, e.NotBefore = 9, true, t0.Add(time.Hour)
			})
			require.NoError(t, err)
			require.NoError(t, tx.GiveUp(id, "not delivered within 24 hours"))
		}
		return nil
	}))
	st, err := s.OutboxStats()
	require.NoError(t, err)
	assert.Equal(t, OutboxStats{Pending: 0, Dead: 2}, st)

	c.t = t0.Add(48 * time.Hour)
	require.NoError(t, s.Update(func(tx *Tx) error { return tx.Requeue(a) }))
	require.NoError(t, s.Update(func(tx *Tx) error {
		assert.ErrorIs(t, tx.Requeue(a), ErrNotFound, "already requeued")
		return nil
	}))
	heads, _, err := s.OutboxDue(false, c.t)
	require.NoError(t, err)
	require.Len(t, heads, 1, "due at once")
	pending, err := s.Outbox(10)
	require.NoError(t, err)
	require.Len(t, pending, 1)
	e := pending[0]
	assert.Zero(t, e.Attempts)
	assert.True(t, e.Sending)
	assert.Equal(t, c.t, e.WindowStart(), "the 24 hours start again")
	assert.Equal(t, t0, e.CreatedAt, "when it was first queued is kept")

	var n int
	require.NoError(t, s.Update(func(tx *Tx) (err error) { n, err = tx.RequeueAll(); return err }))
	assert.Equal(t, 1, n)
	st, err = s.OutboxStats()
	require.NoError(t, err)
	assert.Equal(t, OutboxStats{Pending: 2, Dead: 0, OldestPending: t0}, st)
}

// TestOutboxOnCommit: effects registered in a transaction run after it
// commits, and not at all when it is rolled back.
func TestOutboxOnCommit(t *testing.T) {
	s, _ := openTest(t)
	ran := 0
	require.Error(t, s.Update(func(tx *Tx) error {
		tx.OnCommit(func() { ran++ })
		return ErrNotFound
	}))
	assert.Zero(t, ran)
	require.NoError(t, s.Update(func(tx *Tx) error {
		tx.OnCommit(func() { ran++ })
		return nil
	}))
	assert.Equal(t, 1, ran)
}

func TestDedupe(t *testing.T) {
	s, c := openTest(t)
	ack := json.RawMessage(`{"text":"ok"}`)
	require.NoError(t, s.Update(func(tx *Tx) error { return tx.MarkSeen("ev:Ev1", ack) }))

	check := func(key string) (Seen, bool) {
		var seen Seen
		var ok bool
		require.NoError(t, s.View(func(tx *Tx) error {
			var err error
			seen, ok, err = tx.Seen(key)
			return err
		}))
		return seen, ok
	}
	seen, ok := check("ev:Ev1")
	require.True(t, ok)
	assert.JSONEq(t, `{"text":"ok"}`, string(seen.Ack))
	_, ok = check("ev:Ev2")
	assert.False(t, ok)

	// Slack retries for up to 24h: the record must outlive that.
	c.t = t0.Add(25 * time.Hour)
	_, ok = check("ev:Ev1")
	assert.True(t, ok, "dedupe must live at least 25 hours")
	n, err := s.PurgeSeen()
	require.NoError(t, err)
	assert.Equal(t, 0, n)

	c.t = t0.Add(DedupeTTL + time.Second)
	_, ok = check("ev:Ev1")
	assert.False(t, ok)
	n, err = s.PurgeSeen()
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}
