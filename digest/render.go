package digest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"flywheel/bot/slacktext"
	"flywheel/store"
)

// Slack's limits on one message, and how many items a list shows before
// it says "and N more".
const (
	// MaxBlocks is Slack's limit on blocks in one message.
	MaxBlocks = slacktext.MessageBlocks
	// MaxSectionText is Slack's limit on a section's text, in characters.
	MaxSectionText = slacktext.SectionText
	// MaxFieldText is Slack's limit on one section field, in characters.
	MaxFieldText = slacktext.FieldText
	// MaxHeaderText is Slack's limit on a header block's plain text.
	MaxHeaderText = slacktext.HeaderText

	showAccess = 8
	showPeople = 5
	showCapped = 20
)

// RenderOptions tunes Render.
type RenderOptions struct {
	// Lead renders the lead digest: everything the programme lead needs,
	// names included (who asks for access, the capped wins). It goes to
	// digest.lead_channel or the admins' DMs, never to a public channel.
	Lead bool
	// Admin is Lead's earlier name: what admins preview is the lead digest.
	Admin bool
	// Trend, when set, adds the weeks' sparklines and claims under the
	// headline; with Chart also an image block for the trend's chart,
	// whose slack_file ID is ChartFilePlaceholder until it is uploaded.
	Trend *Trend
	Chart bool
}

// part is one block of the message; text-only rendering reads the same parts.
type part struct {
	kind   slack.MessageBlockType
	text   string   // mrkdwn (plain text for a header)
	fields []string // a section's fields, mrkdwn
}

// Message is a rendered digest.
type Message struct {
	// Text is the message's text: what a notification and a screen reader
	// say. For the public digest it is the week's sentence.
	Text   string
	Blocks []slack.Block
	// Transcript is the whole message as mrkdwn text, as a reader sees it:
	// what `flywheel digest --dry-run`, the demo and the golden files show.
	Transcript string
}

// Render turns a digest into a Block Kit message and its text (see
// RenderMessage).
func Render(d Digest, opts RenderOptions) (text string, blocks []slack.Block) {
	m := RenderMessage(d, opts)
	return m.Text, m.Blocks
}

// RenderMessage renders the public digest (read in ten seconds: see
// public.go), or with opts.Lead the lead digest. It is pure and respects
// Slack's limits: at most MaxBlocks blocks, MaxSectionText characters per
// section, user text escaped, people as <@U…> mentions.
func RenderMessage(d Digest, opts RenderOptions) Message {
	var parts []part
	var text string
	if opts.Lead || opts.Admin {
		parts, text = leadParts(d, opts), leadSentence(d)
	} else {
		parts, text = publicParts(d, opts), Sentence(d)
	}
	if len(parts) > MaxBlocks { // cannot happen with the parts above; keeps the promise if more are added
		parts = parts[:MaxBlocks]
	}
	blocks, transcript := assemble(parts)
	return Message{Text: slacktext.Cut(escape(text), slacktext.MessageText), Blocks: blocks, Transcript: transcript}
}

