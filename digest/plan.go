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

// StalledWeeks: an enrolled team with no active user (see
// Headline.ActiveUsers) in this many weeks is stalled.
const StalledWeeks = 4

// Plan is the rollout plan: where to go next, who to enable first there,
// and where the rollout stalls. `flywheel rollout` and `/flywheel rollout`
// print it; BuildPlan is its one home.
type Plan struct {
	End           time.Time `json:"end"`
	Weeks         int       `json:"weeks"` // weeks of records read (PullWeeks)
	SitesPerMonth int       `json:"sites_per_month"`
	// Stage is the rollout stage and what the next one needs, as the
	// digest says it.
	Stage *Rollout `json:"stage"`
	// Candidates are the sites and teams not enrolled yet, by pull.
	Candidates []Candidate `json:"candidates"`
	// NextMonth names the suggested batch: the first SitesPerMonth
	// candidates with any pull.
	NextMonth []string `json:"next_month"`
	// Stalled are the enrolled teams with no activity in StalledWeeks.
	Stalled []Stalled `json:"stalled"`
	// NoChampion are the other enrolled teams without a champion in the
	// last StageChampionWeeks weeks, with their best candidates.
	NoChampion []TeamPicks `json:"no_champion"`
}

// Candidate is a site none of whose teams is enrolled, or a team not
// enrolled (in no site, or in a site already started).
type Candidate struct {
	Name        string      `json:"name"`
	Kind        string      `json:"kind"`           // "site" or "team"
	Site        string      `json:"site,omitempty"` // a team's site
	Teams       []string    `json:"teams"`
	Pull        float64     `json:"pull"`
	Signals     PullSignals `json:"signals"` // summed over the weeks read
	Evidence    []string    `json:"evidence"`
	AccessFirst []Pick      `json:"access_first"`
}

// Stalled is an enrolled team gone quiet, and what the records show about
// why.
type Stalled struct {
	Team       string    `json:"team"`
	Site       string    `json:"site,omitempty"`
	LastActive time.Time `json:"last_active,omitzero"` // zero: nothing in the weeks read
	Reasons    []string  `json:"reasons"`
}

// TeamPicks is an enrolled team and the people best placed to become its
// champions.
type TeamPicks struct {
	Team       string `json:"team"`
	Candidates []Pick `json:"candidates"`
}

// LoadPlan gathers the PullWeeks weeks before end that BuildPlan reads, in
// one read transaction of db (a *store.Store, or whatever runs one).
func LoadPlan(db interface {
	View(func(*store.Tx) error) error
}, end time.Time) (in Input, err error) {
	err = db.View(func(tx *store.Tx) error {
		in, err = Gather(tx, end, PullWeeks)
		return err
	})
	return in, err
}

// BuildPlan makes the rollout plan for end from the records LoadPlan
// gathered. It is pure, like Build.
func BuildPlan(in Input, cfg *config.Config, end time.Time) Plan {
	r := newRoster(cfg, in)
	loc := cfg.Location()
	weeks := weekWindows(end, loc, PullWeeks)
	pace := cfg.Rollout.SitesPerMonth
	if pace <= 0 {
		pace = config.DefaultSitesPerMonth
	}
	p := Plan{End: end.In(loc), Weeks: PullWeeks, SitesPerMonth: pace, Stage: Build(in, cfg, end).Rollout}
	nat := naturals(in, accessFirstWindow(end, loc), r)

	facts := map[string]*pullFacts{}
	for _, t := range cfg.Teams {
		if !t.Enrolled {
			facts[t.Name] = newPullFacts()
		}
	}
	collectPull(in, weeks, r, facts)
	for _, c := range candidates(cfg) {
		f := newPullFacts()
		for _, team := range c.Teams {
			f.merge(facts[team])
		}
		c.Pull, c.Signals, c.Evidence = Pull(f.weeks), f.total(), f.evidence()
		c.AccessFirst = accessFirst(nat, r, func(t string) bool { return slices.Contains(c.Teams, t) }, nil)
		p.Candidates = append(p.Candidates, c)
	}
	slices.SortStableFunc(p.Candidates, func(a, b Candidate) int { return -cmp.Compare(a.Pull, b.Pull) })
	for _, c := range p.Candidates {
		if c.Pull > 0 && len(p.NextMonth) < pace {
			p.NextMonth = append(p.NextMonth, c.Name)
		}
	}

	recent := window{from: weeks[StalledWeeks-1].from, to: weeks[0].to}
	activeTeams := map[string]bool{}
	for user := range measure(in, recent, cfg.Wins.MaxMinutesPerWin, r).active {
		activeTeams[r.of(user)] = true
	}
	champWeeks := make([]map[string]*Champion, StageChampionWeeks)
	for i := range champWeeks {
		champWeeks[i] = championScores(in, weeks[i], r)
	}
	_, champTeams := champions(champWeeks, r)
	for _, t := range cfg.Teams {
		switch {
		case !t.Enrolled:
		case !activeTeams[t.Name]:
			p.Stalled = append(p.Stalled, stalled(in, cfg, r, t, end))
		case !champTeams[t.Name]:
			p.NoChampion = append(p.NoChampion, TeamPicks{Team: t.Name,
				Candidates: accessFirst(nat, r, func(team string) bool { return team == t.Name }, nil)})
		}
	}
	return p
}

