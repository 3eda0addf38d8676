package digest

import "flywheel/config"

// Stage is a rollout stage: Crawl, Walk, Run, Fly.
type Stage string

// The rollout stages, in order.
const (
	Crawl Stage = "Crawl"
	Walk  Stage = "Walk"
	Run   Stage = "Run"
	Fly   Stage = "Fly"
)

// Rollout thresholds. "Active users" are the distinct people who, in the
// 7-day window, shared a win, amplified one, asked a question or answered
// one. "Champions" are the distinct people who were champions (see
// ChampionMinScore) in any of the last StageChampionWeeks weeks, and their
// teams stand for departments.
//
// A stage is reached when its bar and every lower stage's bar are met;
// Crawl is where every rollout starts.
const (
	// Crawl: a pilot. 10–20 active users is the band to aim for; below
	// CrawlMinActive the pilot has not really started.
	CrawlMinActive = 10
	CrawlMaxActive = 20
	// Walk: at least WalkMinActive active users (the band is 50–75) and at
	// least WalkMinChampions champions (the band is 10–15) spread over at
	// least WalkMinChampionTeams teams.
	WalkMinActive        = 50
	WalkMaxActive        = 75
	WalkMinChampions     = 10
	WalkMinChampionTeams = 3
	// Run, company-wide: more active users than a Walk cohort
	// (RunMinActive), every configured team enrolled, and at least
	// RunMinActiveTeamsPct percent of the configured teams with an active
	// user this week.
	RunMinActive         = WalkMaxActive + 1
	RunMinActiveTeamsPct = 80
	// Fly, self-sustaining: the flywheel turns without pushing. At least
	// FlyMinBuildPct percent of the week's questions are about building
	// with AI (not "what is it" or "can I have it"), and at least
	// FlyMinPeerConfirmedPct percent of hours saved are peer-confirmed.
	FlyMinBuildPct         = 40
	FlyMinPeerConfirmedPct = 50
)

// Gap is one thing the next stage needs: What, and how far we are (Have)
// from the bar (Need).
type Gap struct {
	What       string
	Have, Need int
}

// Rollout is where the rollout stands and what the next stage needs.
type Rollout struct {
	Stage Stage
	// Next is the stage after Stage ("" at Fly); Gaps are its unmet bars.
	Next Stage
	Gaps []Gap

	ActiveUsers      int
	Champions        int
	ChampionTeams    int
	Teams            int // configured teams
	EnrolledTeams    int
	ActiveTeams      int // configured teams with an active user this week
	BuildPct         int // share of this week's questions at the build stage
	PeerConfirmedPct int // share of this week's counted minutes that are peer-confirmed

	// What the next stage needs in people, by name (see namePeople).
	// Candidates are the people of enrolled teams closest to being
	// champions, by access-first score; NoChampion the enrolled teams
	// without a champion; NotEnrolled the configured teams not in the
	// rollout; Quiet the configured teams without an active user this
	// week.
	Candidates  []Pick
	NoChampion  []string
	NotEnrolled []string
	Quiet       []string
}

// champions are the people who were champions in any of the weeks, and
// their teams: the rollout stage's count, and who "has a champion".
func champions(weeks []map[string]*Champion, r roster) (users, teams map[string]bool) {
	users, teams = map[string]bool{}, map[string]bool{}
	for _, w := range weeks {
		for user, c := range w {
			if isChampion(c) {
				users[user] = true
				if t := r.of(user); t != "" {
					teams[t] = true
				}
			}
		}
	}
	return users, teams
}

func rollout(cfg *config.Config, r roster, h Headline, mix []StageShare, active map[string]bool, champWeeks []map[string]*Champion) *Rollout {
	ro := &Rollout{ActiveUsers: len(active), Teams: len(cfg.Teams)}
	champs, champTeams := champions(champWeeks, r)
	ro.Champions, ro.ChampionTeams = len(champs), len(champTeams)
	activeTeams := map[string]bool{}
	for user := range active {
		activeTeams[r.of(user)] = true
	}
	for _, t := range cfg.Teams {
		if t.Enrolled {
			ro.EnrolledTeams++
		} else {
			ro.NotEnrolled = append(ro.NotEnrolled, t.Name)
		}
		if activeTeams[t.Name] {
			ro.ActiveTeams++
		} else {
			ro.Quiet = append(ro.Quiet, t.Name)
		}
		if t.Enrolled && !champTeams[t.Name] {
			ro.NoChampion = append(ro.NoChampion, t.Name)
		}
	}
	for _, s := range mix {
		if s.Stage == "build" {
			ro.BuildPct = s.NowPct
		}
	}
	ro.PeerConfirmedPct = pct(h.PeerConfirmedMinutes.Now, h.MinutesSaved.Now)

	// Teams needed for RunMinActiveTeamsPct, rounded up; at least one team
	// must be configured to call anything company-wide.
	needTeams := max(1, (ro.Teams*RunMinActiveTeamsPct+99)/100)
	bars := []struct {
		stage Stage
		gaps  []Gap
	}{
		{Walk, []Gap{
			{"active users", ro.ActiveUsers, WalkMinActive},
			{"champions", ro.Champions, WalkMinChampions},
			{"teams with champions", ro.ChampionTeams, WalkMinChampionTeams},
		}},
		{Run, []Gap{
			{"active users", ro.ActiveUsers, RunMinActive},
			{"teams enrolled", ro.EnrolledTeams, max(1, ro.Teams)},
			{"teams with active users", ro.ActiveTeams, needTeams},
		}},
		{Fly, []Gap{
			{"% of questions about building", ro.BuildPct, FlyMinBuildPct},
			{"% of hours cheered by colleagues", ro.PeerConfirmedPct, FlyMinPeerConfirmedPct},
		}},
	}
	ro.Stage = Crawl
	for _, b := range bars {
		var unmet []Gap
		for _, g := range b.gaps {
			if g.Have < g.Need {
				unmet = append(unmet, g)
			}
		}
		if len(unmet) > 0 {
			ro.Next, ro.Gaps = b.stage, unmet
			break
		}
		ro.Stage = b.stage
	}
	return ro
}

// namePeople puts names on the company digest: who to give access first in
// each team asking for it, and who is closest to being a champion in the
// enrolled teams, both by accessFirst over the AccessFirstWeeks weeks
// before the digest's end. champWeeks are the weeks' champion scores the
// rollout stage counted.
func namePeople(d *Digest, in Input, cfg *config.Config, r roster, champWeeks []map[string]*Champion) {
	nat := naturals(in, accessFirstWindow(d.End, cfg.Location()), r)
	for i := range d.AccessRequests {
		team := d.AccessRequests[i].Team
		d.AccessRequests[i].AccessFirst = accessFirst(nat, r, func(t string) bool { return t == team }, nil)
	}
	if d.Rollout == nil {
		return
	}
	champs, _ := champions(champWeeks, r)
	d.Rollout.Candidates = accessFirst(nat, r, func(t string) bool { return enrolledNow(cfg, t) }, func(u string) bool { return champs[u] })
}
