package digest

import (
	"cmp"
	"slices"
	"time"
)

// Numbers are the figures a digest states, without names or words: what
// is kept for good for every posted week (store.RecordWeek), what trends
// will chart, and what a week recomputed later must still say. Lists that
// Build orders by person are sorted here by their numbers, so a forgotten
// person's placeholder changes nothing.
type Numbers struct {
	V                int          `json:"v"`
	Team             string       `json:"team,omitempty"`
	Start            time.Time    `json:"start"`
	End              time.Time    `json:"end"`
	MaxMinutesPerWin int          `json:"max_minutes_per_win"`
	Headline         Headline     `json:"headline"`
	Mix              []StageShare `json:"mix,omitempty"`
	// TopWins and Capped are the listed wins' numbers, in the digest's order.
	TopWins []WinNumbers `json:"top_wins,omitempty"`
	Capped  []WinNumbers `json:"capped,omitempty"`
	// Answerers and Bridges are the champions' numbers, largest first.
	Answerers [][3]int `json:"answerers,omitempty"` // answer score, answered, cross-team answers
	Bridges   []int    `json:"bridges,omitempty"`   // cross-team reach
	Emerging  int      `json:"emerging"`
	// AccessRequests are teams asking for access: team, people, questions.
	AccessRequests []AccessNumbers `json:"access_requests,omitempty"`
	Spread         *SpreadNumbers  `json:"spread,omitempty"`
	Rollout        *Rollout        `json:"rollout,omitempty"`
	Nudge          *Nudge          `json:"nudge,omitempty"`
	// Teaching is "People teaching each other": tips shared, teachers,
	// tips tried across teams, the most-tried tips' tries.
	Teaching *TeachingNumbers `json:"teaching,omitempty"`
}

// WinNumbers are one listed win's numbers.
type WinNumbers struct {
	ID                           uint64
	Claimed, Minutes, Amplifiers int
}

// AccessNumbers are one team's access requests, counted.
type AccessNumbers struct {
	Team              string
	People, Questions int
}

// SpreadNumbers are the spread section's figures.
type SpreadNumbers struct {
	NewAdopters, Active int
	Ratio, PrevRatio    float64
	Inspiring           []int // people inspired, per listed win
	Chains              []Chain
}

// NumbersOf takes d's figures.
func NumbersOf(d Digest) Numbers {
	n := Numbers{V: 1, Team: d.Team, Start: d.Start.UTC(), End: d.End.UTC(), MaxMinutesPerWin: d.MaxMinutesPerWin,
		Headline: d.Headline, Mix: d.Mix, Emerging: len(d.Emerging), Nudge: d.Nudge}
	if d.Rollout != nil {
		ro := *d.Rollout
		ro.Candidates = nil // people to enable first: names, and never the forgotten
		n.Rollout = &ro
	}
	for _, w := range d.TopWins {
		n.TopWins = append(n.TopWins, WinNumbers{ID: w.ID, Minutes: w.Minutes, Amplifiers: w.Amplifiers})
	}
	for _, w := range d.Capped {
		n.Capped = append(n.Capped, WinNumbers{ID: w.ID, Claimed: w.Claimed, Minutes: w.Counted, Amplifiers: w.Amplifiers})
	}
	for _, c := range d.Answerers {
		n.Answerers = append(n.Answerers, [3]int{c.AnswerScore, c.Answered, c.CrossTeamAnswers})
	}
	slices.SortFunc(n.Answerers, func(a, b [3]int) int {
		return cmp.Or(-cmp.Compare(a[0], b[0]), -cmp.Compare(a[1], b[1]), -cmp.Compare(a[2], b[2]))
	})
	for _, c := range d.Bridges {
		n.Bridges = append(n.Bridges, c.CrossTeamReach)
	}
	for _, a := range d.AccessRequests {
		n.AccessRequests = append(n.AccessRequests, AccessNumbers{Team: a.Team, People: len(a.People), Questions: a.Questions})
	}
	n.Teaching = teachingNumbers(d.Teaching)
	if s := d.Spread; s != nil {
		n.Spread = &SpreadNumbers{NewAdopters: len(s.NewAdopters), Active: s.Active, Ratio: s.Ratio, PrevRatio: s.PrevRatio, Chains: s.Chains}
		for _, w := range s.Inspiring {
			n.Spread.Inspiring = append(n.Spread.Inspiring, w.People)
		}
	}
	return n
}
