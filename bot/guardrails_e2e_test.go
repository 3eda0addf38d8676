package bot_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot"
	"flywheel/config"
)

func TestSensitiveWinIsHeldUntilTheAuthorDecides(t *testing.T) {
	h := startWith(t, func(c *config.Config) { c.Guardrails.BlockTerms = []string{"Project Falcon"} }, bot.Options{})
	a := h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "ChatGPT drafted the reply to jane.doe@client.example in 5 min instead of an hour"))
	assert.Contains(t, string(a.Payload), "haven't shared it")
	dm, err := h.fake.WaitBotMessages(h.fake.DMChannel(ana), 1, wait)
	require.NoError(t, err, "the author is asked privately")
	assert.Contains(t, dm[0].Text, "email address")
	assert.NotContains(t, dm[0].Text, "jane.doe@client.example", "the DM itself shows the redacted version")
	assert.Contains(t, string(dm[0].Blocks), "guard_redact")
	assert.Contains(t, string(dm[0].Blocks), "guard_private")
	assert.Empty(t, h.fake.BotMessages(winsCh), "nothing sensitive reaches the wins channel")
	assert.True(t, h.wins()[0].Held)

	// Someone else's click does nothing; the author's posts the redacted win.
	h.ack(h.fake.SendBlockAction(ben, h.fake.DMChannel(ana), dm[0].TS, "guard_redact", "1"))
	h.ack(h.fake.SendBlockAction(ana, h.fake.DMChannel(ana), dm[0].TS, "guard_redact", "1"))
	post := h.winPosts(1)[0]
	assert.Contains(t, post.Text, "[email address removed]")
	assert.NotContains(t, post.Text, "jane.doe")
	assert.Len(t, h.fake.BotMessages(winsCh), 1, "posted once, after the author's click only")

	// Keeping it private: counted, never shown.
	h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", "Claude sped up the Project Falcon pitch, saved 3h"))
	dm2, err := h.fake.WaitBotMessages(h.fake.DMChannel(ben), 1, wait)
	require.NoError(t, err)
	assert.Contains(t, dm2[0].Text, "blocked term")
	h.ack(h.fake.SendBlockAction(ben, h.fake.DMChannel(ben), dm2[0].TS, "guard_private", "2"))
	_, err = h.fake.WaitBotMessages(h.fake.DMChannel(ben), 2, wait)
	require.NoError(t, err)
	w := h.wins()[1]
	assert.True(t, w.Private)
	assert.Equal(t, 180, w.MinutesSaved)
	assert.Len(t, h.fake.BotMessages(winsCh), 1)
}

func TestSensitiveNominationIsHeld(t *testing.T) {
	h := start(t)
	ts, _ := h.fake.PostAsUser(salesCh, dev, "copilot fixed the deploy, token was xoxb-2718281828-3141592653-AbCdEfGhIjKl, saved 2h", "")
	h.ack(h.fake.SendReaction(true, chloe, "trophy", salesCh, ts, dev))
	dm, err := h.fake.WaitBotMessages(h.fake.DMChannel(dev), 1, wait)
	require.NoError(t, err)
	assert.Contains(t, dm[0].Text, "API key or token")
	assert.NotContains(t, dm[0].Text, "xoxb-2718281828")
	assert.Empty(t, h.fake.BotMessages(winsCh))
}

// TestKeepItPrivateSticks: once the author keeps a win private, a later
// click on "Post with these redacted" (the same DM, still on screen) does
// nothing.
func TestKeepItPrivateSticks(t *testing.T) {
	h := start(t)
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "ChatGPT answered jane.doe@client.example, saved 1h"))
	dm, err := h.fake.WaitBotMessages(h.fake.DMChannel(ana), 1, wait)
	require.NoError(t, err)
	h.ack(h.fake.SendBlockAction(ana, h.fake.DMChannel(ana), dm[0].TS, "guard_private", "1"))
	h.dmContaining(ana, "Kept private")
	h.ack(h.fake.SendBlockAction(ana, h.fake.DMChannel(ana), dm[0].TS, "guard_redact", "1"))
	h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", "Claude sorted the inbox, saved 1h")) // a later post to wait for
	posts := h.winPosts(1)
	assert.Contains(t, posts[0].Text, "<@"+ben+">", "the private win was never posted")
	assert.Len(t, h.fake.BotMessages(winsCh), 1)
	w := h.wins()[0]
	assert.True(t, w.Private)
	assert.False(t, w.Held)
	assert.Len(t, h.fake.BotMessages(h.fake.DMChannel(ana)), 2, "no second decision note")
}

// TestHeldWinKeepsNoSecretAtRest: a held win is stored redacted, so the
// database file never holds what looked sensitive.
func TestHeldWinKeepsNoSecretAtRest(t *testing.T) {
	h := start(t)
	const secret = "sk-proj-Zq8vN2xLr5Tb9Wc3Yd7Fe1Gh4Jk6Mn0Pq"
	for _, send := range []func(){
		func() {
			h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "ChatGPT wrote the script with key "+secret+", saved 1h"))
		},
		func() {
			ts, env := h.fake.PostAsUser(salesCh, dev, "Copilot fixed the deploy, key "+secret+", saved 2h", "")
			h.ack(env)
			h.ack(h.fake.SendReaction(true, chloe, "trophy", salesCh, ts, ""))
		},
	} {
		send()
	}
	h.dmContaining(ana, "API key or token")
	h.dmContaining(dev, "API key or token")
	for _, w := range h.wins() {
		assert.True(t, w.Held)
		assert.NotContains(t, w.Text, secret)
		assert.Contains(t, w.Text, "[API key or token removed]")
	}
	h.stop()
	raw, err := os.ReadFile(h.dbPath)
	require.NoError(t, err)
	assert.False(t, bytes.Contains(raw, []byte(secret)), "the secret is nowhere in the database file")
}

// TestRedactionThatGrowsTheTextStillPosts: redaction labels are longer
// than what they replace; a win near the length limit full of addresses
// must still be stored, shown to its author and posted once redacted.
func TestRedactionThatGrowsTheTextStillPosts(t *testing.T) {
	h := start(t)
	text := "Claude mailed everyone, saved 2h: " + strings.Repeat("a@b.example ", 330) // ~4,000 bytes; redacted ~9,000
	require.Less(t, len(text), 4000)
	a := h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", text))
	assert.Contains(t, string(a.Payload), "haven't shared it")
	dm, err := h.fake.WaitBotMessages(h.fake.DMChannel(ana), 1, wait)
	require.NoError(t, err)
	h.ack(h.fake.SendBlockAction(ana, h.fake.DMChannel(ana), dm[0].TS, "guard_redact", "1"))
	post := h.winPosts(1)[0]
	assert.Contains(t, post.Text, "[email address removed]")
	assert.LessOrEqual(t, len(h.wins()[0].Text), 4000)
	assert.Empty(t, h.fake.BlockKitRefusals())
}