// leadParts lays out the lead digest: the sentence, every figure and the
// trend's sparklines and claims, then what the lead acts on.
func leadParts(d Digest, opts RenderOptions) []part {
	head := part{kind: slack.MBTHeader, text: slacktext.CutPlain("Flywheel lead digest", MaxHeaderText)}
	if Quiet(d) {
		text := ":seedling: " + escape(Sentence(d))
		if d.Lead != nil && d.Lead.Totals.Wins > 0 {
			text += "\n" + totalsText(d.Lead)
		}
		return []part{head, {kind: slack.MBTSection, text: text}}
	}
	parts := []part{head,
		{kind: slack.MBTSection, text: "*" + escape(Sentence(d)) + "*"},
		{kind: slack.MBTContext, text: windowText(d) + " · for the programme lead: it names people, so keep it out of public channels"},
	}
	if len(d.AccessRequests) > 0 {
		parts = append(parts, part{kind: slack.MBTSection, text: accessText(d.AccessRequests)})
	}
	parts = append(parts, headlinePart(d))
	if opts.Trend != nil && len(opts.Trend.Weeks) > 0 {
		parts = append(parts, part{kind: slack.MBTSection, text: TrendText(*opts.Trend)})
	}
	parts = append(parts, part{kind: slack.MBTDivider})
	if d.Rollout != nil {
		parts = append(parts, part{kind: slack.MBTSection, text: rolloutText(d.Rollout)})
	}
	parts = append(parts, part{kind: slack.MBTSection, text: mixText(d.Mix)})
	if d.Spread != nil {
		parts = append(parts, part{kind: slack.MBTSection, text: SpreadText(d.Spread)})
	}
	if d.Teaching.Active() {
		parts = append(parts, part{kind: slack.MBTSection, text: TeachingText(d.Teaching)})
	}
	if d.Lead != nil {
		parts = append(parts,
			part{kind: slack.MBTSection, text: unansweredText(d.Lead, d.End)},
			part{kind: slack.MBTSection, text: byToolText(d.Lead)},
			part{kind: slack.MBTSection, text: byTeamText(d.Lead)})
	}
	parts = append(parts, part{kind: slack.MBTSection, text: cappedText(d)})
	if d.Lead != nil {
		parts = append(parts, part{kind: slack.MBTSection, text: totalsText(d.Lead)})
	}
	return append(parts, part{kind: slack.MBTContext, text: fmt.Sprintf(
		"Hours: a win counts at most %s until two colleagues cheer it. Cheered by colleagues: the hours of wins at least one colleague cheered. Changes are against the 7 days before.",
		FormatMinutes(d.MaxMinutesPerWin))})
}

// assemble turns parts into blocks and the transcript that reads like them.
func assemble(parts []part) (blocks []slack.Block, transcript string) {
	var b strings.Builder
	for i, p := range parts {
		var chunk string
		switch p.kind {
		case slack.MBTHeader:
			blocks = append(blocks, slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, slacktext.CutPlain(p.text, MaxHeaderText), true, false)))
			chunk = "*" + escape(p.text) + "*" // plain_text in the block, mrkdwn here
		case slack.MBTContext:
			blocks = append(blocks, slack.NewContextBlock("", md(slacktext.Cut(p.text, slacktext.ContextText))))
			chunk = p.text
		case slack.MBTDivider:
			blocks = append(blocks, slack.NewDividerBlock())
			continue
		case slack.MBTImage: // alt text says what the chart shows; the transcript names it
			blocks = append(blocks, chartBlock(p.text, p.fields[0]))
			chunk = "_(chart: " + escape(p.fields[0]) + ")_"
		default:
			var fields []*slack.TextBlockObject
			var lines []string
			if p.text != "" {
				lines = append(lines, p.text)
			}
			for _, f := range p.fields {
				fields = append(fields, md(slacktext.Cut(f, MaxFieldText)))
				lines = append(lines, strings.Replace(f, "\n", ": ", 1))
			}
			var text *slack.TextBlockObject
			if p.text != "" {
				text = md(slacktext.Cut(p.text, MaxSectionText))
			}
			blocks = append(blocks, slack.NewSectionBlock(text, fields, nil))
			chunk = strings.Join(lines, "\n")
		}
		// The text reads like the message: the date line under the title,
		// a blank line between the rest.
		switch {
		case i == 0:
		case parts[i-1].kind == slack.MBTHeader:
			b.WriteString("\n")
		default:
			b.WriteString("\n\n")
		}
		b.WriteString(chunk)
	}
	b.WriteString("\n")
	return blocks, b.String()
}

