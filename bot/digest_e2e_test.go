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

	// The chart: uploaded through the external upload flow, shared in no
	// channel, shown by an image block whose slack_file the fake checked
	// (uploaded by the app, completed, a PNG), with alt text that states
	// the numbers; sparklines in the text.
	chart := imageBlock(t, posts[0].Blocks)
	data, name, ok := h.fake.UploadedFile(chart.SlackFile.ID)
	require.True(t, ok, "the image block names an uploaded file")
	assert.Equal(t, "flywheel-trend.png", name)
	assert.True(t, bytes.HasPrefix(data, []byte("\x89PNG")), "a PNG")
	assert.True(t, h.fake.FileCompleted(chart.SlackFile.ID))
	assert.Contains(t, chart.AltText, "Wins per week: 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2.")
	assert.Contains(t, chart.AltText, "Hours saved per week:")
	assert.Contains(t, chart.AltText, "4h 30m.")
	assert.Contains(t, posts[0].Text, "*The last 12 weeks*")
	assert.Contains(t, posts[0].Text, "Wins `▁▁▁▁▁▁▁▁▁▁▁█`")
	for _, c := range h.fake.Calls("files.completeUploadExternal") {
		assert.Empty(t, c.Params["channel_id"], "the chart is shared in no channel")
		assert.Empty(t, c.Params["channels"])
	}

	team, err := h.fake.WaitBotMessages(salesDigestCh, 1, wait)
	require.NoError(t, err, "the Sales channel gets its slice")
	assert.Contains(t, team[0].Text, "*Wins*: 1")
	assert.NotContains(t, team[0].Text, "<@"+ben+">", "Ops' wins stay out of the Sales slice")
	teamChart := imageBlock(t, team[0].Blocks)
	assert.NotEqual(t, chart.SlackFile.ID, teamChart.SlackFile.ID, "the team's own chart")
	assert.Contains(t, teamChart.AltText, "Wins per week: 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1.")
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
	assert.Contains(t, string(a.Payload), "blocks")
	assert.Contains(t, string(a.Payload), "cap", "admins see the win counted at the cap (3 days > 480 min)")
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
