package bot_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot"
	"flywheel/config"
	"flywheel/digest"
)

// TestWeeklyDigestEndToEnd drives a short week over Socket Mode, switches
// the schedule to @every 1s with a reload, and checks the digest posts
// against numbers worked out by hand:
//   - wins: ana 150 min ("30 minutes instead of 3 hours"), ben 120 min
//     ("saved 2h") → 2 wins, 4h 30m saved (the sentence rounds: 5 hours);
//   - cheered by colleagues: only ana's win was cheered (chloe, dev) → 2h 30m;
//   - 2 people shared wins, both for the first time → "all of them new";
//   - lena (Legal, not enrolled) asked how to get Copilot → 1 question,
//     answered by the registry, and Legal shows up as asking for access,
//     named only in the lead digest (ana, the admin, gets it by DM).
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
	require.NoError(t, err, "the public digest is posted")
	public := posts[0]
	assert.Equal(t, "2 wins saved 5 hours this week (+2), from 2 people, all of them new.", public.Text,
		"the notification and screen-reader line is the week in one sentence")
	body := blocksText(t, public.Blocks)
	for _, want := range []string{"*Wins*\n2  (+2)", "*Hours saved*\n4h 30m", "*Cheered by colleagues*\n2h 30m", "<@" + ana + ">"} {
		assert.Contains(t, body, want)
	}
	assert.NotContains(t, body, "Teams asking for access")
	assert.NotContains(t, body, lena, "the public digest never names people asking for access")
	assertPingsOnly(t, h.fake, public, ana, ben, chloe, dev)
	assert.NotContains(t, body, "0 cheers", "a win nobody cheered isn't a top win")

	lead := h.dmContaining(ana, "Lead digest")
	leadMsg := h.fake.BotMessages(h.fake.DMChannel(ana))
	var leadBody string
	for _, m := range leadMsg {
		if m.Text == lead {
			leadBody = blocksText(t, m.Blocks)
		}
	}
	for _, want := range []string{
		"*Legal* (not enrolled yet): 1 person, 1 question about Copilot: <@" + lena + ">",
		"*People sharing wins*\n2", "*New contributors*\n2", "*Questions asked*\n1",
		"Wins by tool", "*ChatGPT*: 1 win, 2h 30m", "*Sales*: 1 win, 2h 30m",
	} {
		assert.Contains(t, leadBody, want)
	}
	assert.Less(t, strings.Index(leadBody, "Teams asking for access"), strings.Index(leadBody, "*Wins*"), "the strongest signal comes first")

	// The chart: uploaded through the external upload flow, shared in no
	// channel, shown in the public digest by an image block whose
	// slack_file the fake checked (uploaded by the app, completed, a PNG),
	// with alt text that states the numbers; a sparkline by each figure.
	chart := imageBlock(t, public.Blocks)
	data, name, ok := h.fake.UploadedFile(chart.SlackFile.ID)
	require.True(t, ok, "the image block names an uploaded file")
	assert.Equal(t, "flywheel-trend.png", name)
	assert.True(t, bytes.HasPrefix(data, []byte("\x89PNG")), "a PNG")
	assert.True(t, h.fake.FileCompleted(chart.SlackFile.ID))
	assert.Contains(t, chart.AltText, "Wins per week: 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2.")
	assert.Contains(t, chart.AltText, "Hours saved per week:")
	assert.Contains(t, chart.AltText, "4h 30m.")
	assert.Contains(t, body, "*Wins*\n2  (+2)  `▁▁▁▁▁▁▁▁▁▁▁█`")
	assert.Contains(t, leadBody, "*The last 12 weeks*", "the lead digest has the trend's sparklines and claims")
	assert.NotContains(t, leadBody, "(chart", "the chart goes with the public digest")
	for _, c := range h.fake.Calls("files.completeUploadExternal") {
		assert.Empty(t, c.Params["channel_id"], "the chart is shared in no channel")
		assert.Empty(t, c.Params["channels"])
	}

	team, err := h.fake.WaitBotMessages(salesDigestCh, 1, wait)
	require.NoError(t, err, "the Sales channel gets its slice")
	assert.True(t, strings.HasPrefix(team[0].Text, "Sales: 1 win saved 3 hours this week"), team[0].Text)
	assert.NotContains(t, blocksText(t, team[0].Blocks), "<@"+ben+">", "Ops' wins stay out of the Sales slice")
	teamChart := imageBlock(t, team[0].Blocks)
	assert.NotEqual(t, chart.SlackFile.ID, teamChart.SlackFile.ID, "the team's own chart")
	assert.Contains(t, teamChart.AltText, "Wins per week: 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1.")
}

// TestLeadDigestChannel: with digest.lead_channel set, the lead digest
// goes there and to nobody's DM.
func TestLeadDigestChannel(t *testing.T) {
	const digestCh, leadCh = "CDIGEST01", "GLEADS001"
	h := startWith(t, func(c *config.Config) {
		c.Digest.Channels = []string{digestCh}
		c.Digest.LeadChannel = leadCh
		c.Digest.Schedule = "@every 1s"
	}, bot.Options{})
	h.fake.AddChannel(digestCh, "ai-digest")
	h.fake.AddChannel(leadCh, "ai-leads")
	h.ask(lena, "how do I get access to Copilot?")
	leads, err := h.fake.WaitBotMessages(leadCh, 1, wait)
	require.NoError(t, err, "the lead channel gets the lead digest")
	assert.Contains(t, blocksText(t, leads[0].Blocks), "<@"+lena+">")
	_, err = h.fake.WaitBotMessages(digestCh, 1, wait)
	require.NoError(t, err)
	for _, m := range h.fake.BotMessages(h.fake.DMChannel(ana)) {
		assert.NotContains(t, m.Text, "Lead digest", "no DM when a lead channel is set")
	}
}

