package textparse

import (
	"strings"
	"unicode"
)

// Tool is a registry tool's name and the aliases people use for it.
type Tool struct {
	Name    string
	Aliases []string
}

// ToolMatcher finds registry tools named in text.
type ToolMatcher struct {
	phrases []phrase // longest first, so "github copilot" wins over "copilot"
}

type phrase struct {
	words []string
	name  string
}

// NewToolMatcher builds a matcher over the registry's names and aliases.
func NewToolMatcher(tools []Tool) *ToolMatcher {
	m := &ToolMatcher{}
	for _, t := range tools {
		for _, a := range append([]string{t.Name}, t.Aliases...) {
			if w := words(a); len(w) > 0 {
				m.phrases = append(m.phrases, phrase{words: w, name: t.Name})
			}
		}
	}
	for i := 1; i < len(m.phrases); i++ { // insertion sort by word count, descending
		for j := i; j > 0 && len(m.phrases[j].words) > len(m.phrases[j-1].words); j-- {
			m.phrases[j], m.phrases[j-1] = m.phrases[j-1], m.phrases[j]
		}
	}
	return m
}

// words splits lowercased text into words; '-', '+' and inner '.' stay
// inside a word so "gpt-4o" and "c++" are single words.
func words(s string) []string {
	s = strings.ToLower(s)
	var out []string
	var cur strings.Builder
	flush := func() {
		w := strings.TrimRight(cur.String(), ".-")
		w = strings.TrimSuffix(w, "'s")
		if w != "" {
			out = append(out, w)
		}
		cur.Reset()
	}
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || ((r == '-' || r == '+' || r == '.' || r == '\'') && cur.Len() > 0) {
			cur.WriteRune(r)
			continue
		}
		flush()
	}
	flush()
	return out
}

// Find returns the names of registry tools mentioned in text, in order of
// first appearance, each once. Matching is case-insensitive on whole words.
func (m *ToolMatcher) Find(text string) []string {
	if m == nil || len(m.phrases) == 0 {
		return nil
	}
	ws := words(text)
	var found []string
	seen := map[string]bool{}
	for i := 0; i < len(ws); i++ {
		for _, p := range m.phrases {
			if i+len(p.words) > len(ws) {
				continue
			}
			match := true
			for j, w := range p.words {
				if ws[i+j] != w {
					match = false
					break
				}
			}
			if match {
				if !seen[p.name] {
					seen[p.name] = true
					found = append(found, p.name)
				}
				i += len(p.words) - 1
				break
			}
		}
	}
	return found
}
