package bot_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot/slackfake"
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

func (m openedModal) has(blockID string) bool {
	for _, b := range m.Blocks {
		if b.BlockID == blockID {
			return true
		}
	}
	return false
}

// nominate submits the nomination form ana (or whoever) was shown, with a
// note and, to try a forgery, any other values.
func (h *harness) nominate(user, note string, extra map[string]map[string]string) slackfake.Ack {
	h.t.Helper()
	values := map[string]map[string]string{"note": {"note": note}}
	for k, v := range extra {
		values[k] = v
	}
	return h.ack(h.fake.SendViewSubmission(user, "nominate_modal", "", values))
}

func TestShareAsWinNominatesTheAuthor(t *testing.T) {
	h := start(t)
	typed := "Used Claude to write the release notes & FAQ in 20 minutes instead of 2 hours"
	ts, env := h.fake.PostAsUser(salesCh, ben, typed, "")
	h.ack(env)

	h.ack(h.fake.SendMessageShortcut(ana, salesCh, ts, "share_as_win"))
	m := h.modal(1)
	assert.Equal(t, "nominate_modal", m.CallbackID)
	assert.Equal(t, "Nominate a win", m.Title.Text)
	text := viewText(t, m.raw)
	assert.Contains(t, text, "<@"+ben+">'s win, nominated by you")
	assert.Contains(t, text, "release notes &amp; FAQ", "the message as written, encoded once")
	assert.NotContains(t, text, "&amp;amp;")
	assert.False(t, m.has("what"), "the nominator cannot rewrite the author's words")
	assert.True(t, m.has("note"))
	assert.False(t, h.firstInteraction(ana).IsZero(), "the shortcut is a first interaction")

	a := h.nominate(ana, "Loved this <3 & so did the team", nil)
	assert.NotContains(t, string(a.Payload), "errors")
	post := h.winPosts(1)[0]
	assert.Contains(t, post.Text, "Win from <@"+ben+"> · nominated by <@"+ana+">")
	assert.Contains(t, post.Text, ">Used Claude to write the release notes &amp; FAQ")
	assert.Contains(t, viewText(t, post.Blocks), "<@"+ana+"> adds: Loved this &lt;3 &amp; so did the team", "the note is shown as the nominator's")
	assertPingsOnly(t, h.fake, post, ana, ben)
	w := h.wins()[0]
	assert.Equal(t, ben, w.Author, "credited to the message's author")
	assert.Equal(t, ana, w.Nominator)
	assert.Equal(t, typed, w.Text, "stored as the plain text ben typed")
	assert.Equal(t, "Loved this <3 & so did the team", w.Note)
	assert.Equal(t, "Ops", w.Team, "the author's team")
	assert.Equal(t, store.SourceNomination, w.Source)
	assert.Equal(t, salesCh, w.SourceChannel)
	assert.Equal(t, ts, w.SourceTS)
	assert.Equal(t, 100, w.MinutesSaved)
	assert.Equal(t, []string{"Claude"}, w.Tools)
	assert.Contains(t, h.dmContaining(ana, "Thanks for nominating"), "<@"+ben+">'s message")
	note := h.dmContaining(ben, "as an AI win and I've shared it")
	assert.Contains(t, note, "<@"+ana+"> nominated <")
	assert.Contains(t, note, "1h 40m saved")
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

// TestShareAsWinCannotForgeWords: whatever a nominator submits, the post
// carries the author's message as Slack sent it; a /win form naming a
// colleague (as one opened before nominations had their own form) is
// refused.
func TestShareAsWinCannotForgeWords(t *testing.T) {
	h := start(t)
	ts, env := h.fake.PostAsUser(salesCh, ben, "Copilot wrote the migration tests, saved 1h", "")
	h.ack(env)
	h.ack(h.fake.SendMessageShortcut(ana, salesCh, ts, "share_as_win"))
	h.modal(1)
	h.nominate(ana, "", map[string]map[string]string{
		"what": {"what": "Ben says: AI wrote all my work, saved 40h"}, "saved": {"saved": "40h"}, "tool": {"tool": "DeepSeek"}})
	post := h.winPosts(1)[0]
	assert.NotContains(t, post.Text+string(post.Blocks), "AI wrote all my work")
	w := h.wins()[0]
	assert.Equal(t, "Copilot wrote the migration tests, saved 1h", w.Text)
	assert.Equal(t, 60, w.MinutesSaved, "minutes are read from the author's words")
	assert.Equal(t, []string{"Copilot"}, w.Tools)
	assert.Empty(t, w.Note)

	ts2, env := h.fake.PostAsUser(salesCh, ben, "Claude sorted the backlog, saved 2h", "")
	h.ack(env)
	forged := `{"share_author":"` + ben + `","share_channel":"` + salesCh + `","share_ts":"` + ts2 + `"}`
	a := h.ack(h.fake.SendViewSubmission(ana, "win_modal", forged, map[string]map[string]string{
		"what": {"what": "Ben says: I never check my work"}, "tool": {"tool": ""}, "saved": {"saved": ""}}))
	assert.Contains(t, string(a.Payload), `"response_action":"errors"`)
	assert.Contains(t, string(a.Payload), "out of date")
	assert.Len(t, h.wins(), 1, "nothing recorded")
}

func TestShareAsWinOwnMessage(t *testing.T) {
	h := start(t)
	ts, env := h.fake.PostAsUser(salesCh, chloe, "Copilot wrote the pricing macro -> saved 1h & a headache", "")
	h.ack(env)
	h.ack(h.fake.SendMessageShortcut(chloe, salesCh, ts, "share_as_win"))
	m := h.modal(1)
	assert.Equal(t, "Share a win", m.Title.Text)
	assert.Equal(t, "Copilot wrote the pricing macro -> saved 1h & a headache", m.initial("what"), "prefilled as typed: input values are plain")
	h.ack(h.fake.SendViewSubmission(chloe, "win_modal", "", map[string]map[string]string{
		"what": {"what": m.initial("what")}, "tool": {"tool": ""}, "saved": {"saved": ""}}))
	post := h.winPosts(1)[0]
	assert.Contains(t, post.Text, ":trophy: Win from <@"+chloe+">")
	assert.Contains(t, post.Text, "macro -&gt; saved 1h &amp; a headache")
	w := h.wins()[0]
	assert.Equal(t, chloe, w.Author)
	assert.Empty(t, w.Nominator, "your own message is your own win")
	assert.Equal(t, store.SourceModal, w.Source)
	assert.Equal(t, ts, w.SourceTS, "a trophy on it later cheers this win instead of nominating it again")
	assert.Contains(t, h.dmContaining(chloe, "Win recorded"), "Win recorded")
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
	a := h.nominate(ana, "", nil)
	assert.Contains(t, string(a.Payload), `"response_action":"errors"`)
	assert.Contains(t, string(a.Payload), "already counted")
	require.Len(t, h.wins(), 1)
	assert.Equal(t, chloe, h.wins()[0].Nominator)
}

// TestShareAsWinFromPrivateConversationNeedsApproval: a message in a
// private channel or a DM is shared only once its author approves, from a
// DM only they can act on; until then it is posted and counted nowhere.
func TestShareAsWinFromPrivateConversationNeedsApproval(t *testing.T) {
	const privCh, dmCh = "CPRIV0005", "DBENDEV09"
	for _, c := range []struct {
		name, channel, decision, nominator string
	}{
		{"PrivateChannelApproved", privCh, "nomination_approve", ana},
		{"DirectMessageDeclined", dmCh, "nomination_decline", dev},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := startSetup(t, setup{before: func(f *slackfake.Server) {
				f.AddPrivateChannel(privCh, "board-prep")
				f.AddChannel(dmCh, "")
			}})
			ts, env := h.fake.PostAsUser(c.channel, ben, "Claude drafted the board memo in 1 hour instead of 4 hours", "")
			if env != "" {
				h.ack(env)
			}
			h.ack(h.fake.SendMessageShortcut(c.nominator, c.channel, ts, "share_as_win"))
			m := h.modal(1)
			assert.Equal(t, "nominate_modal", m.CallbackID)
			assert.Contains(t, viewText(t, m.raw), "ask <@"+ben+"> to approve it")
			h.nominate(c.nominator, "The board loved it", nil)

			ask := h.dmContaining(ben, "would like to share your message from a private conversation")
			assert.Contains(t, ask, ">Claude drafted the board memo")
			assert.Contains(t, h.dmContaining(c.nominator, "asked them to approve"), "<@"+ben+">")
			require.Len(t, h.wins(), 1)
			w := h.wins()[0]
			assert.True(t, w.AwaitingApproval)
			assert.Equal(t, "The board loved it", w.Note)
			assert.Empty(t, h.fake.BotMessages(winsCh), "nothing posted before the author decides")
			id := strconv.FormatUint(w.ID, 10)
			var askTS string
			for _, msg := range h.fake.BotMessages(h.fake.DMChannel(ben)) {
				if strings.Contains(string(msg.Blocks), "nomination_approve") {
					askTS = msg.TS
				}
			}
			require.NotEmpty(t, askTS, "the DM has the buttons")

			// Only the author decides: the nominator's click does nothing.
			h.ack(h.fake.SendBlockAction(c.nominator, h.fake.DMChannel(ben), askTS, "nomination_approve", id))
			assert.True(t, h.wins()[0].AwaitingApproval)

			h.ack(h.fake.SendBlockAction(ben, h.fake.DMChannel(ben), askTS, c.decision, id))
			if c.decision == "nomination_decline" {
				assert.Contains(t, h.dmContaining(c.nominator, "preferred to keep"), "<@"+ben+">")
				assert.Empty(t, h.wins(), "a declined nomination never happened")
				assert.Empty(t, h.fake.BotMessages(winsCh))
				return
			}
			post := h.winPosts(1)[0]
			assert.Contains(t, post.Text, "Win from <@"+ben+"> · nominated by <@"+c.nominator+">")
			assert.Contains(t, h.dmContaining(c.nominator, "approved your nomination"), "<@"+ben+">")
			assert.False(t, h.wins()[0].AwaitingApproval)
			// A second click does nothing more.
			h.ack(h.fake.SendBlockAction(ben, h.fake.DMChannel(ben), askTS, "nomination_approve", id))
			h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "flush the outbox: saved 5 min"))
			h.winPosts(2)
			assert.Len(t, h.fake.BotMessages(winsCh), 2, "posted once")
		})
	}
}
