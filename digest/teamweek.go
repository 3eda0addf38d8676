package digest

import (
	"fmt"
	"time"

	"flywheel/config"
	"flywheel/store"
)

// TeamWeek is a team's wins and counted minutes in the digest's week
// (Now) and the week before (Prev): the team line of everyone's Home tab.
type TeamWeek struct {
	Wins, Minutes Count
}

// TeamWeekOf counts team's TeamWeek for the digest week ending at end with
// the digest's rules: the wins BuildTeam slices to the team from
// Gather(tx, end, 2), each counted by measure with its cheers as of its
// week's end. It gives BuildTeam's Headline.Wins and MinutesSaved, but
// reads only what those two numbers depend on, because every Home tab
// asks for them: of the two weeks' wins it reads the author and team of
// each, decodes and looks up the cheers of the team's wins alone, where
// Gather would decode every win, read its cheers, and read the questions,
// answers, reactions, inspirations and tips too.
//
// A win recorded without a team counts for its author's team, which the
// digest learns from the records it gathered when the config does not say
// (roster): only then are the askers and answerers (and their teams) of
// the questions and answers read as well.
// team is a team's name; the company's week is Build's.
func TeamWeekOf(tx *store.Tx, cfg *config.Config, team string, end time.Time) (TeamWeek, error) {
	if team == "" {
		return TeamWeek{}, fmt.Errorf("team week: no team named")
	}
	const weeks = 2
	from := gatherStart(end, weeks)
	r := configuredRoster(cfg, tx.ForgottenTeams())
	var candidates []WinFacts
	unknown := false // a teamless win whose author's team must be learned
	want := func(h store.WinHead) bool {
		if h.AwaitingApproval {
			return false // as Gather: counts nowhere, teaches the roster nothing
		}
		r.learn(h.Author, h.Team) // in Gather's order: newRoster learns from every win first
		if h.Team == "" && !r.knows(h.Author) {
			unknown = true
		}
		return h.Team == team || h.Team == ""
	}
	err := tx.EachWinBetweenWhere(from, end, want, func(w *store.Win) error {
		candidates = append(candidates, WinFacts{Win: *w})
		return nil
	})
	if err != nil {
		return TeamWeek{}, fmt.Errorf("team week: %w", err)
	}
	if unknown { // learn as newRoster does, from the questions, then the answers
		_, err := tx.QuestionsBetweenWhere(from, end, func(h store.QuestionHead) bool { r.learn(h.Asker, h.Team); return false })
		if err == nil {
			err = tx.EachAnswerHeadBetween(from, end, func(h store.AnswerHead) { r.learn(h.Answerer, h.Team) })
		}
		if err != nil {
			return TeamWeek{}, fmt.Errorf("team week: %w", err)
		}
	}
	in := r.slice(Input{End: end, Wins: candidates}, team)
	for i, w := range in.Wins {
		if in.Wins[i], err = factsOf(tx, w.Win, end); err != nil {
			return TeamWeek{}, fmt.Errorf("team week: %w", err)
		}
	}
	ws := weekWindows(end, cfg.Location(), weeks)
	maxMin := MaxMinutes(cfg)
	now, before := measure(in, ws[0], maxMin, r), measure(in, ws[1], maxMin, r)
	return TeamWeek{Wins: Count{now.wins, before.wins}, Minutes: Count{now.minutes, before.minutes}}, nil
}
