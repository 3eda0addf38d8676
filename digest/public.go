package digest

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"flywheel/digest/chart"
)

// The public digest is read in ten seconds: one sentence (also the
// message's text, what a notification and a screen reader say), at most
// four figures with their change, the top three wins people cheered, a
// thank-you to the champions, and one nudge. It names the people it
// praises and nobody else: who asked for access is for the lead digest.
const (
	publicFigures = 4
	publicTopWins = 3
	shoutOutNames = 3
	// publicExcerpt bounds a top win's words in the public digest.
	publicExcerpt = 120
)

// Quiet says whether a week had nothing to report: no win, no question,
// nobody active, no tip shared or tried. Its digest is one friendly line.
func Quiet(d Digest) bool {
	h := d.Headline
	return h.Wins.Now == 0 && h.Questions.Now == 0 && h.ActiveUsers.Now == 0 && TeachingLine(d.Teaching) == ""
}

// Sentence is the week in one sentence: "7 wins saved 28 hours this week
// (+3), from 6 people, 2 of them new." It is the public digest's text.
func Sentence(d Digest) string {
	prefix := ""
	if d.Team != "" {
		prefix = d.Team + ": "
	}
	if Quiet(d) {
		where := ""
		if d.Team != "" {
			where = " in " + d.Team
		}
		return fmt.Sprintf("A quiet week%s: no AI wins or questions yet. Tried AI on something? `/win` takes ten seconds.", where)
	}
	h := d.Headline
	var b strings.Builder
	b.WriteString(prefix)
	wins := thousands(h.Wins.Now) + " wins"
	if h.Wins.Now == 1 {
		wins = "1 win"
	}
	switch {
	case h.Wins.Now == 0:
		b.WriteString("No wins shared this week")
	case h.MinutesSaved.Now > 0:
		fmt.Fprintf(&b, "%s saved %s this week", wins, hoursInWords(h.MinutesSaved.Now))
	default:
		fmt.Fprintf(&b, "%s shared this week", wins)
	}
	switch delta := h.Wins.Delta(); {
	case h.Wins.Now == 0 && h.Wins.Prev == 0:
	case delta == 0:
		b.WriteString(" (as many wins as last week)")
	default:
		fmt.Fprintf(&b, " (%s)", signed(delta))
	}
	switch n, fresh := h.Sharers.Now, h.NewContributors.Now; {
	case n == 0:
	case n == 1 && fresh == 1:
		b.WriteString(", from 1 person sharing for the first time")
	case n == 1:
		b.WriteString(", from 1 person")
	case fresh == 0:
		fmt.Fprintf(&b, ", from %s people", thousands(n))
	case fresh == n:
		fmt.Fprintf(&b, ", from %s people, all of them new", thousands(n))
	default:
		fmt.Fprintf(&b, ", from %s people, %s of them new", thousands(n), thousands(fresh))
	}
	if h.Wins.Now == 0 && h.Questions.Now > 0 {
		fmt.Fprintf(&b, ", but %s asked", plural(h.Questions.Now, "question was", "questions were"))
	}
	b.WriteString(".")
	return b.String()
}

// hoursInWords says minutes the way the sentence does: "45 minutes",
// "1 hour", "28 hours", "17,105 hours".
func hoursInWords(m int) string {
	if m < 60 {
		return plural(m, "minute", "minutes")
	}
	h := (m + 30) / 60
	if h == 1 {
		return "1 hour"
	}
	return thousands(h) + " hours"
}

// thousands writes n with a comma every three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// publicParts lays out the public digest; with a trend, each figure has
// its sparkline, and with opts.Chart the chart follows the figures.
func publicParts(d Digest, opts RenderOptions) []part {
	sentence := Sentence(d)
	if Quiet(d) {
		return []part{{kind: slack.MBTSection, text: ":seedling: " + escape(sentence)}}
	}
	parts := []part{
		{kind: slack.MBTHeader, text: headerText(d)},
		{kind: slack.MBTSection, text: "*" + escape(sentence) + "*"},
		{kind: slack.MBTContext, text: windowText(d)},
		{kind: slack.MBTSection, fields: publicFigureFields(d, opts.Trend)},
	}
	if t := opts.Trend; t != nil && len(t.Weeks) > 0 && opts.Chart {
		parts = append(parts, part{kind: slack.MBTImage, text: ChartAltText(*t), fields: []string{chartTitle(*t)}})
	}
	if wins := cheeredWins(d.TopWins, publicTopWins); len(wins) > 0 {
		parts = append(parts, part{kind: slack.MBTSection, text: ":trophy: *Top wins*, cheered by colleagues\n" + strings.Join(wins, "\n")})
	}
	if s := TeachingLine(d.Teaching); s != "" {
		parts = append(parts, part{kind: slack.MBTSection, text: s})
	}
	if s := shoutOut(d); s != "" {
		parts = append(parts, part{kind: slack.MBTSection, text: s})
	}
	if d.Nudge != nil {
		parts = append(parts, part{kind: slack.MBTSection, text: nudgeText(d.Nudge)})
	}
	return parts
}

