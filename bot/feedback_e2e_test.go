package bot_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWinFeedback: the private reply to /win reads as a sentence, offers
// Add time saved when no time was read, says when the cap applies, and a
// very short /win is checked with its author before anything is posted.
func TestWinFeedback(t *testing.T) {
	t.Run("ToolButNoTime", func(t *testing.T) {
		h := start(t)
		a := h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "Used Claude to draft the release notes"))
		text, ts, blocks := h.lastEphemeral(ana)
		assert.Contains(t, text, "I read it as a win with Claude, but couldn't tell how much time it saved")
		assert.NotContains(t, text, "(or run `/win` alone for a form) with Claude")
		assert.Contains(t, blocks, "Add time saved")
		assert.Contains(t, string(a.Payload), "win_add_time")
		h.winPosts(1)
		require.Len(t, h.wins(), 1)
		id := strconv.FormatUint(h.wins()[0].ID, 10)

		h.ack(h.fake.SendBlockAction(ana, salesCh, ts, "win_add_time", id))
		m := h.modal(1)
		assert.Equal(t, "Add time saved", m.Title.Text)
		assert.Equal(t, "Used Claude to draft the release notes", m.initial("what"))
		h.ack(h.fake.SendViewSubmission(ana, "win_modal", m.PrivateMetadata, map[string]map[string]string{
			"what": {"what": "Used Claude to draft the release notes"}, "saved": {"saved": "90 min"}}))
		require.Len(t, h.wins(), 1)
		assert.Equal(t, 90, h.wins()[0].MinutesSaved)
		assert.Contains(t, h.dmContaining(ana, "Saved."), "1h 30m saved")
	})
	t.Run("OverTheCap", func(t *testing.T) {
		h := start(t)
		h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "ChatGPT migrated the whole wiki, saved 12 hours"))
		text, _, blocks := h.lastEphemeral(ana)
		assert.Contains(t, text, "I read it as *12h saved* with ChatGPT.")
		assert.Contains(t, text, "Wins over 8h count as 8h until two colleagues cheer them.")
		assert.NotContains(t, blocks, "win_add_time")
	})
	t.Run("VeryShortAsksFirst", func(t *testing.T) {
		h := start(t)
		h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "test"))
		text, ts, blocks := h.lastEphemeral(ana)
		assert.Contains(t, text, "Nothing is posted yet")
		assert.Contains(t, blocks, "Post it as it is")
		assert.Empty(t, h.wins(), "nothing recorded before the author says so")

		h.ack(h.fake.SendBlockAction(ana, salesCh, ts, "win_short_form", "test"))
		assert.Equal(t, "test", h.modal(1).initial("what"), "the form opens with the words")
		assert.Empty(t, h.wins())

		h.ack(h.fake.SendBlockAction(ana, salesCh, ts, "win_post_short", "test"))
		require.Len(t, h.wins(), 1)
		assert.Equal(t, ana, h.wins()[0].Author)
		h.winPosts(1)
		eventually(t, func() bool {
			for _, e := range h.fake.Ephemerals(ana) {
				if e.TS == ts && strings.Contains(e.Text, "Win recorded") {
					return true
				}
			}
			return false
		}, "the question is replaced by the confirmation")
	})
}

// TestWordsPeopleRead: champions' posts say what a question is after, not
// a template; nominated posts read "Win from @dev · nominated by @chloe".
func TestWordsPeopleRead(t *testing.T) {
	h := start(t)
	h.ask(ana, "how do I build an agent that files my expense reports?")
	routed, err := h.fake.WaitBotMessages(champsCh, 1, wait)
	require.NoError(t, err)
	assert.Contains(t, routed[0].Text, "(Sales, wants to build something with AI)")
	assert.NotContains(t, routed[0].Text, "stage:")
	assert.NotContains(t, routed[0].Text, "how do I build Y?")

	ts, _ := h.fake.PostAsUser(salesCh, dev, "Copilot wrote the migration script, saved 3h", "")
	h.ack(h.fake.SendReaction(true, chloe, "trophy", salesCh, ts, dev))
	post := h.winPosts(1)[0]
	assert.True(t, strings.HasPrefix(post.Text, ":trophy: Win from <@"+dev+"> · nominated by <@"+chloe+">"), post.Text)
}

// TestForgetWords: with nothing stored the prompt says so; a click
// replaces the prompt; the person may also have their wins-channel posts
// deleted.
func TestForgetWords(t *testing.T) {
	t.Run("NothingStored", func(t *testing.T) {
		h := start(t)
		p := h.forgetPrompt(chloe, "forget me")
		assert.Contains(t, p.Text, "I hold no wins, questions or answers from you: there are no words to erase")
		assert.NotContains(t, p.Text, "Erase everything")
	})
	t.Run("CancelReplacesThePrompt", func(t *testing.T) {
		h := start(t)
		h.forgetPrompt(ben, "forget me")
		_, ts, _ := h.lastEphemeral(ben)
		h.ack(h.fake.SendBlockAction(ben, salesCh, ts, "forget_cancel", ben))
		eventually(t, func() bool {
			for _, e := range h.fake.Ephemerals(ben) {
				if e.TS == ts {
					return strings.Contains(e.Text, "nothing was erased") && !strings.Contains(string(e.Blocks), "forget_confirm")
				}
			}
			return false
		}, "the prompt is replaced, its buttons gone")
	})
	t.Run("AlsoDeletesWinPosts", func(t *testing.T) {
		h := start(t)
		h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", "ChatGPT cleaned the CRM export, saved 3h"))
		h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "Claude drafted the onboarding guide, saved 2h"))
		posts := h.winPosts(2)
		eventually(t, func() bool { return h.wins()[0].PostTS != "" && h.wins()[1].PostTS != "" }, "posts recorded")
		p := h.forgetPrompt(ben, "forget me")
		assert.Contains(t, p.Text, "unless you choose to delete your posts in the wins channel too")
		_, ts, blocks := h.lastEphemeral(ben)
		assert.Contains(t, blocks, "Erase and delete your wins-channel posts")
		h.ack(h.fake.SendBlockAction(ben, salesCh, ts, "forget_confirm_posts", ben))
		assert.Contains(t, h.shownTo(ben, "Done"), "I'm deleting 1 post in the wins channel")
		eventually(t, func() bool { return len(h.fake.BotMessages(winsCh)) == 1 }, "ben's post is deleted")
		assert.Equal(t, posts[1].TS, h.fake.BotMessages(winsCh)[0].TS, "ana's stays")
		assert.Len(t, h.wins(), 2, "both wins still count, ben's without a name")
	})
}
