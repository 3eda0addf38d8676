package slackfake

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRateLimited(t *testing.T) {
	f := newFake(t)
	api := newAPI(f)
	f.Fail("chat.postMessage", 1, http.StatusTooManyRequests, 7)

	_, _, err := api.PostMessage(winsCh, slack.MsgOptionText("hi", false))
	var rl *slack.RateLimitedError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, 7*time.Second, rl.RetryAfter)

	_, ts, err := api.PostMessage(winsCh, slack.MsgOptionText("hi", false))
	require.NoError(t, err)
	calls := f.Calls("chat.postMessage")
	require.Len(t, calls, 2)
	assert.Equal(t, http.StatusTooManyRequests, calls[0].Status)
	assert.Equal(t, http.StatusOK, calls[1].Status)
	assert.Equal(t, "hi", calls[1].Params["text"])
	assert.NotContains(t, calls[1].Params, "token", "tokens are never recorded")
	assert.Len(t, f.BotMessages(winsCh), 1)
	assert.Equal(t, ts, f.BotMessages(winsCh)[0].TS)
}

func TestFailModes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		check  func(t *testing.T, err error)
	}{
		{"ServerError", 500, func(t *testing.T, err error) {
			var sc slack.StatusCodeError
			require.ErrorAs(t, err, &sc)
			assert.Equal(t, 500, sc.Code)
		}},
		{"MalformedJSON", -1, func(t *testing.T, err error) {
			var se *json.SyntaxError
			assert.ErrorAs(t, err, &se)
		}},
		{"Hang", NoAnswer, func(t *testing.T, err error) {
			assert.Error(t, err)
		}},
		{"Refused", Refused, func(t *testing.T, err error) {
			assert.Error(t, err)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			api := newAPI(f, slack.OptionHTTPClient(&http.Client{Timeout: 300 * time.Millisecond}))
			f.Fail("chat.postMessage", 1, tc.status, 0)
			_, _, err := api.PostMessage(winsCh, slack.MsgOptionText("hi", false))
			tc.check(t, err)
			_, _, err = api.PostMessage(winsCh, slack.MsgOptionText("hi", false))
			require.NoError(t, err, "only the next call fails")
			assert.Len(t, f.Calls("chat.postMessage"), 2)
			assert.Len(t, f.BotMessages(winsCh), 1)
		})
	}
}

// TestLostAnswer: the call takes effect, but its answer never comes.
func TestLostAnswer(t *testing.T) {
	f := newFake(t)
	api := newAPI(f, slack.OptionHTTPClient(&http.Client{Timeout: 300 * time.Millisecond}))
	f.Fail("chat.postMessage", 1, LostAnswer, 0)
	_, _, err := api.PostMessage(winsCh, slack.MsgOptionText("hi", false))
	require.Error(t, err, "the client times out")
	require.Len(t, f.BotMessages(winsCh), 1, "but the post was made")
	calls := f.Calls("chat.postMessage")
	require.Len(t, calls, 1)
	assert.True(t, calls[0].Lost)
	assert.Equal(t, http.StatusOK, calls[0].Status)
}

// TestDown: an outage fails every Web API call until it ends, and leaves
// open Socket Mode connections alone.
func TestDown(t *testing.T) {
	f := newFake(t)
	connect(t, f)
	require.NoError(t, f.WaitConnections(1, wait))
	api := newAPI(f, slack.OptionHTTPClient(&http.Client{Timeout: time.Second}))
	for _, status := range []int{http.StatusServiceUnavailable, Refused} {
		f.Down(status)
		_, _, err := api.PostMessage(winsCh, slack.MsgOptionText("hi", false))
		require.Error(t, err)
		_, err = api.AuthTest()
		require.Error(t, err)
		f.Up()
	}
	assert.Empty(t, f.BotMessages(winsCh))
	assert.Equal(t, 1, f.OpenConnections(), "the websocket stays up")
	_, _, err := api.PostMessage(winsCh, slack.MsgOptionText("hi", false))
	require.NoError(t, err)
}

