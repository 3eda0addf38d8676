package bot

import (
	"fmt"
	"strings"
	"time"

	"flywheel/bot/slacktext"
	"flywheel/bot/textparse"
	"flywheel/config"
	"flywheel/digest"
	"flywheel/store"
)

// proofWindow is how far back the bot looks for colleagues' wins to cite.
const proofWindow = 30 * 24 * time.Hour

// registryAnswer answers "can I use X?" for each tool named: "Yes, here's
// how", the restriction in plain words, or "No, but try Y instead". Every
// answer carries the guidelines; when the question is about data (pasting,
// uploading, customers, contracts… and guidelines.data), the answer leads
// with them and says what the approved tool may be used for, so a "yes"
// never reads as leave to paste what the guidelines forbid. yes reports
// whether any tool got a "Yes" (which earns a follow-up).
func (b *Bot) registryAnswer(d *questionDraft, tools []string) (text string, yes bool) {
	cfg := b.Config()
	data := textparse.MentionsData(d.reading.Text, cfg.Guidelines.Data)
	var parts []string
	if data {
		parts = append(parts, guidelinesFirst(cfg))
	}
	for _, name := range tools {
		t, ok := cfg.Tool(name)
		if !ok {
			continue
		}
		switch t.Status {
		case config.StatusApproved:
			yes = true
			part := fmt.Sprintf(":white_check_mark: *Yes, you can use %s.*", slacktext.Escape(t.Name))
			if data {
				part = fmt.Sprintf(":white_check_mark: *%s is approved*%s.", slacktext.Escape(t.Name), usedFor(t))
			}
			if t.HowTo != "" {
				part += " Here's how: " + slacktext.Escape(t.HowTo)
			}
			parts = append(parts, part+d.proof[t.Name])
		case config.StatusRestricted:
			part := fmt.Sprintf(":warning: *%s is allowed with a restriction:* %s.", slacktext.Escape(t.Name), slacktext.Escape(strings.TrimSuffix(t.Restriction, ".")))
			if t.HowTo != "" {
				part += " Here's how: " + slacktext.Escape(t.HowTo)
			}
			if alt, ok := cfg.Tool(t.Alternative); ok && t.Alternative != "" {
				part += fmt.Sprintf(" If that rules it out, try *%s*%s.", slacktext.Escape(alt.Name), usedForIf(data, alt))
			}
			parts = append(parts, part)
		case config.StatusNotApproved:
			alt, hasAlt := cfg.Tool(t.Alternative)
			var part string
			switch {
			case hasAlt && t.Alternative != "" && data:
				part = fmt.Sprintf(":no_entry: *No, %s isn't approved.* The approved alternative is *%s*%s: an approved tool doesn't make it fine to paste in what they rule out.",
					slacktext.Escape(t.Name), slacktext.Escape(alt.Name), usedFor(alt))
			case hasAlt && t.Alternative != "":
				part = fmt.Sprintf(":no_entry: *No, %s isn't approved, but try %s instead.*", slacktext.Escape(t.Name), slacktext.Escape(alt.Name))
			default:
				part = fmt.Sprintf(":no_entry: *No, %s isn't approved.* %s", slacktext.Escape(t.Name), slacktext.Escape(t.HowTo))
			}
			if hasAlt && t.Alternative != "" {
				if alt.HowTo != "" {
					part += " Here's how: " + slacktext.Escape(alt.HowTo)
				}
				if t.HowTo != "" {
					part += "\n_Why not " + slacktext.Escape(t.Name) + ":_ " + slacktext.Escape(t.HowTo)
				}
			}
			parts = append(parts, part)
		}
	}
	if g := strings.TrimPrefix(guidelinesLine(cfg), "\n"); g != "" && !data {
		parts = append(parts, ":books: "+g)
	}
	return slacktext.Cut(strings.Join(parts, "\n\n"), slacktext.MessageText), yes
}

// guidelinesFirst opens an answer to a question about data: the
// guidelines, before any tool.
func guidelinesFirst(cfg *config.Config) string {
	if g := strings.TrimPrefix(guidelinesLine(cfg), "\n"); g != "" {
		return ":books: *First, our AI guidelines on data:* " + g
	}
	return ":books: *First, mind the data:* no AI tool makes it fine to share customer, personal or contract details " +
		"beyond what you're allowed to. When in doubt, ask before you paste."
}

