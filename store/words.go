package store

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Lines shorter than minProbeRunes are too common to recognise a person's
// words by ("thanks!"); longer ones are recognised by their first
// probeRunes runes, which survive the digest's excerpts and Slack's quoting.
const (
	minProbeRunes = 8
	probeRunes    = 32
)

// wordProbe recognises a person's words (their wins' and questions' texts)
// inside other records: a queued digest quoting their win, a saved reply
// listing it, a relayed answer.
type wordProbe struct{ probes []string }

// add learns the lines of text.
func (p *wordProbe) add(text string) {
	for line := range strings.SplitSeq(text, "\n") {
		r := []rune(strings.ToLower(strings.TrimSpace(line)))
		if len(r) >= minProbeRunes {
			p.probes = append(p.probes, string(r[:min(len(r), probeRunes)]))
		}
	}
}

// slackUnescape undoes the three escapes Slack text uses.
var slackUnescape = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// in reports whether any string in the JSON document raw holds one of the
// learned lines, after undoing JSON's and Slack's escapes.
func (p *wordProbe) in(raw []byte) bool {
	if len(p.probes) == 0 {
		return false
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&doc); err != nil {
		doc = string(raw)
	}
	found := false
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			s := strings.ToLower(slackUnescape.Replace(v))
			for _, pr := range p.probes {
				if strings.Contains(s, pr) {
					found = true
					return
				}
			}
			// A JSON document inside a string (an entry's blocks).
			if len(v) > 1 && (v[0] == '{' || v[0] == '[') {
				var inner any
				if json.Unmarshal([]byte(v), &inner) == nil {
					walk(inner)
				}
			}
		case []any:
			for _, x := range v {
				if !found {
					walk(x)
				}
			}
		case map[string]any:
			for _, x := range v {
				if !found {
					walk(x)
				}
			}
		}
	}
	walk(doc)
	return found
}
