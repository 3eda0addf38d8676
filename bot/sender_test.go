package bot

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
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

// TestPacer: a channel gets its burst at once, then one post per 1/rate;
// channels do not share a budget.
func TestPacer(t *testing.T) {
	p := newPacer(2, 3) // 2 a second after a burst of 3
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for i := range 3 {
		assert.Zero(t, p.take(1, t0), "burst post %d", i)
	}
	wait := p.take(1, t0)
	assert.InDelta(t, 500*time.Millisecond, wait, float64(5*time.Millisecond), "then one every half second")
	assert.Zero(t, p.take(2, t0), "another channel has its own bucket")
	assert.Zero(t, p.take(1, t0.Add(wait)))
	assert.Positive(t, p.take(1, t0.Add(wait)))
	p.prune(t0.Add(time.Hour))
	assert.Empty(t, p.buckets, "refilled buckets are forgotten")
}

func TestBackoff(t *testing.T) {
	var got []time.Duration
	for n := 1; n <= 10; n++ {
		got = append(got, backoff(n))
	}
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second,
		32 * time.Second, 64 * time.Second, 128 * time.Second, 256 * time.Second, maxBackoff}, got)
	assert.Equal(t, maxBackoff, backoff(1000))
}

func TestPermanent(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{slack.SlackErrorResponse{Err: "channel_not_found"}, true},
		{slack.SlackErrorResponse{Err: "invalid_blocks"}, true},
		{slack.SlackErrorResponse{Err: "not_in_channel"}, true},
		{slack.SlackErrorResponse{Err: "ratelimited"}, false},
		{slack.SlackErrorResponse{Err: "internal_error"}, false},
		{slack.StatusCodeError{Code: 503, Status: "503 Service Unavailable"}, false},
		{context.DeadlineExceeded, false},
		{errors.New("dial tcp: connection refused"), false},
	} {
		assert.Equal(t, tc.want, permanent(tc.err), "%v", tc.err)
	}
}

// TestReplyQueuesOnce: a reply that queues work (a preview too long for an
// ack goes by DM) commits it under the envelope's dedupe key, so the same
// command redelivered under a new envelope queues nothing twice and gets
// the same answer.
func TestReplyQueuesOnce(t *testing.T) {
	e := newBenchEnv(t, 4)
	var payloads []any
	var mu sync.Mutex
	e.c.ackFn = func(_ context.Context, _ string, p any) error {
		mu.Lock()
		payloads = append(payloads, p)
		mu.Unlock()
		e.acks <- struct{}{}
		return nil
	}
	build := func() answer {
		return answer{msg: ephemeral("sent to you as a DM"), queue: func(tx *store.Tx) error {
			_, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPost, Channel: "U0000001", Text: "the preview"})
			return err
		}}
	}
	for _, env := range []string{"e1", "e2"} {
		e.c.reply(context.Background(), &socketmode.Request{EnvelopeID: env}, "trig:1.2.preview", build)
		select {
		case <-e.acks:
		case <-time.After(5 * time.Second):
			t.Fatal("not acked")
		}
	}
	n, err := e.b.st.OutboxLen()
	require.NoError(t, err)
	assert.Equal(t, 1, n, "queued once")
	require.Len(t, payloads, 2)
	assert.Equal(t, payloads[0], payloads[1], "the same answer both times")
}

// TestCarries: a post is this entry's when its metadata names the entry's
// ID and queue stamp (an entry of the same ID in a restored or reinstalled
// database has another stamp); posts from before the stamp match by ID.
func TestCarries(t *testing.T) {
	e := store.OutboxEntry{ID: 7, CreatedAt: time.Date(2026, 11, 23, 9, 0, 0, 5, time.UTC)}
	for _, tc := range []struct {
		name    string
		payload map[string]any
		want    bool
	}{
		{"Same", map[string]any{"outbox_id": 7.0, "queued": queuedStamp(e)}, true},
		{"OtherEntry", map[string]any{"outbox_id": 8.0, "queued": queuedStamp(e)}, false},
		{"OtherDatabase", map[string]any{"outbox_id": 7.0, "queued": "1"}, false},
		{"BeforeStamps", map[string]any{"outbox_id": 7.0}, true},
		{"NotOurs", map[string]any{"id": 7.0}, false},
	} {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, carries(tc.payload, e)) })
	}
}

// TestSlackErrorClasses: which failed calls are retried, and which prove
// no post was made (so the next attempt need not look for one). Slack
// documents rate_limited (chat.postMessage's own "posted too many
// messages") and message_limit_exceeded as passing, and internal_error and
// fatal_error as possibly half-done.
func TestSlackErrorClasses(t *testing.T) {
	slackErr := func(code string) error { return fmt.Errorf("post: %w", slack.SlackErrorResponse{Err: code}) }
	for _, tc := range []struct {
		name                 string
		err                  error
		permanent, notPosted bool
	}{
		{"ChannelNotFound", slackErr("channel_not_found"), true, true},
		{"NotInChannel", slackErr("not_in_channel"), true, true},
		{"InvalidBlocks", slackErr("invalid_blocks"), true, true},
		{"RateLimited", slackErr("rate_limited"), false, true},
		{"Ratelimited", slackErr("ratelimited"), false, true},
		{"MessageLimitExceeded", slackErr("message_limit_exceeded"), false, true},
		{"ServiceUnavailable", slackErr("service_unavailable"), false, true},
		{"InternalError", slackErr("internal_error"), false, false},
		{"FatalError", slackErr("fatal_error"), false, false},
		{"HTTP429", &slack.RateLimitedError{RetryAfter: time.Second}, false, true},
		{"HTTP503", slack.StatusCodeError{Code: 503, Status: "503 Service Unavailable"}, false, false},
		{"Timeout", context.DeadlineExceeded, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.permanent, permanent(tc.err), "permanent")
			assert.Equal(t, tc.notPosted, notPosted(tc.err), "proves nothing was posted")
		})
	}
}
