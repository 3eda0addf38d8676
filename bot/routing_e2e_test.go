package bot_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot"
	"flywheel/config"
	"flywheel/digest"
)

// TestOnlyAIQuestionsAreRoutedAndCounted: questions in a help channel that
// aren't about AI (the printer, the VPN) get no reply, go to no champion
// and count nowhere, so "my laptop won't connect to VPN" never shows up as
// a team asking for access. An AI question next to them is routed.
func TestOnlyAIQuestionsAreRoutedAndCounted(t *testing.T) {
	h := start(t)
	for _, q := range []struct{ who, text string }{
		{ana, "Is the printer on floor 3 broken?"},
		{lena, "my laptop won't connect to VPN"},
		{lena, "my laptop won't connect to VPN, how do I get access?"},
		{lena, "can I get access to the finance share drive?"},
		{lena, "how do I get access to the support agent dashboard?"},
		{ana, "who is our travel agent for the Berlin trip?"},
	} {
		h.ask(q.who, q.text)
	}
	assert.Empty(t, h.questions(), "not recorded")
	ts := h.ask(lena, "how do I get access to the AI assistant everyone talks about?")
	routed, err := h.fake.WaitBotMessages(champsCh, 1, wait)
	require.NoError(t, err)
	assert.Len(t, routed, 1, "only the AI question reaches the champions")
	h.threadReplies(helpCh, ts, 1)
	for _, m := range h.fake.Messages(helpCh) {
		if m.BotID != "" {
			assert.Equal(t, ts, m.ThreadTS, "the bot replies only under the AI question")
		}
	}
	require.Len(t, h.questions(), 1)
	q := h.questions()[0]
	assert.True(t, q.AccessRequest, "Legal asking for AI access is the signal")

	var in digest.Input
	cfg := h.bot.Config()
	end := time.Now().Add(time.Hour)
	in, err = digest.Load(h.st, end)
	require.NoError(t, err)
	d := digest.Build(in, cfg, end)
	assert.Equal(t, 1, d.Headline.Questions.Now)
	require.Len(t, d.AccessRequests, 1)
	assert.Equal(t, 1, d.AccessRequests[0].Questions, "the VPN question is not a request for AI access")
}

// TestUnknownToolNamesTheApprovedAlternatives: asking about an AI product
// the registry doesn't list goes to the champions, and the interim reply
// names what is approved today.
func TestUnknownToolNamesTheApprovedAlternatives(t *testing.T) {
	h := start(t)
	ts := h.ask(ana, "can I use Perplexity for market research?")
	reply := h.threadReplies(helpCh, ts, 1)[0].Text
	assert.Contains(t, reply, "asked our AI champions")
	assert.Contains(t, reply, "meanwhile these are approved: *ChatGPT*, *Claude*, *Copilot*")
	assert.NotContains(t, reply, "DeepSeek", "only approved tools are offered")
	_, err := h.fake.WaitBotMessages(champsCh, 1, wait)
	require.NoError(t, err)
}

// TestAskSaysWhoWillSeeIt: /ask without a champions channel says honestly
// that nobody will see the question; /ask about something other than AI
// is neither recorded nor passed on.
func TestAskSaysWhoWillSeeIt(t *testing.T) {
	t.Run("NoChampionsChannel", func(t *testing.T) {
		h := startWith(t, func(c *config.Config) { c.ChampionsChannel = "" }, bot.Options{})
		a := h.ack(h.fake.SendSlashCommand(ben, salesCh, "/ask", "how do I build an agent that triages support tickets?"))
		assert.Contains(t, string(a.Payload), "nobody else will see your question")
		assert.NotContains(t, string(a.Payload), "will reply")
		assert.Contains(t, string(a.Payload), `\u003c@`+ana, "names the admins who can set it up")
	})
	t.Run("NotAboutAI", func(t *testing.T) {
		h := start(t)
		a := h.ack(h.fake.SendSlashCommand(ben, salesCh, "/ask", "my laptop won't connect to VPN"))
		assert.Contains(t, string(a.Payload), "doesn't look like a question about AI tools")
		assert.Empty(t, h.questions())
		h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "flush: saved 5 min with ChatGPT"))
		h.winPosts(1)
		assert.Empty(t, h.fake.BotMessages(champsCh))
	})
}
