package bot_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot/slackfake"
	"flywheel/config"
)

// TestStartupChannelCheck: at start the bot asks Slack which channels it
// is in (users.conversations) and tells the admins, by DM and in the log,
// which configured channels it is missing from: a channel it was removed
// from, and a digest channel nobody invited it to.
func TestStartupChannelCheck(t *testing.T) {
	const digestCh = "CDIGEST01"
	h := startSetup(t, setup{
		mutate: func(c *config.Config) { c.Digest.Channels = []string{digestCh} },
		before: func(f *slackfake.Server) {
			f.AddChannel(digestCh, "ai-digest")
			f.RemoveBot(digestCh)
			f.RemoveBot(champsCh)
		},
	})
	dm := h.dmContaining(ana, "I'm not in 2 channels")
	assert.Contains(t, dm, "<#"+champsCh+"> (`champions_channel`)")
	assert.Contains(t, dm, "<#"+digestCh+"> (`digest.channels`)")
	assert.NotContains(t, dm, winsCh, "it is in the wins channel")
	assert.Contains(t, dm, "/invite @Flywheel")
	eventually(t, func() bool { return strings.Contains(h.logs.String(), "champions_channel="+champsCh) }, "logged")
	calls := h.fake.Calls("users.conversations")
	require.NotEmpty(t, calls)
	assert.Equal(t, "public_channel,private_channel", calls[0].Params["types"])
	assert.Empty(t, calls[0].Params["user"], "the bot's own channels")
}

// TestStartupChannelCheckAllGood: in every channel, nobody is bothered.
func TestStartupChannelCheckAllGood(t *testing.T) {
	h := start(t)
	eventually(t, func() bool { return strings.Contains(h.logs.String(), "the bot is in every configured channel") }, "checked")
	for _, m := range h.fake.BotMessages(h.fake.DMChannel(ana)) {
		assert.NotContains(t, m.Text, "I'm not in")
	}
}
