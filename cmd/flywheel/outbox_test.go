package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/store"
)

// outboxEnv is a database holding two pending entries and two dead
// letters, every one carrying a secret text the listing must not show.
func outboxEnv(t *testing.T) (map[string]string, []uint64) {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "flywheel.yml")
	require.NoError(t, os.WriteFile(cfg, []byte("wins_channel: C0WINS0001\n"), 0o600))
	db := filepath.Join(dir, "flywheel.db")
	queued := time.Now().Add(-2 * time.Hour)
	st, err := store.Open(db, store.Options{Now: func() time.Time { return queued }})
	require.NoError(t, err)
	var dead []uint64
	require.NoError(t, st.Update(func(tx *store.Tx) error {
		if _, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPost, Channel: "C0WINS0001", Text: "secret words one"}); err != nil {
			return err
		}
		id, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPost, Channel: "U0ANA0001", Text: "secret words two"})
		if err != nil {
			return err
		}
		if _, err := tx.UpdateOutbox(id, func(e *store.OutboxEntry) {
			e.Attempts, e.LastError, e.NotBefore = 3, "slack server error: 503 Service Unavailable", time.Now().Add(time.Minute)
		}); err != nil {
			return err
		}
		for _, ch := range []string{"C0GONE0001", "C0GONE0002"} {
			id, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPost, Channel: ch, Text: "secret words dead"})
			if err != nil {
				return err
			}
			if err := tx.GiveUp(id, "channel_not_found"); err != nil {
				return err
			}
			dead = append(dead, id)
		}
		return nil
	}))
	require.NoError(t, st.Close())
	return map[string]string{"FLYWHEEL_DB": db, "FLYWHEEL_CONFIG": cfg}, dead
}

func outboxRun(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out, stderr bytes.Buffer
	err := run(context.Background(), append([]string{"outbox"}, args...), envMap(env), nil, &out, &stderr)
	return out.String() + stderr.String(), err
}

func TestOutboxList(t *testing.T) {
	env, _ := outboxEnv(t)
	out, err := outboxRun(t, env)
	require.NoError(t, err)
	assert.Contains(t, out, "C0WINS0001")
	assert.Contains(t, out, "U0ANA0001")
	assert.Contains(t, out, "503 Service Unavailable")
	assert.Contains(t, out, "2h0m")
	assert.Contains(t, out, "2 pending")
	assert.NotContains(t, out, "secret words", "never the message text")

	out, err = outboxRun(t, env, "--dead")
	require.NoError(t, err)
	assert.Contains(t, out, "C0GONE0001")
	assert.Contains(t, out, "channel_not_found")
	assert.Contains(t, out, "2 dead")
	assert.NotContains(t, out, "secret words")

	out, err = outboxRun(t, env, "--json")
	require.NoError(t, err)
	var rows []outboxRow
	require.NoError(t, json.Unmarshal([]byte(out), &rows))
	require.Len(t, rows, 2)
	assert.Equal(t, "post", rows[1].Kind)
	assert.Equal(t, 3, rows[1].Attempts)
	assert.NotEmpty(t, rows[1].NextTry)
	assert.InDelta(t, 7200, rows[0].AgeSecs, 60)

	_, err = outboxRun(t, env, "--bogus")
	assert.ErrorIs(t, err, errUsage)
}

// TestOutboxRetry: dead letters go back to the outbox with the bot stopped;
// with the bot running, the command says to stop it first.
func TestOutboxRetry(t *testing.T) {
	env, dead := outboxEnv(t)
	out, err := outboxRun(t, env, "retry", "999")
	require.ErrorContains(t, err, "no dead letter 999")
	assert.Empty(t, out)
	_, err = outboxRun(t, env, "retry", "abc")
	require.ErrorIs(t, err, errUsage)
	_, err = outboxRun(t, env, "retry", "1234", "--all")
	require.ErrorIs(t, err, errUsage, "an ID or --all, not both")

	out, err = outboxRun(t, env, "retry", fmt.Sprint(dead[0]))
	require.NoError(t, err)
	assert.Contains(t, out, "requeued 1 dead letter")
	out, err = outboxRun(t, env)
	require.NoError(t, err)
	assert.Contains(t, out, "3 pending")
	assert.Contains(t, out, "requeued after: channel_not_found")

	st, err := store.Open(env["FLYWHEEL_DB"], store.Options{})
	require.NoError(t, err)
	_, err = outboxRun(t, env, "retry", "--all")
	require.ErrorContains(t, err, "stop the bot first")
	require.NoError(t, st.Close())

	out, err = outboxRun(t, env, "retry", "--all")
	require.NoError(t, err)
	assert.Contains(t, out, "requeued 1 dead letter")
	out, err = outboxRun(t, env, "--dead")
	require.NoError(t, err)
	assert.Contains(t, out, "no dead outbox entries")
}

// TestOutboxThroughTheRunningBot: the listing works while the bot holds the
// database, through its socket.
func TestOutboxThroughTheRunningBot(t *testing.T) {
	env, _ := outboxEnv(t)
	serveReads(t, env)
	out, err := outboxRun(t, env, "--dead")
	require.NoError(t, err)
	assert.Contains(t, out, "2 dead")
}
