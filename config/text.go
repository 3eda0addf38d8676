package config

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Bounds on the config's free text, which the bot repeats to people in
// Slack (escaped like anyone's words). They keep every message built from
// the config inside Slack's limits: a button's text is at most 75
// characters, a section's 3,000.
const (
	// MaxNameLen bounds tool names, aliases and team names.
	MaxNameLen = 75
	// MaxToolText bounds a tool's how_to and restriction.
	MaxToolText = 500
	// MaxGuidelinesText bounds guidelines.text.
	MaxGuidelinesText = 500
	// MaxLinkLen bounds guidelines.link.
	MaxLinkLen = 500
)

// text checks one free-text value: at most max characters, and on one
// line when oneLine (names are shown in bold, *name*, which a newline
// breaks).
func (v *checker) text(key, s string, max int, oneLine bool) {
	switch n := utf8.RuneCountInString(s); {
	case n > max:
		v.fail(key, "too long (%d characters; at most %d, so every message quoting it fits Slack's limits)", n, max)
	case oneLine && strings.ContainsAny(s, "\r\n"):
		v.fail(key, "must be on one line")
	}
}

// validateText bounds every config value the bot repeats in Slack.
func (c *Config) validateText(v *checker) {
	for i, t := range c.Teams {
		v.text(fmt.Sprintf("teams[%d].name", i), t.Name, MaxNameLen, true)
	}
	for i, t := range c.Tools {
		key := fmt.Sprintf("tools[%d]", i)
		v.text(key+".name", t.Name, MaxNameLen, true)
		for k, a := range t.Aliases {
			v.text(fmt.Sprintf("%s.aliases[%d]", key, k), a, MaxNameLen, true)
		}
		v.text(key+".how_to", t.HowTo, MaxToolText, false)
		v.text(key+".restriction", t.Restriction, MaxToolText, false)
		v.text(key+".use_for", t.UseFor, MaxToolText, false)
	}
	v.text("guidelines.text", c.Guidelines.Text, MaxGuidelinesText, false)
	for i, w := range c.Guidelines.Data {
		key := fmt.Sprintf("guidelines.data[%d]", i)
		if strings.TrimSpace(w) == "" {
			v.fail(key, "empty (a word or phrase like \"invoice\" or \"employee records\")")
		}
		v.text(key, w, MaxNameLen, true)
	}
	if l := c.Guidelines.Link; l != "" {
		v.text("guidelines.link", l, MaxLinkLen, true)
		// The link goes inside Slack's <address|label> markup: a space,
		// "|", "<" or ">" in it would end the link early and let the
		// rest be read as markup.
		if strings.ContainsAny(l, " \t|<>") {
			v.fail("guidelines.link", "%q has a space or one of | < > (percent-encode them: %%20, %%7C, %%3C, %%3E)", l)
		}
	}
}
