package digest

import (
	"cmp"
	"slices"

	"flywheel/config"
	"flywheel/store"
)

// Champion scoring. A person's score in a week is the sum of
//   - for each distinct question they answered: CrossTeamWeight when the
//     asker was in another team, SameTeamWeight otherwise (also when either
//     team is unknown: we only claim "across teams" when we know it);
//   - the number of distinct people of other teams who amplified their wins.
//
// A person with a score of at least ChampionMinScore is a champion that week:
// one answer to another team, two answers in their own team, or one answer
// and a win cheered by another team.
const (
	SameTeamWeight   = 1
	CrossTeamWeight  = 2
	ChampionMinScore = 2
	// EmergingWeeks is how many weeks before this one an emerging champion
	// must not have been a champion in.
	EmergingWeeks = 4
	// StageChampionWeeks is how many recent weeks (this one included) the
	// rollout stage counts champions over: a champion who helped three
	// weeks ago still is one.
	StageChampionWeeks = 4
)

type answerKey struct {
	user     string
	question uint64
}

// championScores adds up everyone's champion activity in window w.
func championScores(in Input, w window, r roster) map[string]*Champion {
	out := map[string]*Champion{}
	get := func(user string) *Champion {
		c, ok := out[user]
		if !ok {
			c = &Champion{User: user, Team: r.of(user)}
			out[user] = c
		}
		return c
	}
	seen := map[answerKey]bool{}
	for _, a := range in.Answers {
		k := answerKey{a.Answerer, a.QuestionID}
		if !w.has(a.At) || a.Answerer == "" || seen[k] {
			continue // several replies in one thread answer one question
		}
		seen[k] = true
		c := get(a.Answerer)
		c.Answered++
		if mine := r.answerTeam(a); mine != "" && a.AskerTeam != "" && mine != a.AskerTeam {
			c.CrossTeamAnswers++
			c.AnswerScore += CrossTeamWeight
		} else {
			c.AnswerScore += SameTeamWeight
		}
	}
	reach := map[string]map[string]bool{}
	for i := range in.Wins {
		win := &in.Wins[i] // by pointer: a WinFacts is a few hundred bytes, and five weeks of them are read per week
		if !w.has(win.At) {
			continue
		}
		team := r.winTeam(win.Win)
		if team == "" || !Credited(win.Win) {
			continue // a win shared without a name makes no one a champion: that would name them
		}
		for _, amp := range win.AmplifiersAt(w.to) {
			if t := r.of(amp); t != "" && t != team {
				if reach[win.Author] == nil {
					reach[win.Author] = map[string]bool{}
				}
				reach[win.Author][amp] = true
			}
		}
	}
	for user, people := range reach {
		get(user).CrossTeamReach = len(people)
	}
	for _, c := range out {
		c.Score = c.AnswerScore + c.CrossTeamReach
	}
	return out
}

func isChampion(c *Champion) bool { return c != nil && c.Score >= ChampionMinScore }

// rankChampions lists who answered (by AnswerScore, then questions
// answered) and whose wins reached other teams (by CrossTeamReach).
func rankChampions(scores map[string]*Champion) (answerers, bridges []Champion) {
	for _, c := range scores {
		if c.AnswerScore > 0 {
			answerers = append(answerers, *c)
		}
		if c.CrossTeamReach > 0 {
			bridges = append(bridges, *c)
		}
	}
	slices.SortFunc(answerers, func(a, b Champion) int {
		return cmp.Or(-cmp.Compare(a.AnswerScore, b.AnswerScore), -cmp.Compare(a.Answered, b.Answered), cmp.Compare(a.User, b.User))
	})
	slices.SortFunc(bridges, func(a, b Champion) int {
		return cmp.Or(-cmp.Compare(a.CrossTeamReach, b.CrossTeamReach), cmp.Compare(a.User, b.User))
	})
	return answerers, bridges
}

