package digest

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"flywheel/store"
)

// "Give access first" names the natural champions of a team or site: the
// people who already experiment and help others without being asked. Over
// the last AccessFirstWeeks weeks, a person's access-first score is
//
//	their champion score (see championScores: 2 per question answered for
//	another team, 1 for their own; 1 per person of another team cheering
//	their wins)
//	+ 2 per how or build question they asked
//	+ 2 per colleague's win they tried ("I'll try this", or a win of theirs
//	  that one inspired)
//	+ 1 per person of another team whose wins they cheered
//
// The digest, `flywheel rollout` and `/flywheel rollout` all rank with
// accessFirst, over the same weeks, so they name the same people.
const (
	// AccessFirstWeeks is how many weeks (the digest's week included)
	// access-first picks look back: a champion who helped three weeks ago
	// still is one, as for the rollout stage.
	AccessFirstWeeks = StageChampionWeeks
	// MaxAccessFirst bounds each access-first list.
	MaxAccessFirst = 5

	askWeight   = 2 // per how or build question asked
	tryWeight   = 2 // per colleague's win tried
	cheerWeight = 1 // per person of another team cheered
)

// Pick is someone to give access (or the champion role) first, and why in
// a few words.
type Pick struct {
	User   string `json:"user"`
	Team   string `json:"team"`
	Score  int    `json:"score"`
	Reason string `json:"reason"`
}

// natural is one person's natural-champion activity in a window.
type natural struct {
	champ   Champion        // answers and cross-team reach, from championScores
	asked   int             // how and build questions
	tried   map[uint64]bool // colleagues' wins tried
	cheered map[string]bool // people of other teams whose wins they cheered
}

func (n *natural) score() int {
	return n.champ.Score + askWeight*n.asked + tryWeight*len(n.tried) + cheerWeight*len(n.cheered)
}

// accessFirstWindow is the AccessFirstWeeks weeks before end.
func accessFirstWindow(end time.Time, loc *time.Location) window {
	weeks := weekWindows(end, loc, AccessFirstWeeks)
	return window{from: weeks[len(weeks)-1].from, to: weeks[0].to}
}

// naturals adds up everyone's access-first activity in w.
func naturals(in Input, w window, r roster) map[string]*natural {
	out := map[string]*natural{}
	get := func(user string) *natural {
		n, ok := out[user]
		if !ok {
			n = &natural{tried: map[uint64]bool{}, cheered: map[string]bool{}}
			out[user] = n
		}
		return n
	}
	for user, c := range championScores(in, w, r) {
		get(user).champ = *c
	}
	for _, q := range in.Questions {
		if w.has(q.At) && !q.Deleted && usesOrBuilds(q) {
			get(q.Asker).asked++
		}
	}
	for _, i := range in.Inspirations {
		if src, ok := in.Inspiring[i.WinID]; ok && w.has(i.At) && src.Author != i.User {
			get(i.User).tried[i.WinID] = true
		}
	}
	for i := range in.Wins {
		win := &in.Wins[i]
		if !w.has(win.At) {
			continue
		}
		if src, ok := in.Inspiring[win.InspiredBy]; ok && win.InspiredBy != 0 && src.Author != win.Author && Credited(win.Win) {
			get(win.Author).tried[win.InspiredBy] = true
		}
		team := r.winTeam(win.Win)
		for _, a := range win.AmplifiersAt(w.to) {
			if t := r.of(a); t != "" && team != "" && t != team {
				get(a).cheered[win.Author] = true
			}
		}
	}
	return out
}

// accessFirst ranks the people in the teams for which member is true by
// access-first score (then user ID), skipping those skip says to and the
// forgotten, at most MaxAccessFirst.
func accessFirst(nat map[string]*natural, r roster, member func(team string) bool, skip func(user string) bool) []Pick {
	var out []Pick
	for user, n := range nat {
		team := r.of(user)
		if store.IsForgotten(user) || user == "" || !member(team) || (skip != nil && skip(user)) {
			continue
		}
		if s := n.score(); s > 0 {
			out = append(out, Pick{User: user, Team: team, Score: s, Reason: n.reason()})
		}
	}
	slices.SortFunc(out, func(a, b Pick) int { return cmp.Or(-cmp.Compare(a.Score, b.Score), cmp.Compare(a.User, b.User)) })
	return first(out, MaxAccessFirst)
}

// reason is the two activities that earned the most, in a few words.
func (n *natural) reason() string {
	type part struct {
		points int
		text   string
	}
	var parts []part
	if c := n.champ; c.Answered > 0 {
		text := "answered " + plural(c.Answered, "question", "questions")
		if c.CrossTeamAnswers > 0 {
			text += fmt.Sprintf(" (%d for other teams)", c.CrossTeamAnswers)
		}
		parts = append(parts, part{c.AnswerScore, text})
	}
	if n.asked > 0 {
		parts = append(parts, part{askWeight * n.asked, "asked " + plural(n.asked, "how-to question", "how-to questions")})
	}
	if k := len(n.tried); k > 0 {
		parts = append(parts, part{tryWeight * k, "tried " + plural(k, "colleague's win", "colleagues' wins")})
	}
	if k := n.champ.CrossTeamReach; k > 0 {
		parts = append(parts, part{k, "wins cheered by " + plural(k, "person", "people") + " in other teams"})
	}
	if k := len(n.cheered); k > 0 {
		parts = append(parts, part{cheerWeight * k, "cheered " + plural(k, "person", "people") + " in other teams"})
	}
	slices.SortStableFunc(parts, func(a, b part) int { return -cmp.Compare(a.points, b.points) })
	texts := make([]string, 0, 2)
	for _, p := range first(parts, 2) {
		texts = append(texts, p.text)
	}
	return strings.Join(texts, ", ")
}
