package bot_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot/slackfake"
	"flywheel/digest"
	"flywheel/store"
)

// prompt waits for the bot's DM to user holding a button with actionID and
// returns it.
func (h *harness) prompt(user, actionID string) slackfake.Message {
	h.t.Helper()
	var found slackfake.Message
	eventually(h.t, func() bool {
		for _, m := range h.fake.BotMessages(h.fake.DMChannel(user)) {
			if strings.Contains(string(m.Blocks), `"`+actionID+`"`) {
				found = m
				return true
			}
		}
		return false
	}, "a DM to "+user+" with the "+actionID+" button")
	return found
}

// shownTo waits for a message to user, in a DM or privately in a channel
// (a prompt replaced through its response_url), holding want.
func (h *harness) shownTo(user, want string) string {
	h.t.Helper()
	var text string
	eventually(h.t, func() bool {
		for _, m := range append(h.fake.Ephemerals(user), h.fake.BotMessages(h.fake.DMChannel(user))...) {
			if strings.Contains(m.Text, want) {
				text = m.Text
				return true
			}
		}
		return false
	}, "a message to "+user+" saying "+want)
	return text
}

// message returns the channel's message with ts as it is now (ok false
// once it is deleted).
func (h *harness) message(channel, ts string) (slackfake.Message, bool) {
	for _, m := range h.fake.Messages(channel) {
		if m.TS == ts {
			return m, true
		}
	}
	return slackfake.Message{}, false
}

// flush waits until everything queued before it has been delivered: a
// /win's post goes out after every post queued earlier.
func (h *harness) flush(posts int) {
	h.t.Helper()
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "flush the outbox: saved 5 min with ChatGPT"))
	h.winPosts(posts)
}

// counted is what the digest and App Home count for user: their wins.
func (h *harness) counted(user string) int {
	h.t.Helper()
	var c digest.Contribution
	require.NoError(h.t, h.st.View(func(tx *store.Tx) (err error) {
		c, err = digest.ContributionOf(tx, h.bot.Config(), user)
		return err
	}))
	return c.Wins
}

// TestNomineeConsent: the nominee's DM links the nominated message and
// offers Looks right / Not an AI win, remove it. Removing deletes the
// bot's post (chat.delete), stops the win counting, and keeps the message
// from being nominated again; only the author's click counts.
func TestNomineeConsent(t *testing.T) {
	for _, c := range []struct{ name, action string }{
		{"LooksRight", "nominee_keep"},
		{"NotAnAIWin", "nominee_remove"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := start(t)
			ts, _ := h.fake.PostAsUser(salesCh, dev, "Copilot reconciled the invoices, went from 4 hours to 20 min", "")
			h.ack(h.fake.SendReaction(true, chloe, "trophy", salesCh, ts, dev))
			post := h.winPosts(1)[0]
			ask := h.prompt(dev, c.action)
			assert.Contains(t, ask.Text, "<@"+chloe+"> nominated <https://slack.com/archives/"+salesCh+"/p"+strings.ReplaceAll(ts, ".", "")+"|your message>",
				"the DM links the nominated message")
			assert.Contains(t, string(ask.Blocks), "Looks right")
			assert.Contains(t, string(ask.Blocks), "Not an AI win, remove it")
			eventually(t, func() bool { return len(h.wins()) == 1 && h.wins()[0].PostTS == post.TS }, "post recorded")
			id := strconv.FormatUint(h.wins()[0].ID, 10)
			require.Equal(t, 1, h.counted(dev))

			// The nominator's click changes nothing.
			h.ack(h.fake.SendBlockAction(chloe, h.fake.DMChannel(dev), ask.TS, "nominee_remove", id))
			require.Len(t, h.wins(), 1, "only the author can remove it")
			h.ack(h.fake.SendBlockAction(dev, h.fake.DMChannel(dev), ask.TS, c.action, id))

			if c.action == "nominee_keep" {
				eventually(t, func() bool {
					m, _ := h.message(h.fake.DMChannel(dev), ask.TS)
					return strings.Contains(m.Text, "it stays up")
				}, "the prompt is replaced by the answer")
				m, _ := h.message(h.fake.DMChannel(dev), ask.TS)
				assert.NotContains(t, string(m.Blocks), "nominee_remove", "no button is left to click")
				_, ok := h.message(winsCh, post.TS)
				assert.True(t, ok, "the post stays")
				assert.Equal(t, 1, h.counted(dev))
				return
			}
			eventually(t, func() bool { _, ok := h.message(winsCh, post.TS); return !ok }, "the bot deletes its post")
			require.NotEmpty(t, h.fake.Calls("chat.delete"))
			del := h.fake.Calls("chat.delete")[0]
			assert.Equal(t, winsCh, del.Params["channel"])
			assert.Equal(t, post.TS, del.Params["ts"])
			assert.Empty(t, h.wins(), "the win stops counting")
			assert.Equal(t, 0, h.counted(dev))
			assert.Contains(t, h.dmContaining(chloe, "isn't an AI win"), "<@"+dev+">")
			eventually(t, func() bool {
				m, _ := h.message(h.fake.DMChannel(dev), ask.TS)
				return strings.Contains(m.Text, "taken the post down")
			}, "the prompt is replaced by the answer")

			// The author said no: another colleague's emoji doesn't bring it back.
			h.ack(h.fake.SendReaction(true, ana, "trophy", salesCh, ts, dev))
			h.flush(1)
			assert.Len(t, h.wins(), 1, "only the flushing win")
			// A late click on the old prompt just says it's gone.
			h.ack(h.fake.SendBlockAction(dev, h.fake.DMChannel(dev), ask.TS, "nominee_keep", id))
			eventually(t, func() bool {
				m, _ := h.message(h.fake.DMChannel(dev), ask.TS)
				return strings.Contains(m.Text, "already been removed")
			}, "a late click is answered")
		})
	}
}

