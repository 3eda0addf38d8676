// Package textparse turns the free text of a Slack message into facts the
// bot can act on: minutes of time saved (MinutesSaved), the registry tools
// it mentions (ToolMatcher) and what kind of question it is (Read).
//
// Everything here is pure and deterministic: keyword and pattern rules that
// a person can read and explain, no Slack, no database, no network. All
// functions accept any input (including invalid UTF-8) without panicking and
// do work linear in the length of the text.
package textparse

import (
	"regexp"
	"strings"
)

// Slack's message markup. Go's regexp engine is linear-time, so these are
// safe on long, hostile input.
var (
	// <https://x|label>, <#C123|general>, <@U123|bob>: keep the label.
	reSlackLabel = regexp.MustCompile(`<[^<>|]*\|([^<>]*)>`)
	// <@U123>, <#C123>, <!here>: a reference with no readable text.
	reSlackRef = regexp.MustCompile(`<[@#!][^<>]*>`)
	// <https://x>: a bare link; keep the address without the brackets.
	reSlackURL = regexp.MustCompile(`<((?:https?://|mailto:)[^<>]*)>`)
	// A plain address in the text.
	reURL = regexp.MustCompile(`(?i)(?:https?://|www\.)[^\s<>]+`)
	// :rocket:, :+1:, :woman-raising-hand::skin-tone-2: — at least one letter
	// so that times like 1:30:00 survive.
	reEmoji = regexp.MustCompile(`:[a-z0-9_+'-]*[a-z][a-z0-9_+'-]*:`)
	// ```code blocks``` and `inline code`.
	reCodeBlock  = regexp.MustCompile("(?s)```.*?```")
	reInlineCode = regexp.MustCompile("`[^`\n]*`")
)

// Slack escapes only these three characters in message text.
var entityReplacer = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// arrowReplacer turns the many ways of writing an arrow into one rune, so
// "4h -> 20m" and "4h ➡️ 20m" read the same. Longest spellings come first.
var arrowReplacer = strings.NewReplacer(
	":arrow_right:", " → ",
	":arrow_forward:", " → ",
	"-->", " → ",
	"->", " → ",
	"=>", " → ",
	"⟶", " → ",
	"➡️", " → ",
	"➡", " → ",
	"➜", " → ",
	"➔", " → ",
	"⇒", " → ",
	"→", " → ",
	"’", "'",
	"‘", "'",
	"—", " - ",
	"–", " - ",
)

// unslack replaces Slack markup with plain text: link labels are kept,
// user, channel and broadcast references are dropped and HTML entities are
// decoded. The result keeps its original case.
func unslack(text string) string {
	// The guards skip a regexp pass, the slowest step, when it cannot match.
	if strings.Contains(text, "<") {
		text = reSlackLabel.ReplaceAllString(text, " $1 ")
		text = reSlackRef.ReplaceAllString(text, " ")
		text = reSlackURL.ReplaceAllString(text, " $1 ")
	}
	if strings.Contains(text, "&") {
		text = entityReplacer.Replace(text)
	}
	return text
}

// plainText is the common clean-up for reading meaning (not tool names):
// Slack markup, addresses and emoji shortcodes removed, arrows unified,
// lower case. Code is dropped when dropCode is set, otherwise only the
// backticks are. Emoji shortcodes become emoji: " " for reading numbers,
// "\n" for reading questions, where ":tada: how do i…" starts a new
// sentence the way people type it.
func plainText(text string, dropCode bool, emoji string) string {
	text = unslack(text)
	if strings.Contains(text, "`") {
		if dropCode {
			text = reCodeBlock.ReplaceAllString(text, " . ")
			text = reInlineCode.ReplaceAllString(text, " code ")
		}
		text = strings.ReplaceAll(text, "`", " ")
	}
	text = strings.ToLower(text)
	if strings.Contains(text, "://") || strings.Contains(text, "www.") {
		text = reURL.ReplaceAllString(text, " ")
	}
	// Arrows before emoji: ":arrow_right:" is both.
	text = arrowReplacer.Replace(text)
	if strings.Contains(text, ":") {
		text = reEmoji.ReplaceAllLiteralString(text, emoji)
	}
	return text
}
