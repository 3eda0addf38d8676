package digest

import (
	"flywheel/config"
	"flywheel/store"
)

// roster says which team a person is in: the config's members first, then
// the teams recorded on their wins, questions and answers (the bot also
// resolves Slack user groups, which Build cannot see).
type roster struct {
	configured map[string]string // from the config's members
	learned    map[string]string // from the records
}

func newRoster(cfg *config.Config, in Input) roster {
	r := configuredRoster(cfg, in.ForgottenTeams)
	for i := range in.Wins {
		r.learn(in.Wins[i].Author, in.Wins[i].Team)
	}
	for _, q := range in.Questions {
		r.learn(q.Asker, q.Team)
	}
	for _, a := range in.Answers {
		r.learn(a.Answerer, a.Team)
	}
	return r
}

// configuredRoster knows the config's members and the forgotten people's
// teams, and has learned nothing yet. newRoster learns from the wins, then
// the questions, then the answers: a reader that learns itself must keep
// that order (the last team learned for a person wins).
func configuredRoster(cfg *config.Config, forgottenTeams map[string]string) roster {
	r := roster{configured: map[string]string{}, learned: map[string]string{}}
	// The same answer as cfg.TeamOf (the first team listing the user), as
	// a map: Build asks for every amplifier of every win.
	for _, t := range cfg.Teams {
		for _, m := range t.Members {
			if _, dup := r.configured[m]; !dup && m != "" {
				r.configured[m] = t.Name
			}
		}
	}
	// A forgotten person keeps the team they had when forgotten.
	for p, team := range forgottenTeams {
		r.configured[p] = team
	}
	return r
}

// learn notes team for user unless the config already says: of only asks
// learned for the people the config doesn't place.
func (r roster) learn(user, team string) {
	if user != "" && team != "" && !r.knows(user) {
		r.learned[user] = team
	}
}

// knows reports whether user's team comes from the config (or their
// forgetting), so no record can change it.
func (r roster) knows(user string) bool {
	_, ok := r.configured[user]
	return ok
}

func (r roster) of(user string) string {
	if t, ok := r.configured[user]; ok {
		return t
	}
	return r.learned[user]
}

// winTeam is the team recorded on the win, else the author's team now.
func (r roster) winTeam(w store.Win) string {
	if w.Team != "" {
		return w.Team
	}
	return r.of(w.Author)
}

func (r roster) questionTeam(q store.Question) string {
	if q.Team != "" {
		return q.Team
	}
	return r.of(q.Asker)
}

func (r roster) answerTeam(a store.Answer) string {
	if a.Team != "" {
		return a.Team
	}
	return r.of(a.Answerer)
}

// slice keeps team's wins, the cheers on them, its tips, its questions,
// and answers given by its members.
func (r roster) slice(in Input, team string) Input {
	out := Input{End: in.End, FirstWin: in.FirstWin, FirstTouch: in.FirstTouch, Inspirations: in.Inspirations, Inspiring: in.Inspiring,
		ForgottenTeams: in.ForgottenTeams}
	for _, c := range in.Cheers {
		if r.winTeam(store.Win{Author: c.Author, Team: c.Team}) == team {
			out.Cheers = append(out.Cheers, c)
		}
	}
	for _, w := range in.Wins {
		if r.winTeam(w.Win) == team {
			out.Wins = append(out.Wins, w)
		}
	}
	out.Tips = map[uint64]TipFacts{}
	for id, t := range in.Tips {
		if r.winTeam(t.Win) == team {
			out.Tips[id] = t
		}
	}
	for _, q := range in.Questions {
		if r.questionTeam(q) == team {
			out.Questions = append(out.Questions, q)
		}
	}
	for _, a := range in.Answers {
		if r.answerTeam(a) == team {
			out.Answers = append(out.Answers, a)
		}
	}
	return out
}
