package textparse

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMentionsAI(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"Is the printer on floor 3 broken?", false},
		{"my laptop won't connect to VPN, how do I get access?", false},
		{"how do I get access to the AI tools?", true},
		{"can I use Perplexity for market research?", true},
		{"any tips for writing prompts?", true},
		{"is there an A.I. policy?", true},
		{"our AI-powered search is slow, who owns it?", true},
		{"how do I fine-tune a language model on our docs?", true},
		{"I said maybe", false},
		// An agent or a bot is AI when it is being built, not otherwise.
		{"how do I build an agent that updates our CRM from call notes?", true},
		{"can we create a bot that answers HR questions?", true},
		{"who is our travel agent for the Berlin trip?", false},
		{"how do I get access to the support agent dashboard?", false},
		{"the Zoom bot keeps joining my calls, how do I stop it?", false},
		{"", false},
	} {
		assert.Equal(t, c.want, MentionsAI(c.text), c.text)
	}
}

func TestMentionsData(t *testing.T) {
	for _, c := range []struct {
		text  string
		extra []string
		want  bool
	}{
		{"Can I use ChatGPT to summarize customer calls?", nil, true},
		{"can I paste contracts into DeepSeek?", nil, true},
		{"pasting our salaries into a sheet with Claude?", nil, true},
		{"uploaded the patient list, is that ok?", nil, true},
		{"can I use ChatGPT to draft a blog post?", nil, false},
		{"can I use Claude on the Falcon invoices?", []string{"invoice"}, true},
		{"anything about health records?", nil, true},
		{"can I use Claude for the roadmap?", []string{"", "  "}, false},
	} {
		assert.Equal(t, c.want, MentionsData(c.text, c.extra), c.text)
	}
}
