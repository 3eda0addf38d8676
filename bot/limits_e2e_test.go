package bot_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot"
	"flywheel/bot/slackfake"
	"flywheel/config"
)

// heavy is n characters of what escapes worst (every <, & and > grows to
// four or five characters on the wire), with head at the start so the
// text still reads as a win or a question.
func heavy(head string, n int) string {
	const fill = "<&> R&D -> <3 @here <!channel> "
	s := head + " " + strings.Repeat(fill, n/len(fill)+1)
	return s[:n]
}

// maxConfig is a config at every bound config validation allows.
func maxConfig(c *config.Config) {
	name := func(seed string) string { return heavy(seed, config.MaxNameLen) }
	c.Tools = []config.Tool{
		{Name: name("Alpha"), Aliases: []string{"alphabot"}, Status: config.StatusApproved, HowTo: heavy("Sign in", config.MaxToolText)},
		{Name: name("Beta"), Aliases: []string{"betabot"}, Status: config.StatusRestricted,
			Restriction: heavy("only drafts", config.MaxToolText), HowTo: heavy("Ask IT", config.MaxToolText), Alternative: "alphabot"},
		{Name: name("Gamma"), Aliases: []string{"gammabot"}, Status: config.StatusNotApproved, Alternative: "alphabot",
			HowTo: heavy("Not covered", config.MaxToolText)},
	}
	c.Teams[0].Name, c.Teams[1].Name, c.Teams[2].Name = name("Sales"), name("Ops"), name("Legal")
	c.Guidelines.Text = heavy("Be careful", config.MaxGuidelinesText)
	c.Guidelines.Link = "https://wiki.example.com/ai?" + strings.Repeat("a=1&", (config.MaxLinkLen-28)/4)
	c.Questions.FollowUpAfter = config.Duration(200 * time.Millisecond)
	c.Questions.NudgeAfter = config.Duration(200 * time.Millisecond)
	c.Digest.Channels = []string{"CDIGEST01"}
}

