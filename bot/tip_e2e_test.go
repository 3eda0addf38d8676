package bot_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot"
	"flywheel/bot/slackfake"
	"flywheel/config"
	"flywheel/store"
)

const tipsCh = "CTIPS0005"

// startTips starts a harness with a tips channel.
func startTips(t *testing.T) *harness {
	t.Helper()
	h := startWith(t, func(c *config.Config) { c.TipsChannel = tipsCh }, bot.Options{})
	h.fake.AddChannel(tipsCh, "ai-tips")
	return h
}

// tips returns every stored tip.
func (h *harness) tips() []store.Win {
	h.t.Helper()
	var tips []store.Win
	require.NoError(h.t, h.st.View(func(tx *store.Tx) (err error) {
		tips, err = tx.TipsBetween(h.st.Now().AddDate(-1, 0, 0), h.st.Now().AddDate(0, 0, 1))
		return err
	}))
	return tips
}

// tipPosts waits for n bot posts in the tips channel.
func (h *harness) tipPosts(n int) []slackfake.Message {
	h.t.Helper()
	msgs, err := h.fake.WaitBotMessages(tipsCh, n, wait)
	require.NoError(h.t, err, "want %d tips-channel posts", n)
	return msgs
}

// TestTips: ana shares a tip with /tip; chloe turns ben's message into his
// tip with the tip emoji. Colleagues save them and try them; the library,
// the registry's answer and the digest show them, worked out by hand:
//   - ana's tip (Sales): tried by ben and dev (Ops: across teams), saved
//     by dev → score 3; ben's tip (Ops): tried by dev (Ops) → score 1;
//   - 2 tips by 2 people, 1 tried by someone from another team;
//   - no wins: tips never count as wins.
func TestTips(t *testing.T) {
	h := startTips(t)
	a := h.ack(h.fake.SendSlashCommand(ana, salesCh, "/tip", "In Claude, ask for a table instead of prose when comparing <vendors> & prices"))
	assert.Contains(t, replyText(t, a), "Your tip is on its way to <#"+tipsCh+">")
	assert.Contains(t, replyText(t, a), "filed under Claude")
	post := h.tipPosts(1)[0]
	assert.Contains(t, post.Text, ":bulb: Tip from <@"+ana+">")
	assert.Contains(t, post.Text, "comparing &lt;vendors&gt; &amp; prices", "escaped once")
	assert.Contains(t, string(post.Blocks), `"action_id":"tip_try"`)
	assert.Contains(t, string(post.Blocks), `"action_id":"tip_save"`)
	assertPingsOnly(t, h.fake, post, ana)
	assert.Empty(t, h.fake.BotMessages(winsCh), "tips go to the tips channel")
	eventually(t, func() bool { return len(h.tips()) == 1 && h.tips()[0].PostTS != "" }, "tip post recorded")
	anaTip := h.tips()[0]
	assert.Equal(t, []string{"Claude"}, anaTip.Tools)
	assert.Empty(t, h.wins(), "a tip is no win")

	// The tip emoji on ben's message makes it his tip, nominated by chloe.
	typed := "Ctrl+K in ChatGPT searches all your old chats"
	ts, env := h.fake.PostAsUser(salesCh, ben, typed, "")
	h.ack(env)
	h.ack(h.fake.SendReaction(true, ben, "bulb", salesCh, ts, ben)) // self-nomination does nothing
	assert.Len(t, h.tips(), 1)
	h.ack(h.fake.SendReaction(true, chloe, "bulb", salesCh, ts, ben))
	post2 := h.tipPosts(2)[1]
	assert.Contains(t, post2.Text, ":bulb: <@"+chloe+"> shared a tip by <@"+ben+">")
	assert.Contains(t, post2.Text, typed, "the message's own words")
	assert.Contains(t, h.dmContaining(ben, "|your message> as an AI tip"), "<@"+chloe+"> nominated")
	h.ack(h.fake.SendReaction(true, dev, "bulb", salesCh, ts, ben)) // again: no second tip
	eventually(t, func() bool { tips := h.tips(); return len(tips) == 2 && tips[1].PostTS != "" }, "nominated tip posted")
	benTip := h.tips()[1]
	assert.Equal(t, ben, benTip.Author)
	assert.Equal(t, chloe, benTip.Nominator)
	assert.Equal(t, typed, benTip.Text)
	assert.Equal(t, store.KindTip, benTip.Kind)
	assert.Empty(t, h.wins(), "still no win")

	// Saves and tries, once per person; one's own tip is neither.
	click := func(user string, p slackfake.Message, action string, tip store.Win) {
		h.ack(h.fake.SendBlockAction(user, tipsCh, p.TS, action, strconv.FormatUint(tip.ID, 10)))
	}
	click(ben, post, "tip_try", anaTip)
	click(dev, post, "tip_try", anaTip)
	click(dev, post, "tip_try", anaTip)
	click(dev, post, "tip_save", anaTip)
	click(ana, post, "tip_save", anaTip)
	click(dev, post2, "tip_try", benTip)
	eventually(t, func() bool { return len(h.fake.Ephemerals(dev)) >= 4 }, "dev's answers")
	assert.Contains(t, h.fake.Ephemerals(dev)[0].Text, "New to *Claude*? Ask IT for a seat.")
	assert.Contains(t, h.fake.Ephemerals(dev)[2].Text, "Saved.")
	eventually(t, func() bool {
		for _, m := range h.fake.Ephemerals(ana) {
			if strings.Contains(m.Text, "That's your own tip") {
				return true
			}
		}
		return false
	}, "ana hears it is her own tip")
	// A reaction on a tip's post cheers no win.
	h.ack(h.fake.SendReaction(true, lena, "fire", tipsCh, post.TS, slackfake.BotUserID))

	t.Run("Library", func(t *testing.T) {
		text := replyText(t, h.ack(h.fake.SendSlashCommand(lena, salesCh, "/flywheel", "tips")))
		assert.Contains(t, text, "*Tips library*")
		require.Less(t, strings.Index(text, "<@"+ana+">"), strings.Index(text, "<@"+ben+">"), "ana's (3) before ben's (1)")
		assert.Contains(t, text, "“In Claude, ask for a table instead of prose when comparing &lt;vendors&gt; &amp; prices” (Claude) · 1 save · 2 trying it")
		text = replyText(t, h.ack(h.fake.SendSlashCommand(lena, salesCh, "/flywheel", "tips claude")))
		assert.Contains(t, text, "<@"+ana+">")
		assert.NotContains(t, text, "<@"+ben+">", "by tool")
		text = replyText(t, h.ack(h.fake.SendSlashCommand(lena, salesCh, "/flywheel", "tips old chats")))
		assert.Contains(t, text, "<@"+ben+">", "by words")
		assert.NotContains(t, text, "<@"+ana+">")
		text = replyText(t, h.ack(h.fake.SendSlashCommand(lena, salesCh, "/flywheel", "tips midjourney")))
		assert.Contains(t, text, "No tips yet for “midjourney”")
	})
	t.Run("RegistryAnswer", func(t *testing.T) {
		text := replyText(t, h.ack(h.fake.SendSlashCommand(lena, salesCh, "/ask", "can I use Claude to compare vendors?")))
		assert.Contains(t, text, "*Yes, you can use Claude.*")
		assert.Contains(t, text, ":bulb: Top tip for Claude from <@"+ana+">: “In Claude, ask for a table")
		text = replyText(t, h.ack(h.fake.SendSlashCommand(ana, salesCh, "/ask", "can I use Claude for contracts?")))
		assert.NotContains(t, text, "Top tip", "not one's own tip")
	})
	t.Run("Digest", func(t *testing.T) {
		var preview struct {
			Text   string          `json:"text"`
			Blocks json.RawMessage `json:"blocks"`
		}
		require.NoError(t, json.Unmarshal(h.ack(h.fake.SendSlashCommand(ana, salesCh, "/flywheel", "digest preview")).Payload, &preview))
		assert.True(t, strings.HasPrefix(preview.Text, "No wins shared this week"), "tips never count as wins: %s", preview.Text)
		text := blocksText(t, preview.Blocks) // the lead digest has the teaching section
		assert.Contains(t, text, "*Wins*\n0", "tips never count as wins")
		assert.Contains(t, text, "*People teaching each other*: 2 people shared 2 tips (+2) · 1 tip tried by someone from another team")
		assert.Contains(t, text, "• <@"+ana+"> “In Claude, ask for a table instead of prose when comparing &lt;vendors&gt; &amp; prices” · tried by 2 colleagues · 1 save")
		assert.Contains(t, text, "• <@"+ben+"> “Ctrl+K in ChatGPT searches all your old chats” · tried by 1 colleague")
	})
	t.Run("AppHome", func(t *testing.T) {
		h.ack(h.fake.SendSlashCommand(dev, salesCh, "/win", "Claude drafted the ops review, saved 1h"))
		h.winPosts(1)
		home := h.homeTab(dev, 1)
		assert.Contains(t, home, "*Tips for the tools you use*")
		assert.Contains(t, home, "<@"+ana+">: “In Claude, ask for a table")
		assert.NotContains(t, home, "Ctrl+K", "a ChatGPT tip is not for a Claude user")
		assert.Contains(t, home, "*Your saved tips*")
		home = h.homeTab(lena, 1)
		assert.Contains(t, home, "*Tips colleagues are trying*", "no tools yet: the best tips of all")
	})
	t.Run("Export", func(t *testing.T) {
		n := len(h.fake.Calls("files.completeUploadExternal"))
		rows := h.exportRows(ana)
		for _, r := range rows[1:] {
			assert.NotContains(t, r[12], "Claude, ask for a table", "tips are not in the wins CSV")
		}
		eventually(t, func() bool { return len(h.fake.Calls("files.completeUploadExternal")) >= n+2 }, "the tips CSV follows")
		get := h.fake.Calls("files.getUploadURLExternal")
		assert.Contains(t, get[len(get)-1].Params["filename"], "flywheel-tips-")
		done := h.fake.Calls("files.completeUploadExternal")[n+1]
		var files []struct {
			ID string `json:"id"`
		}
		require.NoError(t, json.Unmarshal([]byte(done.Params["files"]), &files))
		data, _, ok := h.fake.UploadedFile(files[0].ID)
		require.True(t, ok)
		tipRows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		require.NoError(t, err)
		require.Len(t, tipRows, 3)
		assert.Equal(t, []string{ana, "1", "2"}, []string{tipRows[1][2], tipRows[1][7], tipRows[1][8]})
		assert.Equal(t, []string{ben, chloe}, []string{tipRows[2][2], tipRows[2][3]})
	})
	t.Run("Forget", func(t *testing.T) {
		p := h.forgetPrompt(ana, "forget me")
		assert.Contains(t, p.Text, "1 tip")
		h.ack(h.fake.SendBlockAction(ana, salesCh, "", "forget_confirm", p.button("forget_confirm")))
		eventually(t, func() bool { return h.tips()[0].Text == "" }, "ana's tip loses its words")
		text := replyText(t, h.ack(h.fake.SendSlashCommand(lena, salesCh, "/flywheel", "tips")))
		assert.NotContains(t, text, "ask for a table")
		assert.NotContains(t, text, ana)
		text = string(h.ack(h.fake.SendSlashCommand(ana, salesCh, "/flywheel", "digest preview")).Payload)
		assert.Contains(t, text, "2 people shared 2 tips", "the numbers stay")
		assert.NotContains(t, text, "ask for a table")
		assert.NotContains(t, text, ana)
	})
}

