package bot_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot"
	"flywheel/config"
	"flywheel/store"
)

// forgetWorld is what ben did before asking to be forgotten: a win that
// ana cheered, a question, an answer to ana's question, a cheer on ana's win.
type forgetWorld struct{ benWin, anaWin store.Win }

func seedForgetWorld(t *testing.T, h *harness) forgetWorld {
	t.Helper()
	h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", "ChatGPT drafted the QBR deck, saved 3h"))
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "Claude summarised 40 contracts, saved 2h"))
	posts := h.winPosts(2)
	eventually(t, func() bool {
		ws := h.wins()
		return len(ws) == 2 && ws[0].PostTS != "" && ws[1].PostTS != ""
	}, "win posts recorded")
	var w forgetWorld
	for _, x := range h.wins() {
		if x.Author == ben {
			w.benWin = x
		} else {
			w.anaWin = x
		}
	}
	for _, p := range posts {
		reactor := ben
		if strings.Contains(p.Text, ben) {
			reactor = ana
		}
		h.ack(h.fake.SendReaction(true, reactor, "fire", winsCh, p.TS, ""))
	}
	h.ask(ben, "how do I build a bot that files tickets?")
	ts := h.ask(ana, "how do I build a dashboard with Claude?")
	_, env := h.fake.PostAsUser(helpCh, ben, "I did one last week, happy to pair", ts)
	h.ack(env)
	require.Equal(t, []string{ana}, amplifiers(t, h, w.benWin.ID))
	require.Equal(t, []string{ben}, amplifiers(t, h, w.anaWin.ID))
	return w
}

// prompt is the private reply to /flywheel forget.
type prompt struct {
	Text   string `json:"text"`
	Blocks []struct {
		Elements []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	} `json:"blocks"`
}

func (h *harness) forgetPrompt(user, text string) prompt {
	h.t.Helper()
	a := h.ack(h.fake.SendSlashCommand(user, salesCh, "/flywheel", text))
	var p prompt
	require.NoError(h.t, json.Unmarshal(a.Payload, &p))
	return p
}

// button returns the value of the prompt's button actionID ("" if none).
func (p prompt) button(actionID string) string {
	for _, b := range p.Blocks {
		for _, e := range b.Elements {
			if e.ActionID == actionID {
				return e.Value
			}
		}
	}
	return ""
}

// dmContaining waits for a DM to user that contains want.
func (h *harness) dmContaining(user, want string) string {
	h.t.Helper()
	var text string
	eventually(h.t, func() bool {
		for _, m := range h.fake.BotMessages(h.fake.DMChannel(user)) {
			if strings.Contains(m.Text, want) {
				text = m.Text
				return true
			}
		}
		return false
	}, "a DM to "+user+" saying "+want)
	return text
}

// assertForgotten checks that the store holds nothing naming user nor
// their words, and that every count is unchanged: their win, question,
// answer and cheer count under a placeholder.
func assertForgotten(t *testing.T, h *harness, user string, w forgetWorld) {
	t.Helper()
	var placeholder string
	require.NoError(t, h.st.View(func(tx *store.Tx) error {
		mine, err := tx.WinsByUser(user)
		require.NoError(t, err)
		assert.Empty(t, mine)
		husk, err := tx.Win(w.benWin.ID)
		require.NoError(t, err, "the win still counts")
		placeholder = husk.Author
		assert.True(t, store.IsForgotten(placeholder), placeholder)
		assert.Empty(t, husk.Text, "without its words")
		assert.Equal(t, w.benWin.MinutesSaved, husk.MinutesSaved)
		fp, err := tx.Footprint(user)
		require.NoError(t, err)
		assert.Zero(t, fp)
		answers, err := tx.AnswersBetween(time.Unix(0, 0), time.Now().Add(time.Hour))
		require.NoError(t, err)
		require.Len(t, answers, 1, "the answer still counts")
		assert.Equal(t, placeholder, answers[0].Answerer)
		return nil
	}))
	for _, q := range h.questions() {
		assert.NotEqual(t, user, q.Asker)
		if q.Asker == ana {
			assert.Equal(t, placeholder, q.FirstAnswerer)
			assert.Equal(t, 1, q.Answers)
		} else {
			assert.Equal(t, placeholder, q.Asker)
			assert.Empty(t, q.Text)
		}
	}
	assert.Len(t, h.questions(), 2)
	assert.Equal(t, []string{placeholder}, amplifiers(t, h, w.anaWin.ID), "ana's win keeps its cheer")
	assert.Equal(t, []string{ana}, amplifiers(t, h, w.benWin.ID), "ana's cheer on ben's win still counts")
}

