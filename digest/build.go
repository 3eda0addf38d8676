package digest

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"flywheel/config"
)

// Limits on what Build keeps.
const (
	// KeepTopWins is how many top wins a Digest keeps.
	KeepTopWins = 10
	// ExcerptRunes bounds a top win's excerpt.
	ExcerptRunes = 200
)

// window is the half-open time range [from, to).
type window struct{ from, to time.Time }

func (w window) has(t time.Time) bool { return !t.Before(w.from) && t.Before(w.to) }

// weekWindows returns n consecutive 7-day windows ending at end, newest
// first. Weeks are calendar days in loc, so "Monday 9:00 to Monday 9:00"
// stays that across a daylight-saving change (the week is then 167 or 169
// hours long).
func weekWindows(end time.Time, loc *time.Location, n int) []window {
	end = end.In(loc)
	out := make([]window, n)
	for i := range out {
		out[i] = window{from: end.AddDate(0, 0, -7*(i+1)), to: end.AddDate(0, 0, -7*i)}
	}
	return out
}

// Build makes the company digest for the 7 days before end from the
// gathered records. It is pure: cfg gives the teams, the per-win cap and
// the guardrail terms; nothing else is read.
func Build(in Input, cfg *config.Config, end time.Time) Digest {
	return build(in, cfg, end, "")
}

// BuildTeam makes team's slice of the digest: its wins, its questions and
// its champions, compared with the previous week. Access requests and the
// rollout stage are company-wide and left out.
func BuildTeam(in Input, cfg *config.Config, end time.Time, team string) Digest {
	return build(in, cfg, end, team)
}

func build(in Input, cfg *config.Config, end time.Time, team string) Digest {
	r := newRoster(cfg, in)
	if team != "" {
		in = r.slice(in, team)
	}
	weeks := weekWindows(end, cfg.Location(), GatherWeeks)
	cur, prev := weeks[0], weeks[1]
	maxMin := MaxMinutes(cfg)
	d := Digest{Team: team, Start: cur.from, End: cur.to, PrevStart: prev.from, MaxMinutesPerWin: maxMin}
	now, before := measure(in, cur, maxMin, r), measure(in, prev, maxMin, r)
	d.Headline = Headline{
		Wins:                 Count{now.wins, before.wins},
		MinutesSaved:         Count{now.minutes, before.minutes},
		PeerConfirmedMinutes: Count{now.peerMinutes, before.peerMinutes},
		Sharers:              Count{len(now.sharers), len(before.sharers)},
		NewContributors:      Count{now.newContributors, before.newContributors},
		Questions:            Count{now.questions, before.questions},
		Answered:             Count{now.answered, before.answered},
		MedianFirstAnswer:    Latency{Now: median(now.latencies), Prev: median(before.latencies), NowN: len(now.latencies), PrevN: len(before.latencies)},
		ActiveUsers:          Count{len(now.active), len(before.active)},
	}
	d.Headline.TimeToFirstWin = Latency{}
	d.Headline.TimeToFirstWin.Now, d.Headline.TimeToFirstWin.NowN = timeToFirstWin(in, cur)
	d.Headline.TimeToFirstWin.Prev, d.Headline.TimeToFirstWin.PrevN = timeToFirstWin(in, prev)
	d.TopWins, d.Capped = topWins(in.Wins, cur, maxMin, cfg.Guardrails.BlockTerms, r, team)
	d.Mix = stageMix(now.stages, before.stages)
	if team == "" {
		d.Spread = computeSpread(in, cur, prev, r)
		d.Teaching = computeTeaching(in, cur, prev, cfg.Guardrails.BlockTerms, r)
	}
	scores := make([]map[string]*Champion, len(weeks))
	for i, w := range weeks {
		scores[i] = championScores(in, w, r)
	}
	d.Answerers, d.Bridges = rankChampions(scores[0])
	d.Emerging = emerging(scores)
	if team == "" {
		d.AccessRequests = accessRequests(in.Questions, cur, cfg, r)
		d.Rollout = rollout(cfg, r, d.Headline, d.Mix, now.active, scores[:StageChampionWeeks])
		namePeople(&d, in, cfg, r, scores[:StageChampionWeeks])
		buildLead(&d, in, cfg, now, maxMin, r)
	}
	d.Nudge = nudge(cfg, team, now)
	return d
}

// week is what one window's records add up to.
type week struct {
	wins, minutes, peerMinutes, newContributors int
	questions, answered, unanswered, uncheered  int
	sharers, active                             map[string]bool
	winsByTeam                                  map[string]int
	latencies                                   []time.Duration
	stages                                      map[string]int
}

func measure(in Input, w window, maxMin int, r roster) week {
	m := week{sharers: map[string]bool{}, active: map[string]bool{}, winsByTeam: map[string]int{}, stages: map[string]int{}}
	for i := range in.Wins {
		win := &in.Wins[i]
		if !w.has(win.At) {
			continue
		}
		m.wins++
		// Cheers count as they stood at the week's end: a cheer given
		// later lifts no cap of a week already posted.
		amps := len(win.AmplifiersAt(w.to))
		counted, _ := countedMinutes(win.MinutesSaved, amps, maxMin)
		m.minutes += counted
		if amps > 0 {
			m.peerMinutes += counted
		} else {
			m.uncheered++
		}
		if !m.sharers[win.Author] && w.has(in.FirstWin[win.Author]) {
			m.newContributors++
		}
		m.sharers[win.Author] = true
		m.active[win.Author] = true
		m.winsByTeam[r.winTeam(win.Win)]++
	}
	// People who cheered are active in the week they cheered, whatever the
	// age of the win.
	for _, c := range in.Cheers {
		if w.has(c.At) && c.User != c.Author && c.User != "" {
			m.active[c.User] = true
		}
	}
	for _, q := range in.Questions {
		if !w.has(q.At) || q.Deleted {
			continue
		}
		m.questions++
		m.active[q.Asker] = true
		m.stages[q.Stage]++
		// Only answers given before the window's end count, so a digest
		// for a past week says what it said then.
		human := !q.FirstAnswerAt.IsZero() && q.FirstAnswerAt.Before(w.to)
		switch {
		case human:
			m.answered++
			m.latencies = append(m.latencies, q.FirstAnswerAt.Sub(q.At))
		case q.BotAnswered:
			m.answered++
		default:
			m.unanswered++
		}
	}
	for _, a := range in.Answers {
		if w.has(a.At) {
			m.active[a.Answerer] = true
		}
	}
	return m
}