// TestLimitPosts: past a channel's burst, chat.postMessage answers 429 with
// a Retry-After; other channels keep their own budget.
func TestLimitPosts(t *testing.T) {
	f := newFake(t)
	api := newAPI(f)
	f.LimitPosts(1, 2)
	post := func(ch string) error {
		_, _, err := api.PostMessage(ch, slack.MsgOptionText("hi", false))
		return err
	}
	require.NoError(t, post(winsCh))
	require.NoError(t, post(winsCh))
	var rl *slack.RateLimitedError
	require.ErrorAs(t, post(winsCh), &rl, "the burst is spent")
	assert.Equal(t, time.Second, rl.RetryAfter)
	require.NoError(t, post(salesCh), "another channel has its own budget")
	f.LimitPosts(0, 0)
	require.NoError(t, post(winsCh), "off again")
}

// TestMetadataOnlyWhenAsked: history and replies carry a message's metadata
// only with include_all_metadata, as Slack does.
func TestMetadataOnlyWhenAsked(t *testing.T) {
	f := newFake(t)
	api := newAPI(f)
	meta := slack.MsgOptionMetadata(slack.SlackMetadata{EventType: "flywheel_outbox", EventPayload: map[string]any{"outbox_id": 7}})
	_, parent, err := api.PostMessage(winsCh, slack.MsgOptionText("parent", false), meta)
	require.NoError(t, err)
	_, _, err = api.PostMessage(winsCh, slack.MsgOptionText("reply", false), slack.MsgOptionTS(parent), meta)
	require.NoError(t, err)
	for _, all := range []bool{false, true} {
		h, err := api.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: winsCh, IncludeAllMetadata: all})
		require.NoError(t, err)
		require.Len(t, h.Messages, 1)
		replies, _, _, err := api.GetConversationReplies(&slack.GetConversationRepliesParameters{ChannelID: winsCh, Timestamp: parent, IncludeAllMetadata: all})
		require.NoError(t, err)
		require.Len(t, replies, 2)
		for _, m := range append(h.Messages, replies...) {
			if all {
				assert.Equal(t, "flywheel_outbox", m.Metadata.EventType)
				assert.Equal(t, 7.0, m.Metadata.EventPayload["outbox_id"])
			} else {
				assert.Empty(t, m.Metadata.EventType, "metadata only when asked")
			}
		}
	}
}

func TestLatency(t *testing.T) {
	f := newFake(t, WithLatency(150*time.Millisecond))
	start := time.Now()
	_, err := newAPI(f).AuthTest()
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)
}

func TestAuth(t *testing.T) {
	f := newFake(t)
	res, err := newAPI(f).AuthTest()
	require.NoError(t, err)
	assert.Equal(t, BotUserID, res.UserID)
	assert.Equal(t, BotID, res.BotID)
	assert.Equal(t, TeamID, res.TeamID)
	assert.Equal(t, "https://flywheel-demo.slack.com/", res.URL)

	for _, tc := range []struct{ name, token, want string }{
		{"NotAuthed", "", "not_authed"},
		{"InvalidAuth", "bogus", "invalid_auth"},
		{"AppTokenForBotMethod", "xapp-1", "not_allowed_token_type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := slack.New(tc.token, slack.OptionAPIURL(f.APIURL())).PostMessage(winsCh, slack.MsgOptionText("x", false))
			assert.EqualError(t, err, tc.want)
		})
	}
	_, _, err = slack.New("xoxb-1", slack.OptionAppLevelToken("xoxb-1"), slack.OptionAPIURL(f.APIURL())).StartSocketModeContext(t.Context())
	assert.EqualError(t, err, "not_allowed_token_type")
	assert.Empty(t, f.BotMessages(winsCh))
}