// TestTipGuardrails: a tip with a secret is held for its author like a win,
// and stored redacted; help explains /tip.
func TestTipGuardrails(t *testing.T) {
	h := startTips(t)
	a := h.ack(h.fake.SendSlashCommand(ana, salesCh, "/tip", "Paste jane.doe@example.com's ticket into ChatGPT for a summary"))
	assert.Contains(t, replyText(t, a), "Tip recorded, but I haven't shared it")
	dm := h.dmContaining(ana, "Before I share your tip")
	assert.NotContains(t, dm, "jane.doe@example.com")
	assert.NotContains(t, h.tips()[0].Text, "jane.doe@example.com", "stored redacted")
	assert.Empty(t, h.fake.BotMessages(tipsCh))
	a = h.ack(h.fake.SendSlashCommand(ana, salesCh, "/tip", "help"))
	assert.Contains(t, replyText(t, a), "React with :bulb: on a colleague's message")
	assert.Len(t, h.tips(), 1, "help records nothing")
}

// TestTipsOnceEach: Slack redelivering a /tip, a tip emoji or a Save click
// records each once, and the tip is posted once.
func TestTipsOnceEach(t *testing.T) {
	h := startTips(t)
	env := h.fake.SendSlashCommand(ana, salesCh, "/tip", "Ask ChatGPT to critique its own draft before you read it")
	first := h.ack(env)
	again := h.ack(h.fake.Redeliver(env))
	assert.JSONEq(t, string(first.Payload), string(again.Payload), "the same reply, once")
	ts, posted := h.fake.PostAsUser(salesCh, ben, "Claude reads PDFs if you drop them in the chat", "")
	h.ack(posted)
	r := h.fake.SendReaction(true, chloe, "bulb", salesCh, ts, ben)
	h.ack(r)
	h.ack(h.fake.Redeliver(r))
	posts := h.tipPosts(2)
	eventually(t, func() bool { tips := h.tips(); return len(tips) == 2 && tips[0].PostTS != "" }, "tips posted")
	id := strconv.FormatUint(h.tips()[0].ID, 10)
	click := h.fake.SendBlockAction(dev, tipsCh, posts[0].TS, "tip_save", id)
	h.ack(click)
	h.ack(h.fake.Redeliver(click))
	eventually(t, func() bool { n, _ := h.st.OutboxLen(); return n == 0 }, "outbox drained")
	assert.Len(t, h.tips(), 2)
	assert.Len(t, h.fake.BotMessages(tipsCh), 2, "each tip posted once")
	tipID := h.tips()[0].ID
	require.NoError(t, h.st.View(func(tx *store.Tx) error {
		marks, err := tx.TipMarks(tipID)
		assert.Len(t, marks, 1)
		return err
	}))
	assert.Len(t, h.fake.Ephemerals(dev), 1, "one answer to one click")
}

