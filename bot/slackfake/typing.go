package slackfake

import (
	"encoding/json"
	"regexp"
	"strings"
)

// This file is "what Slack delivers when a person types X". Every method
// that sends typed text (PostAsUser, EditAsUser, SendSlashCommand) goes
// through it, so the fake speaks Slack's wire format and never the raw text.
//
// Slack encodes &, < and > as &amp;, &lt; and &gt; in all the text it sends
// an app, and writes mentions, channels and links as its own markup; only
// modal input values arrive as typed.
// Source: https://docs.slack.dev/messaging/formatting-message-text
// ("Escaping text", "Mentioning users", "Linking to channels",
// "Special mentions"); slash commands: "Escape channels, users, and links
// sent to your app" (should_escape in the app manifest): when on,
// "@ben" arrives as <@U…|ben>, when off as "@ben".
//
// A test types what a person would type in Slack's composer:
//
//	@ana             a mention of the user named ana (AddUser)
//	#sales           a link to the channel named sales (AddChannel)
//	@here @channel @everyone
//	https://…        a link, as the composer makes one
//	[label](https://…) a link with a label (the composer's link tool)
//
// and everything else, "<", "&" and "->" included, is text.

// piece is one part of typed text.
type piece struct {
	kind  string // text, user, channel, broadcast, link
	text  string // text; link label ("" for a bare link); broadcast range
	id    string // user or channel ID; link URL
	name  string // user or channel name
	typed string // what was typed for it
}

var (
	reLabelled = regexp.MustCompile(`^\[([^\]\n]+)\]\((https?://[^\s)]+)\)`)
	reURL      = regexp.MustCompile(`^https?://[^\s<>]+`)
	reName     = regexp.MustCompile(`^[@#]([a-z0-9][a-z0-9._-]*)`)
)

// piecesLocked splits typed text into text and the markup Slack makes of it.
func (s *Server) piecesLocked(typed string) []piece {
	var out []piece
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			out = append(out, piece{kind: "text", text: text.String(), typed: text.String()})
			text.Reset()
		}
	}
	atWordStart := func(i int) bool {
		if i == 0 {
			return true
		}
		c := typed[i-1]
		return c == ' ' || c == '\n' || c == '\t' || c == '(' || c == '"' || c == '\''
	}
	for i := 0; i < len(typed); {
		rest := typed[i:]
		if m := reLabelled.FindStringSubmatch(rest); m != nil {
			flush()
			out = append(out, piece{kind: "link", text: m[1], id: m[2], typed: m[0]})
			i += len(m[0])
			continue
		}
		if atWordStart(i) {
			if m := reURL.FindString(rest); m != "" {
				m = strings.TrimRight(m, ".,;:!?)\"'")
				flush()
				out = append(out, piece{kind: "link", id: m, typed: m})
				i += len(m)
				continue
			}
			if rest[0] == '@' || rest[0] == '#' {
				head := strings.ToLower(rest[:min(len(rest), 100)])
				if m := reName.FindStringSubmatch(head); m != nil {
					name := strings.TrimRight(m[1], "._-") // "@ana." ends a sentence
					if p, ok := s.nameLocked(rest[0], name); ok {
						flush()
						p.typed = rest[:1+len(name)]
						out = append(out, p)
						i += len(p.typed)
						continue
					}
				}
			}
		}
		text.WriteByte(typed[i])
		i++
	}
	flush()
	return out
}

// nameLocked resolves "@name" or "#name" typed in the composer.
func (s *Server) nameLocked(sigil byte, name string) (piece, bool) {
	if sigil == '@' {
		switch name {
		case "here", "channel", "everyone":
			return piece{kind: "broadcast", text: name}, true
		}
		for _, u := range s.wk.users {
			if strings.EqualFold(u.name, name) {
				return piece{kind: "user", id: u.id, name: u.name}, true
			}
		}
		return piece{}, false
	}
	for _, c := range s.wk.channels {
		if !c.isIM && !c.isMPIM && strings.EqualFold(c.name, name) {
			return piece{kind: "channel", id: c.id, name: c.name}, true
		}
	}
	return piece{}, false
}

// escapeText encodes the three characters Slack encodes.
var escapeText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace

// messageWire is a typed message as Slack writes its text.
func messageWire(ps []piece) string {
	var b strings.Builder
	for _, p := range ps {
		switch p.kind {
		case "text":
			b.WriteString(escapeText(p.text))
		case "user":
			b.WriteString("<@" + p.id + ">")
		case "channel":
			b.WriteString("<#" + p.id + "|" + p.name + ">")
		case "broadcast":
			b.WriteString("<!" + p.text + ">")
		case "link":
			b.WriteString("<" + escapeText(p.id))
			if p.text != "" {
				b.WriteString("|" + escapeText(p.text))
			}
			b.WriteString(">")
		}
	}
	return b.String()
}

// commandWire is a typed slash command's text: encoded always, and its
// mentions, channels and links written as markup only when the command
// escapes them.
func commandWire(ps []piece, escape bool) string {
	if escape {
		var b strings.Builder
		for _, p := range ps {
			switch p.kind {
			case "user":
				b.WriteString("<@" + p.id + "|" + p.name + ">")
			default:
				b.WriteString(messageWire([]piece{p}))
			}
		}
		return b.String()
	}
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(escapeText(p.typed))
	}
	return b.String()
}

// richTextBlocks is the rich_text block Slack attaches to a typed message:
// the same pieces as elements, text unencoded.
// Source: https://docs.slack.dev/reference/block-kit/blocks/rich-text-block
// (rich_text_section elements: text, user, channel, link, broadcast).
func richTextBlocks(ps []piece, blockID string) json.RawMessage {
	elems := []any{}
	for _, p := range ps {
		switch p.kind {
		case "text":
			elems = append(elems, map[string]any{"type": "text", "text": p.text})
		case "user":
			elems = append(elems, map[string]any{"type": "user", "user_id": p.id})
		case "channel":
			elems = append(elems, map[string]any{"type": "channel", "channel_id": p.id})
		case "broadcast":
			elems = append(elems, map[string]any{"type": "broadcast", "range": p.text})
		case "link":
			l := map[string]any{"type": "link", "url": p.id}
			if p.text != "" {
				l["text"] = p.text
			}
			elems = append(elems, l)
		}
	}
	b, _ := json.Marshal([]any{map[string]any{
		"type":     "rich_text",
		"block_id": blockID,
		"elements": []any{map[string]any{"type": "rich_text_section", "elements": elems}},
	}})
	return b
}

// MessageText is the text Slack delivers (in message events,
// conversations.history and the message of shortcut and button payloads)
// for a message a person typed as typed.
func (s *Server) MessageText(typed string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return messageWire(s.piecesLocked(typed))
}

// CommandText is the text Slack delivers in a slash command's payload when
// a person types `command typed`.
func (s *Server) CommandText(command, typed string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return commandWire(s.piecesLocked(typed), s.commandEscapes(command))
}

// commandEscapes says whether a command has "Escape channels, users, and
// links" on: as manifest.yml sets them (/flywheel on, /win and /ask off),
// unless SetCommandEscape changed it.
func (s *Server) commandEscapes(command string) bool {
	if on, ok := s.cmdEscape[command]; ok {
		return on
	}
	return command == "/flywheel"
}

// SetCommandEscape turns a slash command's "Escape channels, users, and
// links sent to your app" setting on or off, as a workspace admin can in
// the app's settings.
func (s *Server) SetCommandEscape(command string, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmdEscape == nil {
		s.cmdEscape = map[string]bool{}
	}
	s.cmdEscape[command] = on
}
