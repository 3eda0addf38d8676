package bot_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot"
	"flywheel/bot/slackfake"
	"flywheel/bot/slacktext"
	"flywheel/config"
	"flywheel/store"
)

// What people type all the time: R&D, arrows, hearts, a link with a query.
const (
	typedWin      = "R&D notes -> summary with Claude <3 in 10 min instead of an hour, see https://wiki.example.com/r?a=1&b=2"
	typedQuestion = "how do I build a bot that turns Q&A -> FAQ <3 like https://wiki.example.com/faq?x=1&y=2 does?"
	typedAnswer   = "Use Copilot & the FAQ template -> done <3 https://wiki.example.com/t?a=1&b=2"
)

// readsAsTyped checks a bot message the way a person sees it: the text
// they typed is in it encoded exactly once (Slack shows &amp; as &), never
// twice, and the message pings nobody but allowed.
func (h *harness) readsAsTyped(m string, typed string) {
	h.t.Helper()
	assert.Contains(h.t, m, slacktext.Escape(typed), "encoded once on the wire")
	assert.Contains(h.t, slacktext.Decode(m), typed, "shows as typed")
	assert.NotContains(h.t, m, "&amp;amp;")
	assert.NotContains(h.t, m, "&amp;lt;")
}

// blocksText is every text in a message's blocks, decoded from JSON.
func blocksText(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	if len(raw) == 0 {
		return ""
	}
	return viewText(t, raw)
}