// TestNominationWithdrawnByEmoji: the only nominator taking their win
// emoji back withdraws the win (post deleted, counted nowhere); while a
// colleague also holds the emoji, it stays.
func TestNominationWithdrawnByEmoji(t *testing.T) {
	t.Run("OnlyNominator", func(t *testing.T) {
		h := start(t)
		ts, _ := h.fake.PostAsUser(salesCh, dev, "Claude drafted the runbook, saved 2h", "")
		h.ack(h.fake.SendReaction(true, chloe, "trophy", salesCh, ts, dev))
		post := h.winPosts(1)[0]
		h.prompt(dev, "nominee_keep")
		h.ack(h.fake.SendReaction(false, chloe, "trophy", salesCh, ts, dev))
		assert.Empty(t, h.wins(), "withdrawn in the same commit as the reaction")
		eventually(t, func() bool { _, ok := h.message(winsCh, post.TS); return !ok }, "the post is deleted")
		assert.Contains(t, h.dmContaining(dev, "took back their nomination"), "<@"+chloe+">")
		h.dmContaining(chloe, "withdrawn that nomination")

		// Not declined by the author: a new nomination is welcome.
		h.ack(h.fake.SendReaction(true, ana, "trophy", salesCh, ts, dev))
		h.winPosts(1)
		require.Len(t, h.wins(), 1)
		assert.Equal(t, ana, h.wins()[0].Nominator)
	})
	t.Run("AnotherColleagueStillHoldsIt", func(t *testing.T) {
		h := start(t)
		ts, _ := h.fake.PostAsUser(salesCh, dev, "Claude drafted the runbook, saved 2h", "")
		h.ack(h.fake.SendReaction(true, chloe, "trophy", salesCh, ts, dev))
		post := h.winPosts(1)[0]
		h.ack(h.fake.SendReaction(true, ana, "trophy", salesCh, ts, dev))
		h.ack(h.fake.SendReaction(false, chloe, "trophy", salesCh, ts, dev))
		require.Len(t, h.wins(), 1)
		assert.Equal(t, []string{ana}, amplifiers(t, h, h.wins()[0].ID))
		_, ok := h.message(winsCh, post.TS)
		assert.True(t, ok)
	})
	t.Run("WhileTheTextIsStillBeingFetched", func(t *testing.T) {
		// conversations.history is rate limited for a moment: the
		// nomination waits, counted nowhere, and is withdrawn before it
		// is ever posted.
		h := start(t)
		h.fake.Fail("conversations.history", 1, 429, 1)
		ts, _ := h.fake.PostAsUser(salesCh, dev, "Claude drafted the runbook, saved 2h", "")
		h.ack(h.fake.SendReaction(true, chloe, "trophy", salesCh, ts, dev))
		require.Len(t, h.wins(), 1)
		w := h.wins()[0]
		assert.True(t, w.Pending)
		assert.Equal(t, 0, h.counted(dev), "a nomination counts nowhere until its text is in and its channel known")
		h.ack(h.fake.SendReaction(false, chloe, "trophy", salesCh, ts, dev))
		assert.Empty(t, h.wins())
		pending, err := h.st.Outbox(100)
		require.NoError(t, err)
		for _, e := range pending {
			assert.NotEqual(t, store.OutboxNominate, e.Kind, "the fetch is dropped with the win")
		}
		h.flush(1)
		assert.Len(t, h.fake.BotMessages(winsCh), 1, "only the flushing win was posted")
		for _, m := range h.fake.BotMessages(h.fake.DMChannel(dev)) {
			assert.NotContains(t, m.Text, "nominated", "the author never hears of a withdrawn nomination")
		}
	})
}

