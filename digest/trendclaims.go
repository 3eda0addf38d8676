package digest

import (
	"fmt"
	"slices"
	"strings"
)

// Thresholds below which a trend is not worth a sentence: a claim needs
// the numbers to carry it.
const (
	// ClaimMinStreak is the fewest week-on-week rises (or falls) in a row
	// worth saying.
	ClaimMinStreak = 3
	// ClaimMinQuestions is the fewest questions a week needs for its stage
	// mix to count in a claim; ClaimMinShift the fewest percentage points
	// the how/build share must move.
	ClaimMinQuestions = 5
	ClaimMinShift     = 10
	// ClaimPullWeeks is "a month ago": a team's access questions now are
	// compared with this many weeks before; ClaimMinPull is the fewest
	// access questions this week worth calling a rising pull.
	ClaimPullWeeks = 4
	ClaimMinPull   = 2
)

// Claims says in words what a trend shows, newest facts first, and only
// what its numbers support:
//   - "Wins grew 4 weeks in a row" (or fell), from ClaimMinStreak weekly
//     changes the same way, ending with the latest week;
//   - "Questions are moving on: how/build went from 20% to 45% in 8
//     weeks", comparing the earliest and the latest week with at least
//     ClaimMinQuestions questions, when the share moved ClaimMinShift
//     points or more (or "moving back");
//   - "Sales' pull is rising: 3 access questions this week, none a month
//     ago", for a team outside the rollout with ClaimMinPull or more access
//     questions in the latest week and none ClaimPullWeeks weeks before;
//   - "Hours saved grew N weeks in a row", as for wins.
func Claims(t Trend) []string {
	w := t.Weeks
	var out []string
	if c := streak(w, "Wins", func(x TrendWeek) int { return x.Wins }); c != "" {
		out = append(out, c)
	}
	if c := streak(w, "Hours saved", func(x TrendWeek) int { return x.Minutes }); c != "" {
		out = append(out, c)
	}
	if c := stageShift(w); c != "" {
		out = append(out, c)
	}
	return append(out, pullClaims(w)...)
}

// streak counts how many times in a row, ending with the latest week, f
// went up (or down) week on week.
func streak(w []TrendWeek, name string, f func(TrendWeek) int) string {
	up, down := 0, 0
	for i := len(w) - 1; i > 0; i-- {
		now, before := f(w[i]), f(w[i-1])
		switch {
		case now > before && down == 0:
			up++
			continue
		case now < before && up == 0:
			down++
			continue
		}
		break
	}
	switch {
	case up >= ClaimMinStreak:
		return fmt.Sprintf("%s grew %d weeks in a row", name, up)
	case down >= ClaimMinStreak:
		return fmt.Sprintf("%s fell %d weeks in a row", name, down)
	}
	return ""
}

// stageShift compares the how/build share of the earliest and the latest
// week with enough questions.
func stageShift(w []TrendWeek) string {
	first, last := -1, -1
	for i, x := range w {
		if knownStages(x) >= ClaimMinQuestions {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 || last <= first || last != len(w)-1 {
		return ""
	}
	share := func(x TrendWeek) int { return pct(x.Stages[2]+x.Stages[3], knownStages(x)) }
	from, to := share(w[first]), share(w[last])
	weeks := plural(last-first, "week", "weeks")
	switch {
	case to-from >= ClaimMinShift:
		return fmt.Sprintf("Questions are moving on: how/build went from %d%% to %d%% in %s", from, to, weeks)
	case from-to >= ClaimMinShift:
		return fmt.Sprintf("Questions are moving back: how/build went from %d%% to %d%% in %s", from, to, weeks)
	}
	return ""
}

func knownStages(x TrendWeek) int { return x.Stages[0] + x.Stages[1] + x.Stages[2] + x.Stages[3] }

// pullClaims names teams outside the rollout whose access questions rose
// from none a month ago.
func pullClaims(w []TrendWeek) []string {
	if len(w) <= ClaimPullWeeks {
		return nil
	}
	last, before := w[len(w)-1], w[len(w)-1-ClaimPullWeeks]
	var out []string
	for _, tc := range last.AccessTeams {
		if tc.Count < ClaimMinPull || slices.ContainsFunc(before.AccessTeams, func(b TeamCount) bool { return b.Team == tc.Team && b.Count > 0 }) {
			continue
		}
		out = append(out, fmt.Sprintf("%s pull is rising: %s this week, none a month ago", possessive(tc.Team), plural(tc.Count, "access question", "access questions")))
	}
	return out
}

// possessive is "Sales'" or "Finance's".
func possessive(name string) string {
	if strings.HasSuffix(name, "s") {
		return name + "'"
	}
	return name + "'s"
}
