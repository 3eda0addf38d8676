package bot_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/store"
)

func TestWinCommandRecordsPostsAndConfirms(t *testing.T) {
	h := start(t)
	env := h.fake.SendSlashCommand(ana, salesCh, "/win", "Used ChatGPT to draft 40 cold emails in 30 minutes instead of 3 hours")

	// The author sees a private confirmation with the minutes understood.
	a := h.ack(env)
	var reply struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
	}
	require.NoError(t, json.Unmarshal(a.Payload, &reply))
	assert.Equal(t, "ephemeral", reply.ResponseType)
	assert.Contains(t, reply.Text, "2h 30m saved")
	assert.Contains(t, reply.Text, "ChatGPT")
	assert.Contains(t, reply.Text, "<#"+winsCh+">")

	// The wins channel sees the win, mentioning its author, without unfurls.
	post := h.winPosts(1)[0]
	assert.Contains(t, post.Text, "<@"+ana+">")
	assert.Contains(t, post.Text, "40 cold emails")
	assert.Contains(t, string(post.Blocks), "2h 30m")
	require.NotNil(t, post.UnfurlLinks)
	assert.False(t, *post.UnfurlLinks)

	// The store holds it once, with the post's ts for amplification.
	eventually(t, func() bool { return len(h.wins()) == 1 && h.wins()[0].PostTS != "" }, "post ts recorded")
	w := h.wins()[0]
	assert.Equal(t, ana, w.Author)
	assert.Equal(t, "Sales", w.Team)
	assert.Equal(t, 150, w.MinutesSaved)
	assert.Equal(t, []string{"ChatGPT"}, w.Tools)
	assert.Equal(t, store.SourceCommand, w.Source)
	assert.Equal(t, post.TS, w.PostTS)
}

func TestWinCommandWithoutMinutesAsksForThem(t *testing.T) {
	h := start(t)
	a := h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", "Claude helped me untangle a gnarly spreadsheet"))
	assert.Contains(t, string(a.Payload), "couldn't tell how much time it saved")
	h.winPosts(1)
	assert.Equal(t, 0, h.wins()[0].MinutesSaved)
}

func TestWinHelp(t *testing.T) {
	h := start(t)
	a := h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", "help"))
	assert.Contains(t, string(a.Payload), "`/win` on its own opens a form")
	assert.Empty(t, h.wins(), "help records nothing")
}

func TestWinModal(t *testing.T) {
	h := start(t)
	h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", ""))
	eventually(t, func() bool { return len(h.fake.OpenedViews()) == 1 }, "views.open called")
	v := h.fake.OpenedViews()[0]
	assert.NotEmpty(t, v.TriggerID)
	var view struct {
		Type       string `json:"type"`
		CallbackID string `json:"callback_id"`
		Blocks     []struct {
			BlockID string `json:"block_id"`
		} `json:"blocks"`
	}
	require.NoError(t, json.Unmarshal(v.View, &view))
	assert.Equal(t, "modal", view.Type)
	var ids []string
	for _, b := range view.Blocks {
		ids = append(ids, b.BlockID)
	}
	assert.Equal(t, []string{"what", "tool", "saved", "visibility"}, ids, "fields: what happened, tool, time saved, who sees it")

	t.Run("ErrEmpty", func(t *testing.T) {
		a := h.ack(h.fake.SendViewSubmission(ben, "win_modal", "{}", map[string]map[string]string{
			"what": {"what": ""}, "tool": {"tool": ""}, "saved": {"saved": ""}}))
		assert.Contains(t, string(a.Payload), `"response_action":"errors"`)
		assert.Contains(t, string(a.Payload), `"what"`)
	})
	t.Run("ErrBadTime", func(t *testing.T) {
		a := h.ack(h.fake.SendViewSubmission(ben, "win_modal", "{}", map[string]map[string]string{
			"what": {"what": "Summarised the board pack"}, "tool": {"tool": ""}, "saved": {"saved": "lots"}}))
		assert.Contains(t, string(a.Payload), `"saved"`)
		assert.Empty(t, h.wins())
	})
	t.Run("ErrToolTooLong", func(t *testing.T) {
		a := h.ack(h.fake.SendViewSubmission(ben, "win_modal", "{}", map[string]map[string]string{
			"what": {"what": "Summarised the board pack"}, "tool": {"tool": strings.Repeat("x", 76)}, "saved": {"saved": ""}}))
		assert.Contains(t, string(a.Payload), `"tool":"Please keep the tool's name under 75 characters."`)
		assert.Empty(t, h.wins())
	})
	t.Run("OK", func(t *testing.T) {
		a := h.ack(h.fake.SendViewSubmission(ben, "win_modal", "{}", map[string]map[string]string{
			"what": {"what": "Summarised 12 customer calls for the QBR"}, "tool": {"tool": "claude"}, "saved": {"saved": "2.5 hours"}}))
		assert.NotContains(t, string(a.Payload), "errors", "a valid submission closes the modal")
		post := h.winPosts(1)[0]
		assert.Contains(t, post.Text, "<@"+ben+">")
		assert.Contains(t, string(post.Blocks), "2h 30m")
		dm, err := h.fake.WaitBotMessages(h.fake.DMChannel(ben), 1, wait)
		require.NoError(t, err, "the author gets a private confirmation")
		assert.Contains(t, dm[0].Text, "2h 30m saved")
		w := h.wins()[0]
		assert.Equal(t, store.SourceModal, w.Source)
		assert.Equal(t, 150, w.MinutesSaved)
		assert.Equal(t, "Claude", w.Tools[0], "the tool field is matched to the registry")
	})
}

func TestWinTooLongIsRefusedClearly(t *testing.T) {
	h := start(t)
	huge := strings.Repeat("ChatGPT saved me 2h on this report. ", 560) // ~20,000 characters
	a := h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", huge))
	assert.Contains(t, string(a.Payload), "Nothing was recorded")
	assert.Empty(t, h.wins())
	// The bot keeps working.
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "saved 2h with ChatGPT"))
	h.winPosts(1)
}

func TestMentionsInWinTextNeverPing(t *testing.T) {
	for _, escaped := range []bool{false, true} {
		h := start(t)
		h.fake.SetCommandEscape("/win", escaped) // mentions as markup, or as typed
		// Mentions as Slack makes them from "@channel", and the same typed out as markup.
		h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "@channel @here @chloe <!channel> <!here> <@UCHLOE003> look: ChatGPT saved 2h & more"))
		post := h.winPosts(1)[0]
		for _, s := range []string{post.Text, viewText(t, post.Blocks)} {
			assert.NotContains(t, s, "<!channel>")
			assert.NotContains(t, s, "<!here>")
			assert.NotContains(t, s, "<@UCHLOE003>")
		}
		assertPingsOnly(t, h.fake, post, ana)
		assert.Contains(t, post.Text, "&lt;!channel&gt;", "typed markup shows as typed")
		assert.Contains(t, post.Text, "&amp; more")
	}
}

func TestUnknownCommand(t *testing.T) {
	h := start(t)
	a := h.ack(h.fake.SendSlashCommand(ana, salesCh, "/wn", "typo"))
	assert.Contains(t, string(a.Payload), "don't know the command")
}
