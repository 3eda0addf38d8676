package bot_test

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot"
	"flywheel/bot/slackfake"
	"flywheel/store"
)

// TestRateLimitOnEveryMethod gives each Web API method the bot uses one 429
// with Retry-After: 1 and checks the bot waits it out and succeeds once.
func TestRateLimitOnEveryMethod(t *testing.T) {
	cases := []struct {
		method  string
		trigger func(h *harness)
		outcome func(h *harness) time.Time // when the user saw the result
	}{
		{"chat.postMessage", func(h *harness) { h.fake.SendSlashCommand(ana, salesCh, "/win", "saved 2h with ChatGPT") },
			func(h *harness) time.Time { return h.winPosts(1)[0].At }},
		{"views.open", func(h *harness) { h.fake.SendSlashCommand(ana, salesCh, "/win", "") },
			func(h *harness) time.Time {
				eventually(h.t, func() bool { return len(h.fake.OpenedViews()) == 1 }, "modal opened")
				return h.fake.OpenedViews()[0].At
			}},
		{"conversations.history", func(h *harness) {
			ts, _ := h.fake.PostAsUser(salesCh, dev, "saved 2h with Claude", "")
			h.fake.SendReaction(true, chloe, "trophy", salesCh, ts, dev)
		}, func(h *harness) time.Time { return h.winPosts(1)[0].At }},
		{"views.publish", func(h *harness) { h.fake.OpenAppHome(ana, "home") },
			func(h *harness) time.Time {
				eventually(h.t, func() bool { return len(h.fake.PublishedViews(ana)) == 1 }, "home tab published")
				// The fake logs a call just after its effect is visible:
				// wait for the successful call's entry, not the 429's.
				eventually(h.t, func() bool { return len(h.fake.Calls("views.publish")) >= 2 }, "the publish logged")
				calls := h.fake.Calls("views.publish")
				return calls[len(calls)-1].At
			}},
		{"chat.postEphemeral", func(h *harness) {
			h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "saved 2h with ChatGPT"))
			post := h.winPosts(1)[0]
			eventually(h.t, func() bool { return h.wins()[0].PostTS != "" }, "post recorded")
			h.fake.SendBlockAction(ben, winsCh, post.TS, "try_this", strconv.FormatUint(h.wins()[0].ID, 10))
		}, func(h *harness) time.Time {
			eventually(h.t, func() bool { return len(h.fake.Ephemerals(ben)) == 1 }, "the how-to reached ben")
			return h.fake.Ephemerals(ben)[0].At
		}},
		{"chat.getPermalink", func(h *harness) { h.fake.PostAsUser(helpCh, ana, "how do I build a bot for invoices?", "") },
			func(h *harness) time.Time {
				m, err := h.fake.WaitBotMessages(champsCh, 1, wait)
				require.NoError(h.t, err)
				return m[0].At
			}},
	}
	for _, c := range cases {
		t.Run(c.method, func(t *testing.T) {
			h := start(t)
			h.fake.Fail(c.method, 1, http.StatusTooManyRequests, 1)
			sent := time.Now()
			c.trigger(h)
			seen := c.outcome(h)
			assert.GreaterOrEqual(t, seen.Sub(sent), time.Second, "waited for Retry-After")
			// The fake records a call once it has answered it, which can be
			// just after its effect is visible.
			eventually(t, func() bool { return len(h.fake.Calls(c.method)) >= 2 }, "the retried call recorded")
			calls := h.fake.Calls(c.method)
			assert.Equal(t, http.StatusTooManyRequests, calls[0].Status)
		})
	}
	t.Run("auth.test", func(t *testing.T) {
		start := time.Now()
		h := startSetup(t, setup{before: func(f *slackfake.Server) { f.Fail("auth.test", 1, http.StatusTooManyRequests, 1) }})
		assert.GreaterOrEqual(t, time.Since(start), time.Second)
		h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "saved 1h with Claude"))
	})
	t.Run("apps.connections.open", func(t *testing.T) {
		start := time.Now()
		h := startSetup(t, setup{before: func(f *slackfake.Server) { f.Fail("apps.connections.open", 1, http.StatusTooManyRequests, 1) }})
		assert.GreaterOrEqual(t, time.Since(start), time.Second)
		h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "saved 1h with Claude"))
	})
}

// TestHangingCallTimesOut shows a Web API call that never answers is cut
// off and retried instead of stalling the outbox.
func TestHangingCallTimesOut(t *testing.T) {
	h := startWith(t, nil, bot.Options{CallTimeout: 300 * time.Millisecond})
	h.fake.Fail("chat.postMessage", 1, -2, 0)
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "saved 2h with ChatGPT"))
	h.winPosts(1)
	// The fake stores the post before it logs the call.
	eventually(t, func() bool { return len(h.fake.Calls("chat.postMessage")) >= 2 }, "the retry is logged")
	assert.Len(t, h.fake.Calls("chat.postMessage"), 2, "one hung call, then one that worked")
}