// usedFor says what an approved tool may be used for, after its name:
// its use_for, within the guidelines quoted above.
func usedFor(t config.Tool) string {
	if t.UseFor != "" {
		return " for " + slacktext.Escape(strings.TrimSuffix(t.UseFor, ".")) + ", within the guidelines above"
	}
	return ", within the guidelines above"
}

func usedForIf(data bool, t config.Tool) string {
	if !data {
		return ""
	}
	return ": it's approved" + usedFor(t)
}

// guidelinesLine is the AI guidelines as one line of mrkdwn (with its
// leading newline), or "". The link is an admin's config value: config
// validation allows only an http(s) address without spaces, "|", "<" or
// ">", and it is escaped here like any text.
func guidelinesLine(cfg *config.Config) string {
	link := func() string { return "<" + slacktext.Escape(cfg.Guidelines.Link) + "|Our AI guidelines>" }
	switch {
	case cfg.Guidelines.Link != "" && cfg.Guidelines.Text != "":
		return fmt.Sprintf("\n_%s_ %s", slacktext.Escape(cfg.Guidelines.Text), link())
	case cfg.Guidelines.Link != "":
		return "\n" + link()
	case cfg.Guidelines.Text != "":
		return "\n_" + slacktext.Escape(cfg.Guidelines.Text) + "_"
	}
	return ""
}

// questionDraft is a question read before its envelope reaches the
// writer: how it reads, and for each approved tool it could be answered
// about, the social proof to cite. Both are work the single write
// transaction every ack waits for should never do.
type questionDraft struct {
	reading textparse.Reading
	proof   map[string]string // tool name -> lines citing colleagues' wins
}

// answerable says the registry can answer the question: it names a tool
// and asks whether (or how to get access to) it may be used.
func answerable(r textparse.Reading) bool {
	return len(r.Tools) > 0 && (r.IsPermission || r.Stage == textparse.StageAccess)
}

// draftQuestion reads a question's social proof from a snapshot of the
// store, before the writer; nothing is read unless the registry can answer.
func (b *Bot) draftQuestion(asker string, r textparse.Reading) *questionDraft {
	d := &questionDraft{reading: r, proof: map[string]string{}}
	if !answerable(r) {
		return d
	}
	cfg := b.Config()
	for _, name := range r.Tools {
		if t, ok := cfg.Tool(name); ok && t.Status == config.StatusApproved {
			proof, err := b.socialProof(t.Name, asker)
			if err != nil {
				b.log.WithError(err).Warn("cannot read colleagues' wins for an answer; answering without them")
			}
			d.proof[t.Name] = proof + b.topTip(t.Name, asker)
		}
	}
	return d
}

// socialProof cites up to two recent wins with the tool by other people:
// seeing a colleague's result is what makes people try. It reads the
// wins-by-tool index newest first and stops at two, so its cost does not
// grow with the month's wins.
func (b *Bot) socialProof(tool, asker string) (string, error) {
	now := b.clock.Now()
	var lines []string
	err := b.st.View(func(tx *store.Tx) error {
		return tx.EachWinWithTool(tool, now.Add(-proofWindow), now.Add(time.Second), func(w store.Win) bool {
			if w.Author == asker || w.Pending || w.Held || w.Private || w.AwaitingApproval || w.PostTS == "" || !hasTool(w.Tools, tool) ||
				w.IsTip() || !digest.ShownTo(w, "") {
				return true
			}
			line := fmt.Sprintf("• %s: \"%s\"", who(w), slacktext.Fit(firstLine(w.Text), 100))
			if w.MinutesSaved > 0 {
				line += " (saved " + digest.FormatMinutes(w.MinutesSaved) + ")"
			}
			line += fmt.Sprintf(" <%s|see the win>", messageLink(w.PostChannel, w.PostTS))
			lines = append(lines, line)
			return len(lines) < 2
		})
	})
	if err != nil || len(lines) == 0 {
		return "", err
	}
	return "\nColleagues who did it recently:\n" + strings.Join(lines, "\n"), nil
}

func hasTool(tools []string, name string) bool {
	for _, t := range tools {
		if strings.EqualFold(t, name) {
			return true
		}
	}
	return false
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// messageLink is a link to a message that works in any workspace.
func messageLink(channel, ts string) string {
	return fmt.Sprintf("https://slack.com/archives/%s/p%s", channel, strings.ReplaceAll(ts, ".", ""))
}
