package digest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/slack-go/slack"
)

// accessText is the strongest signal, shown right under the title: teams
// that are not in the rollout and asked how to get in.
func accessText(teams []AccessTeam) string {
	lines := make([]string, 0, showAccess)
	for _, t := range first(teams, showAccess) {
		people := make([]string, 0, showPeople)
		for _, p := range first(t.People, showPeople) {
			people = append(people, mention(p))
		}
		line := fmt.Sprintf("• *%s* (not enrolled yet): %s, %s", escape(t.Team),
			plural(len(t.People), "person", "people"), plural(t.Questions, "question", "questions"))
		if len(t.Tools) > 0 {
			var tools []string
			for _, tool := range first(t.Tools, 5) {
				tools = append(tools, escape(tool))
			}
			line += " about " + joinFit(tools, len(t.Tools), ", ", 5, 200)
		}
		line += ": " + joinFit(people, len(t.People), ", ", showPeople, 400)
		if len(t.AccessFirst) > 0 {
			first := make([]string, len(t.AccessFirst))
			for i, p := range t.AccessFirst {
				first[i] = mention(p.User)
			}
			line += "\n    Give access first to: " + strings.Join(first, ", ")
		}
		lines = append(lines, line)
	}
	head := ":raising_hand: *Teams asking for access*: people who want in before anyone asked them to. Worth a call this week."
	return fitLines(head, lines, showAccess, len(teams), [2]string{"team", "teams"})
}

func headlinePart(d Digest) part {
	h := d.Headline
	count := func(name string, c Count) string {
		return fmt.Sprintf("*%s*\n%s  (%s)", name, thousands(c.Now), signed(c.Delta()))
	}
	hours := func(name string, c Count) string {
		return fmt.Sprintf("*%s*\n%s  (%s)", name, FormatMinutes(c.Now), signedMinutes(c.Delta()))
	}
	fields := []string{
		count("Wins", h.Wins),
		hours("Hours saved", h.MinutesSaved),
		hours("Cheered by colleagues", h.PeerConfirmedMinutes),
		count("People sharing wins", h.Sharers),
		count("New contributors", h.NewContributors),
		count("Questions asked", h.Questions),
		count("Questions answered", h.Answered),
		"*Median time to first answer*\n" + latencyText(h.MedianFirstAnswer),
	}
	if d.Rollout != nil {
		fields = append(fields, count("Active users", h.ActiveUsers))
	}
	if h.TimeToFirstWin.NowN > 0 {
		fields = append(fields, fmt.Sprintf("*Newcomers' time to first win*\n%s (median of %d)",
			formatDuration(h.TimeToFirstWin.Now), h.TimeToFirstWin.NowN))
	}
	return part{kind: slack.MBTSection, text: ":bar_chart: *This week*", fields: fields}
}

func latencyText(l Latency) string {
	if l.NowN == 0 {
		return "no answers yet"
	}
	s := formatDuration(l.Now)
	switch diff := l.Now - l.Prev; {
	case l.PrevN == 0:
		s += "  (none last week)"
	case diff < 0:
		s += "  (" + formatDuration(-diff) + " faster)"
	case diff > 0:
		s += "  (" + formatDuration(diff) + " slower)"
	default:
		s += "  (same)"
	}
	return s
}

func mixText(mix []StageShare) string {
	head := ":compass: *Questions by stage*, from \"what is it?\" to \"how do I build with it?\""
	total, prevTotal, buildShift := 0, 0, 0
	for _, s := range mix {
		total += s.Now
		prevTotal += s.Prev
		if s.Stage == "build" {
			buildShift = s.NowPct - s.PrevPct
		}
	}
	switch {
	case total == 0 && prevTotal == 0:
		return head + "\nNo questions this week or last."
	case total == 0:
		return head + "\nNo questions this week."
	}
	items := make([]string, 0, len(mix))
	for _, s := range mix {
		// "getting access: 4 (57%, was 25%)": the stage in words, and its
		// share against last week's (a change in points reads as jargon).
		item := fmt.Sprintf("%s: %s (%d%%", stageWords(s.Stage), thousands(s.Now), s.NowPct)
		if prevTotal > 0 {
			item += fmt.Sprintf(", was %d%%", s.PrevPct)
		}
		items = append(items, item+")")
	}
	text := head + "\n" + strings.Join(items, " · ")
	switch {
	case prevTotal == 0:
	case buildShift > 0:
		text += "\n:arrows_counterclockwise: A larger share of questions is about building with AI than last week: people are moving from trying it to building with it. The flywheel is turning."
	case buildShift < 0:
		text += "\nFewer questions about building than last week."
	}
	return text
}

