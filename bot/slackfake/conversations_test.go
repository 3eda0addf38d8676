package slackfake

import (
	"sort"
	"testing"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConversationsInfo: is_private, is_im and is_member as Slack's
// conversation object has them; a private channel the bot is not in is
// invisible to it.
func TestConversationsInfo(t *testing.T) {
	f := newFake(t)
	api := newAPI(f)
	f.AddPrivateChannel("CPRIV0001", "board")
	f.AddChannel("CPUBOUT01", "elsewhere")
	f.RemoveBot("CPUBOUT01")
	f.AddPrivateChannel("CPRIVOUT1", "secret")
	f.RemoveBot("CPRIVOUT1")

	c, err := api.GetConversationInfo(&slack.GetConversationInfoInput{ChannelID: winsCh})
	require.NoError(t, err)
	assert.False(t, c.IsPrivate)
	assert.True(t, c.IsMember)
	assert.True(t, c.IsChannel)
	c, err = api.GetConversationInfo(&slack.GetConversationInfoInput{ChannelID: "CPRIV0001"})
	require.NoError(t, err)
	assert.True(t, c.IsPrivate, "today's private channels have C… IDs: only is_private tells")
	c, err = api.GetConversationInfo(&slack.GetConversationInfoInput{ChannelID: "CPUBOUT01"})
	require.NoError(t, err)
	assert.False(t, c.IsMember)
	_, err = api.GetConversationInfo(&slack.GetConversationInfoInput{ChannelID: "CPRIVOUT1"})
	assert.EqualError(t, err, "channel_not_found")
	_, err = api.GetConversationInfo(&slack.GetConversationInfoInput{ChannelID: "CNOSUCH01"})
	assert.EqualError(t, err, "channel_not_found")
}

// TestUsersConversations: the bot's own channels, by type, a page at a
// time, without is_member.
func TestUsersConversations(t *testing.T) {
	f := newFake(t)
	api := newAPI(f)
	f.AddPrivateChannel("CPRIV0001", "board")
	for _, id := range []string{"CX0000001", "CX0000002", "CX0000003"} {
		f.AddChannel(id, id)
	}
	f.RemoveBot("CX0000002")

	var got []string
	params := &slack.GetConversationsForUserParameters{Types: []string{"public_channel", "private_channel"}, Limit: 2}
	for pages := 0; ; pages++ {
		require.Less(t, pages, 20)
		cs, next, err := api.GetConversationsForUser(params)
		require.NoError(t, err)
		assert.LessOrEqual(t, len(cs), 2)
		for _, c := range cs {
			got = append(got, c.ID)
		}
		if next == "" {
			break
		}
		params.Cursor = next
	}
	sort.Strings(got)
	assert.Contains(t, got, "CPRIV0001")
	assert.Contains(t, got, "CX0000001")
	assert.NotContains(t, got, "CX0000002", "removed: not listed")

	cs, _, err := api.GetConversationsForUser(&slack.GetConversationsForUserParameters{})
	require.NoError(t, err)
	for _, c := range cs {
		assert.NotEqual(t, "CPRIV0001", c.ID, "public_channel is the default type")
	}
	_, _, err = api.GetConversationsForUser(&slack.GetConversationsForUserParameters{Limit: 1000})
	assert.EqualError(t, err, "invalid_limit")
}