func TestUnknownMethodAndBadInput(t *testing.T) {
	f := newFake(t)
	api := newAPI(f)
	var res slack.SlackResponse
	resp, err := http.Post(f.APIURL()+"nope.method", "application/x-www-form-urlencoded", strings.NewReader("token=xoxb-1"))
	require.NoError(t, err)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&res))
	_ = resp.Body.Close()
	assert.Equal(t, "unknown_method", res.Error)

	_, _, err = api.PostMessage("C0NOPE", slack.MsgOptionText("x", false))
	assert.EqualError(t, err, "channel_not_found")
	_, _, err = api.PostMessage(winsCh)
	assert.EqualError(t, err, "no_text")
	_, err = api.GetPermalink(&slack.PermalinkParameters{Channel: winsCh, Ts: "1.000001"})
	assert.EqualError(t, err, "message_not_found")
	_, _, _, err = api.UpdateMessage(winsCh, "1.000001", slack.MsgOptionText("x", false))
	assert.EqualError(t, err, "message_not_found")
	_, err = api.GetUserInfo("U0NOBODY")
	assert.EqualError(t, err, "user_not_found")
	assert.Equal(t, "channel_not_found", f.Calls("chat.postMessage")[0].Error)
}

func TestPostMessageThenMessages(t *testing.T) {
	f := newFake(t)
	acts := record(f)
	api := newAPI(f)
	parent, _ := f.PostAsUser(winsCh, ana, "I saved an hour", "")
	blocks := slack.MsgOptionBlocks(slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "*Nice*", false, false), nil, nil))
	ch, ts, err := api.PostMessage(winsCh, slack.MsgOptionText("Nice", false), blocks,
		slack.MsgOptionTS(parent), slack.MsgOptionDisableLinkUnfurl())
	require.NoError(t, err)
	assert.Equal(t, winsCh, ch)

	msgs := f.Messages(winsCh)
	require.Len(t, msgs, 2)
	assert.Equal(t, ana, msgs[0].User)
	bot := msgs[1]
	assert.Equal(t, ts, bot.TS)
	assert.Equal(t, parent, bot.ThreadTS)
	assert.Equal(t, BotUserID, bot.User)
	assert.Equal(t, BotID, bot.BotID)
	assert.Equal(t, "Nice", bot.Text)
	assert.Contains(t, string(bot.Blocks), `"*Nice*"`)
	require.NotNil(t, bot.UnfurlLinks)
	assert.False(t, *bot.UnfurlLinks)
	assert.Equal(t, []Message{bot}, f.BotMessages(winsCh))
	assert.Equal(t, []string{"post"}, acts.kinds())
	assert.Equal(t, parent, acts.last().ThreadTS)

	got, err := f.WaitBotMessages(winsCh, 1, wait)
	require.NoError(t, err)
	assert.Len(t, got, 1)
	_, err = f.WaitBotMessages(winsCh, 2, 20*time.Millisecond)
	assert.Error(t, err)

	link, err := api.GetPermalink(&slack.PermalinkParameters{Channel: winsCh, Ts: parent})
	require.NoError(t, err)
	assert.Equal(t, "https://flywheel-demo.slack.com/archives/"+winsCh+"/p"+strings.Replace(parent, ".", "", 1), link)
	link, err = api.GetPermalink(&slack.PermalinkParameters{Channel: winsCh, Ts: ts})
	require.NoError(t, err)
	assert.True(t, strings.HasSuffix(link, "?thread_ts="+parent+"&cid="+winsCh), link)

	_, _, _, err = api.UpdateMessage(winsCh, ts, slack.MsgOptionText("Nicer", false))
	require.NoError(t, err)
	assert.Equal(t, "Nicer", f.BotMessages(winsCh)[0].Text)
	assert.Equal(t, "update", acts.last().Kind)
	_, _, _, err = api.UpdateMessage(winsCh, parent, slack.MsgOptionText("hijack", false))
	assert.EqualError(t, err, "cant_update_message")

	require.NoError(t, api.AddReaction("white_check_mark", slack.NewRefToMessage(winsCh, parent)))
	assert.EqualError(t, api.AddReaction("white_check_mark", slack.NewRefToMessage(winsCh, parent)), "already_reacted")
	assert.Equal(t, []Reaction{{Name: "white_check_mark", Users: []string{BotUserID}}}, f.Messages(winsCh)[0].Reactions)
}