// candidates lists the units the plan can enrol, in config order: each
// site with no team enrolled yet, and each team not enrolled that is in no
// site or in a site already started.
func candidates(cfg *config.Config) []Candidate {
	started := map[string]bool{}
	for _, t := range cfg.Teams {
		if t.Site != "" && t.Enrolled {
			started[t.Site] = true
		}
	}
	var out []Candidate
	sites := map[string]int{} // site -> index in out
	for _, t := range cfg.Teams {
		switch {
		case t.Enrolled:
		case t.Site == "" || started[t.Site]:
			out = append(out, Candidate{Name: t.Name, Kind: "team", Site: t.Site, Teams: []string{t.Name}})
		default:
			i, ok := sites[t.Site]
			if !ok {
				i = len(out)
				sites[t.Site] = i
				out = append(out, Candidate{Name: t.Site, Kind: "site"})
			}
			out[i].Teams = append(out[i].Teams, t.Name)
		}
	}
	return out
}

// stalled says what the records show about an enrolled team gone quiet:
// when it was last active, its questions nobody answered, the tools it
// asked about that aren't approved.
func stalled(in Input, cfg *config.Config, r roster, t config.Team, end time.Time) Stalled {
	s := Stalled{Team: t.Name, Site: t.Site}
	seen := func(at time.Time) {
		if at.Before(end) && at.After(s.LastActive) {
			s.LastActive = at
		}
	}
	// Activity as StalledWeeks counts it (see measure): wins, cheers when
	// they were given, whatever the win's age, questions and answers.
	for i := range in.Wins {
		if w := &in.Wins[i]; r.winTeam(w.Win) == t.Name {
			seen(w.At)
		}
	}
	for _, c := range in.Cheers {
		if c.User != "" && c.User != c.Author && r.of(c.User) == t.Name {
			seen(c.At)
		}
	}
	for _, a := range in.Answers {
		if r.answerTeam(a) == t.Name {
			seen(a.At)
		}
	}
	unanswered := 0
	var blocked []string
	for _, q := range in.Questions {
		if r.questionTeam(q) != t.Name || q.Deleted || !q.At.Before(end) {
			continue
		}
		seen(q.At)
		if q.FirstAnswerAt.IsZero() && !q.BotAnswered {
			unanswered++
		}
		for _, name := range q.Tools {
			tool, ok := cfg.Tool(name)
			if !ok || tool.Status == config.StatusApproved {
				continue
			}
			label := fmt.Sprintf("%s (%s)", tool.Name, strings.ReplaceAll(string(tool.Status), "_", " "))
			if !slices.Contains(blocked, label) {
				blocked = append(blocked, label)
			}
		}
	}
	if unanswered > 0 {
		s.Reasons = append(s.Reasons, plural(unanswered, "question", "questions")+" never answered")
	}
	if len(blocked) > 0 {
		s.Reasons = append(s.Reasons, "asked about tools that aren't approved: "+strings.Join(blocked, ", "))
	}
	if s.LastActive.IsZero() {
		s.Reasons = append(s.Reasons, fmt.Sprintf("no activity in the last %d weeks", PullWeeks))
	}
	return s
}
