package bot_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/store"
)

func amplifiers(t *testing.T, h *harness, winID uint64) []string {
	t.Helper()
	var users []string
	require.NoError(t, h.st.View(func(tx *store.Tx) error {
		var err error
		users, err = tx.Amplifiers(winID)
		return err
	}))
	return users
}

func TestNomination(t *testing.T) {
	for _, thread := range []bool{false, true} {
		name := "TopLevel"
		if thread {
			name = "ThreadReply"
		}
		t.Run(name, func(t *testing.T) {
			h := start(t)
			parent := ""
			if thread {
				parent, _ = h.fake.PostAsUser(salesCh, ana, "how did the invoice run go?", "")
			}
			ts, _ := h.fake.PostAsUser(salesCh, dev, "Built a Copilot script that reconciles invoices, went from 4 hours to 20 min", parent)
			h.ack(h.fake.SendReaction(true, chloe, "trophy", salesCh, ts, dev))

			post := h.winPosts(1)[0]
			assert.Contains(t, post.Text, "<@"+chloe+">", "the post names the nominator")
			assert.Contains(t, post.Text, "<@"+dev+">", "and the author")
			assert.Contains(t, post.Text, "reconciles invoices")
			dm, err := h.fake.WaitBotMessages(h.fake.DMChannel(dev), 1, wait)
			require.NoError(t, err, "the author hears about the nomination")
			assert.Contains(t, dm[0].Text, "|your message> as an AI win")

			eventually(t, func() bool { return len(h.wins()) == 1 && !h.wins()[0].Pending }, "win completed")
			w := h.wins()[0]
			assert.Equal(t, dev, w.Author)
			assert.Equal(t, chloe, w.Nominator)
			assert.Equal(t, "Ops", w.Team)
			assert.Equal(t, 220, w.MinutesSaved)
			assert.Equal(t, []string{"Copilot"}, w.Tools)
			assert.Equal(t, store.SourceNomination, w.Source)
			assert.Equal(t, []string{chloe}, amplifiers(t, h, w.ID), "the nomination is the first peer amplification")

			// A second peer's win emoji amplifies; it does not nominate again.
			h.ack(h.fake.SendReaction(true, ana, "trophy", salesCh, ts, dev))
			assert.Len(t, h.wins(), 1)
			assert.ElementsMatch(t, []string{ana, chloe}, amplifiers(t, h, w.ID))
		})
	}
}

func TestReactionsThatDoNothing(t *testing.T) {
	h := start(t)
	ts, _ := h.fake.PostAsUser(salesCh, dev, "saved 3 hours with Claude today", "")
	cases := []struct{ name, user, emoji, itemUser string }{
		{"SelfNomination", dev, "trophy", dev},
		{"OtherEmoji", chloe, "thumbsup", dev},
		{"BotReacting", "UBOT0FLYWHL", "trophy", dev},
	}
	for _, c := range cases {
		h.ack(h.fake.SendReaction(true, c.user, c.emoji, salesCh, ts, c.itemUser))
	}
	assert.Empty(t, h.wins(), "no case above makes a win")
	// Everything above was acked and committed before this; no post follows.
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "saved 1h with ChatGPT"))
	posts := h.winPosts(1)
	assert.Len(t, posts, 1)
}

func TestAmplification(t *testing.T) {
	h := start(t)
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "ChatGPT drafted the RFP answers, saved 4h"))
	post := h.winPosts(1)[0]
	eventually(t, func() bool { return len(h.wins()) == 1 && h.wins()[0].PostTS != "" }, "post ts recorded")
	id := h.wins()[0].ID

	steps := []struct {
		added       bool
		user, emoji string
		want        []string
	}{
		{true, chloe, "fire", []string{chloe}},
		{true, chloe, "clap", []string{chloe}},       // one person, two emoji: counted once
		{true, ana, "raised_hands", []string{chloe}}, // the author's own reaction is not amplification
		{true, ben, "trophy", []string{ben, chloe}},  // the win emoji on a win post amplifies too
		{false, chloe, "fire", []string{ben, chloe}}, // chloe still has :clap:
		{false, chloe, "clap", []string{ben}},        // reaction_removed takes one back
		{true, "UBOT0FLYWHL", "fire", []string{ben}}, // the bot's own reactions never count
	}
	for i, s := range steps {
		h.ack(h.fake.SendReaction(s.added, s.user, s.emoji, winsCh, post.TS, "UBOT0FLYWHL"))
		assert.ElementsMatch(t, s.want, amplifiers(t, h, id), "step %d", i)
	}
}

func TestRedeliveredEnvelopesAreProcessedOnce(t *testing.T) {
	h := start(t)
	env := h.fake.SendSlashCommand(ana, salesCh, "/win", "saved 2h with ChatGPT")
	first := h.ack(env)
	retry := h.fake.Redeliver(env)
	second := h.ack(retry)
	assert.JSONEq(t, string(first.Payload), string(second.Payload), "a retry gets the same reply")

	ts, _ := h.fake.PostAsUser(salesCh, dev, "Copilot saved me 90 mins", "")
	r := h.fake.SendReaction(true, chloe, "trophy", salesCh, ts, dev)
	h.ack(r)
	h.ack(h.fake.Redeliver(r))
	h.ack(h.fake.Redeliver(r))

	h.winPosts(2)
	assert.Len(t, h.wins(), 2, "each win recorded once")
	// The outbox drains in order, so a doubled post would come before this one.
	h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", "saved 1h with Claude"))
	posts := h.winPosts(3)
	assert.Len(t, h.fake.BotMessages(winsCh), 3, "no post doubled: got %v", posts)
}