// TestEverySurfaceStaysWithinSlacksLimits drives every surface the bot
// has with the longest inputs it accepts: 4,000-character texts of the
// characters that escape worst, names and tool names at their config
// maximum. The fake Slack refuses anything over a Block Kit limit as Slack
// does (invalid_blocks, invalid_arguments, msg_too_long), so the test
// passes only if every post, DM, ephemeral, ack, modal, Home tab and
// digest is valid.
func TestEverySurfaceStaysWithinSlacksLimits(t *testing.T) {
	const privCh = "CPRIV0005"
	var cfg *config.Config
	h := startSetup(t, setup{
		mutate: func(c *config.Config) { maxConfig(c); cfg = c },
		bot:    bot.Options{DueInterval: 50 * time.Millisecond},
		before: func(f *slackfake.Server) { f.AddPrivateChannel(privCh, "board"); f.AddChannel("CDIGEST01", "digest") },
	})
	require.NoError(t, cfg.Validate(), "the config is at its bounds, not past them")
	long := func(head string) string { return heavy(head, 4000) }

	// Wins: /win, the form, a held win, a redacted post.
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", long("alphabot betabot gammabot saved 2h")))
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", heavy("alphabot saved 1h, mail a@b.example", 3900)))
	held := h.dmContaining(ana, "Before I share your win")
	_ = held
	h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", ""))
	h.modal(1)
	h.ack(h.fake.SendViewSubmission(ben, "win_modal", "", map[string]map[string]string{
		"what": {"what": heavy("alphabot saved 1h", 3000)}, "tool": {"tool": strings.Repeat("<&>", config.MaxNameLen/3)}, "saved": {"saved": "1h"}}))
	for _, m := range h.fake.BotMessages(h.fake.DMChannel(ana)) {
		if strings.Contains(string(m.Blocks), "guard_redact") {
			h.ack(h.fake.SendBlockAction(ana, h.fake.DMChannel(ana), m.TS, "guard_redact", "2"))
		}
	}

	// Nominations: a reaction, the shortcut with a note, a private one
	// awaiting approval, and the shortcut on a message that already is a win.
	ts, env := h.fake.PostAsUser(salesCh, ben, long("alphabot saved 3h"), "")
	h.ack(env)
	h.ack(h.fake.SendReaction(true, chloe, "trophy", salesCh, ts, ""))
	ts2, env := h.fake.PostAsUser(salesCh, dev, long("betabot saved 2h"), "")
	h.ack(env)
	h.ack(h.fake.SendMessageShortcut(ana, salesCh, ts2, "share_as_win"))
	h.modal(2)
	h.nominate(ana, heavy("Note", 500), nil)
	ts3, _ := h.fake.PostAsUser(privCh, ben, long("gammabot saved 4h"), "")
	h.ack(h.fake.SendMessageShortcut(dev, privCh, ts3, "share_as_win"))
	h.modal(3)
	h.nominate(dev, heavy("Note", 500), nil)
	h.dmContaining(ben, "would like to share your message")
	h.ack(h.fake.SendMessageShortcut(chloe, salesCh, ts, "share_as_win"))
	h.modal(4)
	ts4, env := h.fake.PostAsUser(salesCh, chloe, long("my own alphabot win saved 1h"), "")
	h.ack(env)
	h.ack(h.fake.SendMessageShortcut(chloe, salesCh, ts4, "share_as_win"))
	h.modal(5)
	posts := h.winPosts(5)

	// Questions: registry answers (with colleagues' wins quoted), the
	// champions post and its nudge, a relayed answer, /ask, the follow-up DM.
	qts := h.ask(lena, long("can I use alphabot or betabot or gammabot?"))
	h.threadReplies(helpCh, qts, 1)
	h.ask(dev, long("how do I build an agent that files expenses?"))
	routed, err := h.fake.WaitBotMessages(champsCh, 1, wait)
	require.NoError(t, err)
	eventually(t, func() bool { return len(h.fake.BotMessages(champsCh)) >= 2 }, "the nudge")
	_, env = h.fake.PostAsUser(champsCh, chloe, long("Use the template"), routed[0].TS)
	h.ack(env)
	h.ack(h.fake.SendSlashCommand(lena, salesCh, "/ask", long("can I use alphabot here?")))
	h.ack(h.fake.SendSlashCommand(lena, salesCh, "/ask", long("what is a vector database?")))
	followUp := h.dmContaining(lena, "Did it work out?")
	_ = followUp
	for _, m := range h.fake.BotMessages(h.fake.DMChannel(lena)) {
		if strings.Contains(string(m.Blocks), "followup_win") {
			h.ack(h.fake.SendBlockAction(lena, h.fake.DMChannel(lena), m.TS, "followup_win", cfg.Tools[0].Name))
		}
	}

	// I'll try this, App Home and its button, every /flywheel reply, the digest.
	h.ack(h.fake.SendBlockAction(dev, winsCh, posts[0].TS, "try_this", strconv.FormatUint(h.wins()[0].ID, 10)))
	h.ack(h.fake.OpenAppHome(ana, "home"))
	eventually(t, func() bool { return len(h.fake.PublishedViews(ana)) == 1 }, "home published")
	h.ack(h.fake.SendHomeAction(ana, "home_share_win", "home"))
	for _, sub := range []string{"help", "tools", "champions", "champions quarter", "spread", "forget me", "digest preview", "export", long("what")} {
		h.ack(h.fake.SendSlashCommand(ana, salesCh, "/flywheel", sub))
	}
	next := *cfg
	next.Digest.Schedule = "@every 1s"
	h.bot.SetConfig(&next)
	_, err = h.fake.WaitBotMessages("CDIGEST01", 1, wait)
	require.NoError(t, err, "the digest is posted")

	h.deliveredCleanly()
	assert.GreaterOrEqual(t, len(h.fake.OpenedViews()), 6, "every modal opened")
	for _, ch := range []string{winsCh, champsCh, "CDIGEST01", helpCh, h.fake.DMChannel(ana), h.fake.DMChannel(ben), h.fake.DMChannel(lena)} {
		for _, m := range h.fake.BotMessages(ch) {
			for _, p := range h.fake.Pings(m) {
				assert.NotContains(t, []string{"here", "channel", "everyone"}, p, "a broadcast in %s: %.80q", ch, m.Text)
			}
		}
	}
}
