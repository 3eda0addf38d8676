package bot_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/store"
)

func TestReconnects(t *testing.T) {
	cases := []struct {
		name   string
		break_ func(h *harness)
	}{
		{"DroppedWebsocket", func(h *harness) { h.fake.DropConnections() }},
		{"DisconnectRefreshRequested", func(h *harness) { h.fake.Disconnect("refresh_requested") }},
		{"DisconnectWarning", func(h *harness) { h.fake.Disconnect("warning") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := start(t)
			hellos := h.fake.Hellos()
			c.break_(h)
			eventually(t, func() bool { return h.fake.Hellos() >= hellos+2 }, "both connections reopened")
			require.NoError(t, h.fake.WaitConnections(2, wait))
			h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "saved 2h with ChatGPT"))
			h.winPosts(1)
		})
	}
}

func TestRateLimitedPostWaitsForRetryAfter(t *testing.T) {
	h := start(t)
	h.fake.Fail("chat.postMessage", 1, http.StatusTooManyRequests, 1)
	sent := time.Now()
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "saved 2h with ChatGPT"))
	post := h.winPosts(1)[0]
	assert.GreaterOrEqual(t, post.At.Sub(sent), time.Second, "the retry waits for Retry-After")
	// The fake stores the post before it logs the call.
	eventually(t, func() bool { return len(h.fake.Calls("chat.postMessage")) >= 2 }, "the retry is logged")
	calls := h.fake.Calls("chat.postMessage")
	require.Len(t, calls, 2, "one 429, then one successful post")
	assert.Equal(t, http.StatusTooManyRequests, calls[0].Status)
	assert.Len(t, h.fake.BotMessages(winsCh), 1, "posted exactly once")
}

func TestServerErrorsAreRetried(t *testing.T) {
	for _, c := range []struct {
		name   string
		status int
	}{{"5xx", http.StatusInternalServerError}, {"MalformedJSON", -1}} {
		t.Run(c.name, func(t *testing.T) {
			h := start(t)
			h.fake.Fail("chat.postMessage", 1, c.status, 0)
			h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "saved 2h with ChatGPT"))
			h.winPosts(1)
			// The fake stores the post before it logs the call.
			eventually(t, func() bool { return len(h.fake.Calls("chat.postMessage")) == 2 }, "one failed call, one good")
		})
	}
}

func TestPermanentErrorGoesToDeadLetters(t *testing.T) {
	h := start(t)
	cfg := *h.bot.Config()
	cfg.WinsChannel = "CNOSUCH01"
	h.bot.SetConfig(&cfg)
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "saved 2h with ChatGPT"))
	eventually(t, func() bool {
		dead, err := h.st.Dead()
		return err == nil && len(dead) == 1
	}, "undeliverable post kept as a dead letter")
	dead, _ := h.st.Dead()
	assert.Contains(t, dead[0].LastError, "channel_not_found")
	// Logged once the move is committed, a moment after it shows.
	eventually(t, func() bool { return strings.Contains(h.logs.String(), "giving up on a Slack call") }, "logged")
}

// TestNotInvitedToTheWinsChannel: the bot has no chat:write.public, so
// Slack refuses its post to a wins channel it was not invited to
// (not_in_channel): the win is kept, the post kept as a dead letter and
// logged, and the bot keeps serving.
func TestNotInvitedToTheWinsChannel(t *testing.T) {
	h := start(t)
	h.fake.RemoveBot(winsCh)
	a := h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "saved 2h with ChatGPT"))
	assert.Contains(t, string(a.Payload), "Win recorded")
	eventually(t, func() bool {
		dead, err := h.st.Dead()
		return err == nil && len(dead) == 1 && strings.Contains(dead[0].LastError, "not_in_channel")
	}, "the refused post kept as a dead letter")
	assert.Len(t, h.wins(), 1)
	assert.Empty(t, h.fake.BotMessages(winsCh))
	h.ask(ben, "can I use ChatGPT for release notes?") // still serving elsewhere
}

