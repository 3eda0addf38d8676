package bot_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/store"
)

// openedModal is the last modal the bot opened, decoded.
type openedModal struct {
	CallbackID      string `json:"callback_id"`
	PrivateMetadata string `json:"private_metadata"`
	Title           struct {
		Text string `json:"text"`
	} `json:"title"`
	Blocks []struct {
		BlockID string `json:"block_id"`
		Element struct {
			InitialValue string `json:"initial_value"`
		} `json:"element"`
	} `json:"blocks"`
	raw []byte
}

func (h *harness) modal(n int) openedModal {
	h.t.Helper()
	eventually(h.t, func() bool { return len(h.fake.OpenedViews()) >= n }, "views.open")
	raw := h.fake.OpenedViews()[n-1].View
	var m openedModal
	require.NoError(h.t, json.Unmarshal(raw, &m))
	m.raw = raw
	return m
}

func (m openedModal) initial(blockID string) string {
	for _, b := range m.Blocks {
		if b.BlockID == blockID {
			return b.Element.InitialValue
		}
	}
	return ""
}

func TestShareAsWinNominatesTheAuthor(t *testing.T) {
	h := start(t)
	// Slack escapes &, < and > in message text.
	ts, env := h.fake.PostAsUser(salesCh, ben, "Used Claude to write the release notes &amp; FAQ in 20 minutes instead of 2 hours", "")
	h.ack(env)

	h.ack(h.fake.SendMessageShortcut(ana, salesCh, ts, "share_as_win"))
	m := h.modal(1)
	assert.Equal(t, "win_modal", m.CallbackID)
	assert.Equal(t, "Nominate a win", m.Title.Text)
	assert.Contains(t, viewText(t, m.raw), "<@"+ben+">'s win, nominated by you")
	text := "Used Claude to write the release notes & FAQ in 20 minutes instead of 2 hours"
	assert.Equal(t, text, m.initial("what"), "prefilled with the message, unescaped")
	assert.False(t, h.firstInteraction(ana).IsZero(), "the shortcut is a first interaction")

	a := h.ack(h.fake.SendViewSubmission(ana, "win_modal", "", map[string]map[string]string{
		"what": {"what": text}, "tool": {"tool": ""}, "saved": {"saved": ""}}))
	assert.NotContains(t, string(a.Payload), "errors")
	post := h.winPosts(1)[0]
	assert.Contains(t, post.Text, "<@"+ana+"> nominated a win by <@"+ben+">")
	w := h.wins()[0]
	assert.Equal(t, ben, w.Author, "credited to the message's author")
	assert.Equal(t, ana, w.Nominator)
	assert.Equal(t, "Ops", w.Team, "the author's team")
	assert.Equal(t, store.SourceNomination, w.Source)
	assert.Equal(t, salesCh, w.SourceChannel)
	assert.Equal(t, ts, w.SourceTS)
	assert.Equal(t, 100, w.MinutesSaved)
	assert.Equal(t, []string{"Claude"}, w.Tools)
	thanks, err := h.fake.WaitBotMessages(h.fake.DMChannel(ana), 1, wait)
	require.NoError(t, err)
	assert.Contains(t, thanks[0].Text, "Thanks for nominating <@"+ben+">'s message")
	note, err := h.fake.WaitBotMessages(h.fake.DMChannel(ben), 1, wait)
	require.NoError(t, err)
	assert.Contains(t, note[0].Text, "<@"+ana+"> nominated your message as an AI win")
	assert.Contains(t, note[0].Text, "1h 40m saved")
	assert.True(t, h.firstInteraction(ben).IsZero(), "being nominated is not an interaction")

	t.Run("AlreadyAWin", func(t *testing.T) {
		h.ack(h.fake.SendMessageShortcut(chloe, salesCh, ts, "share_as_win"))
		m := h.modal(2)
		assert.Equal(t, "share_as_win_done", m.CallbackID)
		assert.Contains(t, viewText(t, m.raw), "already a win by <@"+ben+">")
		assert.Len(t, h.wins(), 1)
	})
	t.Run("TheWinPostItself", func(t *testing.T) {
		h.ack(h.fake.SendMessageShortcut(chloe, winsCh, post.TS, "share_as_win"))
		assert.Equal(t, "share_as_win_done", h.modal(3).CallbackID)
		assert.Len(t, h.wins(), 1)
	})
}

func TestShareAsWinOwnMessage(t *testing.T) {
	h := start(t)
	ts, env := h.fake.PostAsUser(salesCh, chloe, "Copilot wrote the pricing macro, saved 1h", "")
	h.ack(env)
	h.ack(h.fake.SendMessageShortcut(chloe, salesCh, ts, "share_as_win"))
	m := h.modal(1)
	assert.Equal(t, "Share a win", m.Title.Text)
	h.ack(h.fake.SendViewSubmission(chloe, "win_modal", "", map[string]map[string]string{
		"what": {"what": m.initial("what")}, "tool": {"tool": ""}, "saved": {"saved": ""}}))
	post := h.winPosts(1)[0]
	assert.Contains(t, post.Text, ":trophy: Win from <@"+chloe+">")
	w := h.wins()[0]
	assert.Equal(t, chloe, w.Author)
	assert.Empty(t, w.Nominator, "your own message is your own win")
	assert.Equal(t, store.SourceModal, w.Source)
	assert.Equal(t, ts, w.SourceTS, "a trophy on it later cheers this win instead of nominating it again")
	dm, err := h.fake.WaitBotMessages(h.fake.DMChannel(chloe), 1, wait)
	require.NoError(t, err)
	assert.Contains(t, dm[0].Text, "Win recorded")
}

// TestShareAsWinRace: a colleague nominates the message with the win emoji
// while the form is open; submitting it then adds no second win.
func TestShareAsWinRace(t *testing.T) {
	h := start(t)
	ts, env := h.fake.PostAsUser(salesCh, ben, "ChatGPT cleaned the CRM export, saved 3h", "")
	h.ack(env)
	h.ack(h.fake.SendMessageShortcut(ana, salesCh, ts, "share_as_win"))
	h.modal(1)
	h.ack(h.fake.SendReaction(true, chloe, "trophy", salesCh, ts, ""))
	h.winPosts(1)
	a := h.ack(h.fake.SendViewSubmission(ana, "win_modal", "", map[string]map[string]string{
		"what": {"what": "ChatGPT cleaned the CRM export, saved 3h"}, "tool": {"tool": ""}, "saved": {"saved": ""}}))
	assert.Contains(t, string(a.Payload), `"response_action":"errors"`)
	assert.Contains(t, string(a.Payload), "already counted")
	require.Len(t, h.wins(), 1)
	assert.Equal(t, chloe, h.wins()[0].Nominator)
}