func TestForgetMe(t *testing.T) {
	h := start(t)
	w := seedForgetWorld(t, h)

	p := h.forgetPrompt(ben, "forget me")
	assert.Contains(t, p.Text, "Erase everything I hold about you?")
	assert.Contains(t, p.Text, "the words of your 1 win and 1 question")
	assert.Contains(t, p.Text, "1 answer you gave")
	require.Equal(t, ben, p.button("forget_confirm"))
	require.NotEmpty(t, p.button("forget_cancel"))
	assert.Len(t, h.wins(), 2, "the prompt deletes nothing")

	h.ack(h.fake.SendBlockAction(ben, salesCh, "", "forget_confirm", ben))
	done := h.shownTo(ben, "Done")
	assert.Contains(t, done, "no longer hold the words or the name of you")
	assert.Contains(t, done, "1 win and 1 question are deleted")
	assert.Contains(t, done, "still count in the weekly numbers without a name")
	assertForgotten(t, h, ben, w)
	assert.Len(t, h.wins(), 2)
}

func TestForgetCancel(t *testing.T) {
	h := start(t)
	seedForgetWorld(t, h)
	p := h.forgetPrompt(ben, "forget me")
	h.ack(h.fake.SendBlockAction(ben, salesCh, "", "forget_cancel", p.button("forget_cancel")))
	h.shownTo(ben, "nothing was erased")
	assert.Len(t, h.wins(), 2)
	assert.Len(t, h.questions(), 2)
}

func TestForgetSomeoneElse(t *testing.T) {
	t.Run("OKAdmin", func(t *testing.T) {
		h := start(t)
		w := seedForgetWorld(t, h)
		p := h.forgetPrompt(ana, "forget @ben") // /flywheel escapes mentions: <@UBEN00002|ben>
		assert.Contains(t, p.Text, "about <@"+ben+">?")
		assert.Contains(t, p.Text, "their 1 win")
		require.Equal(t, ben, p.button("forget_confirm"))

		h.ack(h.fake.SendBlockAction(ana, salesCh, "", "forget_confirm", ben))
		assert.Contains(t, h.shownTo(ana, "Done"), "the name of <@"+ben+">")
		assertForgotten(t, h, ben, w)
	})
	t.Run("ErrNotAdmin", func(t *testing.T) {
		h := start(t)
		seedForgetWorld(t, h)
		for _, text := range []string{"forget @ben", "forget " + ben} {
			p := h.forgetPrompt(chloe, text)
			assert.Contains(t, p.Text, "only Flywheel admins can erase someone else's records", text)
			assert.Contains(t, p.Text, "<@"+ana+">", "names who to ask")
			assert.Empty(t, p.button("forget_confirm"), "no button to click")
		}
		assert.Len(t, h.wins(), 2)
	})
	t.Run("ErrClickedBySomeoneElse", func(t *testing.T) {
		h := start(t)
		seedForgetWorld(t, h)
		p := h.forgetPrompt(ben, "forget me")
		// chloe forges (or is shown) ben's button: the click is checked again.
		h.ack(h.fake.SendBlockAction(chloe, salesCh, "", "forget_confirm", p.button("forget_confirm")))
		assert.Contains(t, h.dmContaining(chloe, "Sorry"), "only <@"+ben+"> or a Flywheel admin")
		assert.Len(t, h.wins(), 2, "nothing was deleted")
		assert.Len(t, h.questions(), 2)
		assert.Empty(t, h.fake.BotMessages(h.fake.DMChannel(ben)))
	})
	t.Run("ErrUnknownPerson", func(t *testing.T) {
		h := start(t)
		p := h.forgetPrompt(ana, "forget @nobody")
		assert.Contains(t, p.Text, "couldn't tell who “@nobody”")
		assert.Empty(t, p.button("forget_confirm"))
		p = h.forgetPrompt(ana, "forget R&D")
		assert.Contains(t, p.Text, "couldn't tell who “R&amp;D”", "decoded once, encoded once")
		assert.Empty(t, p.button("forget_confirm"))
		p = h.forgetPrompt(ben, "forget")
		assert.Contains(t, p.Text, "/flywheel forget me")
	})
}

