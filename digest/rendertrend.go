package digest

import (
	"encoding/json"
	"time"

	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"flywheel/config"

	"flywheel/bot/slacktext"
	"flywheel/digest/chart"
	"flywheel/store"
)

// ChartFilePlaceholder stands for the chart's Slack file ID in a queued
// digest: the sender uploads the chart when it posts, then puts the file's
// ID where this is.
const ChartFilePlaceholder = "%CHART_FILE%"

// ChartBlockID is the image block's block_id.
const ChartBlockID = "digest_chart"

// maxAltText is Slack's limit on an image block's alt_text.
const maxAltText = 2000

// ChartWeeks are a trend's weeks as the chart draws them.
func ChartWeeks(weeks []TrendWeek) []chart.Week {
	out := make([]chart.Week, len(weeks))
	for i, w := range weeks {
		// The chart labels weeks by their first day: the day is all it
		// keeps of Start, so the same figures draw (and key) the same.
		day := time.Date(w.Start.Year(), w.Start.Month(), w.Start.Day(), 0, 0, 0, 0, time.UTC)
		out[i] = chart.Week{Start: day, Wins: w.Wins, Minutes: w.Minutes, PeerMinutes: w.PeerMinutes, Stages: w.Stages}
	}
	return out
}

// ChartSpec is what a chart draws: its title and weekly figures. A queued
// digest carries it, and the sender draws the PNG when it posts, so a
// firing costs no rendering.
type ChartSpec struct {
	Title string       `json:"title"`
	Weeks []chart.Week `json:"weeks"`
}

// ChartSpecOf is the chart of a trend: wins and hours per week and the
// question-stage mix.
func ChartSpecOf(t Trend) ChartSpec {
	title := fmt.Sprintf("Flywheel: the last %d weeks", len(t.Weeks))
	if t.Team != "" {
		title = fmt.Sprintf("Flywheel, %s: the last %d weeks", t.Team, len(t.Weeks))
	}
	return ChartSpec{Title: title, Weeks: ChartWeeks(t.Weeks)}
}

// PNG draws the chart.
func (c ChartSpec) PNG() ([]byte, error) { return chart.PNG(c.Title, c.Weeks) }

// ChartPNG draws a trend's chart.
func ChartPNG(t Trend) ([]byte, error) { return ChartSpecOf(t).PNG() }

// ChartAltText states the chart's numbers, for screen readers and for
// anyone whose client doesn't show images.
func ChartAltText(t Trend) string {
	if len(t.Weeks) == 0 {
		return "No weeks to chart yet."
	}
	wins := make([]string, len(t.Weeks))
	hours := make([]string, len(t.Weeks))
	for i, w := range t.Weeks {
		wins[i] = fmt.Sprint(w.Wins)
		hours[i] = FormatMinutes(w.Minutes)
	}
	first, last := t.Weeks[0], t.Weeks[len(t.Weeks)-1]
	s := fmt.Sprintf("Chart of the last %d weeks, from the week of %s to the week of %s. Wins per week: %s. Hours saved per week: %s.",
		len(t.Weeks), first.Start.Format("2 Jan"), last.Start.Format("2 Jan"), strings.Join(wins, ", "), strings.Join(hours, ", "))
	if k := knownStages(last); k > 0 {
		s += fmt.Sprintf(" Questions this week by stage: what %d%%, access %d%%, how %d%%, build %d%%.",
			pct(last.Stages[0], k), pct(last.Stages[1], k), pct(last.Stages[2], k), pct(last.Stages[3], k))
	}
	return slacktext.CutPlain(s, maxAltText)
}

// TrendText is the digest's trend section: sparklines next to the key
// figures (they read well in notifications and to screen readers) and
// the claims the weeks support.
func TrendText(t Trend) string {
	ints := func(f func(TrendWeek) int) []int {
		out := make([]int, len(t.Weeks))
		for i, w := range t.Weeks {
			out[i] = f(w)
		}
		return out
	}
	n := len(t.Weeks)
	var b strings.Builder
	fmt.Fprintf(&b, ":chart_with_upwards_trend: *The last %d weeks*\n", n)
	fmt.Fprintf(&b, "Wins `%s`  ·  Hours saved `%s`  ·  People sharing `%s`  ·  Questions `%s`",
		chart.Sparkline(ints(func(w TrendWeek) int { return w.Wins })),
		chart.Sparkline(ints(func(w TrendWeek) int { return w.Minutes })),
		chart.Sparkline(ints(func(w TrendWeek) int { return w.Sharers })),
		chart.Sparkline(ints(func(w TrendWeek) int { return w.Questions })))
	for _, c := range t.Claims {
		b.WriteString("\n• " + escape(c))
	}
	if c := t.Conversion.All; c.Told > 0 {
		fmt.Fprintf(&b, "\n• Of %s told \"Yes, here's how\", %d shared a win with that tool within 14 days (%d%%).",
			plural(c.Told, "person", "people"), c.Converted, c.Pct())
	}
	return b.String()
}

// chartTitle is the chart's title in the digest.
func chartTitle(t Trend) string {
	return fmt.Sprintf("Wins, hours saved and question stages, last %d weeks", len(t.Weeks))
}

// chartBlock is the image block showing the uploaded chart.
func chartBlock(alt, title string) slack.Block {
	return slack.NewImageBlockSlackFile(&slack.SlackFileObject{ID: ChartFilePlaceholder}, alt, ChartBlockID,
		slack.NewTextBlockObject(slack.PlainTextType, title, false, false))
}

// chartKey is where the file ID of the latest uploaded chart of a trend
// is remembered, next to the rollups.
func chartKey(name string) []byte { return []byte("chart\x00" + name) }

// CompanyChart names the company digest's chart for RememberChart.
const CompanyChart = "company"

// RememberChart keeps the Slack file ID of the latest chart uploaded for
// name, so the admins' Home tab can show the chart the digest showed.
func RememberChart(tx *store.Tx, name, fileID string) error {
	return tx.PutRollup(chartKey(name), []byte(fileID))
}

// LatestChart is the Slack file ID RememberChart kept for name, or "".
func LatestChart(tx *store.Tx, name string) string { return string(tx.Rollup(chartKey(name))) }

// trendChart is what a digest post shows of the weeks before it: the
// trend (nil when it could not be read) and its chart's figures (nil
// without a trend), remembered as key once uploaded.
type trendChart struct {
	trend *Trend
	spec  json.RawMessage
	key   string
}

// trendChart reads team's trend for the DefaultTrendWeeks before t. A
// failure costs the digest its chart, never the post.
func (s *Scheduler) trendChart(cfg *config.Config, t time.Time, team string) trendChart {
	tr, err := Trends(s.st, cfg, t, DefaultTrendWeeks, team)
	if err != nil {
		s.log.WithError(err).WithField("team", team).Warn("digest: no trend this time")
		return trendChart{}
	}
	tc := trendChart{trend: &tr}
	if team == "" {
		tc.key = CompanyChart
	}
	if tc.spec, err = json.Marshal(ChartSpecOf(tr)); err != nil {
		s.log.WithError(err).WithField("team", team).Warn("digest: no chart this time")
		tc.spec = nil
	}
	return tc
}