// TestReactionNominationFromPrivateConversation: the win emoji on a message
// in a private channel or a group DM posts nothing until the author
// approves, through the same DM as the "Share as a win" shortcut's.
func TestReactionNominationFromPrivateConversation(t *testing.T) {
	const privCh, mpimCh = "CPRIV0005", "GMPIM0006"
	for _, c := range []struct{ name, channel, decision string }{
		{"PrivateChannelApproved", privCh, "nomination_approve"},
		{"GroupDMDeclined", mpimCh, "nomination_decline"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := startSetup(t, setup{before: func(f *slackfake.Server) {
				f.AddPrivateChannel(privCh, "board-prep")
				f.AddChannel(mpimCh, "mpdm-ben--dev-1")
			}})
			ts, env := h.fake.PostAsUser(c.channel, ben, "Claude drafted the board memo in 1 hour instead of 4 hours", "")
			if env != "" {
				h.ack(env)
			}
			h.ack(h.fake.SendReaction(true, dev, "trophy", c.channel, ts, ben))
			ask := h.prompt(ben, c.decision)
			assert.Contains(t, ask.Text, "would like to share your message from a private conversation")
			assert.Contains(t, ask.Text, ">Claude drafted the board memo", "the DM shows what would be posted")
			h.dmContaining(dev, "asked them to approve")
			require.Len(t, h.wins(), 1)
			w := h.wins()[0]
			assert.True(t, w.AwaitingApproval)
			assert.False(t, w.Pending)
			assert.Equal(t, 0, h.counted(ben), "counted nowhere until approved")
			assert.Empty(t, h.fake.BotMessages(winsCh))
			if c.channel == privCh {
				assert.NotEmpty(t, h.fake.Calls("conversations.info"), "a C… ID may be private: the bot asks")
			}

			h.ack(h.fake.SendBlockAction(ben, h.fake.DMChannel(ben), ask.TS, c.decision, strconv.FormatUint(w.ID, 10)))
			if c.decision == "nomination_decline" {
				h.dmContaining(dev, "preferred to keep")
				assert.Empty(t, h.wins())
				eventually(t, func() bool {
					m, _ := h.message(h.fake.DMChannel(ben), ask.TS)
					return strings.Contains(m.Text, "nothing was shared")
				}, "the prompt is replaced")
				// Declined: a second emoji asks nobody again.
				h.ack(h.fake.SendReaction(true, chloe, "trophy", c.channel, ts, ben))
				h.flush(1)
				assert.Len(t, h.wins(), 1, "only the flushing win")
				return
			}
			post := h.winPosts(1)[0]
			assert.Contains(t, post.Text, "Claude drafted the board memo")
			assert.Equal(t, 1, h.counted(ben))
		})
	}
}

// TestNominationOfAMessageSlackWontGive: when Slack won't give the
// nominated message (deleted before its text was read, or a group DM
// read without mpim:history), the nomination is dropped, counted
// nowhere, and its nominator told; it doesn't wait forever, and a later
// emoji on the message, once readable, nominates it.
func TestNominationOfAMessageSlackWontGive(t *testing.T) {
	h := start(t)
	ts, _ := h.fake.PostAsUser(salesCh, dev, "Claude drafted the runbook, saved 2h", "")
	h.fake.FailWith("conversations.history", 1, "missing_scope", false)
	h.ack(h.fake.SendReaction(true, chloe, "trophy", salesCh, ts, dev))
	assert.Contains(t, h.dmContaining(chloe, "couldn't read"), "`missing_scope`")
	eventually(t, func() bool { return len(h.wins()) == 0 }, "the nomination is dropped")
	dead, err := h.st.Dead()
	require.NoError(t, err)
	assert.Empty(t, dead, "nothing is left waiting")
	assert.Empty(t, h.fake.BotMessages(winsCh))
	for _, m := range h.fake.BotMessages(h.fake.DMChannel(dev)) {
		assert.NotContains(t, m.Text, "nominated", "the author never hears of it")
	}

	// Readable now: a colleague's emoji nominates it as usual.
	h.ack(h.fake.SendReaction(true, ana, "trophy", salesCh, ts, dev))
	post := h.winPosts(1)[0]
	assert.Contains(t, post.Text, "Claude drafted the runbook")

	// A message deleted before its text was read: the same.
	h.ack(h.fake.SendReaction(true, chloe, "trophy", salesCh, "1700000000.000999", ben))
	h.dmContaining(chloe, "it may have been deleted")
	eventually(t, func() bool { return len(h.wins()) == 1 }, "only the readable nomination stays")
}
