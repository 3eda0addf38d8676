package digest

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"flywheel/config"
	"flywheel/store"
)

// LeadFacts are what only the programme lead's digest shows, besides the
// names behind access requests, the rollout, the stage mix, the spread and
// the capped wins: unanswered questions, wins by tool and by team, and the
// totals since the first digest.
type LeadFacts struct {
	// Unanswered are the questions of the last two weeks nobody (person
	// or registry) answered by the digest's end, newest first.
	Unanswered []UnansweredQuestion
	// ByTool is the week's wins and counted minutes per tool named, most
	// minutes first: a win naming two tools counts for both.
	ByTool []ToolShare
	// ByTeam is each configured team's week and how many of its members
	// were active.
	ByTeam []TeamShare
	// Totals add up every company digest posted before this one, and
	// this week.
	Totals Totals
}

// UnansweredQuestion is a question still waiting, without its words or
// its asker: the link leads to it.
type UnansweredQuestion struct {
	At    time.Time
	Team  string
	Stage string
	Link  string // "" for one asked privately with /ask
}

// ToolShare is one tool's week.
type ToolShare struct {
	Tool          string
	Status        config.ToolStatus // "" for a tool not in the registry
	Wins, Minutes int
}

// TeamShare is one team's week: its wins and counted minutes, and active
// members out of Members (0 when the team is defined only by a user group,
// whose size the digest cannot see).
type TeamShare struct {
	Team            string
	Enrolled        bool
	Wins, Minutes   int
	Active, Members int
}

// Totals are the wins and counted minutes of every week posted so far,
// since the first one's start.
type Totals struct {
	Wins, Minutes int
	Weeks         int
	Since         time.Time
}

// gatherPosted reads the numbers of the company digests posted before end:
// kept for good (store.RecordWeek), so the totals outlive retention and
// cost one small record per week.
func gatherPosted(tx *store.Tx, in *Input) error {
	for _, e := range tx.PostedWeekEnds("") {
		if !e.Before(in.End) {
			continue
		}
		var n Numbers
		if ok, err := tx.PostedWeek(e, "", &n); err != nil {
			return fmt.Errorf("gather posted week %s: %w", e, err)
		} else if ok {
			in.Posted = append(in.Posted, n)
		}
	}
	return nil
}

// buildLead fills in LeadFacts for the company digest d.
func buildLead(d *Digest, in Input, cfg *config.Config, now week, maxMin int, r roster) {
	cur := window{d.Start, d.End}
	lf := &LeadFacts{}
	// Unanswered: the last two weeks, as of the digest's end.
	since := d.PrevStart
	for _, q := range in.Questions {
		if q.Deleted || q.BotAnswered || q.At.Before(since) || !q.At.Before(d.End) ||
			(!q.FirstAnswerAt.IsZero() && q.FirstAnswerAt.Before(d.End)) {
			continue
		}
		lf.Unanswered = append(lf.Unanswered, UnansweredQuestion{At: q.At, Team: r.questionTeam(q), Stage: q.Stage,
			Link: Permalink(q.Channel, q.TS)})
	}
	slices.SortFunc(lf.Unanswered, func(a, b UnansweredQuestion) int { return b.At.Compare(a.At) })

	tools := map[string]*ToolShare{}
	teams := map[string]*TeamShare{}
	for _, t := range cfg.Teams {
		teams[t.Name] = &TeamShare{Team: t.Name, Enrolled: t.Enrolled, Members: len(t.Members)}
	}
	for i := range in.Wins {
		w := &in.Wins[i]
		if !cur.has(w.At) {
			continue
		}
		counted, _ := countedMinutes(w.MinutesSaved, len(w.AmplifiersAt(d.End)), maxMin)
		for _, name := range w.Tools {
			ts := tools[name]
			if ts == nil {
				ts = &ToolShare{Tool: name}
				if t, ok := cfg.Tool(name); ok {
					ts.Tool, ts.Status = t.Name, t.Status
				}
				tools[name] = ts
			}
			ts.Wins++
			ts.Minutes += counted
		}
		if ts := teams[r.winTeam(w.Win)]; ts != nil {
			ts.Wins++
			ts.Minutes += counted
		}
	}
	for user := range now.active {
		if ts := teams[r.of(user)]; ts != nil {
			ts.Active++
		}
	}
	for _, ts := range tools {
		lf.ByTool = append(lf.ByTool, *ts)
	}
	slices.SortFunc(lf.ByTool, func(a, b ToolShare) int {
		return cmp.Or(-cmp.Compare(a.Minutes, b.Minutes), -cmp.Compare(a.Wins, b.Wins), cmp.Compare(a.Tool, b.Tool))
	})
	for _, t := range cfg.Teams {
		lf.ByTeam = append(lf.ByTeam, *teams[t.Name])
	}

	// Totals: posted weeks that don't overlap (a schedule firing more
	// often than weekly posts overlapping weeks), then this one.
	lf.Totals = Totals{Wins: d.Headline.Wins.Now, Minutes: d.Headline.MinutesSaved.Now, Weeks: 1, Since: d.Start}
	posted := slices.Clone(in.Posted)
	slices.SortFunc(posted, func(a, b Numbers) int { return a.Start.Compare(b.Start) })
	var last time.Time
	for _, n := range posted {
		if n.Start.Before(last) || !n.End.After(n.Start) || n.End.After(d.Start) {
			continue
		}
		lf.Totals.Wins += n.Headline.Wins.Now
		lf.Totals.Minutes += n.Headline.MinutesSaved.Now
		lf.Totals.Weeks++
		if n.Start.Before(lf.Totals.Since) {
			lf.Totals.Since = n.Start
		}
		last = n.End
	}
	d.Lead = lf
}