func TestDMsAndEphemerals(t *testing.T) {
	f := newFake(t)
	acts := record(f)
	api := newAPI(f)
	ch, noOp, already, err := api.OpenConversation(&slack.OpenConversationParameters{Users: []string{ana}})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(ch.ID, "D"), ch.ID)
	assert.False(t, noOp || already)
	_, noOp, already, err = api.OpenConversation(&slack.OpenConversationParameters{Users: []string{ana}, ReturnIM: true})
	require.NoError(t, err)
	assert.True(t, noOp && already)

	// Posting to a user ID posts into the DM, as Slack does.
	dm, _, err := api.PostMessage(ana, slack.MsgOptionText("psst", false))
	require.NoError(t, err)
	assert.Equal(t, ch.ID, dm)
	assert.Equal(t, "psst", f.BotMessages(ch.ID)[0].Text)
	assert.Equal(t, "directmessage", f.ChannelName(ch.ID))

	ts, err := api.PostEphemeral(winsCh, ben, slack.MsgOptionText("only you", false))
	require.NoError(t, err)
	eph := f.Ephemerals(ben)
	require.Len(t, eph, 1)
	assert.Equal(t, ts, eph[0].TS)
	assert.True(t, eph[0].Ephemeral)
	assert.Empty(t, f.Ephemerals(ana))
	assert.Empty(t, f.Messages(winsCh), "ephemerals are not in history")
	assert.Equal(t, []string{"post", "ephemeral"}, acts.kinds())
	assert.Equal(t, ana, acts.all[0].User, "a DM post concerns its recipient")
	assert.Equal(t, ben, acts.all[1].User)
}

func TestClockAndBotMessageEvents(t *testing.T) {
	at := time.Unix(1732526400, 0)
	f := newFake(t, WithClock(func() time.Time { return at }), WithBotMessageEvents())
	c := ready(t, f)
	ts1, _ := f.PostAsUser(winsCh, ana, "first", "")
	c.next(t, socketmode.EventTypeEventsAPI)
	_, ts2, err := c.api.PostMessage(winsCh, slack.MsgOptionText("from the bot", false))
	require.NoError(t, err)
	assert.Equal(t, "1732526400.000000", ts1)
	assert.Equal(t, "1732526400.000001", ts2, "a stopped clock still gives increasing ts")

	ev := c.next(t, socketmode.EventTypeEventsAPI)
	m := ev.Data.(slackevents.EventsAPIEvent).InnerEvent.Data.(*slackevents.MessageEvent)
	assert.Equal(t, BotID, m.BotID, "the bot hears its own post and must ignore it")
	assert.Equal(t, ts2, m.TimeStamp)
}

