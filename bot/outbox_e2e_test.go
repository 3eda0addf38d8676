package bot_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot"
	"flywheel/bot/slackfake"
	"flywheel/config"
	"flywheel/store"
)

// outboxEmpty waits (bounded) until every Slack call owed has been made.
func (h *harness) outboxEmpty() {
	h.t.Helper()
	eventually(h.t, func() bool { n, err := h.st.OutboxLen(); return err == nil && n == 0 }, "outbox drained")
}

// deliveredCleanly waits for every post to be delivered and checks none
// went to the dead letters and Slack refused no Block Kit.
func (h *harness) deliveredCleanly() {
	h.t.Helper()
	eventually(h.t, func() bool { n, _ := h.st.OutboxLen(); return n == 0 }, "every post delivered")
	dead, err := h.st.Dead()
	require.NoError(h.t, err)
	for _, d := range dead {
		h.t.Errorf("dead letter %s to %s: %s", d.Kind, d.Channel, d.LastError)
	}
	assert.Empty(h.t, h.fake.BlockKitRefusals(), "Slack refused nothing")
}

// botPosts returns the bot's messages in channel, thread replies included.
func (h *harness) botPosts(channel string) []slackfake.Message {
	var out []slackfake.Message
	for _, m := range h.fake.Messages(channel) {
		if m.BotID != "" {
			out = append(out, m)
		}
	}
	return out
}

// TestLostAnswerPostsOnce: Slack makes the post but its answer never comes
// back (the call times out). The retry finds the post by its metadata
// instead of posting again: in a channel, in a DM queued by user ID, and in
// a thread.
func TestLostAnswerPostsOnce(t *testing.T) {
	cases := []struct {
		name    string
		trigger func(h *harness) string // returns the channel the post lands in
		lookup  string                  // the method that finds it
	}{
		{"Channel", func(h *harness) string {
			h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "saved 2h with ChatGPT"))
			return winsCh
		}, "conversations.history"},
		{"DM", func(h *harness) string {
			h.ack(h.fake.SendBlockAction(chloe, salesCh, "", "forget_confirm", ben)) // refused by DM
			return h.fake.DMChannel(chloe)
		}, "conversations.history"},
		{"Thread", func(h *harness) string {
			_, env := h.fake.PostAsUser(helpCh, ana, "Can I use ChatGPT for meeting notes?", "")
			h.ack(env) // answered from the registry, in the question's thread
			return helpCh
		}, "conversations.replies"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := startWith(t, nil, bot.Options{CallTimeout: 300 * time.Millisecond})
			h.fake.Fail("chat.postMessage", 1, slackfake.LostAnswer, 0)
			channel := c.trigger(h)
			h.outboxEmpty()
			posts := h.botPosts(channel)
			require.Len(t, posts, 1, "posted once")
			calls := h.fake.Calls("chat.postMessage")
			require.Len(t, calls, 1, "the retry found the post instead of posting again")
			assert.True(t, calls[0].Lost)
			var looked bool
			for _, call := range h.fake.Calls(c.lookup) {
				looked = looked || call.Params["include_all_metadata"] == "1"
			}
			assert.True(t, looked, "looked with include_all_metadata")
			if c.name == "Channel" {
				eventually(t, func() bool { return h.wins()[0].PostTS == posts[0].TS }, "the found post is the win's post")
			}
			dead, err := h.st.Dead()
			require.NoError(t, err)
			assert.Empty(t, dead)
		})
	}
}

// TestWebAPIOutage: Slack's Web API is down (5xx, or connections refused)
// for 30 minutes of the bot's clock while the socket stays up. Nothing is
// lost or dead-lettered, each post goes out once when Slack is back, the
// bot stays ready, and the oldest-pending gauge shows the outage.
func TestWebAPIOutage(t *testing.T) {
	for _, c := range []struct {
		name   string
		status int
	}{{"5xx", http.StatusServiceUnavailable}, {"Refused", slackfake.Refused}} {
		t.Run(c.name, func(t *testing.T) {
			clk := newFakeClock(time.Now())
			h := startSetup(t, setup{
				fakeOpts: []slackfake.Option{slackfake.WithClock(clk.Now)},
				bot:      bot.Options{Clock: clk, CallTimeout: time.Second},
				store:    store.Options{Now: clk.Now},
			})
			h.fake.Down(c.status)
			const n = 5
			for i := range n {
				h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", fmt.Sprintf("win %d: saved 1h with Claude", i)))
			}
			h.ack(h.fake.SendBlockAction(chloe, salesCh, "", "forget_confirm", ben)) // and a DM refusing it
			for elapsed := time.Duration(0); elapsed < 30*time.Minute; elapsed += 30 * time.Second {
				h.waitIdle(clk)
				clk.Advance(30 * time.Second)
				require.True(t, h.bot.Ready(), "/readyz stays 200: the bot is up and connected")
			}
			h.waitIdle(clk)
			pending, err := h.st.Outbox(100)
			require.NoError(t, err)
			require.Len(t, pending, n+1, "nothing delivered, nothing lost")
			assert.Greater(t, pending[0].Attempts, 8, "retried past where a 2-minute budget would have given up")
			age := gauge(t, h, "flywheel_outbox_oldest_pending_age_seconds")
			assert.GreaterOrEqual(t, age, (29 * time.Minute).Seconds(), "the age an alert watches")
			assert.Equal(t, float64(n+1), gauge(t, h, "flywheel_outbox_pending"))

			h.fake.Up()
			clk.Advance(5 * time.Minute) // the longest backoff
			h.outboxEmpty()
			assert.Len(t, h.fake.BotMessages(winsCh), n, "each win posted once")
			assert.Len(t, h.fake.BotMessages(h.fake.DMChannel(chloe)), 1, "the DM sent once")
			dead, err := h.st.Dead()
			require.NoError(t, err)
			assert.Empty(t, dead, "nothing dead-lettered")
			assert.Zero(t, gauge(t, h, "flywheel_outbox_dead"))
			assert.Zero(t, gauge(t, h, "flywheel_outbox_oldest_pending_age_seconds"))
		})
	}
}