// TestTipFromPrivateConversation: the tip emoji on a message in a private
// channel shares nothing until its author approves, through the same DM
// as a win nomination's; approved, it is posted as their tip.
func TestTipFromPrivateConversation(t *testing.T) {
	const privCh = "CPRIV0005"
	h := startSetup(t, setup{
		mutate: func(c *config.Config) { c.TipsChannel = tipsCh },
		before: func(f *slackfake.Server) { f.AddPrivateChannel(privCh, "board-prep"); f.AddChannel(tipsCh, "ai-tips") },
	})
	ts, env := h.fake.PostAsUser(privCh, ben, "Ask Claude to list what it is unsure about before trusting a summary", "")
	if env != "" {
		h.ack(env)
	}
	h.ack(h.fake.SendReaction(true, dev, "bulb", privCh, ts, ben))
	ask := h.prompt(ben, "nomination_approve")
	assert.Contains(t, ask.Text, "would like to share your message from a private conversation as an AI tip")
	assert.Contains(t, ask.Text, ">Ask Claude to list what it is unsure about")
	require.Len(t, h.tips(), 1)
	assert.True(t, h.tips()[0].AwaitingApproval)
	assert.Empty(t, h.fake.BotMessages(tipsCh), "nothing shared before the author approves")
	text := replyText(t, h.ack(h.fake.SendSlashCommand(lena, salesCh, "/flywheel", "tips")))
	assert.Contains(t, text, "No tips yet", "not in the library either")

	h.ack(h.fake.SendBlockAction(ben, h.fake.DMChannel(ben), ask.TS, "nomination_approve", strconv.FormatUint(h.tips()[0].ID, 10)))
	post := h.tipPosts(1)[0]
	assert.Contains(t, post.Text, ":bulb: <@"+dev+"> shared a tip by <@"+ben+">")
	assert.Empty(t, h.wins(), "a tip, not a win")
}