func rolloutText(r *Rollout) string {
	text := fmt.Sprintf(":world_map: *Rollout stage: %s*\n%s, %s in %s, %d of %d teams enrolled, %d with active users this week.",
		r.Stage, plural(r.ActiveUsers, "active user", "active users"), plural(r.Champions, "champion", "champions"),
		plural(r.ChampionTeams, "team", "teams"), r.EnrolledTeams, r.Teams, r.ActiveTeams)
	if r.Stage == Crawl && r.ActiveUsers < CrawlMinActive {
		text += fmt.Sprintf("\nA Crawl pilot works best with %d–%d active users.", CrawlMinActive, CrawlMaxActive)
	}
	if r.Next == "" {
		return text + "\nEvery stage reached: the flywheel runs on its own."
	}
	gaps := make([]string, len(r.Gaps))
	for i, g := range r.Gaps {
		if strings.HasPrefix(g.What, "%") {
			gaps[i] = fmt.Sprintf("%d%s (now %d%%)", g.Need, g.What, g.Have)
		} else {
			gaps[i] = fmt.Sprintf("%d %s (now %d)", g.Need, g.What, g.Have)
		}
	}
	text += fmt.Sprintf("\nReady for *%s* at %s.", r.Next, strings.Join(gaps, ", "))
	if people := rolloutPeople(r); len(people) > 0 {
		text += "\nWhat it takes in people:\n" + strings.Join(people, "\n")
	}
	return text
}

// without is names less those in drop, in order.
func without(names, drop []string) []string {
	var out []string
	for _, n := range names {
		if !slices.Contains(drop, n) {
			out = append(out, n)
		}
	}
	return out
}

// rolloutPeople names who can close each gap of the next stage: the people
// closest to being champions, the teams still without one, the teams not
// enrolled or quiet.
func rolloutPeople(r *Rollout) []string {
	teams := func(names []string) string {
		items := make([]string, 0, 8)
		for _, t := range first(names, 8) {
			items = append(items, "*"+escape(t)+"*")
		}
		return joinFit(items, len(names), ", ", 8, 600)
	}
	var lines []string
	for _, g := range r.Gaps {
		more := g.Need - g.Have
		switch g.What {
		case "champions":
			if len(r.Candidates) == 0 {
				lines = append(lines, fmt.Sprintf("• %s: nobody is close yet; answering a colleague's question is how it starts",
					plural(more, "more champion", "more champions")))
				continue
			}
			names := make([]string, len(r.Candidates))
			for i, p := range r.Candidates {
				names[i] = mention(p.User)
			}
			lines = append(lines, fmt.Sprintf("• %s: closest are %s", plural(more, "more champion", "more champions"), strings.Join(names, ", ")))
		case "teams with champions":
			if len(r.NoChampion) > 0 {
				lines = append(lines, fmt.Sprintf("• champions in %s: none yet in %s", plural(more, "more team", "more teams"), teams(r.NoChampion)))
			}
		case "active users":
			var where []string
			if len(r.NotEnrolled) > 0 {
				where = append(where, teams(r.NotEnrolled)+" not enrolled yet")
			}
			if quiet := without(r.Quiet, r.NotEnrolled); len(quiet) > 0 {
				where = append(where, "nobody active this week in "+teams(quiet))
			}
			if len(where) > 0 {
				lines = append(lines, fmt.Sprintf("• %s: %s", plural(more, "more active user", "more active users"), strings.Join(where, "; ")))
			}
		case "teams enrolled":
			if len(r.NotEnrolled) > 0 {
				lines = append(lines, "• enrol "+teams(r.NotEnrolled))
			}
		case "teams with active users":
			if len(r.Quiet) > 0 {
				lines = append(lines, fmt.Sprintf("• someone active in %s: nobody this week in %s", plural(more, "more team", "more teams"), teams(r.Quiet)))
			}
		}
	}
	return lines
}

func nudgeText(n *Nudge) string {
	switch n.Kind {
	case NudgeQuietTeams:
		var teams []string
		for _, t := range first(n.Teams, 8) {
			teams = append(teams, "*"+escape(t)+"*")
		}
		return fmt.Sprintf(":bulb: %s had no win this week. One `/win` from anyone there puts them on the board.", joinFit(teams, len(n.Teams), ", ", 8, 600))
	case NudgeUnanswered:
		verb := "are"
		if n.Count == 1 {
			verb = "is"
		}
		return fmt.Sprintf(":bulb: %s from this week %s still waiting for an answer. A reply in the thread helps.",
			plural(n.Count, "question", "questions"), verb)
	case NudgeUncheered:
		if n.Count == 1 {
			return ":bulb: 1 win has no cheer yet. A quick reaction on its post goes a long way."
		}
		return fmt.Sprintf(":bulb: %s wins have no cheers yet. A quick reaction on a win's post goes a long way.", thousands(n.Count))
	}
	return ":bulb: No wins shared this week. Tried AI on something? `/win` takes ten seconds."
}

func cappedText(d Digest) string {
	head := fmt.Sprintf(":lock: *Wins counted at the cap* of %s, because fewer than two colleagues cheered them", FormatMinutes(d.MaxMinutesPerWin))
	if len(d.Capped) == 0 {
		return ":lock: No win was counted at the cap this week."
	}
	lines := make([]string, 0, showCapped)
	for _, c := range first(d.Capped, showCapped) {
		line := fmt.Sprintf("• %s claimed %s, counted %s (%s)", named(c.Author, c.Colleague), FormatMinutes(c.Claimed), FormatMinutes(c.Counted),
			plural(c.Amplifiers, "cheer", "cheers"))
		if c.Link != "" {
			line += " " + link(c.Link, "post")
		}
		lines = append(lines, line)
	}
	return fitLines(head, lines, showCapped, len(d.Capped), [2]string{"capped win", "capped wins"})
}