// TestForgetLeavesNothingOnDisk: after a forget, a phrase from the
// person's win and question, and their user ID, are nowhere in the
// database file, nor in a backup taken before the forget, nor in one taken
// after: not in a record, a queued or dead-lettered post, a remembered
// reply, the confirmation DM once delivered, nor a free page.
func TestForgetLeavesNothingOnDisk(t *testing.T) {
	for _, clicker := range []string{ben, ana} { // ben himself; ana, an admin, for him
		t.Run(map[string]string{ben: "Self", ana: "Admin"}[clicker], func(t *testing.T) { forgetLeavesNothingOnDisk(t, clicker) })
	}
}

func forgetLeavesNothingOnDisk(t *testing.T, clicker string) {
	dir := t.TempDir()
	h := startWith(t, func(c *config.Config) { c.Backup.Schedule, c.Backup.Dir = "@yearly", dir }, bot.Options{})
	const phrase = "QUOKKA-LANTERN-7731"
	h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", "ChatGPT wrote the "+phrase+" runbook, saved 3h"))
	h.winPosts(1)
	// Social proof cites only wins whose post is recorded.
	eventually(t, func() bool { return h.wins()[0].PostTS != "" }, "the win's post recorded")
	h.ask(ben, "how do I build the "+phrase+" bot with Claude?")
	// A colleague's /ask: its reply quotes ben's win, and is remembered
	// for Slack's redeliveries.
	reply := h.ack(h.fake.SendSlashCommand(ana, salesCh, "/ask", "can I use ChatGPT for runbooks?"))
	assert.Contains(t, string(reply.Payload), phrase, "the saved reply quotes the win")
	// A digest excerpt still queued, and one the sender gave up on.
	require.NoError(t, h.st.Update(func(tx *store.Tx) error {
		quote := "1. <@" + ben + "> “ChatGPT wrote the " + phrase + " runbook”"
		if _, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPost, Channel: salesCh, Text: quote, NotBefore: time.Now().Add(time.Hour)}); err != nil {
			return err
		}
		id, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPost, Channel: "CGONE0001", Text: quote})
		if err != nil {
			return err
		}
		return tx.GiveUp(id, "channel_not_found")
	}))
	before, err := h.st.Backup(dir, 7)
	require.NoError(t, err)
	holds := func(path, what string) bool {
		raw, err := os.ReadFile(path)
		require.NoError(t, err)
		return bytes.Contains(raw, []byte(what))
	}
	require.True(t, holds(h.dbPath, phrase) && holds(before, phrase), "the phrase is on disk before the forget")
	require.True(t, holds(h.dbPath, ben) && holds(before, ben), "so is ben's user ID")

	p := h.forgetPrompt(clicker, map[string]string{ben: "forget me", ana: "forget @ben"}[clicker])
	require.Equal(t, ben, p.button("forget_confirm"))
	h.ack(h.fake.SendBlockAction(clicker, salesCh, "", "forget_confirm", ben))
	assert.Contains(t, h.shownTo(clicker, "Done"), "The database file and its backup are being rewritten")
	eventually(t, func() bool { return strings.Contains(h.logs.String(), "forget: database and backups rewritten") }, "files rewritten")
	// The confirmation names ben (it goes to him, or names him to the
	// admin): once delivered, the file is compacted again without it.
	eventually(t, func() bool { return strings.Contains(h.logs.String(), "forget: confirmation delivered") }, "compacted after the confirmation")

	after, err := h.st.Backup(t.TempDir(), 7)
	require.NoError(t, err)
	for _, path := range []string{h.dbPath, before, after} {
		assert.False(t, holds(path, phrase), "%s still holds the phrase", path)
		assert.False(t, holds(path, ben), "%s still holds ben's user ID", path)
	}
	// The numbers stay: the win counts, without its words.
	wins := h.wins()
	require.Len(t, wins, 1)
	assert.Equal(t, 180, wins[0].MinutesSaved)
	assert.True(t, store.IsForgotten(wins[0].Author))
	// The backup taken before opens and says the same.
	b, err := store.Open(before, store.Options{ReadOnly: true})
	require.NoError(t, err)
	defer b.Close()
	require.NoError(t, b.View(func(tx *store.Tx) error {
		old, err := tx.Win(wins[0].ID)
		require.NoError(t, err)
		assert.Equal(t, wins[0].Author, old.Author, "the same placeholder in the backup")
		assert.Empty(t, old.Text)
		return nil
	}))
	assert.NoError(t, b.Check())
}
