package bot

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/config"
	"flywheel/store"
)

func newTestBot(t *testing.T) *Bot {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "bot.db"), store.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	cfg := config.Default()
	cfg.WinsChannel = "CWINS"
	log := logrus.New()
	log.SetOutput(&strings.Builder{})
	return New(cfg, st, Options{Log: log})
}

// TestRenderWinPost: a win post is queued without its text and rendered
// from the stored win when sent; entries that carry their text (queued by
// an earlier version, or any other post) go out as they are.
func TestRenderWinPost(t *testing.T) {
	b := newTestBot(t)
	w := store.Win{Author: "UANA", Text: "Drafted the RFP answer with Claude in 1h instead of 6h", MinutesSaved: 300, Tools: []string{"Claude"}, Source: store.SourceCommand}
	require.NoError(t, b.st.Update(func(tx *store.Tx) error { return tx.AddWin(&w) }))
	wantText, _ := winPost(w)

	tests := []struct {
		name     string
		entry    store.OutboxEntry
		wantOK   bool
		wantText string
	}{
		{"queued by name", store.OutboxEntry{Kind: store.OutboxPost, Channel: "CWINS", WinID: w.ID, WinPost: true}, true, wantText},
		{"carries its text", store.OutboxEntry{Kind: store.OutboxPost, Channel: "CWINS", WinID: w.ID, WinPost: true, Text: "as queued"}, true, "as queued"},
		{"not a win post", store.OutboxEntry{Kind: store.OutboxPost, Channel: "UANA", Text: "a DM"}, true, "a DM"},
		{"win gone", store.OutboxEntry{Kind: store.OutboxPost, Channel: "CWINS", WinID: w.ID + 99, WinPost: true}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.entry
			ok, err := b.renderWinPost(&e)
			require.NoError(t, err)
			assert.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.wantText, e.Text)
			if tt.name == "queued by name" {
				assert.Contains(t, string(e.Blocks), `"action_id":"`+actionTryThis+`"`, "the rendered post has its buttons")
			}
		})
	}
}

// TestSenderYieldsToBurst: with envelopes queuing for the writer the sender
// waits before each delivery; with none it does not.
func TestSenderYieldsToBurst(t *testing.T) {
	b := newTestBot(t)
	posts := newSender(b).lanes[1]
	assert.False(t, posts.yield(context.Background()), "no backlog: no wait")

	for range backlogMark {
		b.commit.in <- job{fn: func(*store.Tx) error { return nil }, done: func(error) {}}
	}
	start := time.Now()
	assert.True(t, posts.yield(context.Background()), "backlog: the sender waits")
	assert.GreaterOrEqual(t, time.Since(start), burstPace)
}
