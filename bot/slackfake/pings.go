package slackfake

import (
	"encoding/json"
	"regexp"
	"strings"
)

// Pings lists who a message notifies, as Slack would read it: every
// mention in its text and in its blocks' mrkdwn ("<@U…>", "<!here>",
// "<!channel>", "<!everyone>", "<!subteam^…>"), and, in a mrkdwn text
// object without verbatim: true, the "@here", "@channel", "@everyone" and
// "@name" that Slack's automatic parsing turns into mentions.
// Source: https://docs.slack.dev/reference/block-kit/composition-objects/text-object
// ("verbatim: When set to false (as is default) URLs will be
// auto-converted into links, conversation names will be link-ified, and
// certain mentions will be automatically parsed").
//
// Each entry is a user ID, "here", "channel", "everyone" or "subteam^ID".
func (s *Server) Pings(m Message) []string {
	s.mu.Lock()
	names := map[string]string{}
	for _, u := range s.wk.users {
		names[strings.ToLower(u.name)] = u.id
	}
	s.mu.Unlock()
	var out []string
	out = append(out, markupPings(m.Text)...)
	var blocks any
	if json.Unmarshal(m.Blocks, &blocks) == nil {
		walkMrkdwn(blocks, func(text string, verbatim bool) {
			out = append(out, markupPings(text)...)
			if !verbatim {
				out = append(out, parsedPings(text, names)...)
			}
		})
	}
	return out
}

var (
	reMarkupPing = regexp.MustCompile(`<(@[UW][A-Z0-9]+|!here|!channel|!everyone|!subteam\^[A-Z0-9]+)(?:\|[^>]*)?>`)
	rePlainPing  = regexp.MustCompile(`(?i)(?:^|[\s(])@([a-z0-9][a-z0-9._-]*)`)
)

func markupPings(text string) []string {
	var out []string
	for _, m := range reMarkupPing.FindAllStringSubmatch(text, -1) {
		out = append(out, strings.TrimLeft(m[1], "@!"))
	}
	return out
}

func parsedPings(text string, names map[string]string) []string {
	var out []string
	for _, m := range rePlainPing.FindAllStringSubmatch(text, -1) {
		name := strings.ToLower(strings.TrimRight(m[1], "._-"))
		switch {
		case name == "here" || name == "channel" || name == "everyone":
			out = append(out, name)
		case names[name] != "":
			out = append(out, names[name])
		}
	}
	return out
}

// walkMrkdwn calls fn for every mrkdwn text object in decoded blocks.
func walkMrkdwn(v any, fn func(text string, verbatim bool)) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			walkMrkdwn(e, fn)
		}
	case map[string]any:
		if x["type"] == "mrkdwn" {
			text, _ := x["text"].(string)
			verbatim, _ := x["verbatim"].(bool)
			fn(text, verbatim)
			return
		}
		for _, e := range x {
			walkMrkdwn(e, fn)
		}
	}
}