func TestHistoryAndReplies(t *testing.T) {
	f := newFake(t)
	api := newAPI(f)
	m1, _ := f.PostAsUser(winsCh, ana, "one", "")
	m2, _ := f.PostAsUser(winsCh, ben, "two", "")
	r1, _ := f.PostAsUser(winsCh, ana, "reply one", m2)
	r2, _ := f.PostAsUser(winsCh, ben, "reply two", r1) // a reply's ts threads under the parent
	m3, _ := f.PostAsUser(winsCh, ana, "three", "")

	h, err := api.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: winsCh})
	require.NoError(t, err)
	require.Len(t, h.Messages, 3, "replies stay in their thread")
	assert.Equal(t, []string{m3, m2, m1}, tss(h.Messages), "newest first")
	assert.False(t, h.HasMore)
	assert.Equal(t, 2, h.Messages[1].ReplyCount)
	assert.Equal(t, m2, h.Messages[1].ThreadTimestamp)
	assert.Equal(t, r2, h.Messages[1].LatestReply)

	page1, err := api.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: winsCh, Limit: 2})
	require.NoError(t, err)
	assert.Equal(t, []string{m3, m2}, tss(page1.Messages))
	require.True(t, page1.HasMore)
	page2, err := api.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: winsCh, Limit: 2, Cursor: page1.ResponseMetaData.NextCursor})
	require.NoError(t, err)
	assert.Equal(t, []string{m1}, tss(page2.Messages))
	assert.False(t, page2.HasMore)

	for _, tc := range []struct {
		name           string
		oldest, latest string
		inclusive      bool
		want           []string
	}{
		{"Exclusive", m1, m3, false, []string{m2}},
		{"Inclusive", m1, m3, true, []string{m3, m2, m1}},
		{"OldestOnly", m2, "", false, []string{m3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := api.GetConversationHistory(&slack.GetConversationHistoryParameters{
				ChannelID: winsCh, Oldest: tc.oldest, Latest: tc.latest, Inclusive: tc.inclusive})
			require.NoError(t, err)
			assert.Equal(t, tc.want, tss(h.Messages))
		})
	}

	for _, ts := range []string{m2, r1} {
		msgs, hasMore, _, err := api.GetConversationReplies(&slack.GetConversationRepliesParameters{ChannelID: winsCh, Timestamp: ts})
		require.NoError(t, err)
		assert.False(t, hasMore)
		assert.Equal(t, []string{m2, r1, r2}, tss(msgs), "parent first, then replies")
		assert.Equal(t, m2, msgs[1].ThreadTimestamp)
	}
	_, _, _, err = api.GetConversationReplies(&slack.GetConversationRepliesParameters{ChannelID: winsCh, Timestamp: "1.000001"})
	assert.EqualError(t, err, "thread_not_found")
	_, err = api.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: "C0NOPE"})
	assert.EqualError(t, err, "channel_not_found")
}

func tss(msgs []slack.Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Timestamp)
	}
	return out
}

func TestUsersAndGroups(t *testing.T) {
	f := newFake(t)
	api := newAPI(f)
	u, err := api.GetUserInfo(ana)
	require.NoError(t, err)
	assert.Equal(t, "ana", u.Name)
	assert.Equal(t, "ana", u.Profile.DisplayName)
	assert.Equal(t, TeamID, u.TeamID)
	assert.False(t, u.IsBot)
	b, err := api.GetUserInfo(BotUserID)
	require.NoError(t, err)
	assert.True(t, b.IsBot)
	assert.Equal(t, "ana", f.UserName(ana))
	assert.Equal(t, "U0NOBODY", f.UserName("U0NOBODY"))

	f.AddUsergroup("S0SALES", ana, ben)
	members, err := api.GetUserGroupMembers("S0SALES")
	require.NoError(t, err)
	assert.Equal(t, []string{ana, ben}, members)
	_, err = api.GetUserGroupMembers("S0NOPE")
	assert.EqualError(t, err, "no_such_subteam")
}

func TestViewsUpdateAndPublish(t *testing.T) {
	f := newFake(t)
	acts := record(f)
	c := ready(t, f)
	f.SendSlashCommand(ana, winsCh, "/win", "")
	cmd := c.next(t, socketmode.EventTypeSlashCommand).Data.(slack.SlashCommand)
	title := slack.NewTextBlockObject("plain_text", "Log a win", false, false)
	v, err := c.api.OpenView(cmd.TriggerID, slack.ModalViewRequest{Type: slack.VTModal, CallbackID: "win", Title: title, ExternalID: "ext-1", Blocks: someBlocks()})
	require.NoError(t, err)
	assert.Equal(t, "win", v.CallbackID)
	assert.Equal(t, AppID, v.AppID)
	assert.NotEmpty(t, v.Hash)

	upd, err := c.api.UpdateView(slack.ModalViewRequest{Type: slack.VTModal, CallbackID: "win2", Title: title, Blocks: someBlocks()}, "", v.Hash, v.ID)
	require.NoError(t, err)
	assert.Equal(t, v.ID, upd.ID)
	assert.Equal(t, "win2", upd.CallbackID)
	_, err = c.api.UpdateView(slack.ModalViewRequest{Type: slack.VTModal, Title: title, Blocks: someBlocks()}, "", v.Hash, v.ID)
	assert.EqualError(t, err, "hash_conflict")
	_, err = c.api.UpdateView(slack.ModalViewRequest{Type: slack.VTModal, Title: title, Blocks: someBlocks()}, "", "", "V0NOPE")
	assert.EqualError(t, err, "not_found")

	home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{
		slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "Your wins", false, false), nil, nil)}}}
	_, err = c.api.PublishView(ana, home, "")
	require.NoError(t, err)
	pub := f.PublishedViews(ana)
	require.Len(t, pub, 1)
	assert.Contains(t, string(pub[0]), "Your wins")
	assert.Equal(t, []string{"view", "view", "view"}, acts.kinds())
}

