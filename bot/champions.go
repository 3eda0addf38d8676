package bot

import (
	"fmt"
	"strings"

	"flywheel/bot/slacktext"
	"flywheel/digest"
	"flywheel/store"
)

// championWindows maps /flywheel champions' argument to a number of digest
// weeks, ending with the week the next digest reports.
var championWindows = map[string]struct {
	weeks int
	label string
}{
	"week":    {1, "this digest week"},
	"month":   {4, "the last 4 digest weeks"},
	"quarter": {13, "the last 13 digest weeks"},
}

// championsReport is /flywheel champions [week|month|quarter]: a window,
// never a destructive reset. The people and their numbers come from
// digest.ChampionsBetween, the digest's own rule, so "week" lists exactly
// the champions the coming digest names.
func (b *Bot) championsReport(window string) (string, error) {
	win, ok := championWindows[window]
	if !ok {
		return fmt.Sprintf("Pick a window: `week`, `month` or `quarter` (not “%s”).", echo(window)), nil
	}
	cfg := b.Config()
	end := digest.WeekEnd(cfg, b.st.Now()).In(cfg.Location())
	var ranked []digest.Champion
	err := b.st.View(func(tx *store.Tx) (err error) {
		ranked, err = digest.ChampionsBetween(tx, cfg, end.AddDate(0, 0, -7*win.weeks), end)
		return err
	})
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "*Natural champions, %s*\n", win.label)
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
		reach := fmt.Sprintf("%d people", c.CrossTeamReach)
		if c.CrossTeamReach == 1 {
			reach = "1 person"
		}
		fmt.Fprintf(&sb, "%d. <@%s> (%s): %s (%d to other teams), wins cheered by %s from other teams\n",
			i+1, c.User, slacktext.Escape(team), plural(c.Answered, "answer"), c.CrossTeamAnswers, reach)
	}
	perTeam := map[string][]string{}
	champions, teams := 0, map[string]bool{}
	for _, c := range ranked {
		if !digest.IsChampion(c) {
			continue
		}
		champions++
		if c.Team != "" {
			teams[c.Team] = true
			if len(perTeam[c.Team]) < 3 {
				perTeam[c.Team] = append(perTeam[c.Team], "<@"+c.User+">")
			}
		}
	}
	var with, without []string
	for _, t := range cfg.Teams {
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
	fmt.Fprintf(&sb, "_A champion scores %d or more: an answer for another team, two for their own, or an answer and a cheer from another team. "+
		"The Walk stage wants 10–15 champions embedded across departments; you have %s across %s._",
		digest.ChampionMinScore, countOf(champions, "champion"), countOf(len(teams), "team"))
	return sb.String(), nil
}
