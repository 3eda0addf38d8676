// Package slacktext is Slack's text encoding, both ways, in one place.
//
// Slack encodes &, < and > as &amp;, &lt; and &gt; in all the text it sends
// an app (message events, conversations.history, slash commands, the
// message inside shortcut and button payloads); a raw < only starts Slack's
// own markup: <@U…>, <#C…|name>, <!here>, <https://…|label>. Modal input
// values are the one exception: they arrive as typed.
// (https://docs.slack.dev/messaging/formatting-message-text#escaping)
//
// So text is decoded once, where it enters the bot (Decode), and the bot's
// records hold plain text. On the way out, mrkdwn is encoded once (Escape)
// and only then cut to Slack's limits (Cut, or Fit for both): cutting
// first lets "&" grow into "&amp;" past the limit, and cutting blindly
// can split an entity or a link in two.
package slacktext

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// entities decodes the three entities Slack writes, in one pass, so
// "&amp;lt;" (someone typing "&lt;") becomes "&lt;" and not "<".
var entities = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// escaper is built once: building a Replacer costs more than using it.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// Decode turns text as Slack sends it into the plain text the person saw:
// entities decoded, and Slack's markup made readable and inert, so that
// repeating the text can never ping anyone:
//
//	<@U123|ana>           → @ana      (<@U123> → @U123: Slack sends no name)
//	<#C123|sales>         → #sales
//	<!here>, <!channel>   → @here, @channel
//	<!subteam^S1|@devs>   → @devs
//	<https://x.io|the doc> → the doc (https://x.io)
//	<https://x.io>        → https://x.io
//
// Call it once, at the edge, on text from Slack; never on modal input
// values, which Slack sends raw, nor on text already decoded.
func Decode(wire string) string {
	if !strings.ContainsAny(wire, "<&") {
		return wire
	}
	var b strings.Builder
	b.Grow(len(wire))
	for {
		open := strings.IndexByte(wire, '<')
		if open < 0 {
			b.WriteString(entities.Replace(wire))
			return b.String()
		}
		end := strings.IndexByte(wire[open:], '>')
		if end < 0 { // not markup: Slack never sends a raw '<' otherwise
			b.WriteString(entities.Replace(wire))
			return b.String()
		}
		b.WriteString(entities.Replace(wire[:open]))
		b.WriteString(token(wire[open+1 : open+end]))
		wire = wire[open+end+1:]
	}
}

// token renders the inside of one <…> as plain text.
func token(inner string) string {
	ref, label, hasLabel := strings.Cut(inner, "|")
	ref, label = entities.Replace(ref), entities.Replace(label)
	switch {
	case strings.HasPrefix(ref, "@"): // a person
		if hasLabel && label != "" {
			return "@" + strings.TrimPrefix(label, "@")
		}
		return ref
	case strings.HasPrefix(ref, "#"): // a channel
		if hasLabel && label != "" {
			return "#" + strings.TrimPrefix(label, "#")
		}
		return ref
	case strings.HasPrefix(ref, "!"): // @here, @channel, a user group, a date
		if hasLabel && label != "" {
			return label
		}
		name := strings.TrimPrefix(ref, "!")
		if sub, ok := strings.CutPrefix(name, "subteam^"); ok {
			return "@" + sub
		}
		if word, _, _ := strings.Cut(name, "^"); word == "here" || word == "channel" || word == "everyone" || word == "group" {
			return "@" + word
		}
		return name
	}
	// A link. Slack labels a plain address with itself (or without its scheme).
	if !hasLabel || label == "" || label == ref || label == strings.TrimPrefix(ref, "mailto:") ||
		strings.HasSuffix(ref, "://"+label) || strings.HasSuffix(ref, "://"+label+"/") {
		if addr, ok := strings.CutPrefix(ref, "mailto:"); ok {
			return addr
		}
		return ref
	}
	return label + " (" + ref + ")"
}

// Escape encodes plain text for a mrkdwn field: the three characters Slack
// reads as control characters become entities, so the text shows as typed
// and nothing in it is read as a mention or a link.
func Escape(plain string) string { return escaper.Replace(plain) }

// Len is a text's length as Slack's limits count it. Slack's docs give
// limits in characters without saying which; this counts UTF-16 code
// units (an emoji is two), the larger of the usual counts, so a text that
// fits here fits Slack whichever it uses.
func Len(s string) int {
	n := 0
	for _, r := range s {
		if utf16.RuneLen(r) == 2 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// Ellipsis marks a cut.
const Ellipsis = "…"

// Cut bounds mrkdwn (already escaped) to n characters as Len counts them,
// marking a cut with an ellipsis. It never splits an entity ("&amp;") or a
// Slack token ("<https://…|label>"): half of either would show as garbage
// or break the link. Text that fits is returned unchanged.
func Cut(s string, n int) string {
	kept, cut := prefix(s, n)
	if !cut || n < Len(Ellipsis) {
		return kept
	}
	// Back off from a token or entity left open by the cut.
	if i := strings.LastIndexByte(kept, '<'); i >= 0 && !strings.Contains(kept[i:], ">") {
		kept = kept[:i]
	}
	if i := strings.LastIndexByte(kept, '&'); i >= 0 && !strings.Contains(kept[i:], ";") && len(kept)-i < len("&amp;") {
		kept = kept[:i]
	}
	return kept + Ellipsis
}

// CutPlain bounds plain text (a plain_text field, which Slack shows as is)
// to n characters as Len counts them, marking a cut with an ellipsis.
func CutPlain(s string, n int) string {
	kept, cut := prefix(s, n)
	if !cut || n < Len(Ellipsis) {
		return kept
	}
	return kept + Ellipsis
}

// prefix is the longest prefix of s that leaves room for the ellipsis in
// n characters, or s itself (cut false) when s fits.
func prefix(s string, n int) (kept string, cut bool) {
	if Len(s) <= n {
		return s, false
	}
	budget := n - Len(Ellipsis)
	end := 0 // bytes of s kept
	for end < len(s) {
		r, size := utf8.DecodeRuneInString(s[end:])
		w := 1
		if utf16.RuneLen(r) == 2 {
			w = 2
		}
		if budget < w {
			break
		}
		budget -= w
		end += size
	}
	return s[:end], true
}

// Fit escapes plain text and cuts it to n: the one way a person's words
// (or an admin's config text) go into a limited mrkdwn field.
func Fit(plain string, n int) string { return Cut(Escape(plain), n) }

// Quote escapes plain text as a mrkdwn block quote, every line marked.
func Quote(plain string) string {
	return ">" + strings.ReplaceAll(Escape(plain), "\n", "\n>")
}