// Limits on the lead digest's lists.
const (
	showUnanswered = 10
	showTools      = 10
	showTeamRows   = 15
)

// unansweredText lists the questions still waiting, with links.
func unansweredText(lf *LeadFacts, end time.Time) string {
	head := ":hourglass_flowing_sand: *Unanswered questions* (last two weeks)"
	if len(lf.Unanswered) == 0 {
		return head + "\nNone: every question got an answer."
	}
	lines := make([]string, 0, showUnanswered)
	for _, q := range first(lf.Unanswered, showUnanswered) {
		team := q.Team
		if team == "" {
			team = "no team"
		}
		line := fmt.Sprintf("• %s, %s, asked %s ago", escape(team), stageWords(q.Stage), age(end.Sub(q.At)))
		if q.Link != "" {
			line += " · " + link(q.Link, "open it")
		} else {
			line += " · a private `/ask`: its post is in the champions channel"
		}
		lines = append(lines, line)
	}
	return fitLines(head, lines, showUnanswered, len(lf.Unanswered), [2]string{"question", "questions"})
}

// age says how long ago something was, as a person would: "50 min",
// "1h 7m", "47h", then in days ("3 days").
func age(d time.Duration) string {
	if d < 48*time.Hour {
		return formatDuration(d)
	}
	return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
}

// stageWords names a question's stage for the lead.
func stageWords(stage string) string {
	switch stage {
	case "what":
		return "what a tool is"
	case "access":
		return "getting access"
	case "how":
		return "how to use it"
	case "build":
		return "building with it"
	}
	return "other"
}

// byToolText is the week's wins and hours per tool: what licences buy.
func byToolText(lf *LeadFacts) string {
	head := ":hammer_and_wrench: *Wins by tool* this week, for licence decisions"
	if len(lf.ByTool) == 0 {
		return head + "\nNo win named a tool this week."
	}
	lines := make([]string, 0, showTools)
	for _, t := range first(lf.ByTool, showTools) {
		status := ""
		switch t.Status {
		case config.StatusRestricted:
			status = " (restricted)"
		case config.StatusNotApproved:
			status = " (not approved)"
		case "":
			status = " (not in the registry)"
		}
		lines = append(lines, fmt.Sprintf("• *%s*%s: %s, %s", escape(t.Tool), status, plural(t.Wins, "win", "wins"), FormatMinutes(t.Minutes)))
	}
	return fitLines(head, lines, showTools, len(lf.ByTool), [2]string{"tool", "tools"}) + "\n_A win naming two tools counts for both._"
}

// byTeamText is each team's week and share of members active.
func byTeamText(lf *LeadFacts) string {
	head := ":busts_in_silhouette: *By team*: wins, hours, members active this week"
	if len(lf.ByTeam) == 0 {
		return head + "\nNo teams are configured (`teams` in the config)."
	}
	lines := make([]string, 0, showTeamRows)
	for _, t := range first(lf.ByTeam, showTeamRows) {
		active := plural(t.Active, "person", "people") + " active"
		if t.Members > 0 {
			active = fmt.Sprintf("%d of %s active (%d%%)", t.Active, plural(t.Members, "member", "members"), pct(t.Active, t.Members))
		}
		enrolled := ""
		if !t.Enrolled {
			enrolled = " (not enrolled)"
		}
		wins := "no wins"
		if t.Wins > 0 {
			wins = plural(t.Wins, "win", "wins") + ", " + FormatMinutes(t.Minutes)
		}
		lines = append(lines, fmt.Sprintf("• *%s*%s: %s, %s", escape(t.Team), enrolled, wins, active))
	}
	return fitLines(head, lines, showTeamRows, len(lf.ByTeam), [2]string{"team", "teams"})
}

// totalsText is the running total since the first digest.
func totalsText(lf *LeadFacts) string {
	t := lf.Totals
	wins := thousands(t.Wins) + " wins"
	if t.Wins == 1 {
		wins = "1 win"
	}
	return fmt.Sprintf(":chart_with_upwards_trend: *Since %s* (%s): %s, %s saved.",
		t.Since.Format("2 Jan 2006"), plural(t.Weeks, "week", "weeks"), wins, FormatMinutes(t.Minutes))
}

// leadSentence is the lead digest's text: the week, and what needs the
// lead's attention.
func leadSentence(d Digest) string {
	var extra []string
	if n := len(d.AccessRequests); n > 0 {
		extra = append(extra, plural(n, "team", "teams")+" asking for access")
	}
	if d.Lead != nil && len(d.Lead.Unanswered) > 0 {
		extra = append(extra, plural(len(d.Lead.Unanswered), "question", "questions")+" unanswered")
	}
	s := "Lead digest · " + Sentence(d)
	if len(extra) > 0 {
		s = strings.TrimSuffix(s, ".") + "; " + strings.Join(extra, ", ") + "."
	}
	return s
}