// TestTypedTextReadsAsTypedEverywhere: for each way text reaches the bot,
// a person types "&", "<", ">", "->", "<3" and a link (plus an @-mention,
// to check nobody is pinged), and every surface shows exactly that.
func TestTypedTextReadsAsTypedEverywhere(t *testing.T) {
	t.Run("SlashWin", func(t *testing.T) {
		for _, escaped := range []bool{false, true} {
			h := start(t)
			// An admin may turn on "Escape channels, users, and links" for /win.
			h.fake.SetCommandEscape("/win", escaped)
			a := h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", typedWin+" thanks @chloe @here"))
			assert.Contains(t, string(a.Payload), "50 min saved")
			post := h.winPosts(1)[0]
			h.readsAsTyped(post.Text, typedWin)
			h.readsAsTyped(blocksText(t, post.Blocks), typedWin)
			assert.Contains(t, slacktext.Decode(post.Text), "thanks @chloe @here", "mentions kept readable")
			assertPingsOnly(t, h.fake, post, ana)
			w := h.wins()[0]
			assert.Equal(t, typedWin+" thanks @chloe @here", w.Text, "stored as plain text")
			assert.Equal(t, 50, w.MinutesSaved)

			// The digest's top wins and the CSV export.
			eventually(t, func() bool { return h.wins()[0].PostTS != "" }, "post recorded")
			h.ack(h.fake.SendReaction(true, ben, "fire", winsCh, post.TS, ""))
			a = h.ack(h.fake.SendSlashCommand(ana, salesCh, "/flywheel", "digest preview"))
			var preview struct {
				Text   string          `json:"text"`
				Blocks json.RawMessage `json:"blocks"`
			}
			require.NoError(t, json.Unmarshal(a.Payload, &preview))
			// The text is the week's sentence; the win's words are in the blocks.
			h.readsAsTyped(blocksText(t, preview.Blocks), "R&D notes -> summary with Claude <3")
			rows := h.exportRows(ana)
			assert.Equal(t, typedWin+" thanks @chloe @here", rows[1][12], "the CSV holds plain text")
		}
	})

	t.Run("WinForm", func(t *testing.T) {
		h := start(t)
		h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", ""))
		h.modal(1)
		// Modal values arrive as typed: nothing to decode.
		h.ack(h.fake.SendViewSubmission(ben, "win_modal", "", map[string]map[string]string{
			"what": {"what": typedWin}, "tool": {"tool": "R&D <bot>"}, "saved": {"saved": ""}}))
		post := h.winPosts(1)[0]
		h.readsAsTyped(post.Text, typedWin)
		h.readsAsTyped(blocksText(t, post.Blocks), "R&D <bot>")
		assert.Equal(t, typedWin, h.wins()[0].Text)
		assert.Contains(t, h.dmContaining(ben, "Win recorded"), "with R&amp;D &lt;bot&gt;")
	})

	t.Run("ReactionNomination", func(t *testing.T) {
		h := start(t)
		ts, env := h.fake.PostAsUser(salesCh, ben, typedWin+" @here", "")
		h.ack(env)
		h.ack(h.fake.SendReaction(true, chloe, "trophy", salesCh, ts, ""))
		post := h.winPosts(1)[0]
		h.readsAsTyped(post.Text, typedWin)
		h.readsAsTyped(blocksText(t, post.Blocks), typedWin)
		assertPingsOnly(t, h.fake, post, ben, chloe)
		assert.Contains(t, h.dmContaining(ben, "as an AI win and I've shared it"), "50 min saved")
		eventually(t, func() bool { return !h.wins()[0].Pending }, "text fetched")
		assert.Equal(t, typedWin+" @here", h.wins()[0].Text, "fetched from history and decoded once")
	})

	t.Run("ShareShortcut", func(t *testing.T) {
		h := start(t)
		ts, env := h.fake.PostAsUser(salesCh, ben, typedWin, "")
		h.ack(env)
		h.ack(h.fake.SendMessageShortcut(ana, salesCh, ts, "share_as_win"))
		h.readsAsTyped(viewText(t, h.modal(1).raw), typedWin)
		h.nominate(ana, "Best R&D <3 -> ever", nil)
		post := h.winPosts(1)[0]
		h.readsAsTyped(post.Text, typedWin)
		h.readsAsTyped(blocksText(t, post.Blocks), "Best R&D <3 -> ever")
		assertPingsOnly(t, h.fake, post, ana, ben)
		assert.Equal(t, typedWin, h.wins()[0].Text)
	})

	t.Run("HelpChannelQuestionAndThreadAnswer", func(t *testing.T) {
		h := start(t)
		ts := h.ask(ana, typedQuestion+" @channel")
		routed, err := h.fake.WaitBotMessages(champsCh, 1, wait)
		require.NoError(t, err)
		h.readsAsTyped(routed[0].Text, typedQuestion)
		assertPingsOnly(t, h.fake, routed[0], ana)
		assert.Equal(t, typedQuestion+" @channel", h.questions()[0].Text)
		eventually(t, func() bool {
			return h.st.View(func(tx *store.Tx) error { _, err := tx.QuestionByMessage(champsCh, routed[0].TS); return err }) == nil
		}, "indexed")
		_, env := h.fake.PostAsUser(champsCh, dev, typedAnswer+" @here", routed[0].TS)
		h.ack(env)
		relay := h.threadReplies(helpCh, ts, 2)[1]
		h.readsAsTyped(relay.Text, typedAnswer)
		assertPingsOnly(t, h.fake, relay, dev)

		// An edit is read as plain text too.
		h.ack(h.fake.EditAsUser(helpCh, ts, "how do I build a Q&A bot -> for <3 R&D?"))
		assert.Equal(t, "how do I build a Q&A bot -> for <3 R&D?", h.questions()[0].Text)
	})

	t.Run("AskCommand", func(t *testing.T) {
		h := start(t)
		a := h.ack(h.fake.SendSlashCommand(lena, salesCh, "/ask", typedQuestion))
		assert.Contains(t, string(a.Payload), "asked our AI champions")
		routed, err := h.fake.WaitBotMessages(champsCh, 1, wait)
		require.NoError(t, err)
		h.readsAsTyped(routed[0].Text, typedQuestion)
		eventually(t, func() bool {
			return h.st.View(func(tx *store.Tx) error { _, err := tx.QuestionByMessage(champsCh, routed[0].TS); return err }) == nil
		}, "indexed")
		_, env := h.fake.PostAsUser(champsCh, dev, typedAnswer, routed[0].TS)
		h.ack(env)
		h.readsAsTyped(h.dmContaining(lena, "answered your question"), typedAnswer)
	})

	t.Run("RegistryAnswerAndHome", func(t *testing.T) {
		h := startWith(t, func(c *config.Config) {
			c.Tools[0].HowTo = "Sign in at chat.example.com -> R&D <SSO> @channel"
			c.Guidelines.Text = "Be kind & careful <3"
		}, bot.Options{})
		ts := h.ask(ben, "Can I use ChatGPT for Q&A -> notes?")
		reply := h.threadReplies(helpCh, ts, 1)[0]
		h.readsAsTyped(reply.Text, "Sign in at chat.example.com -> R&D <SSO> @channel")
		assertPingsOnly(t, h.fake, reply)
		h.ack(h.fake.OpenAppHome(ben, "home"))
		eventually(t, func() bool { return len(h.fake.PublishedViews(ben)) == 1 }, "home published")
		home := viewText(t, h.fake.PublishedViews(ben)[0])
		h.readsAsTyped(home, "Sign in at chat.example.com -> R&D <SSO> @channel")
		h.readsAsTyped(home, "Be kind & careful <3")
		var view struct{ Blocks json.RawMessage }
		require.NoError(t, json.Unmarshal(h.fake.PublishedViews(ben)[0], &view))
		assert.Empty(t, h.fake.Pings(slackfake.Message{Blocks: view.Blocks}), "a config value never pings")
	})
}

// exportRows runs /flywheel export as admin and reads the uploaded CSV.
func (h *harness) exportRows(admin string) [][]string {
	h.t.Helper()
	n := len(h.fake.Calls("files.completeUploadExternal"))
	h.ack(h.fake.SendSlashCommand(admin, salesCh, "/flywheel", "export"))
	eventually(h.t, func() bool { return len(h.fake.Calls("files.completeUploadExternal")) > n }, "upload completed")
	done := h.fake.Calls("files.completeUploadExternal")[n]
	var files []struct {
		ID string `json:"id"`
	}
	require.NoError(h.t, json.Unmarshal([]byte(done.Params["files"]), &files))
	require.NotEmpty(h.t, files)
	data, _, ok := h.fake.UploadedFile(files[0].ID)
	require.True(h.t, ok)
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	require.NoError(h.t, err)
	require.Greater(h.t, len(rows), 1)
	return rows
}
