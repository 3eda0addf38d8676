// Package report writes the programme report leadership opens in a
// browser: one self-contained HTML file (inline CSS and SVG, no script,
// no font or image fetched from anywhere), readable on a phone and
// printable. It is pure: the same Input writes the same bytes.
package report

import (
	"cmp"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"

	"flywheel/digest"
	"flywheel/digest/chart"
)

// Input is what one report shows.
type Input struct {
	// Generated is when the report was made (shown, not used to count).
	Generated time.Time
	// Trend holds the weekly figures, oldest first, and their claims.
	Trend digest.Trend
	// Latest is the digest of the trend's last week: champions, teams
	// asking for access, the rollout stage.
	Latest digest.Digest
	// Names maps Slack user IDs to display names, when known; other people
	// are shown by ID.
	Names map[string]string
}

// Write renders in as HTML to w.
func Write(w io.Writer, in Input) error {
	if err := page.Execute(w, build(in)); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// view is what the template reads: everything already formatted.
type view struct {
	Title, Period, Generated string
	Claims                   []string
	Figures                  []figure
	Charts                   []namedChart
	Spread                   template.HTML
	HasSpread                bool
	Conversion               digest.Conversion
	Answerers, Bridges       []person
	Access                   []accessRow
	Rollout                  *digest.Rollout
	Gaps                     []string
	Weeks                    []weekRow
	TopWins                  []topWin
}

type figure struct{ Name, Value, Spark string }

type namedChart struct {
	Title, Note string
	SVG         template.HTML
}

type person struct{ Name, Team, What string }

type accessRow struct {
	Team                string
	People, Questions   int
	Tools, WeeksAsking  string
	ThisWeek, Sparkline string
}

type weekRow struct {
	Week                                  string
	Wins, Sharers, New, Questions, Answer int
	Hours, Peer, Median, Spread, Stages   string
}

type topWin struct{ Who, Text, Saved string }

func build(in Input) view {
	t := in.Trend
	name := func(id string) string {
		if n := in.Names[id]; n != "" {
			return n
		}
		return id
	}
	v := view{Title: "Flywheel: AI adoption report", Claims: t.Claims, Conversion: t.Conversion, Rollout: in.Latest.Rollout}
	if t.Team != "" {
		v.Title += " for " + t.Team
	}
	if !in.Generated.IsZero() {
		v.Generated = in.Generated.Format("2 Jan 2006 15:04 MST")
	}
	weeks := t.Weeks
	if len(weeks) > 0 {
		v.Period = fmt.Sprintf("%d weeks, %s to %s", len(weeks), weeks[0].Start.Format("2 Jan 2006"),
			weeks[len(weeks)-1].End.Add(-time.Second).Format("2 Jan 2006"))
	}
	cw := digest.ChartWeeks(weeks)
	labels := chart.Labels(cw)
	values := func(f func(digest.TrendWeek) float64) []float64 {
		out := make([]float64, len(weeks))
		for i, w := range weeks {
			out[i] = f(w)
		}
		return out
	}
	ints := func(f func(digest.TrendWeek) int) []int {
		out := make([]int, len(weeks))
		for i, w := range weeks {
			out[i] = f(w)
		}
		return out
	}
	last := digest.TrendWeek{}
	if len(weeks) > 0 {
		last = weeks[len(weeks)-1]
	}
	wins := ints(func(w digest.TrendWeek) int { return w.Wins })
	mins := ints(func(w digest.TrendWeek) int { return w.Minutes })
	sharers := ints(func(w digest.TrendWeek) int { return w.Sharers })
	newc := ints(func(w digest.TrendWeek) int { return w.NewContributors })
	qs := ints(func(w digest.TrendWeek) int { return w.Questions })
	v.Figures = []figure{
		{"Wins this week", fmt.Sprint(last.Wins), chart.Sparkline(wins)},
		{"Hours saved this week", digest.FormatMinutes(last.Minutes), chart.Sparkline(mins)},
		{"Cheered by colleagues", digest.FormatMinutes(last.PeerMinutes), chart.Sparkline(ints(func(w digest.TrendWeek) int { return w.PeerMinutes }))},
		{"People sharing", fmt.Sprint(last.Sharers), chart.Sparkline(sharers)},
		{"New contributors", fmt.Sprint(last.NewContributors), chart.Sparkline(newc)},
		{"Questions asked", fmt.Sprint(last.Questions), chart.Sparkline(qs)},
		{"Spread ratio", fmt.Sprintf("%.2f", last.SpreadRatio()), chart.Sparkline(ints(func(w digest.TrendWeek) int { return w.NewAdopters }))},
		{"Tips shared", fmt.Sprint(last.Tips), chart.Sparkline(ints(func(w digest.TrendWeek) int { return w.Tips }))},
	}
	v.Charts = []namedChart{
		{"Wins per week", "", barsSVG("wins", "Wins per week: "+joinInts(wins), "", labels,
			values(func(w digest.TrendWeek) float64 { return float64(w.Wins) }), chart.WinsColor)},
		{"Hours saved per week", "Solid: counted hours. Dashed: the hours of wins colleagues cheered.",
			linesSVG("hours", "Hours saved per week: "+joinHours(mins), "h", labels, []series{
				{"hours saved", values(func(w digest.TrendWeek) float64 { return float64(w.Minutes) / 60 }), chart.HoursColor, false},
				{"cheered by colleagues", values(func(w digest.TrendWeek) float64 { return float64(w.PeerMinutes) / 60 }), chart.PeerColor, true},
			})},
		{"Questions by stage", "From \"what is it?\" (grey) through access (orange) and how (blue) to \"how do I build with it?\" (green).",
			stagesSVG("Question stages per week, what/access/how/build: "+stagesText(weeks), labels, cw)},
		{"Questions asked per week", "", barsSVG("questions", "Questions per week: "+joinInts(qs), "", labels,
			values(func(w digest.TrendWeek) float64 { return float64(w.Questions) }), chart.StageColors[2])},
	}
	var chains []digest.Chain
	for _, w := range weeks {
		chains = mergeChains(chains, w.Chains)
	}
	if len(chains) > 0 {
		v.Spread, v.HasSpread = spreadSVG(chains), true
	}
	for _, c := range in.Latest.Answerers {
		v.Answerers = append(v.Answerers, person{name(c.User), c.Team, fmt.Sprintf("%d answered, %d for other teams", c.Answered, c.CrossTeamAnswers)})
	}
	for _, c := range in.Latest.Bridges {
		v.Bridges = append(v.Bridges, person{name(c.User), c.Team, fmt.Sprintf("wins cheered by %d people of other teams", c.CrossTeamReach)})
	}
	v.Access = accessRows(in.Latest.AccessRequests, weeks)
	if r := in.Latest.Rollout; r != nil {
		for _, g := range r.Gaps {
			if strings.HasPrefix(g.What, "%") {
				v.Gaps = append(v.Gaps, fmt.Sprintf("%d%s (now %d%%)", g.Need, g.What, g.Have))
			} else {
				v.Gaps = append(v.Gaps, fmt.Sprintf("%d %s (now %d)", g.Need, g.What, g.Have))
			}
		}
	}
	for _, w := range in.Latest.TopWins {
		tw := topWin{Who: name(w.Author), Text: w.Excerpt, Saved: digest.FormatMinutes(w.Minutes)}
		if w.Colleague != "" { // shared without a name
			tw.Who = w.Colleague
		}
		if w.Withheld || w.Excerpt == "" {
			tw.Text = "(text not shown)"
		}
		v.TopWins = append(v.TopWins, tw)
	}
	for i := len(weeks) - 1; i >= 0; i-- {
		w := weeks[i]
		median := "–"
		if w.Timed > 0 {
			median = digest.FormatMinutes(int(w.MedianFirstAnswer.Round(time.Minute) / time.Minute))
		}
		v.Weeks = append(v.Weeks, weekRow{Week: w.Start.Format("2 Jan 2006"), Wins: w.Wins, Sharers: w.Sharers, New: w.NewContributors,
			Questions: w.Questions, Answer: w.Answered, Hours: digest.FormatMinutes(w.Minutes), Peer: digest.FormatMinutes(w.PeerMinutes),
			Median: median, Spread: fmt.Sprintf("%.2f", w.SpreadRatio()),
			Stages: fmt.Sprintf("%d / %d / %d / %d", w.Stages[0], w.Stages[1], w.Stages[2], w.Stages[3])})
	}
	return v
}

func accessRows(now []digest.AccessTeam, weeks []digest.TrendWeek) []accessRow {
	byTeam := map[string]*accessRow{}
	counts := map[string][]int{}
	for i, w := range weeks {
		for _, tc := range w.AccessTeams {
			if counts[tc.Team] == nil {
				counts[tc.Team] = make([]int, len(weeks))
				byTeam[tc.Team] = &accessRow{Team: tc.Team}
			}
			counts[tc.Team][i] = tc.Count
		}
	}
	for _, a := range now {
		r := byTeam[a.Team]
		if r == nil {
			r = &accessRow{Team: a.Team}
			byTeam[a.Team] = r
		}
		r.People, r.Questions, r.Tools = len(a.People), a.Questions, strings.Join(a.Tools, ", ")
	}
	var out []accessRow
	for team, r := range byTeam {
		asking := 0
		for _, n := range counts[team] {
			if n > 0 {
				asking++
			}
		}
		r.WeeksAsking = fmt.Sprintf("%d of %d", asking, len(weeks))
		r.Sparkline = chart.Sparkline(counts[team])
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b accessRow) int {
		return cmp.Or(-cmp.Compare(a.Questions, b.Questions), cmp.Compare(a.Team, b.Team))
	})
	return out
}

// mergeChains adds more to chains, summing counts of the same pair.
func mergeChains(chains, more []digest.Chain) []digest.Chain {
	for _, m := range more {
		found := false
		for i := range chains {
			if chains[i].From == m.From && chains[i].To == m.To {
				chains[i].Count += m.Count
				found = true
			}
		}
		if !found {
			chains = append(chains, m)
		}
	}
	slices.SortFunc(chains, func(a, b digest.Chain) int {
		return cmp.Or(-cmp.Compare(a.Count, b.Count), cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	return chains
}

func joinInts(vs []int) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = fmt.Sprint(v)
	}
	return strings.Join(s, ", ")
}

func joinHours(mins []int) string {
	s := make([]string, len(mins))
	for i, m := range mins {
		s[i] = digest.FormatMinutes(m)
	}
	return strings.Join(s, ", ")
}

func stagesText(weeks []digest.TrendWeek) string {
	s := make([]string, len(weeks))
	for i, w := range weeks {
		s[i] = fmt.Sprintf("%d/%d/%d/%d", w.Stages[0], w.Stages[1], w.Stages[2], w.Stages[3])
	}
	return strings.Join(s, ", ")
}
