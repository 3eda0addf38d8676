package bot_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot"
	"flywheel/config"
	"flywheel/store"
)

// testClock is a store clock the test moves.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// TestOneClock: everything that asks the time (records, App Home's and the
// preview's weeks, follow-ups falling due, retention) asks the store's
// clock, so a fixed clock pins them all. Years from now, nothing real-time
// would be due, in the week, or past retention.
func TestOneClock(t *testing.T) {
	monday := time.Date(2030, 1, 7, 0, 0, 0, 0, time.UTC) // the digest fires at 09:00
	clk := &testClock{t: monday.Add(8 * time.Hour)}
	h := startSetup(t, setup{store: store.Options{Now: clk.now}, bot: bot.Options{DueInterval: 20 * time.Millisecond},
		mutate: func(c *config.Config) { c.Retention.Days = config.MinRetentionDays }})

	// Chloe (Sales): a win just before Monday's digest, one just after.
	h.ack(h.fake.SendSlashCommand(chloe, salesCh, "/win", "Copilot wrote the pricing macro, saved 1h"))
	clk.set(monday.Add(10 * time.Hour))
	h.ack(h.fake.SendSlashCommand(chloe, salesCh, "/win", "ChatGPT drafted the renewal emails, saved 2h"))
	h.winPosts(2)

	// Wednesday: App Home counts the digest's weeks, split at Monday 09:00
	// (the 7 days before now would put both wins in "this week").
	clk.set(monday.Add(2*24*time.Hour + 12*time.Hour))
	home := h.homeTab(ana, 1)
	assert.Contains(t, home, "this week: *1 win*, *2h* saved (last week: 1 win, 1h)")
	// The preview is the digest of that week so far.
	preview := h.ack(h.fake.SendSlashCommand(ana, salesCh, "/flywheel", "digest preview"))
	assert.Contains(t, string(preview.Payload), "Mon 7 Jan 09:00 to Mon 14 Jan 2030 09:00 UTC")

	// A "Yes" schedules a follow-up three days on: due by the store's clock.
	h.ask(ben, "can I use ChatGPT for release notes?")
	clk.set(monday.Add(6 * 24 * time.Hour))
	_, err := h.fake.WaitBotMessages(h.fake.DMChannel(ben), 1, wait)
	require.NoError(t, err, "the follow-up falls due on the store's clock")

	// A hundred days on, retention (84 days) prunes the wins at start.
	clk.set(monday.AddDate(0, 0, 100))
	h.restart()
	eventually(t, func() bool { return strings.Count(h.logs.String(), "retention: pruned old records") == 2 }, "pruned at the second start")
	wins, err := h.st.WinsBetween(monday, monday.AddDate(1, 0, 0))
	require.NoError(t, err)
	assert.Empty(t, wins)
}