// publicFigureFields are the four figures: wins, hours saved, hours
// cheered by colleagues, questions answered, each with its change and,
// given the weeks before (trend), its sparkline.
func publicFigureFields(d Digest, trend *Trend) []string {
	h := d.Headline
	spark := func(f func(TrendWeek) int) string {
		if trend == nil || len(trend.Weeks) < 2 {
			return ""
		}
		vals := make([]int, len(trend.Weeks))
		for i, w := range trend.Weeks {
			vals[i] = f(w)
		}
		return "  `" + chart.Sparkline(vals) + "`"
	}
	fields := []string{
		figure("Wins", thousands(h.Wins.Now), signed(h.Wins.Delta())) + spark(func(w TrendWeek) int { return w.Wins }),
		figure("Hours saved", FormatMinutes(h.MinutesSaved.Now), signedMinutes(h.MinutesSaved.Delta())) + spark(func(w TrendWeek) int { return w.Minutes }),
		figure("Cheered by colleagues", FormatMinutes(h.PeerConfirmedMinutes.Now), signedMinutes(h.PeerConfirmedMinutes.Delta())) +
			spark(func(w TrendWeek) int { return w.PeerMinutes }),
		figure("Questions answered", thousands(h.Answered.Now)+" of "+thousands(h.Questions.Now), signed(h.Answered.Delta())) +
			spark(func(w TrendWeek) int { return w.Answered }),
	}
	return fields[:publicFigures]
}

// figure is one figure as a section field: its name, value and change.
func figure(name, value, change string) string {
	return fmt.Sprintf("*%s*\n%s  (%s)", name, value, change)
}

// cheeredWins are the top wins worth showing everyone: cheered by at
// least one colleague, with words that may be shown.
func cheeredWins(top []TopWin, n int) []string {
	var lines []string
	for _, w := range top {
		if w.Amplifiers == 0 || w.Withheld || w.Excerpt == "" {
			continue
		}
		lines = append(lines, topWinLine(len(lines)+1, w))
		if len(lines) == n {
			break
		}
	}
	return lines
}

// topWinLine is one numbered win: who, their words, time saved, cheers,
// and a link to the post.
func topWinLine(i int, w TopWin) string {
	var quote string
	switch {
	case w.Withheld:
		quote = "_(text not shown)_"
	case w.Excerpt == "":
		quote = "_(text not in yet)_"
	default:
		quote = "“" + escape(excerpt(w.Excerpt, publicExcerpt)) + "”"
	}
	line := fmt.Sprintf("%d. %s %s · %s saved · %s", i, named(w.Author, w.Colleague), quote, FormatMinutes(w.Minutes),
		plural(w.Amplifiers, "cheer", "cheers"))
	if w.Link != "" {
		line += " · " + link(w.Link, "see the post")
	}
	return line
}

// shoutOut thanks the week's champions in one line: who answered most,
// whose wins were cheered across teams, and who is new among them.
func shoutOut(d Digest) string {
	names := func(users []string) string {
		var ms []string
		for _, u := range first(users, shoutOutNames) {
			ms = append(ms, mention(u))
		}
		if len(users) > shoutOutNames {
			return strings.Join(ms, ", ") + fmt.Sprintf(" and %d more", len(users)-shoutOutNames)
		}
		return andList(ms)
	}
	var parts []string
	if len(d.Answerers) > 0 {
		verb := "for answering colleagues' questions"
		if len(d.Answerers) == 1 {
			verb = "for answering " + plural(d.Answerers[0].Answered, "question", "questions")
		}
		parts = append(parts, names(championUsers(d.Answerers))+" "+verb)
	}
	if len(d.Bridges) > 0 {
		parts = append(parts, names(championUsers(d.Bridges))+", whose wins were cheered across teams")
	}
	if len(parts) == 0 {
		return ""
	}
	text := ":star2: *Thanks* to " + strings.Join(parts, ", and to ") + "."
	if len(d.Emerging) > 0 {
		text += " New champions this week: " + names(d.Emerging) + "."
	}
	return text
}

func championUsers(cs []Champion) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.User
	}
	return out
}

// andList joins "a", "a and b", "a, b and c".
func andList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
