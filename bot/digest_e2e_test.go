package bot_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot"
	"flywheel/config"
)

// TestWeeklyDigestEndToEnd drives a short week over Socket Mode, switches
// the schedule to @every 1s with a reload, and checks the digest posts
// against numbers worked out by hand:
//   - wins: ana 150 min ("30 minutes instead of 3 hours"), ben 120 min
//     ("saved 2h") → 2 wins, 4h 30m saved;
//   - peer-confirmed: only ana's win was cheered (chloe, dev) → 2h 30m;
//   - 2 people shared wins, both for the first time → 2 new contributors;
//   - lena (Legal, not enrolled) asked how to get Copilot → 1 question,
//     answered by the registry, and Legal shows up as asking for access.
func TestWeeklyDigestEndToEnd(t *testing.T) {
	const digestCh, salesDigestCh = "CDIGEST01", "CSALESDG2"
	var cfg *config.Config
	h := startWith(t, func(c *config.Config) {
		c.Digest.Channels = []string{digestCh}
		c.Teams[0].Channel = salesDigestCh
		cfg = c
	}, bot.Options{})
	h.fake.AddChannel(digestCh, "ai-digest")
	h.fake.AddChannel(salesDigestCh, "sales")

	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "Used ChatGPT to draft 40 cold emails in 30 minutes instead of 3 hours"))
	anaPost := h.winPosts(1)[0]
	h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", "Claude summarised 12 customer calls, saved 2h"))
	h.winPosts(2)
	eventually(t, func() bool {
		ws := h.wins()
		return len(ws) == 2 && ws[0].PostTS != "" && ws[1].PostTS != ""
	}, "posts recorded")
	h.ack(h.fake.SendReaction(true, chloe, "fire", winsCh, anaPost.TS, "UBOT0FLYWHL"))
	h.ack(h.fake.SendReaction(true, dev, "clap", winsCh, anaPost.TS, "UBOT0FLYWHL"))
	h.ask(lena, "how do I get access to Copilot?")

	next := *cfg
	next.Digest.Schedule = "@every 1s"
	h.bot.SetConfig(&next)

	posts, err := h.fake.WaitBotMessages(digestCh, 1, wait)
	require.NoError(t, err, "the company digest is posted")
	d := posts[0].Text + "\n" + string(posts[0].Blocks)
	for _, want := range []string{
		"*Wins*: 2",
		"*Hours saved*: 4h 30m",
		"*Peer-confirmed*: 2h 30m",
		"*People sharing wins*: 2",
		"*New contributors*: 2",
		"*Questions asked*: 1",
		"*Legal* (not enrolled yet): 1 person, 1 question about Copilot",
		"<@" + ana + ">",
	} {
		assert.Contains(t, d, want)
	}
	assert.Less(t, strings.Index(d, "Teams asking for access"), strings.Index(d, "*Wins*"), "the strongest signal comes first")

	team, err := h.fake.WaitBotMessages(salesDigestCh, 1, wait)
	require.NoError(t, err, "the Sales channel gets its slice")
	assert.Contains(t, team[0].Text, "*Wins*: 1")
	assert.NotContains(t, team[0].Text, "<@"+ben+">", "Ops' wins stay out of the Sales slice")
}

func TestDigestPreviewIsForAdmins(t *testing.T) {
	h := start(t)
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "ChatGPT wrote the whole RFP: saved 3 days"))
	h.winPosts(1)
	a := h.ack(h.fake.SendSlashCommand(ben, salesCh, "/flywheel", "digest preview"))
	assert.Contains(t, string(a.Payload), "only Flywheel admins")
	a = h.ack(h.fake.SendSlashCommand(ana, salesCh, "/flywheel", "digest preview"))
	assert.Contains(t, string(a.Payload), "Flywheel weekly digest")
	assert.Contains(t, string(a.Payload), "blocks")
	assert.Contains(t, string(a.Payload), "cap", "admins see the win counted at the cap (3 days > 480 min)")
}
