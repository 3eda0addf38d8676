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

	showTopWins   = 5
	showChampions = 5
	showEmerging  = 10
	showAccess    = 8
	showPeople    = 5
	showCapped    = 20
)

// RenderOptions tunes Render.
type RenderOptions struct {
	// Admin adds the admin-only section: the wins counted at the cap. Use
	// it for previews shown to admins, never for the channel post.
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

// Render turns a digest into a Block Kit message and its text fallback
// (the text shows in notifications and to screen readers, and is what
// `flywheel digest --dry-run` prints). It is pure and respects Slack's
// limits: at most MaxBlocks blocks, MaxSectionText characters per section,
// user text escaped, people as <@U…> mentions.
func Render(d Digest, opts RenderOptions) (text string, blocks []slack.Block) {
	parts := []part{
		{kind: slack.MBTHeader, text: slacktext.CutPlain(headerText(d), MaxHeaderText)},
		{kind: slack.MBTContext, text: windowText(d)},
	}
	if len(d.AccessRequests) > 0 {
		parts = append(parts, part{kind: slack.MBTSection, text: accessText(d.AccessRequests)})
	}
	parts = append(parts, headlinePart(d))
	if opts.Trend != nil && len(opts.Trend.Weeks) > 0 {
		parts = append(parts, part{kind: slack.MBTSection, text: TrendText(*opts.Trend)})
		if opts.Chart {
			parts = append(parts, part{kind: slack.MBTImage, text: ChartAltText(*opts.Trend), fields: []string{chartTitle(*opts.Trend)}})
		}
	}
	parts = append(parts, part{kind: slack.MBTDivider},
		part{kind: slack.MBTSection, text: topWinsText(d)},
		part{kind: slack.MBTSection, text: championsText(d)},
		part{kind: slack.MBTSection, text: mixText(d.Mix)})
	if d.Spread != nil && (len(d.Spread.NewAdopters) > 0 || len(d.Spread.Inspiring) > 0) {
		parts = append(parts, part{kind: slack.MBTSection, text: SpreadText(d.Spread)})
	}
	if d.Teaching.Active() {
		parts = append(parts, part{kind: slack.MBTSection, text: TeachingText(d.Teaching)})
	}
	if d.Rollout != nil {
		parts = append(parts, part{kind: slack.MBTSection, text: rolloutText(d.Rollout)})
	}
	if d.Nudge != nil {
		parts = append(parts, part{kind: slack.MBTSection, text: nudgeText(d.Nudge)})
	}
	if opts.Admin {
		parts = append(parts, part{kind: slack.MBTDivider}, part{kind: slack.MBTSection, text: cappedText(d)})
	}
	parts = append(parts, part{kind: slack.MBTContext, text: fmt.Sprintf(
		"Hours: a win counts at most %s unless two colleagues amplified it. Peer-confirmed: wins at least one colleague cheered. Changes are against the 7 days before.",
		FormatMinutes(d.MaxMinutesPerWin))})
	if len(parts) > MaxBlocks { // cannot happen with the parts above; keeps the promise if more are added
		parts = parts[:MaxBlocks]
	}

	var b strings.Builder
	for i, p := range parts {
		var chunk string
		switch p.kind {
		case slack.MBTHeader:
			blocks = append(blocks, slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, p.text, true, false)))
			chunk = "*" + escape(p.text) + "*" // plain_text in the block, mrkdwn here
		case slack.MBTContext:
			blocks = append(blocks, slack.NewContextBlock("", md(slacktext.Cut(p.text, slacktext.ContextText))))
			chunk = p.text
		case slack.MBTDivider:
			blocks = append(blocks, slack.NewDividerBlock())
			continue
		case slack.MBTImage: // the text already says what the chart shows
			blocks = append(blocks, chartBlock(p.text, p.fields[0]))
			continue
		default:
			var fields []*slack.TextBlockObject
			lines := []string{p.text}
			for _, f := range p.fields {
				fields = append(fields, md(slacktext.Cut(f, MaxFieldText)))
				lines = append(lines, strings.Replace(f, "\n", ": ", 1))
			}
			blocks = append(blocks, slack.NewSectionBlock(md(slacktext.Cut(p.text, MaxSectionText)), fields, nil))
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
	return b.String(), blocks
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

// formatMinutes renders minutes the way people say them: "45 min", "2h",
// "2h 30m" (the same as the bot's win posts).
// FormatMinutes renders minutes the way people say them: "45 min", "2h",
// "2h 30m". The bot's messages and the digest use this one function.
func FormatMinutes(m int) string {
	switch {
	case m <= 0:
		return "0 min"
	case m < 60:
		return fmt.Sprintf("%d min", m)
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
		return fmt.Sprintf("+%d", n)
	case n < 0:
		return fmt.Sprintf("%d", n)
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
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
