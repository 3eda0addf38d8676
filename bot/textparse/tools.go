package textparse

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tool is one entry of the tool registry: its canonical name and the other
// names people type for it.
type Tool struct {
	Name    string
	Aliases []string
}

// ToolMatcher finds the registry tools a message mentions. It is immutable
// after NewToolMatcher and safe for concurrent use.
type ToolMatcher struct {
	// byFirst groups the lower-case aliases by their first byte, longest
	// first, so the longest alias wins at a position.
	byFirst map[byte][]alias
	// words holds every alias as words of letters and digits ("gpt-4o" is
	// gpt, 4o), keyed by its first word and longest first, so question rules
	// can see "is <tool> approved" in a list of words.
	words map[string][][]string
}

type alias struct {
	text string // lower case, single spaces
	name string // the tool's canonical Name
}

// NewToolMatcher builds a matcher for tools. Each tool's Name is an alias
// too. Aliases are compared in lower case with runs of white space
// collapsed; an alias claimed by two tools belongs to the first. Tools with
// an empty Name are skipped.
func NewToolMatcher(tools []Tool) *ToolMatcher {
	m := &ToolMatcher{byFirst: map[byte][]alias{}, words: map[string][][]string{}}
	seen := map[string]bool{}
	for _, t := range tools {
		if strings.TrimSpace(t.Name) == "" {
			continue
		}
		for _, a := range append([]string{t.Name}, t.Aliases...) {
			a = collapseSpace(strings.ToLower(a))
			if a == "" || seen[a] {
				continue
			}
			seen[a] = true
			m.byFirst[a[0]] = append(m.byFirst[a[0]], alias{text: a, name: t.Name})
			if ws := strings.FieldsFunc(a, func(r rune) bool { return !isWordRune(r) }); len(ws) > 0 {
				m.words[ws[0]] = append(m.words[ws[0]], ws)
			}
		}
	}
	for _, group := range m.byFirst {
		slices.SortStableFunc(group, func(a, b alias) int { return cmp.Compare(len(b.text), len(a.text)) })
	}
	for _, seqs := range m.words {
		slices.SortStableFunc(seqs, func(a, b []string) int { return cmp.Compare(len(b), len(a)) })
	}
	return m
}

// Find returns the canonical Names of the registry tools mentioned in text,
// in order of first appearance, each once.
//
// An alias matches case-insensitively on whole words: it must start where a
// word starts and be followed by something that is not a letter or digit.
// So "gpt" does not match inside "chatgpt", while "Claude's", "copilot?" and
// "ChatGPT-4" match. Characters inside an alias ("-", ".", "+", spaces) must
// be typed as they are ("gpt-4o", "c++", "github copilot"); white space in
// the text is collapsed first, so "github  copilot" matches too. The longest
// alias wins at a position ("github copilot" over "copilot"). Slack links
// match on their label; addresses are searched like any text, so
// "openai.com" matches an "openai" alias.
func (m *ToolMatcher) Find(text string) []string {
	if m == nil || len(m.byFirst) == 0 {
		return nil
	}
	s := collapseSpace(strings.ToLower(unslack(text)))
	var found []string
	prevWord := false
	for i := 0; i < len(s); {
		if !prevWord {
			if a, ok := m.matchAt(s, i); ok {
				if !slices.Contains(found, a.name) {
					found = append(found, a.name)
				}
				i += len(a.text)
				r, _ := utf8.DecodeLastRuneInString(a.text)
				prevWord = isWordRune(r)
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		prevWord = isWordRune(r)
		i += size
	}
	return found
}

// matchAt returns the longest alias that starts at s[i] and ends at a word
// boundary.
func (m *ToolMatcher) matchAt(s string, i int) (alias, bool) {
	for _, a := range m.byFirst[s[i]] {
		if !strings.HasPrefix(s[i:], a.text) {
			continue
		}
		if end := i + len(a.text); end < len(s) {
			if r, _ := utf8.DecodeRuneInString(s[end:]); isWordRune(r) {
				continue
			}
		}
		return a, true
	}
	return alias{}, false
}

// markTools returns ws with every alias replaced by the single word
// toolWord, so rules can be written as "is <tool> approved".
func (m *ToolMatcher) markTools(ws []string) []string {
	if m == nil || len(m.words) == 0 {
		return ws
	}
	out := make([]string, 0, len(ws))
	for i := 0; i < len(ws); {
		n := 0
		for _, seq := range m.words[ws[i]] {
			if len(seq) <= len(ws)-i && slices.Equal(seq, ws[i:i+len(seq)]) {
				n = len(seq)
				break
			}
		}
		if n == 0 {
			out = append(out, ws[i])
			i++
			continue
		}
		out = append(out, toolWord)
		i += n
	}
	return out
}

// toolWord stands for any registry tool in the word lists of question rules.
const toolWord = "<tool>"

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// collapseSpace trims s and replaces each run of white space with one space.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