func TestSlowHello(t *testing.T) {
	h := startSetup(t, setup{fakeOpts: []slackfake.Option{slackfake.WithHelloDelay(time.Second)}})
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "saved 2h with ChatGPT"))
	h.winPosts(1)
	assert.True(t, h.bot.Ready())
}

// TestLinkDisabledBacksOff: Slack disables the link and refuses new
// connections for a while; the bot retries with backoff, not in a spin, and
// comes back.
func TestLinkDisabledBacksOff(t *testing.T) {
	h := start(t)
	h.fake.Fail("apps.connections.open", 4, http.StatusInternalServerError, 0)
	opened := len(h.fake.Calls("apps.connections.open"))
	h.fake.Disconnect("link_disabled")
	require.NoError(t, h.fake.WaitConnections(2, 15*time.Second), "the bot comes back")
	calls := len(h.fake.Calls("apps.connections.open")) - opened
	assert.LessOrEqual(t, calls, 8, "4 refusals and 2 reconnects, not a spin")
	assert.Contains(t, h.logs.String(), "socket mode connection failed; retrying")
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "saved 2h with ChatGPT"))
}

// TestSlowWebAPINeverDelaysAcks: every Web API call takes a second, yet a
// burst of envelopes is acked while the first posts are still being made,
// because Slack calls never run on the path that reads and acks. (If acks
// waited for posts, 100 envelopes would take 100 s.)
func TestSlowWebAPINeverDelaysAcks(t *testing.T) {
	h := startSetup(t, setup{fakeOpts: []slackfake.Option{slackfake.WithLatency(time.Second)}})
	var envs []string
	for i := range 100 {
		envs = append(envs, h.fake.SendSlashCommand(ana, salesCh, "/win", fmt.Sprintf("win %d: saved 1h with ChatGPT", i)))
	}
	var last time.Time
	var slowest time.Duration
	for _, e := range envs {
		a := h.ack(e)
		slowest = max(slowest, a.Latency)
		if a.At.After(last) {
			last = a.At
		}
	}
	posted := 0
	for _, m := range h.fake.BotMessages(winsCh) {
		if m.At.Before(last) {
			posted++
		}
	}
	assert.LessOrEqual(t, posted, 3, "all 100 acks came before the 4th post (posts take 1 s each)")
	t.Logf("100 envelopes with a 1 s Web API: slowest ack %s, posts made before the last ack: %d", slowest, posted)
}

// TestConnectionRefreshDuringBurst: Slack rotates the app's connections
// while a burst arrives. With two connections one always receives, and every
// envelope is acked within 3 s of its first delivery.
func TestConnectionRefreshDuringBurst(t *testing.T) {
	h := start(t)
	var envs []string
	for i := range 120 {
		envs = append(envs, h.fake.SendSlashCommand(ana, salesCh, "/win", fmt.Sprintf("burst %d: saved 1h with ChatGPT", i)))
		if i%30 == 15 {
			// Slack rotates one connection at a time, hours apart; here the
			// next rotation comes as soon as both are open again.
			require.NoError(t, h.fake.WaitConnections(2, wait))
			require.True(t, h.fake.RefreshOldest("refresh_requested"))
		}
	}
	var lat []time.Duration
	for _, e := range envs {
		lat = append(lat, h.ack(e).Latency) // h.ack asserts < 3 s
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	t.Logf("120 envelopes, 4 refreshes: p50 %s, max %s", lat[len(lat)/2], lat[len(lat)-1])
	eventually(t, func() bool { return len(h.wins()) == 120 }, "every win recorded")
	assert.Len(t, h.wins(), 120, "and none twice")
}

// TestFailedCommitIsNotAcked: when the disk refuses a write, the envelope is
// not acked, so Slack redelivers it; once the disk is back the redelivery is
// recorded, once.
func TestFailedCommitIsNotAcked(t *testing.T) {
	var broken atomic.Bool
	h := startSetup(t, setup{store: store.Options{WriteFault: func() error {
		if broken.Load() {
			return errors.New("no space left on device")
		}
		return nil
	}}})
	broken.Store(true)
	env := h.fake.SendSlashCommand(ana, salesCh, "/win", "saved 2h with ChatGPT")
	_, err := h.fake.WaitAck(env, 500*time.Millisecond)
	require.Error(t, err, "a failed commit must not be acked")
	eventually(t, func() bool { return strings.Contains(h.logs.String(), "not acking so Slack redelivers") }, "logged")

	broken.Store(false)
	h.ack(h.fake.Redeliver(env))
	h.winPosts(1)
	assert.Len(t, h.wins(), 1)
}
