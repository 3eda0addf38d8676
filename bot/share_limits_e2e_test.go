package bot_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot/slackfake"
	"flywheel/config"
)

// TestSharingSurfacesStayWithinSlacksLimits drives tips and wins shared
// without a name or with one's team at the longest inputs the bot accepts
// (4,000 characters that escape worst, team and tool names at their config
// maximum): every post, button answer, library reply, Home tab, registry
// answer and digest must be one Slack accepts, and none may ping a crowd.
func TestSharingSurfacesStayWithinSlacksLimits(t *testing.T) {
	var cfg *config.Config
	h := startSetup(t, setup{
		mutate: func(c *config.Config) {
			maxConfig(c)
			c.TipsChannel = tipsCh
			c.Teams[0].Channel = salesCh
			c.Teams[0].Members = append(c.Teams[0].Members, "USALES003", "USALES004", "USALES005")
			cfg = c
		},
		before: func(f *slackfake.Server) { f.AddChannel(tipsCh, "tips"); f.AddChannel("CDIGEST01", "digest") },
	})
	require.NoError(t, cfg.Validate())
	long := func(head string) string { return heavy(head, 4000) }

	h.ack(h.fake.SendSlashCommand(chloe, salesCh, "/win", "--anon "+heavy("alphabot saved 2h", 3990)))
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "--team "+heavy("betabot saved 1h", 3990)))
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/tip", long("alphabot betabot gammabot")))
	ts, env := h.fake.PostAsUser(salesCh, ben, long("alphabot trick"), "")
	h.ack(env)
	h.ack(h.fake.SendReaction(true, dev, "bulb", salesCh, ts, ben))
	tips, err := h.fake.WaitBotMessages(tipsCh, 2, wait)
	require.NoError(t, err)
	posts := h.winPosts(1)
	eventually(t, func() bool { return len(h.tips()) == 2 && h.tips()[1].PostTS != "" }, "tips posted")
	for i, tip := range h.tips() {
		id := strconv.FormatUint(tip.ID, 10)
		h.ack(h.fake.SendBlockAction(dev, tipsCh, tips[i].TS, "tip_try", id))
		h.ack(h.fake.SendBlockAction(chloe, tipsCh, tips[i].TS, "tip_save", id))
	}
	h.ack(h.fake.SendBlockAction(dev, winsCh, posts[0].TS, "try_this", strconv.FormatUint(h.wins()[0].ID, 10)))
	h.ack(h.fake.SendSlashCommand(chloe, salesCh, "/win", "alphabot made the board pack, saved 1h"))
	h.ack(h.fake.OpenAppHome(chloe, "home"))
	eventually(t, func() bool { return len(h.fake.PublishedViews(chloe)) == 1 }, "home published")
	assert.Contains(t, viewText(t, h.fake.PublishedViews(chloe)[0]), "*Tips for the tools you use*")
	h.ask(lena, long("can I use alphabot?"))
	for _, sub := range []string{"tips", "tips alphabot", "tips " + long("<&>"), "spread", "champions week", "digest preview", "export"} {
		h.ack(h.fake.SendSlashCommand(ana, salesCh, "/flywheel", sub))
	}
	h.ack(h.fake.SendSlashCommand(lena, salesCh, "/tip", "help"))
	h.ack(h.fake.SendSlashCommand(lena, salesCh, "/win", "help"))
	next := *cfg
	next.Digest.Schedule = "@every 1s"
	h.bot.SetConfig(&next)
	_, err = h.fake.WaitBotMessages("CDIGEST01", 1, wait)
	require.NoError(t, err)
	// Teaching is in the lead digest, which ana (the admin) gets by DM.
	h.dmContaining(ana, "Lead digest")
	var lead string
	for _, m := range h.fake.BotMessages(h.fake.DMChannel(ana)) {
		if strings.HasPrefix(m.Text, "Lead digest") {
			lead = blocksText(t, m.Blocks)
		}
	}
	assert.Contains(t, lead, "People teaching each other")

	h.deliveredCleanly()
	for _, ch := range []string{winsCh, salesCh, tipsCh, "CDIGEST01", helpCh, h.fake.DMChannel(ana), h.fake.DMChannel(ben)} {
		for _, m := range h.fake.BotMessages(ch) {
			for _, p := range h.fake.Pings(m) {
				assert.NotContains(t, []string{"here", "channel", "everyone"}, p, "a broadcast in %s: %.80q", ch, m.Text)
			}
		}
	}
	assert.True(t, strings.Contains(posts[0].Text, "A colleague in "), "the anonymous win names its (big enough) team")
}