// BuilderJSON is a message's blocks as {"blocks":[...]}, indented, the form
// Slack's Block Kit Builder accepts when pasted. Mentions stay readable
// (<@U…>, not \u003c@U…\u003e).
func BuilderJSON(blocks []slack.Block) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(struct {
		Blocks []slack.Block `json:"blocks"`
	}{blocks}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func headerText(d Digest) string {
	if d.Team != "" {
		return "Flywheel weekly digest: " + d.Team
	}
	return "Flywheel weekly digest"
}

func windowText(d Digest) string {
	return fmt.Sprintf("%s to %s · compared with the 7 days before",
		d.Start.Format("Mon 2 Jan 15:04"), d.End.Format("Mon 2 Jan 2006 15:04 MST"))
}

// escape makes a person's or an admin's words safe to repeat in mrkdwn
// (see slacktext): "<!channel>" typed in a win must not ping anyone.
func escape(s string) string { return slacktext.Escape(s) }

// md is a mrkdwn text object with verbatim set, so Slack's automatic
// parsing never turns a typed "@here" into a mention.
func md(text string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, text, false, true)
}

// mention names user; a forgotten person's placeholder still counts in
// the numbers but is never named.
func mention(user string) string {
	if store.IsForgotten(user) {
		return "_a former participant_"
	}
	return "<@" + escape(user) + ">"
}

func link(url, label string) string { return "<" + escape(url) + "|" + label + ">" }

// fitLines is head plus as many lines as fit in one section (and at most
// show), then "…and N more <noun>" for the rest of total (noun is
// {singular, plural}).
func fitLines(head string, lines []string, show, total int, noun [2]string) string {
	const reserve = 40 // room for the "and N more" line
	var b strings.Builder
	b.WriteString(head)
	n := slacktext.Len(head)
	shown := 0
	for _, l := range lines {
		ln := slacktext.Len(l) + 1
		if shown == show || n+ln+reserve > MaxSectionText {
			break
		}
		b.WriteString("\n" + l)
		n += ln
		shown++
	}
	if more := total - shown; more > 0 {
		fmt.Fprintf(&b, "\n_…and %s_", plural(more, "more "+noun[0], "more "+noun[1]))
	}
	return b.String()
}

// joinFit joins items with sep while they fit in limit runes (and at most
// show of them), then says how many of total are left out. Callers pass
// only the items they may show, so a huge week costs no more than a small one.
func joinFit(items []string, total int, sep string, show, limit int) string {
	var b strings.Builder
	n, shown := 0, 0
	for _, it := range items {
		add := slacktext.Len(it) + slacktext.Len(sep)
		if shown == show || n+add+20 > limit {
			break
		}
		if shown > 0 {
			b.WriteString(sep)
		}
		b.WriteString(it)
		n += add
		shown++
	}
	if more := total - shown; more > 0 {
		fmt.Fprintf(&b, " and %d more", more)
	}
	return b.String()
}

// first is the first n of items at most.
func first[T any](items []T, n int) []T { return items[:min(len(items), n)] }

// FormatMinutes renders minutes the way people say them: "45 min", "2h",
// "2h 30m", and from 100 hours on whole hours with a thousands separator,
// "17,105 h" (minutes no longer matter there). The bot's messages and the
// digest use this one function.
func FormatMinutes(m int) string {
	switch {
	case m <= 0:
		return "0 min"
	case m < 60:
		return fmt.Sprintf("%d min", m)
	case m >= 100*60:
		return thousands((m+30)/60) + " h"
	case m%60 == 0:
		return fmt.Sprintf("%dh", m/60)
	}
	return fmt.Sprintf("%dh %dm", m/60, m%60)
}

func formatDuration(d time.Duration) string {
	if d < time.Minute {
		return "under 1 min"
	}
	return FormatMinutes(int(d.Round(time.Minute) / time.Minute))
}

// signed is a change as "+3", "-2" or "±0".
func signed(n int) string {
	switch {
	case n > 0:
		return "+" + thousands(n)
	case n < 0:
		return thousands(n)
	}
	return "±0"
}

func signedMinutes(m int) string {
	switch {
	case m > 0:
		return "+" + FormatMinutes(m)
	case m < 0:
		return "-" + FormatMinutes(-m)
	}
	return "±0"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}