// emerging lists this week's champions (weeks[0]) who were not champions
// in any of the EmergingWeeks weeks before.
func emerging(weeks []map[string]*Champion) []string {
	var out []string
	for user, c := range weeks[0] {
		if !isChampion(c) {
			continue
		}
		before := false
		for _, w := range weeks[1:min(len(weeks), 1+EmergingWeeks)] {
			before = before || isChampion(w[user])
		}
		if !before {
			out = append(out, user)
		}
	}
	slices.Sort(out)
	return out
}

// accessRequests groups this week's access questions from teams that are
// not in the rollout (and still aren't in the config) by team.
func accessRequests(qs []store.Question, w window, cfg *config.Config, r roster) []AccessTeam {
	type acc struct {
		people    map[string]bool
		questions int
		tools     map[string]int
	}
	byTeam := map[string]*acc{}
	for _, q := range qs {
		if !w.has(q.At) || q.Deleted || !asksForAccess(q) {
			continue
		}
		team := r.questionTeam(q)
		if team == "" || enrolledNow(cfg, team) {
			continue
		}
		a := byTeam[team]
		if a == nil {
			a = &acc{people: map[string]bool{}, tools: map[string]int{}}
			byTeam[team] = a
		}
		a.people[q.Asker] = true
		a.questions++
		for _, t := range q.Tools {
			a.tools[t]++
		}
	}
	out := make([]AccessTeam, 0, len(byTeam))
	for team, a := range byTeam {
		at := AccessTeam{Team: team, Questions: a.questions}
		for p := range a.people {
			at.People = append(at.People, p)
		}
		slices.Sort(at.People)
		for t := range a.tools {
			at.Tools = append(at.Tools, t)
		}
		slices.SortFunc(at.Tools, func(x, y string) int { return cmp.Or(-cmp.Compare(a.tools[x], a.tools[y]), cmp.Compare(x, y)) })
		out = append(out, at)
	}
	slices.SortFunc(out, func(a, b AccessTeam) int {
		return cmp.Or(-cmp.Compare(len(a.People), len(b.People)), -cmp.Compare(a.Questions, b.Questions), cmp.Compare(a.Team, b.Team))
	})
	return out
}

func enrolledNow(cfg *config.Config, team string) bool {
	for _, t := range cfg.Teams {
		if t.Name == team {
			return t.Enrolled
		}
	}
	return false
}

// Stages lists the question stages in adoption order.
var Stages = []string{"what", "access", "how", "build"}

// stageMix compares the stage counts of two weeks; questions without a
// known stage are "other", listed only when there are some.
func stageMix(now, prev map[string]int) []StageShare {
	total := func(m map[string]int) (n int) {
		for _, v := range m {
			n += v
		}
		return n
	}
	tn, tp := total(now), total(prev)
	var out []StageShare
	on, op := tn, tp
	for _, s := range Stages {
		out = append(out, StageShare{Stage: s, Now: now[s], Prev: prev[s], NowPct: pct(now[s], tn), PrevPct: pct(prev[s], tp)})
		on, op = on-now[s], op-prev[s]
	}
	if on > 0 || op > 0 {
		out = append(out, StageShare{Stage: "other", Now: on, Prev: op, NowPct: pct(on, tn), PrevPct: pct(op, tp)})
	}
	return out
}

// pct is 100*n/total rounded half up, 0 when total is 0.
func pct(n, total int) int {
	if total <= 0 {
		return 0
	}
	return (200*n + total) / (2 * total)
}

// nudge picks the one suggestion of the week: the first of the NudgeKinds
// that applies.
func nudge(cfg *config.Config, team string, now week) *Nudge {
	var quiet []string
	for _, t := range cfg.Teams {
		if t.Enrolled && (team == "" || t.Name == team) && now.winsByTeam[t.Name] == 0 {
			quiet = append(quiet, t.Name)
		}
	}
	switch {
	case len(quiet) > 0:
		return &Nudge{Kind: NudgeQuietTeams, Teams: quiet}
	case now.unanswered > 0:
		return &Nudge{Kind: NudgeUnanswered, Count: now.unanswered}
	case now.uncheered > 0:
		return &Nudge{Kind: NudgeUncheered, Count: now.uncheered}
	case now.wins == 0:
		return &Nudge{Kind: NudgeNoWins}
	}
	return nil
}
