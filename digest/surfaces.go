package digest

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/robfig/cron/v3"

	"flywheel/config"
	"flywheel/store"
)

// The rules below are the ones the digest counts with, for the other
// surfaces (App Home, /flywheel champions, /flywheel spread, both
// exports): a number a person sees anywhere comes from here.

// WeekEnd is when the digest week running at now ends: the schedule's
// next firing after now. A week is the 7 calendar days in digest.timezone
// before a firing, so App Home and the preview show the week the next
// digest will report. For an "@every" schedule (or one that doesn't parse)
// the week is the 7 days before now.
func WeekEnd(cfg *config.Config, now time.Time) time.Time {
	sched, err := config.ParseSchedule(cfg.Digest.Schedule)
	if err != nil {
		return now
	}
	if _, every := sched.(cron.ConstantDelaySchedule); every {
		return now
	}
	if next := sched.Next(now.In(cfg.Location())); !next.IsZero() {
		return next
	}
	return now
}

// Contribution is one person's own numbers, over all they shared.
type Contribution struct {
	Wins     int // wins credited to them
	Minutes  int // their counted minutes (CountedMinutes, cheers as of now)
	Cheered  int // distinct colleagues who cheered their wins
	Inspired int // distinct colleagues their wins inspired
}

// ContributionOf reads user's Contribution: one index scan of their wins.
func ContributionOf(tx *store.Tx, cfg *config.Config, user string) (Contribution, error) {
	var c Contribution
	wins, err := tx.WinsByUser(user)
	if err != nil {
		return c, err
	}
	maxMin := MaxMinutes(cfg)
	cheered, inspired := map[string]bool{}, map[string]bool{}
	for _, w := range wins {
		if w.AwaitingApproval {
			continue // counts nowhere until its author approves
		}
		f, err := Facts(tx, w)
		if err != nil {
			return c, err
		}
		n, _ := CountedMinutes(f, maxMin)
		c.Wins++
		c.Minutes += n
		for _, p := range f.Amplifiers {
			cheered[p] = true
		}
		people, err := tx.InspiredBy(w.ID)
		if err != nil {
			return c, err
		}
		for _, p := range people {
			if p != user {
				inspired[p] = true
			}
		}
	}
	c.Cheered, c.Inspired = len(cheered), len(inspired)
	return c, nil
}

// ChampionsBetween scores everyone's champion activity in [from, to) as
// the digest does for a week (championScores: one answer per question per
// person, teamless askers never cross-team, cheers as of to) and ranks
// everyone with a score: by Score, then AnswerScore, then user ID.
// Forgotten people count for others but are never listed.
func ChampionsBetween(tx *store.Tx, cfg *config.Config, from, to time.Time) ([]Champion, error) {
	in := Input{End: to, ForgottenTeams: tx.ForgottenTeams()}
	err := tx.EachWinBetween(from, to, func(w *store.Win) error {
		if w.AwaitingApproval {
			return nil
		}
		f, err := factsOf(tx, *w, to)
		in.Wins = append(in.Wins, f)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("champions: %w", err)
	}
	if in.Answers, err = tx.AnswersBetween(from, to); err != nil {
		return nil, fmt.Errorf("champions: %w", err)
	}
	var out []Champion
	for _, c := range championScores(in, window{from, to}, newRoster(cfg, in)) {
		if c.Score > 0 && !store.IsForgotten(c.User) {
			out = append(out, *c)
		}
	}
	slices.SortFunc(out, func(a, b Champion) int {
		return cmp.Or(-cmp.Compare(a.Score, b.Score), -cmp.Compare(a.AnswerScore, b.AnswerScore), cmp.Compare(a.User, b.User))
	})
	return out, nil
}

// IsChampion reports whether c's score makes them a champion of the
// window (ChampionMinScore), as the digest's rollout stage counts them.
func IsChampion(c Champion) bool { return isChampion(&c) }
