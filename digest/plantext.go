package digest

import (
	"fmt"
	"strings"
	"time"
)

// PlanText's list lengths (the JSON has everything): the text stays far
// below Slack's 40,000 characters for a message however many teams there
// are.
const (
	showCandidates = 15
	showTeams      = 20
	showSiteTeams  = 10 // a site's teams named in its line
)

// PlanText renders the plan as Slack mrkdwn (user text escaped, people as
// mentions): what `flywheel rollout` prints and `/flywheel rollout`
// answers.
func PlanText(p Plan) string {
	var b strings.Builder
	fmt.Fprintf(&b, ":world_map: *Rollout plan* from the %d weeks to %s\n", p.Weeks, p.End.Format("Mon 2 Jan 2006 15:04 MST"))
	if p.Stage != nil {
		b.WriteString("\n" + rolloutText(p.Stage) + "\n")
	}

	b.WriteString("\n:raising_hand: *Not enrolled yet, by pull*\n")
	if len(p.Candidates) == 0 {
		b.WriteString("Every team is enrolled.\n")
	}
	for i, c := range first(p.Candidates, showCandidates) {
		name := "*" + escape(c.Name) + "*"
		// A site lists its teams; a team names its site.
		switch {
		case c.Kind == "site":
			label := "teams"
			if len(c.Teams) == 1 {
				label = "team"
			}
			teams := make([]string, 0, showSiteTeams)
			for _, t := range first(c.Teams, showSiteTeams) {
				teams = append(teams, escape(t))
			}
			name += " (site; " + label + ": " + joinFit(teams, len(c.Teams), ", ", showSiteTeams, 800) + ")"
		case c.Site != "":
			name += " (site: " + escape(c.Site) + ")"
		}
		fmt.Fprintf(&b, "%d. %s · pull %.1f\n    %s\n", i+1, name, c.Pull, escape(strings.Join(c.Evidence, "; ")))
		if len(c.AccessFirst) > 0 {
			b.WriteString("    Give access first to: " + picksText(c.AccessFirst) + "\n")
		}
	}
	moreLine(&b, len(p.Candidates)-showCandidates)

	fmt.Fprintf(&b, "\n:calendar: *Next month* (%s a month): ", plural(p.SitesPerMonth, "site or team", "sites or teams"))
	if len(p.NextMonth) == 0 {
		b.WriteString("nobody is asking yet. Share wins where they can be seen; the plan follows the pull.\n")
	} else {
		names := make([]string, len(p.NextMonth))
		for i, n := range p.NextMonth {
			names[i] = "*" + escape(n) + "*"
		}
		b.WriteString(strings.Join(names, ", ") + "\n")
	}

	if len(p.Stalled) > 0 {
		fmt.Fprintf(&b, "\n:hourglass: *Stalled*: enrolled, no activity in %d weeks\n", StalledWeeks)
		for _, s := range first(p.Stalled, showTeams) {
			var why []string
			if !s.LastActive.IsZero() {
				why = append(why, "last active "+ago(p.End, s.LastActive))
			}
			why = append(why, s.Reasons...)
			fmt.Fprintf(&b, "• *%s*: %s\n", escape(s.Team), escape(strings.Join(why, "; ")))
		}
		moreLine(&b, len(p.Stalled)-showTeams)
	}
	if len(p.NoChampion) > 0 {
		b.WriteString("\n:seedling: *Enrolled teams without a champion*\n")
		for _, t := range first(p.NoChampion, showTeams) {
			if len(t.Candidates) == 0 {
				fmt.Fprintf(&b, "• *%s*: nobody stands out yet\n", escape(t.Team))
				continue
			}
			fmt.Fprintf(&b, "• *%s*: best candidates %s\n", escape(t.Team), picksText(t.Candidates))
		}
		moreLine(&b, len(p.NoChampion)-showTeams)
	}
	fmt.Fprintf(&b, "\n_Pull: %d per access question, %d per how or build question, %d per I'll try this on another team's win, "+
		"%d per win a colleague inspired, %d per cheer on another team's win, %d per answer received; "+
		"this week counts in full, each week before 1/%d less._\n",
		PullAccessQuestion, PullHowQuestion, PullTry, PullInspiredWin, PullCheer, PullAnswerReceived, PullWeeks)
	return b.String()
}

// moreLine says how many items a list left out, if any.
func moreLine(b *strings.Builder, more int) {
	if more > 0 {
		fmt.Fprintf(b, "_…and %d more_\n", more)
	}
}

// picksText is "<@U1> (answered 2 questions), <@U2> (…)".
func picksText(picks []Pick) string {
	items := make([]string, len(picks))
	for i, p := range picks {
		items[i] = fmt.Sprintf("%s (%s)", mention(p.User), escape(p.Reason))
	}
	return strings.Join(items, ", ")
}

// ago is how long before end t was, in whole weeks or days.
func ago(end, t time.Time) string {
	days := int(end.Sub(t) / (24 * time.Hour))
	if days >= 14 {
		return plural(days/7, "week", "weeks") + " ago"
	}
	return plural(days, "day", "days") + " ago"
}
