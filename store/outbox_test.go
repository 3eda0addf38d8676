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
	assert.Equal(t, "a", pending[0].Text, "the outbox drains in the order it was queued")
	assert.Equal(t, t0, pending[0].CreatedAt)

	e := pending[1]
	e.Attempts, e.NotBefore, e.LastError = 1, t0.Add(time.Second), "ratelimited"
	require.NoError(t, s.Update(func(tx *Tx) error {
		require.NoError(t, tx.Done(ids[0]))
		require.NoError(t, tx.Retry(e))
		return tx.GiveUp(pending[2], "channel_not_found")
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
	n, err := s.OutboxLen()
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	for i, want := range []bool{false, true, false} { // done, retried, dead
		queued, err := s.Queued(ids[i])
		require.NoError(t, err)
		assert.Equal(t, want, queued, "entry %d", i)
	}
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