func TestGarbageKeepsTheBotRunning(t *testing.T) {
	h := start(t)
	h.fake.SendRaw([]byte(`{this is not json`))
	h.fake.SendRaw([]byte(`{"envelope_id":"bogus-1","type":"no_such_type","payload":{}}`))
	h.fake.SendRaw([]byte(`{"envelope_id":"bogus-2","type":"slash_commands","payload":"not an object"}`))
	missing := h.fake.SendEvent(map[string]any{"type": "reaction_added"}) // an event missing every field
	h.ack(missing)
	eventually(t, func() bool {
		for _, a := range h.fake.Acks() {
			if a.EnvelopeID == "bogus-1" {
				return true
			}
		}
		return false
	}, "an unknown envelope type is acked so Slack stops retrying it")

	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "saved 2h with ChatGPT"))
	h.winPosts(1)
	assert.Len(t, h.wins(), 1)
	assert.Contains(t, h.logs.String(), "cannot read")
}

func TestOutboxIsDrainedOnStart(t *testing.T) {
	h := start(t)
	h.stop()
	// A crash after the ack leaves the post in the outbox.
	st, err := store.Open(h.dbPath, store.Options{})
	require.NoError(t, err)
	w := store.Win{Author: ana, Text: "saved 2h with ChatGPT", MinutesSaved: 120, Source: store.SourceCommand}
	require.NoError(t, st.Update(func(tx *store.Tx) error {
		if err := tx.AddWin(&w); err != nil {
			return err
		}
		_, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPost, Channel: winsCh, Text: "win from <@" + ana + ">", WinID: w.ID, WinPost: true})
		return err
	}))
	require.NoError(t, st.Close())

	h.startBot(testConfig(h.fake))
	post := h.winPosts(1)[0]
	assert.Contains(t, post.Text, ana)
	eventually(t, func() bool { n, _ := h.st.OutboxLen(); return n == 0 }, "outbox empty")
}

func TestMetricsCountWhatHappened(t *testing.T) {
	h := start(t)
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "saved 2h with ChatGPT"))
	h.winPosts(1)
	m := h.bot.Metrics()
	assert.Equal(t, 1.0, testutil.ToFloat64(m.Wins.WithLabelValues("command")))
	assert.Equal(t, 1.0, testutil.ToFloat64(m.Envelopes.WithLabelValues("slash_commands")))
	assert.GreaterOrEqual(t, testutil.ToFloat64(m.Acks), 1.0)
	assert.Equal(t, 2.0, testutil.ToFloat64(m.Connections))
	n, err := testutil.GatherAndCount(m.Registry, "flywheel_ack_latency_seconds")
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	// The outbox's gauges, and the Go and process collectors dashboards
	// expect of every Go exporter.
	for _, name := range []string{"flywheel_outbox_pending", "flywheel_outbox_dead", "flywheel_outbox_oldest_pending_age_seconds",
		"go_goroutines", "go_memstats_alloc_bytes", "process_resident_memory_bytes", "process_open_fds"} {
		n, err := testutil.GatherAndCount(m.Registry, name)
		require.NoError(t, err)
		assert.Equal(t, 1, n, name)
	}
}

// TestTransientSlackErrorsPostOnce: chat.postMessage answers rate_limited
// (HTTP 200, no Retry-After: Slack's "posted too many messages"), then
// internal_error after making the post ("it's possible some aspect of the
// operation succeeded"). The first is retried, not dead-lettered; after the
// second the bot looks before posting again and adopts the post it finds.
func TestTransientSlackErrorsPostOnce(t *testing.T) {
	h := start(t)
	h.fake.FailWith("chat.postMessage", 1, "rate_limited", false)
	h.fake.FailWith("chat.postMessage", 1, "internal_error", true)
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "saved 2h with ChatGPT"))
	h.outboxEmpty()
	posts := h.fake.BotMessages(winsCh)
	require.Len(t, posts, 1, "posted once")
	calls := h.fake.Calls("chat.postMessage")
	require.Len(t, calls, 2, "refused, then made but answered with an error; then found, not made again")
	assert.Equal(t, "rate_limited", calls[0].Error)
	assert.Equal(t, "internal_error", calls[1].Error)
	eventually(t, func() bool { return h.wins()[0].PostTS == posts[0].TS }, "the found post is the win's post")
	dead, err := h.st.Dead()
	require.NoError(t, err)
	assert.Empty(t, dead)
}