// imageBlock is the one image block in a message's blocks.
func imageBlock(t *testing.T, raw []byte) *slack.ImageBlock {
	t.Helper()
	var blocks slack.Blocks
	require.NoError(t, json.Unmarshal(raw, &blocks))
	var found *slack.ImageBlock
	for _, b := range blocks.BlockSet {
		if img, ok := b.(*slack.ImageBlock); ok {
			require.Nil(t, found, "one chart")
			found = img
		}
	}
	require.NotNil(t, found, "the digest shows a chart")
	require.NotNil(t, found.SlackFile)
	return found
}

// TestDigestChartUploadIsRetried: garbage from files.getUploadURLExternal
// is retried like any failed call; the digest goes out with its chart,
// uploaded once.
func TestDigestChartUploadIsRetried(t *testing.T) {
	const digestCh = "CDIGEST01"
	var cfg *config.Config
	h := startWith(t, func(c *config.Config) { c.Digest.Channels = []string{digestCh}; cfg = c }, bot.Options{})
	h.fake.AddChannel(digestCh, "ai-digest")
	h.fake.Fail("files.getUploadURLExternal", 5, -1, 0) // garbage: retried
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "Claude summarised 12 customer calls, saved 2h"))
	h.winPosts(1)
	next := *cfg
	next.Digest.Schedule = "@every 1s"
	h.bot.SetConfig(&next)
	posts, err := h.fake.WaitBotMessages(digestCh, 1, 3*wait)
	require.NoError(t, err, "the digest is posted once the upload works again")
	assert.NotContains(t, string(posts[0].Blocks), digest.ChartFilePlaceholder)
	img := imageBlock(t, posts[0].Blocks)
	_, _, ok := h.fake.UploadedFile(img.SlackFile.ID)
	assert.True(t, ok)
	assert.Len(t, h.fake.Calls("files.completeUploadExternal"), 1, "uploaded once")
}

func TestDigestPreviewIsForAdmins(t *testing.T) {
	h := start(t)
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "ChatGPT wrote the whole RFP: saved 3 days"))
	h.winPosts(1)
	a := h.ack(h.fake.SendSlashCommand(ben, salesCh, "/flywheel", "digest preview"))
	assert.Contains(t, string(a.Payload), "only Flywheel admins")
	a = h.ack(h.fake.SendSlashCommand(ana, salesCh, "/flywheel", "digest preview"))
	assert.Contains(t, string(a.Payload), "Flywheel weekly digest")
	assert.Contains(t, string(a.Payload), "Flywheel lead digest", "the preview shows both digests")
	assert.Contains(t, string(a.Payload), "blocks")
	assert.Contains(t, string(a.Payload), "counted 8h", "admins see the win counted at the cap (3 days > 480 min)")
}

// TestAdminsHomeShowsTheProgramme: after a digest, an admin's Home tab
// shows the programme: the digest's chart (the uploaded file, which the
// fake checks), the weeks in sparklines, the stage drift, teams asking for
// access and rollout readiness. Everyone else keeps their own Home.
func TestAdminsHomeShowsTheProgramme(t *testing.T) {
	const digestCh = "CDIGEST01"
	var cfg *config.Config
	h := startWith(t, func(c *config.Config) { c.Digest.Channels = []string{digestCh}; cfg = c }, bot.Options{})
	h.fake.AddChannel(digestCh, "ai-digest")
	h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", "Claude summarised 12 customer calls, saved 2h"))
	h.winPosts(1)
	h.ask(lena, "how do I get access to Copilot?")
	next := *cfg
	next.Digest.Schedule = "@every 1s"
	h.bot.SetConfig(&next)
	_, err := h.fake.WaitBotMessages(digestCh, 1, wait)
	require.NoError(t, err)
	h.bot.SetConfig(cfg) // back to the weekly schedule: no more firings
	eventually(t, func() bool { n, err := h.st.OutboxLen(); return err == nil && n == 0 }, "digest delivered")

	text := homeJSON(h, ana) // ana is the admin
	assert.Contains(t, text, "Programme (admins)")
	var charts []string // a firing may have slipped in before the schedule changed back
	for _, p := range h.fake.BotMessages(digestCh) {
		charts = append(charts, `"slack_file":{"id":"`+imageBlock(t, p.Blocks).SlackFile.ID+`"}`)
	}
	assert.True(t, slices.ContainsFunc(charts, func(c string) bool { return strings.Contains(text, c) }), "a digest's chart")
	assert.Contains(t, text, "The last 12 weeks")
	assert.Contains(t, text, "Stage drift")
	assert.Contains(t, text, "*Legal* (1 person, 1 question)")
	assert.Contains(t, text, "Rollout stage: Crawl")
	assert.Contains(t, text, "Ready for *Walk*")

	other := homeJSON(h, ben)
	assert.NotContains(t, other, "Programme (admins)", "not for everyone")
	assert.NotContains(t, other, `"type":"image"`)
}

// homeJSON opens user's Home tab and returns the published view's JSON.
func homeJSON(h *harness, user string) string {
	h.t.Helper()
	h.ack(h.fake.OpenAppHome(user, "home"))
	eventually(h.t, func() bool { return len(h.fake.PublishedViews(user)) >= 1 }, "home tab published")
	pub := h.fake.PublishedViews(user)
	return string(pub[len(pub)-1])
}
