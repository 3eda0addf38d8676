package bot

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"flywheel/bot/slacktext"
	"flywheel/store"
)

// Champion is one person's contribution to peers in a window.
type Champion struct {
	User               string
	Team               string
	Answers            int // questions answered
	CrossTeamAnswers   int // ... for people outside their own team
	CrossTeamAmplifier int // people from other teams who amplified their wins
	Amplifiers         int // all peers who amplified their wins
	Score              int
}

// championWindows maps /flywheel champions' argument to a window length.
var championWindows = map[string]time.Duration{"week": 7 * 24 * time.Hour, "month": 30 * 24 * time.Hour, "quarter": 91 * 24 * time.Hour}

// RankChampions scores people by what they did for peers: an answer counts
// 1, or 2 for someone outside their own team; each peer from another team
// who amplified their wins counts 1 (same-team amplifiers count 1 per 2).
// Natural champions help across teams, so crossing a boundary weighs more.
func RankChampions(answers []store.Answer, wins []store.Win, amplifiers map[uint64][]string, teamOf func(string) string) []Champion {
	by := map[string]*Champion{}
	get := func(u string) *Champion {
		if c, ok := by[u]; ok {
			return c
		}
		c := &Champion{User: u, Team: teamOf(u)}
		by[u] = c
		return c
	}
	for _, a := range answers {
		c := get(a.Answerer)
		c.Answers++
		if a.AskerTeam == "" || a.AskerTeam != c.Team {
			c.CrossTeamAnswers++
		}
	}
	sameTeamAmps := map[string]int{}
	seen := map[string]map[string]bool{}
	for _, w := range wins {
		for _, amp := range amplifiers[w.ID] {
			if amp == w.Author {
				continue
			}
			if seen[w.Author] == nil {
				seen[w.Author] = map[string]bool{}
			}
			if seen[w.Author][amp] {
				continue // one person cheering several wins counts once
			}
			seen[w.Author][amp] = true
			c := get(w.Author)
			c.Amplifiers++
			if t := teamOf(amp); t == "" || t != c.Team {
				c.CrossTeamAmplifier++
			} else {
				sameTeamAmps[w.Author]++
			}
		}
	}
	var out []Champion
	delete(by, store.ForgottenUser) // erased people are counted in totals, never named
	for u, c := range by {
		c.Score = c.Answers + c.CrossTeamAnswers + c.CrossTeamAmplifier + sameTeamAmps[u]/2
		if c.Score > 0 {
			out = append(out, *c)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].User < out[j].User
	})
	return out
}

// championsReport is /flywheel champions [week|month|quarter]: a window,
// never a destructive reset.
func (b *Bot) championsReport(window string) (string, error) {
	span, ok := championWindows[window]
	if !ok {
		return fmt.Sprintf("Pick a window: `week`, `month` or `quarter` (not “%s”).", echo(window)), nil
	}
	now := time.Now()
	var answers []store.Answer
	var wins []store.Win
	amps := map[uint64][]string{}
	err := b.st.View(func(tx *store.Tx) error {
		var err error
		if answers, err = tx.AnswersBetween(now.Add(-span), now); err != nil {
			return err
		}
		if wins, err = tx.WinsBetween(now.Add(-span), now); err != nil {
			return err
		}
		for _, w := range wins {
			if amps[w.ID], err = tx.Amplifiers(w.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	teamName := func(u string) string { t, _ := b.teamOf(u); return t.Name }
	ranked := RankChampions(answers, wins, amps, teamName)
	label := map[string]string{"week": "last 7 days", "month": "last 30 days", "quarter": "last 90 days"}[window]
	var sb strings.Builder
	fmt.Fprintf(&sb, "*Natural champions, %s*\n", label)
	if len(ranked) == 0 {
		sb.WriteString("Nobody yet: champions show up when people answer colleagues' questions and their wins get cheered on.\n")
	}
	for i, c := range ranked {
		if i == 15 {
			fmt.Fprintf(&sb, "…and %d more\n", len(ranked)-15)
			break
		}
		team := c.Team
		if team == "" {
			team = "no team"
		}
		fmt.Fprintf(&sb, "%d. <@%s> (%s): %d answers (%d to other teams), wins cheered by %d people from other teams\n",
			i+1, c.User, slacktext.Escape(team), c.Answers, c.CrossTeamAnswers, c.CrossTeamAmplifier)
	}
	perTeam := map[string][]string{}
	for _, c := range ranked {
		if c.Team != "" && len(perTeam[c.Team]) < 3 {
			perTeam[c.Team] = append(perTeam[c.Team], "<@"+c.User+">")
		}
	}
	var with, without []string
	for _, t := range b.Config().Teams {
		if cs := perTeam[t.Name]; len(cs) > 0 {
			with = append(with, slacktext.Escape(t.Name)+": "+strings.Join(cs, ", "))
		} else {
			without = append(without, slacktext.Escape(t.Name))
		}
	}
	if len(with) > 0 {
		sb.WriteString("\n*By team*: " + strings.Join(with, " · ") + "\n")
	}
	if len(without) > 0 {
		sb.WriteString("*Teams with no champion yet*: " + strings.Join(without, ", ") + "\n")
	}
	fmt.Fprintf(&sb, "_The Walk stage wants 10–15 champions embedded across departments; you have %d across %d teams._", len(ranked), len(with))
	return sb.String(), nil
}
