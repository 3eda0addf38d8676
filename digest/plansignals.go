package digest

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"flywheel/store"
)

// pullFacts is what the records say about one not-yet-enrolled team (or,
// merged, a site): the weekly pull signals and who sent them, for the
// evidence sentences.
type pullFacts struct {
	weeks     []PullSignals   // newest first, PullWeeks of them
	askers    map[string]bool // asked for access
	askWeeks  map[int]bool    // weeks with an access question
	howAskers map[string]bool // asked how or build questions
	triers    map[string]bool // clicked "I'll try this" on another team's win
	triedFrom map[string]bool // the teams of those wins
	cheerers  map[string]bool // cheered another team's win
}

func newPullFacts() *pullFacts {
	return &pullFacts{weeks: make([]PullSignals, PullWeeks), askers: map[string]bool{}, askWeeks: map[int]bool{},
		howAskers: map[string]bool{}, triers: map[string]bool{}, triedFrom: map[string]bool{}, cheerers: map[string]bool{}}
}

// merge adds o's facts to f (a site is the sum of its teams).
func (f *pullFacts) merge(o *pullFacts) {
	for k := range f.weeks {
		f.weeks[k] = f.weeks[k].add(o.weeks[k])
	}
	for _, m := range [][2]map[string]bool{{f.askers, o.askers}, {f.howAskers, o.howAskers}, {f.triers, o.triers},
		{f.triedFrom, o.triedFrom}, {f.cheerers, o.cheerers}} {
		maps.Copy(m[0], m[1])
	}
	maps.Copy(f.askWeeks, o.askWeeks)
}

// total is the signals summed over the weeks.
func (f *pullFacts) total() PullSignals {
	var t PullSignals
	for _, w := range f.weeks {
		t = t.add(w)
	}
	return t
}

// asksForAccess reports a question that asks to be let in: flagged as an
// access request, or at the access stage from someone whose team was not
// enrolled when they asked. The digest's "Teams asking for access" and the
// plan's pull both count these.
func asksForAccess(q store.Question) bool {
	return q.AccessRequest || (q.Stage == "access" && !q.Enrolled)
}

// usesOrBuilds reports a question at the how or build stage: someone
// already trying to use or build with AI, which both pull and access-first
// picks count.
func usesOrBuilds(q store.Question) bool { return q.Stage == "how" || q.Stage == "build" }

type cheerKey struct {
	user string
	win  uint64
}

// crossTeamCheer reports a cheer by someone of one team on a win of
// another (both known), not on their own win.
func (r roster) crossTeamCheer(c Cheer) bool {
	mine, theirs := r.of(c.User), r.winTeam(store.Win{Author: c.Author, Team: c.Team})
	return c.User != "" && c.User != c.Author && mine != "" && theirs != "" && mine != theirs
}

// weekOf is the index of the window holding t, or -1.
func weekOf(weeks []window, t time.Time) int {
	for k, w := range weeks {
		if w.has(t) {
			return k
		}
	}
	return -1
}

// collectPull reads the pull signals of the teams in facts (the teams not
// enrolled) from the records, week by week.
func collectPull(in Input, weeks []window, r roster, facts map[string]*pullFacts) {
	for _, q := range in.Questions {
		f, k := facts[r.questionTeam(q)], weekOf(weeks, q.At)
		if f == nil || k < 0 || q.Deleted {
			continue
		}
		switch {
		case asksForAccess(q):
			f.weeks[k].AccessQuestions++
			f.askers[q.Asker], f.askWeeks[k] = true, true
		case usesOrBuilds(q):
			f.weeks[k].HowQuestions++
			f.howAskers[q.Asker] = true
		}
	}
	for _, i := range in.Inspirations {
		team := r.of(i.User)
		f, k := facts[team], weekOf(weeks, i.At)
		src, ok := in.Inspiring[i.WinID]
		if f == nil || k < 0 || !ok {
			continue
		}
		if from := r.winTeam(src); from != "" && from != team {
			f.weeks[k].Tries++
			f.triers[i.User], f.triedFrom[from] = true, true
		}
	}
	for i := range in.Wins {
		win := &in.Wins[i]
		k := weekOf(weeks, win.At)
		if k < 0 {
			continue
		}
		if f := facts[r.winTeam(win.Win)]; f != nil && win.InspiredBy != 0 {
			if src, ok := in.Inspiring[win.InspiredBy]; ok && src.Author != win.Author {
				f.weeks[k].InspiredWins++
			}
		}
	}
	cheered := map[cheerKey]bool{}
	for _, c := range in.Cheers {
		f, k, key := facts[r.of(c.User)], weekOf(weeks, c.At), cheerKey{c.User, c.WinID}
		if f == nil || k < 0 || cheered[key] || !r.crossTeamCheer(c) {
			continue // several emoji on one win are one cheer
		}
		cheered[key] = true
		f.weeks[k].Cheers++
		f.cheerers[c.User] = true
	}
	seen := map[answerKey]bool{}
	for _, a := range in.Answers {
		f, k := facts[a.AskerTeam], weekOf(weeks, a.At)
		key := answerKey{a.Answerer, a.QuestionID}
		if f == nil || k < 0 || seen[key] {
			continue // several replies in one thread are one answer
		}
		seen[key] = true
		f.weeks[k].AnswersReceived++
	}
}

// evidence says in sentences what the pull is made of: "4 people asked
// for access in 3 weeks; 2 clicked I'll try this on wins from Ops".
func (f *pullFacts) evidence() []string {
	t := f.total()
	var out []string
	if t.AccessQuestions > 0 {
		s := fmt.Sprintf("%s asked for access in %s", plural(len(f.askers), "person", "people"), plural(len(f.askWeeks), "week", "weeks"))
		if t.AccessQuestions > len(f.askers) {
			s += fmt.Sprintf(" (%d questions)", t.AccessQuestions)
		}
		out = append(out, s)
	}
	if t.HowQuestions > 0 {
		out = append(out, fmt.Sprintf("%s asked how to use or build with AI", plural(len(f.howAskers), "person", "people")))
	}
	if t.Tries > 0 {
		out = append(out, fmt.Sprintf("%d clicked I'll try this on wins from %s", len(f.triers), strings.Join(slices.Sorted(maps.Keys(f.triedFrom)), ", ")))
	}
	switch n := t.InspiredWins; {
	case n == 1:
		out = append(out, "1 win inspired by a colleague's win")
	case n > 1:
		out = append(out, fmt.Sprintf("%d wins inspired by colleagues' wins", n))
	}
	if t.Cheers > 0 {
		out = append(out, fmt.Sprintf("%d cheered across teams", len(f.cheerers)))
	}
	if t.AnswersReceived > 0 {
		out = append(out, fmt.Sprintf("got %s from colleagues", plural(t.AnswersReceived, "answer", "answers")))
	}
	if len(out) == 0 {
		out = append(out, fmt.Sprintf("no sign of interest in the last %d weeks", PullWeeks))
	}
	return out
}