// TestOutageOver24HoursDeadLetters: a post not delivered within 24 hours
// goes to the dead letters, with why; requeued once Slack is back, it goes
// out once.
func TestOutageOver24HoursDeadLetters(t *testing.T) {
	clk := newFakeClock(time.Now())
	h := startSetup(t, setup{
		fakeOpts: []slackfake.Option{slackfake.WithClock(clk.Now)},
		bot:      bot.Options{Clock: clk, CallTimeout: time.Second},
		store:    store.Options{Now: clk.Now},
	})
	h.fake.Down(http.StatusBadGateway)
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "saved 1h with Claude"))
	for range 25 * 12 {
		h.waitIdle(clk)
		clk.Advance(5 * time.Minute)
	}
	eventually(t, func() bool { d, _ := h.st.Dead(); return len(d) == 1 }, "given up after 24 hours")
	dead, err := h.st.Dead()
	require.NoError(t, err)
	assert.Contains(t, dead[0].LastError, "not delivered within 24h0m0s")
	assert.Contains(t, dead[0].LastError, "502")

	h.fake.Up()
	require.NoError(t, h.st.Update(func(tx *store.Tx) error { return tx.Requeue(dead[0].ID) }))
	h.restart() // an operator's `flywheel outbox retry` runs with the bot stopped
	h.outboxEmpty()
	assert.Len(t, h.fake.BotMessages(winsCh), 1)
}

// waitIdle waits (bounded) until the sender has tried everything due on
// the fake clock: each tried entry is then due later, or gone.
func (h *harness) waitIdle(clk *fakeClock) {
	h.t.Helper()
	defer func() {
		if h.t.Failed() {
			for _, urgent := range []bool{true, false} {
				heads, next, err := h.st.OutboxDue(urgent, clk.Now())
				h.t.Logf("urgent=%v heads=%+v next=%s err=%v now=%s", urgent, heads, next, err, clk.Now())
			}
			h.t.Log(h.logs.String())
		}
	}()
	eventually(h.t, func() bool {
		for _, urgent := range []bool{true, false} {
			heads, _, err := h.st.OutboxDue(urgent, clk.Now())
			if err != nil || len(heads) > 0 {
				return false
			}
		}
		return true
	}, "the sender tried what was due")
}

// gauge reads one of the bot's gauges as a scrape would.
func gauge(t *testing.T, h *harness, name string) float64 {
	t.Helper()
	mfs, err := h.bot.Metrics().Registry.Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetGauge().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

// TestPostsPacedPerChannel: a crowd's wins drain at the channel's pace
// (here 10 a second after a burst of 3; the fake refuses past 10 a second,
// with a little more burst to absorb a loaded machine's jitter) with no
// 429s to speak of, where a bot firing at will meets Slack's refusals.
func TestPostsPacedPerChannel(t *testing.T) {
	run := func(t *testing.T, pace config.Posting) (time.Duration, int) {
		h := startWith(t, func(c *config.Config) { c.Posting = pace }, bot.Options{})
		h.fake.LimitPosts(10, 6)
		const n = 30
		start := time.Now()
		for i := range n {
			h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", fmt.Sprintf("crowd win %d: saved 1h with Claude", i)))
		}
		_, err := h.fake.WaitBotMessages(winsCh, n, 20*time.Second)
		require.NoError(t, err)
		took := time.Since(start)
		limited := 0
		for _, c := range h.fake.Calls("chat.postMessage") {
			if c.Status == http.StatusTooManyRequests {
				limited++
			}
		}
		t.Logf("%d wins into one channel, posting at %g/s: %s, %d 429s", n, pace.PerSecond, took.Round(time.Millisecond), limited)
		return took, limited
	}
	took, paced := run(t, config.Posting{PerSecond: 10, Burst: 3})
	assert.LessOrEqual(t, paced, 1, "paced: Slack (almost) never has to refuse")
	assert.GreaterOrEqual(t, took, 2*time.Second, "27 posts after the burst, at 10 a second")
	_, unpaced := run(t, config.Posting{PerSecond: 1000, Burst: 1000})
	assert.Greater(t, unpaced, paced, "firing at will meets 429s")
}

// TestExpiredTriggerDropped: a form whose views.open keeps failing is
// dropped once its trigger has expired, with a log line; it is never a
// dead letter and never retried.
func TestExpiredTriggerDropped(t *testing.T) {
	h := start(t)
	h.fake.Fail("views.open", 100, http.StatusInternalServerError, 0)
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", ""))
	h.outboxEmpty()
	eventually(t, func() bool { return strings.Contains(h.logs.String(), "dropping an outbox entry") }, "logged")
	calls := len(h.fake.Calls("views.open"))
	assert.LessOrEqual(t, calls, 3, "tried within the trigger's 3 seconds only")
	dead, err := h.st.Dead()
	require.NoError(t, err)
	assert.Empty(t, dead)
	assert.Equal(t, 1.0, testutil.ToFloat64(h.bot.Metrics().Errors.WithLabelValues("expired")))
}
