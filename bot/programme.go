package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"flywheel/bot/slacktext"
	"flywheel/config"
	"flywheel/digest"
	"flywheel/store"
)

// programme is what the admins' Home tab adds: the programme as the last
// posted digest saw it.
type programme struct {
	end    time.Time
	trend  digest.Trend
	week   digest.Outlook
	posted bool
	chart  string // Slack file ID of the company digest's chart, "" if none yet
}

// gatherProgramme reads the programme view: the trend of the weeks up to
// the last posted company digest (closed weeks, read from their rollups),
// that digest's numbers (rollout readiness, teams asking for access) and
// its chart. Before the first digest it counts up to the coming one.
func gatherProgramme(st *store.Store, cfg *config.Config, now time.Time) (programme, error) {
	p := programme{end: digest.WeekEnd(cfg, now)}
	err := st.View(func(tx *store.Tx) error {
		if ends := tx.PostedWeekEnds(""); len(ends) > 0 {
			p.end = ends[len(ends)-1]
			ok, err := tx.PostedWeek(p.end, "", &p.week)
			if err != nil {
				return err
			}
			p.posted = ok
		}
		p.chart = digest.LatestChart(tx, digest.CompanyChart)
		return nil
	})
	if err != nil {
		return p, err
	}
	p.trend, err = digest.Trends(st, cfg, p.end, digest.DefaultTrendWeeks, "")
	return p, err
}

// programmeBlocks is the admins' programme view: the digest's chart, the
// weeks in sparklines and words, the stage drift, teams asking for access
// and how ready the rollout is for its next stage.
func programmeBlocks(p programme) []slack.Block {
	blocks := []slack.Block{slack.NewDividerBlock(),
		slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, "Programme (admins)", true, false)),
		contextBlock("programme_when", fmt.Sprintf("The %d weeks to %s, as the weekly digest counts them.",
			len(p.trend.Weeks), p.end.Format("Mon 2 Jan 2006 15:04 MST")))}
	if p.chart != "" {
		blocks = append(blocks, slack.NewImageBlockSlackFile(&slack.SlackFileObject{ID: p.chart}, digest.ChartAltText(p.trend),
			"programme_chart", slack.NewTextBlockObject(slack.PlainTextType, "The last digest's chart", false, false)))
	}
	blocks = append(blocks, section(slacktext.Cut(digest.TrendText(p.trend), slacktext.SectionText)))
	if drift := stageDrift(p.trend); drift != "" {
		blocks = append(blocks, section(drift))
	}
	blocks = append(blocks, section(accessLine(p)))
	if r := p.week.Rollout; p.posted && r != nil {
		line := fmt.Sprintf(":world_map: *Rollout stage: %s*  ·  %d active users, %d champions in %d teams, %d of %d teams enrolled",
			r.Stage, r.ActiveUsers, r.Champions, r.ChampionTeams, r.EnrolledTeams, r.Teams)
		if r.Next != "" {
			var gaps []string
			for _, g := range r.Gaps {
				gaps = append(gaps, fmt.Sprintf("%s %d/%d", g.What, g.Have, g.Need))
			}
			line += fmt.Sprintf("\nReady for *%s* at: %s", r.Next, strings.Join(gaps, ", "))
		}
		blocks = append(blocks, section(line))
	}
	return blocks
}

// stageDrift compares the stage mix of the trend's first and last weeks
// with questions.
func stageDrift(t digest.Trend) string {
	first, last := -1, -1
	for i, w := range t.Weeks {
		if w.Questions-w.Other > 0 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return ""
	}
	share := func(w digest.TrendWeek) [4]int {
		total := 0
		for _, n := range w.Stages {
			total += n
		}
		var out [4]int
		for i, n := range w.Stages {
			out[i] = (200*n + total) / (2 * total)
		}
		return out
	}
	a, b := share(t.Weeks[first]), share(t.Weeks[last])
	parts := make([]string, len(digest.Stages))
	for i, s := range digest.Stages {
		parts[i] = fmt.Sprintf("%s %d%% → %d%%", s, a[i], b[i])
	}
	return fmt.Sprintf(":compass: *Stage drift*, week of %s to week of %s: %s", t.Weeks[first].Start.Format("2 Jan"),
		t.Weeks[last].Start.Format("2 Jan"), strings.Join(parts, " · "))
}

func accessLine(p programme) string {
	if len(p.week.AccessRequests) == 0 {
		return ":raising_hand: *Teams asking for access*: none in the last digest's week."
	}
	var teams []string
	for _, a := range p.week.AccessRequests {
		teams = append(teams, fmt.Sprintf("*%s* (%s, %s)", slacktext.Escape(a.Team), plural(a.People, "person"), plural(a.Questions, "question")))
	}
	return ":raising_hand: *Teams asking for access*: " + strings.Join(teams, ", ")
}