func TestResponseURLAndUpload(t *testing.T) {
	f := newFake(t)
	c := ready(t, f)
	f.SendSlashCommand(ana, winsCh, "/win", "")
	cmd := c.next(t, socketmode.EventTypeSlashCommand).Data.(slack.SlashCommand)
	_, _, err := c.api.PostMessage(winsCh, slack.MsgOptionResponseURL(cmd.ResponseURL, slack.ResponseTypeEphemeral),
		slack.MsgOptionText("later, privately", false))
	require.NoError(t, err)
	require.Len(t, f.Ephemerals(ana), 1)
	assert.Equal(t, "later, privately", f.Ephemerals(ana)[0].Text)
	_, _, err = c.api.PostMessage(winsCh, slack.MsgOptionResponseURL(cmd.ResponseURL, slack.ResponseTypeInChannel),
		slack.MsgOptionText("for everyone", false))
	require.NoError(t, err)
	assert.Equal(t, "for everyone", f.BotMessages(winsCh)[0].Text)

	file, err := c.api.UploadFileContext(t.Context(), slack.UploadFileParameters{
		Filename: "digest.txt", FileSize: 5, Content: "hello", Channel: salesCh, InitialComment: "Weekly digest"})
	require.NoError(t, err)
	msgs := f.BotMessages(salesCh)
	require.Len(t, msgs, 1)
	assert.Equal(t, "Weekly digest", msgs[0].Text)
	assert.Equal(t, []string{file.ID}, msgs[0].FileIDs)
}

func TestCallsRecordJSONBodies(t *testing.T) {
	f := newFake(t)
	api := newAPI(f)
	_, err := api.PublishView(ana, slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: someBlocks()}, "")
	require.NoError(t, err)
	calls := f.Calls("views.publish")
	require.Len(t, calls, 1)
	assert.Equal(t, ana, calls[0].JSON["user_id"])
	assert.Equal(t, ana, calls[0].Params["user_id"])
}

// TestNotInChannel: in a channel the bot was never invited to (or was
// removed from), Slack sends the app no events and refuses its posts and
// history reads with not_in_channel; DMs are unaffected.
func TestNotInChannel(t *testing.T) {
	f := newFake(t)
	api := newAPI(f)
	ts, _ := f.PostAsUser(winsCh, ana, "before", "")
	f.RemoveBot(winsCh)

	_, env := f.PostAsUser(winsCh, ana, "after", "")
	assert.Empty(t, env, "no message event")
	assert.Empty(t, f.EditAsUser(winsCh, ts, "edited"), "no message_changed event")
	assert.Empty(t, f.SendReaction(true, ana, "fire", winsCh, ts, ""), "no reaction event")
	assert.Len(t, f.Messages(winsCh), 2, "the people's messages are there all the same")

	_, _, err := api.PostMessage(winsCh, slack.MsgOptionText("hi", false))
	assert.EqualError(t, err, "not_in_channel")
	_, err = api.PostEphemeral(winsCh, ana, slack.MsgOptionText("hi", false))
	assert.EqualError(t, err, "not_in_channel")
	_, err = api.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: winsCh})
	assert.EqualError(t, err, "not_in_channel")
	_, _, _, err = api.GetConversationReplies(&slack.GetConversationRepliesParameters{ChannelID: winsCh, Timestamp: ts})
	assert.EqualError(t, err, "not_in_channel")
	_, _, err = api.PostMessage(ana, slack.MsgOptionText("a DM still works", false))
	assert.NoError(t, err)
}