// CountedMinutes is what a win adds to the digest's totals: its claimed
// minutes, capped at maxMin (wins.max_minutes_per_win) unless at least two
// other people amplified it: one colleague's cheer doesn't vouch for
// "saved 3 weeks".
func CountedMinutes(w WinFacts, maxMin int) (counted int, capped bool) {
	return countedMinutes(w.MinutesSaved, len(w.Amplifiers), maxMin)
}

func countedMinutes(claimed, amplifiers, maxMin int) (int, bool) {
	if claimed > maxMin && amplifiers < 2 {
		return maxMin, true
	}
	return claimed, false
}

// MaxMinutes is the per-win cap in force: wins.max_minutes_per_win, or
// its default when unset.
func MaxMinutes(cfg *config.Config) int {
	if cfg.Wins.MaxMinutesPerWin > 0 {
		return cfg.Wins.MaxMinutesPerWin
	}
	return config.DefaultMaxMinutesPerWin
}

// median of ds (sorted in place); the mean of the middle two for an even
// count, 0 for none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	n := len(ds)
	if n%2 == 1 {
		return ds[n/2]
	}
	return (ds[n/2-1] + ds[n/2]) / 2
}

// topWins ranks the window's wins by unique peer amplifiers, then counted
// minutes, then time, and lists the capped ones. Only the kept top wins
// are excerpted, so a huge week costs a sort of small records.
func topWins(wins []WinFacts, w window, maxMin int, blocked []string, r roster, team string) (top []TopWin, capped []CappedWin) {
	type candidate struct{ i, amps, minutes int }
	var cands []candidate
	for i := range wins {
		win := &wins[i]
		if !w.has(win.At) {
			continue
		}
		amps := len(win.AmplifiersAt(w.to))
		counted, isCapped := countedMinutes(win.MinutesSaved, amps, maxMin)
		cands = append(cands, candidate{i, amps, counted})
		if isCapped {
			cw := CappedWin{ID: win.ID, Author: win.Author, Claimed: win.MinutesSaved, Counted: counted,
				Amplifiers: amps, Link: Permalink(win.PostChannel, win.PostTS)}
			if !Credited(win.Win) {
				cw.Author, cw.Colleague = "", Colleague(win.Win)
			}
			capped = append(capped, cw)
		}
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		wa, wb := wins[a.i], wins[b.i]
		return cmp.Or(-cmp.Compare(a.amps, b.amps), -cmp.Compare(a.minutes, b.minutes), wa.At.Compare(wb.At), cmp.Compare(wa.ID, wb.ID))
	})
	for _, c := range first(cands, KeepTopWins) {
		win := wins[c.i]
		tw := TopWin{ID: win.ID, Author: win.Author, Team: r.winTeam(win.Win), Minutes: c.minutes, Amplifiers: c.amps,
			Link: Permalink(win.PostChannel, win.PostTS)}
		if !Credited(win.Win) {
			tw.Author, tw.Colleague = "", Colleague(win.Win)
		}
		if win.Held || win.Private || win.Pending || !ShownTo(win.Win, team) || mentionsAny(win.Text, blocked) {
			tw.Withheld = true
		} else {
			tw.Excerpt = excerpt(win.Text, ExcerptRunes)
		}
		top = append(top, tw)
	}
	slices.SortFunc(capped, func(a, b CappedWin) int { return cmp.Or(-cmp.Compare(a.Claimed, b.Claimed), cmp.Compare(a.ID, b.ID)) })
	return top, capped
}

// permalink links a message in a way that works in any workspace.
func Permalink(channel, ts string) string {
	if channel == "" || ts == "" {
		return ""
	}
	return "https://slack.com/archives/" + channel + "/p" + strings.ReplaceAll(ts, ".", "")
}

// excerpt is the first non-empty line of s, cut to n runes.
func excerpt(s string, n int) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	if r := []rune(s); len(r) > n {
		return strings.TrimSpace(string(r[:n-1])) + "…"
	}
	return s
}

// mentionsAny reports whether s contains one of terms, ignoring case:
// guardrails.block_terms are never echoed into a digest.
func mentionsAny(s string, terms []string) bool {
	low := strings.ToLower(s)
	for _, t := range terms {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" && strings.Contains(low, t) {
			return true
		}
	}
	return false
}

// timeToFirstWin is the median time from first interaction to first win
// for people whose first win is in w, and how many such people there were.
func timeToFirstWin(in Input, w window) (time.Duration, int) {
	var ds []time.Duration
	for i := range in.Wins {
		win := &in.Wins[i]
		if !w.has(win.At) {
			continue
		}
		first, ok := in.FirstWin[win.Author]
		touch := in.FirstTouch[win.Author]
		if !ok || !first.Equal(win.At) || touch.IsZero() || touch.After(first) {
			continue
		}
		ds = append(ds, first.Sub(touch))
	}
	return median(ds), len(ds)
}
