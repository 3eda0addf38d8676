package digest

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"flywheel/config"
	"flywheel/store"
)

// ConversionCell is question -> win conversion for one stage and team in
// one week: of the people told "Yes, here's how" that week (counted once
// per person and week), how many shared a win with that tool within
// ConversionWindow.
type ConversionCell struct {
	Stage, Team     string
	Told, Converted int
}

// trendInput is the digest's Input plus, for question -> win conversion,
// the wins of each asker told "yes" (which can fall after the range read).
type trendInput struct {
	Input
	askerWins map[string][]store.Win
}

// weekFigures counts one week with the digest's own rules: measure (wins,
// counted and peer-confirmed minutes, sharers, new contributors,
// questions, answers, latencies, stages, active users), adopters (the
// spread ratio), measureTeaching (tips), accessRequests and teamChains. team "" is the company;
// in must already be sliced to team when it is not.
func weekFigures(in trendInput, cfg *config.Config, w window, r roster, team string) TrendWeek {
	m := measure(in.Input, w, MaxMinutes(cfg), r)
	newAdopters, adopting, _ := adopters(in.Input, w, r)
	tw := TrendWeek{Start: w.from, End: w.to, Wins: m.wins, Minutes: m.minutes, PeerMinutes: m.peerMinutes,
		Sharers: len(m.sharers), NewContributors: m.newContributors, NewAdopters: len(newAdopters), Adopters: adopting,
		Questions: m.questions, Answered: m.answered, MedianFirstAnswer: median(m.latencies), Timed: len(m.latencies),
		ActiveUsers: len(m.active)}
	known := 0
	for i, s := range Stages {
		tw.Stages[i] = m.stages[s]
		known += m.stages[s]
	}
	tw.Other = m.questions - known
	teaching := measureTeaching(in.Input, w, r)
	tw.Tips, tw.Teachers = teaching.tips, teaching.teachers
	if team == "" {
		for _, a := range accessRequests(in.Questions, w, cfg, r) {
			tw.AccessTeams = append(tw.AccessTeams, TeamCount{Team: a.Team, Count: a.Questions})
		}
		tw.Chains = teamChains(in.Input, w, r)
	}
	tw.Conversion = conversionCells(in, cfg, w, r)
	return tw
}

// ToldYes lists the tools a question was told "Yes, here's how" about: the
// registry answered it and the tool is approved. (The registry's answer is
// "yes" when at least one named tool is approved.)
func ToldYes(q store.Question, cfg *config.Config) []string {
	if !registryAnswered(q.BotAnswered, q.Deleted) {
		return nil
	}
	var out []string
	for _, name := range q.Tools {
		if t, ok := cfg.Tool(name); ok && t.Status == config.StatusApproved {
			out = append(out, t.Name)
		}
	}
	return out
}

// registryAnswered: a question the registry answered and nobody deleted,
// the first condition of ToldYes (readers of question heads filter on it).
func registryAnswered(botAnswered, deleted bool) bool { return botAnswered && !deleted }

// conversionCells finds, for the week's questions told "yes", whether the
// asker shared a win naming one of those tools within ConversionWindow
// after asking.
func conversionCells(in trendInput, cfg *config.Config, w window, r roster) []ConversionCell {
	type person struct{ user, stage, team string }
	told := map[person]bool{}
	for _, q := range in.Questions {
		if !w.has(q.At) {
			continue
		}
		tools := ToldYes(q, cfg)
		if len(tools) == 0 {
			continue
		}
		p := person{q.Asker, q.Stage, r.questionTeam(q)}
		told[p] = told[p] || convertedAfter(in, q.Asker, q.At, tools)
	}
	cells := map[[2]string]*ConversionCell{}
	for p, converted := range told {
		k := [2]string{p.stage, p.team}
		c := cells[k]
		if c == nil {
			c = &ConversionCell{Stage: p.stage, Team: p.team}
			cells[k] = c
		}
		c.Told++
		if converted {
			c.Converted++
		}
	}
	var out []ConversionCell
	for _, c := range cells {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b ConversionCell) int {
		return cmp.Or(cmp.Compare(a.Stage, b.Stage), cmp.Compare(a.Team, b.Team))
	})
	return out
}

// convertedAfter: user shared a win naming one of tools in (at, at+window].
func convertedAfter(in trendInput, user string, at time.Time, tools []string) bool {
	for _, w := range in.askerWins[user] {
		if w.At.After(at) && !w.At.After(at.Add(ConversionWindow)) && namesAny(w.Tools, tools) {
			return true
		}
	}
	return false
}

func namesAny(have, want []string) bool {
	for _, h := range have {
		for _, w := range want {
			if strings.EqualFold(h, w) {
				return true
			}
		}
	}
	return false
}

// gatherAskerWins adds, for every asker told "yes" in the gathered range,
// their wins that convertedAfter can count: those from their first such
// question to ConversionWindow after their last, one range of the
// per-person index each. (Reading all their wins cost what their whole
// history costs, on every admin's Home tab while a week's conversion is
// still open.)
func gatherAskerWins(tx *store.Tx, cfg *config.Config, in *trendInput) error {
	type span struct{ first, last time.Time }
	asked := map[string]span{}
	var askers []string
	for _, q := range in.Questions {
		if len(ToldYes(q, cfg)) == 0 {
			continue
		}
		s, seen := asked[q.Asker]
		if !seen {
			askers = append(askers, q.Asker)
			s = span{q.At, q.At}
		}
		if q.At.Before(s.first) {
			s.first = q.At
		}
		if q.At.After(s.last) {
			s.last = q.At
		}
		asked[q.Asker] = s
	}
	in.askerWins = make(map[string][]store.Win, len(askers))
	for _, asker := range askers {
		s := asked[asker]
		// convertedAfter counts wins in (at, at+ConversionWindow]: the
		// range ends just after the last question's window.
		wins, err := tx.WinsByUserBetween(asker, s.first, s.last.Add(ConversionWindow+time.Nanosecond))
		if err != nil {
			return err
		}
		in.askerWins[asker] = wins
	}
	return nil
}

// sumConversion adds up weekly cells into the trend's Conversion.
func sumConversion(weeks []TrendWeek) Conversion {
	var c Conversion
	byStage, byTeam := map[string]*ConversionCount{}, map[string]*ConversionCount{}
	add := func(m map[string]*ConversionCount, k string, cell ConversionCell) {
		if m[k] == nil {
			m[k] = &ConversionCount{}
		}
		m[k].Told += cell.Told
		m[k].Converted += cell.Converted
	}
	for _, w := range weeks {
		for _, cell := range w.Conversion {
			c.All.Told += cell.Told
			c.All.Converted += cell.Converted
			add(byStage, cmp.Or(cell.Stage, "other"), cell)
			add(byTeam, cmp.Or(cell.Team, "no team"), cell)
		}
	}
	for _, s := range append(slices.Clone(Stages), "other") {
		if n := byStage[s]; n != nil {
			c.ByStage = append(c.ByStage, ConversionRow{Key: s, ConversionCount: *n})
		}
	}
	for team, n := range byTeam {
		c.ByTeam = append(c.ByTeam, ConversionRow{Key: team, ConversionCount: *n})
	}
	slices.SortFunc(c.ByTeam, func(a, b ConversionRow) int { return cmp.Compare(a.Key, b.Key) })
	return c
}
