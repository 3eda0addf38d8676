package textparse

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFind(t *testing.T) {
	m := NewToolMatcher(testRegistry)
	cases := []struct {
		name, text string
		want       []string
	}{
		{"CaseInsensitive", "CHATGPT and Claude", []string{"ChatGPT", "Claude"}},
		{"OrderOfFirstAppearanceOnce", "claude, then chatgpt, then claude again", []string{"Claude", "ChatGPT"}},
		{"Possessive", "Claude's answer was better", []string{"Claude"}},
		{"CurlyPossessive", "Claude’s answer was better", []string{"Claude"}},
		{"TrailingPunctuation", "copilot? gemini! midjourney. deepseek,", []string{"Copilot", "Gemini", "Midjourney", "DeepSeek"}},
		{"VersionSuffix", "ChatGPT-4 is fine", []string{"ChatGPT"}},
		{"PunctuatedAlias", "gpt-4o vs gpt-4", []string{"ChatGPT"}},
		{"MultiWordAlias", "Notion AI wrote it", []string{"Notion AI"}},
		{"MultiWordAcrossSpaces", "notion\n  ai wrote it", []string{"Notion AI"}},
		{"MultiWordNeedsBothWords", "notion is great, ai is everywhere", nil},
		{"WholeWordsOnly", "mjolnir, bardic, claudette", nil},
		{"ShortAlias", "mj made the moodboard", []string{"Midjourney"}},
		{"Emoji", "ChatGPT:rocket: and :tada:claude🚀", []string{"ChatGPT", "Claude"}},
		{"SlackLinkLabel", "see <https://example.com/x|ChatGPT> and <@U123>", []string{"ChatGPT"}},
		{"SlackLinkAddressNotLabel", "<https://wiki.example.com/ai|our AI page>", nil},
		{"AddressMatches", "https://chat.openai.com/share/1", []string{"ChatGPT"}},
		{"Nothing", "no tools here", nil},
		{"Empty", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, m.Find(c.text))
		})
	}
}

func TestFindLongestAliasWins(t *testing.T) {
	m := NewToolMatcher([]Tool{
		{Name: "Copilot", Aliases: []string{"copilot"}},
		{Name: "GitHub Copilot", Aliases: []string{"github copilot"}},
		{Name: "GPT", Aliases: []string{"gpt"}},
		{Name: "ChatGPT", Aliases: []string{"chatgpt"}},
		{Name: "GPT-4o", Aliases: []string{"gpt-4o"}},
		{Name: "C++", Aliases: []string{"c++", "cpp"}},
		{Name: "C", Aliases: []string{"c"}},
	})
	cases := []struct {
		name, text string
		want       []string
	}{
		{"MultiWordOverSingle", "GitHub Copilot rocks", []string{"GitHub Copilot"}},
		{"SingleAlone", "copilot rocks", []string{"Copilot"}},
		{"BothSeparately", "github copilot and ms copilot", []string{"GitHub Copilot", "Copilot"}},
		{"NotInsideWord", "chatgpt only", []string{"ChatGPT"}},
		{"PunctuationInside", "gpt-4o beats gpt", []string{"GPT-4o", "GPT"}},
		{"PrefixOfLongerAlias", "gpt-4 is old", []string{"GPT"}},
		{"Plus", "c++ and c", []string{"C++", "C"}},
		{"PlusAtEnd", "I write c++.", []string{"C++"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, m.Find(c.text))
		})
	}
}

func TestNewToolMatcher(t *testing.T) {
	t.Run("NilMatcher", func(t *testing.T) {
		var m *ToolMatcher
		assert.Nil(t, m.Find("chatgpt"))
	})
	t.Run("EmptyRegistry", func(t *testing.T) {
		assert.Nil(t, NewToolMatcher(nil).Find("chatgpt"))
	})
	t.Run("NameIsAnAlias", func(t *testing.T) {
		assert.Equal(t, []string{"Perplexity"}, NewToolMatcher([]Tool{{Name: "Perplexity"}}).Find("perplexity?"))
	})
	t.Run("EmptyNameAndAliasesSkipped", func(t *testing.T) {
		m := NewToolMatcher([]Tool{{Name: "", Aliases: []string{"x"}}, {Name: "Y", Aliases: []string{"", "  "}}})
		assert.Nil(t, m.Find("x"))
		assert.Equal(t, []string{"Y"}, m.Find("y"))
	})
	t.Run("SharedAliasBelongsToFirst", func(t *testing.T) {
		m := NewToolMatcher([]Tool{{Name: "A", Aliases: []string{"bot"}}, {Name: "B", Aliases: []string{"bot"}}})
		assert.Equal(t, []string{"A"}, m.Find("the bot"))
	})
	t.Run("AliasSpacingNormalised", func(t *testing.T) {
		m := NewToolMatcher([]Tool{{Name: "GH", Aliases: []string{"  GitHub   Copilot "}}})
		assert.Equal(t, []string{"GH"}, m.Find("github copilot"))
	})
}
