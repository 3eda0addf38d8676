package digest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/config"
	"flywheel/store"
)

// The plan fixture's weeks before end (Mon 23 Nov 2026 09:00 UTC), k = 0
// newest: k0 from 16 Nov, k1 9 Nov, k2 2 Nov, k3 26 Oct, k4 19 Oct, k5 12
// Oct, k6 5 Oct, k7 28 Sep (each from 09:00). Access-first picks read k0–k3.
func oct(day, hour int) time.Time { return time.Date(2026, 10, day, hour, 0, 0, 0, time.UTC) }

// planConfig: Sales and Ops enrolled at the Berlin office, Eng and Support
// enrolled without a site; Legal and HR not enrolled, no site; Finance and
// Quality make up the St. Louis plant, not started; Marketing is not
// enrolled but its site (Berlin) is. Two a month.
func planConfig() *config.Config {
	cfg := config.Default()
	cfg.Rollout.SitesPerMonth = 2
	cfg.Tools = []config.Tool{
		{Name: "ChatGPT", Status: config.StatusApproved},
		{Name: "DeepSeek", Status: config.StatusNotApproved, Alternative: "ChatGPT"},
		{Name: "Midjourney", Status: config.StatusRestricted, Restriction: "drafts only"},
	}
	cfg.Teams = []config.Team{
		{Name: "Sales", Site: "Berlin office", Members: []string{"USAM", "USARA"}, Enrolled: true},
		{Name: "Ops", Site: "Berlin office", Members: []string{"UOLGA"}, Enrolled: true},
		{Name: "Eng", Members: []string{"UENZO", "UEVA"}, Enrolled: true},
		{Name: "Support", Members: []string{"USUE"}, Enrolled: true},
		{Name: "Legal", Members: []string{"ULENA", "ULUKE"}},
		{Name: "Finance", Site: "St. Louis plant", Members: []string{"UFRED"}},
		{Name: "Quality", Site: "St. Louis plant", Members: []string{"UQUIN"}},
		{Name: "Marketing", Site: "Berlin office", Members: []string{"UMIA"}},
		{Name: "HR", Members: []string{"UHAL"}},
	}
	return cfg
}

var planWins = []fxWin{
	{name: "S0", at: oct(26, 12), author: "USAM", team: "Sales", minutes: 30, text: "Pricing sheet"},
	{name: "S1", at: nov(17, 10, 0), author: "USAM", team: "Sales", minutes: 60, text: "Cold emails"},
	{name: "O1", at: nov(18, 10, 0), author: "UOLGA", team: "Ops", minutes: 45, amps: []string{"UQUIN"}, text: "Shift plan"},
	{name: "E1", at: nov(11, 10, 0), author: "UENZO", team: "Eng", minutes: 20, amps: []string{"USAM"}, text: "Regex"},
}

var planQuestions = []fxQuestion{
	{name: "L1", at: nov(17, 11, 0), asker: "ULENA", team: "Legal", stage: "access", tools: []string{"ChatGPT"}, access: true, bot: true},
	{name: "L2", at: nov(19, 11, 0), asker: "ULUKE", team: "Legal", stage: "access", access: true},
	{name: "L3", at: nov(12, 11, 0), asker: "ULENA", team: "Legal", stage: "access", access: true},
	{name: "L4", at: nov(4, 11, 0), asker: "ULUKE", team: "Legal", stage: "how", answers: []fxAnswer{{nov(4, 12, 0), "UOLGA", "Ops"}}},
	{name: "F1", at: nov(18, 11, 0), asker: "UFRED", team: "Finance", stage: "access", access: true},
	{name: "Q1", at: nov(20, 11, 0), asker: "UQUIN", team: "Quality", stage: "access", access: true},
	{name: "M1", at: oct(14, 12), asker: "UMIA", team: "Marketing", stage: "access", access: true},
	{name: "SU1", at: oct(7, 10), asker: "USUE", team: "Support", enrolled: true, stage: "what", tools: []string{"Midjourney"}, bot: true},
	{name: "SU2", at: oct(14, 10), asker: "USUE", team: "Support", enrolled: true, stage: "access", tools: []string{"DeepSeek"}},
	{name: "EN1", at: nov(18, 14, 0), asker: "UENZO", team: "Eng", enrolled: true, stage: "how", answers: []fxAnswer{{nov(18, 15, 0), "USAM", "Sales"}}},
	{name: "EN2", at: nov(19, 14, 0), asker: "UEVA", team: "Eng", enrolled: true, stage: "how"},
}

// openPlanFixture writes planWins and planQuestions, then UFRED's win
// inspired by S0 (28 Oct) and ULENA's "I'll try this" on S1 (18 Nov).
func openPlanFixture(t *testing.T) *store.Store {
	t.Helper()
	st, clock := openFixtureClock(t, installed, planWins, planQuestions)
	wins, err := st.WinsBetween(oct(1, 0), end)
	require.NoError(t, err)
	ids := map[string]uint64{}
	for _, w := range wins {
		for _, f := range planWins {
			if f.text == w.Text {
				ids[f.name] = w.ID
			}
		}
	}
	require.Len(t, ids, len(planWins))
	require.NoError(t, st.Update(func(tx *store.Tx) error {
		w := store.Win{At: time.Date(2026, 10, 28, 10, 0, 0, 0, time.UTC), Author: "UFRED", Team: "Finance", Text: "Same trick for invoices",
			MinutesSaved: 30, Source: store.SourceCommand, InspiredBy: ids["S0"]}
		return tx.AddWin(&w)
	}))
	*clock = nov(18, 16, 0)
	require.NoError(t, st.Update(func(tx *store.Tx) error {
		_, err := tx.AddInspiration(ids["S1"], "ULENA")
		return err
	}))
	return st
}

// TestBuildPlan checks the plan against values worked out by hand.
func TestBuildPlan(t *testing.T) {
	in, err := LoadPlan(openPlanFixture(t), end)
	require.NoError(t, err)
	p := BuildPlan(in, planConfig(), end)

	assert.Equal(t, end, p.End)
	assert.Equal(t, 8, p.Weeks)
	assert.Equal(t, 2, p.SitesPerMonth)
	require.NotNil(t, p.Stage)
	assert.Equal(t, Crawl, p.Stage.Stage)

	// Legal: k0 L1 L2 access (3+3) + ULENA's try on Sales' S1 (2) = 8 ×
	// 8/8; k1 L3 access 3 × 7/8 = 2.625; k2 L4 how (2) + UOLGA's answer
	// (1) = 3 × 6/8 = 2.25. Pull 12.875.
	// St. Louis plant (Finance + Quality): k0 F1, Q1 access (3+3) +
	// UQUIN's cheer on Ops' O1 (1) = 7; k3 UFRED's win inspired by S0, 3 ×
	// 5/8 = 1.875. Pull 8.875.
	// Marketing (a team: Berlin office has started): k5 M1 access 3 × 3/8
	// = 1.125. HR: nothing.
	// Access first over k0–k3: ULENA tried S1 (2), ULUKE asked L4 (2):
	// tied, by ID; UFRED tried S0 through his win (2), UQUIN cheered UOLGA (1).
	want := []Candidate{
		{Name: "Legal", Kind: "team", Teams: []string{"Legal"}, Pull: 12.875,
			Signals: PullSignals{AccessQuestions: 3, HowQuestions: 1, Tries: 1, AnswersReceived: 1},
			Evidence: []string{"2 people asked for access in 2 weeks (3 questions)", "1 person asked how to use or build with AI",
				"1 clicked I'll try this on wins from Sales", "got 1 answer from colleagues"},
			AccessFirst: []Pick{
				{User: "ULENA", Team: "Legal", Score: 2, Reason: "tried 1 colleague's win"},
				{User: "ULUKE", Team: "Legal", Score: 2, Reason: "asked 1 how-to question"},
			}},
		{Name: "St. Louis plant", Kind: "site", Teams: []string{"Finance", "Quality"}, Pull: 8.875,
			Signals:  PullSignals{AccessQuestions: 2, InspiredWins: 1, Cheers: 1},
			Evidence: []string{"2 people asked for access in 1 week", "1 win inspired by a colleague's win", "1 cheered across teams"},
			AccessFirst: []Pick{
				{User: "UFRED", Team: "Finance", Score: 2, Reason: "tried 1 colleague's win"},
				{User: "UQUIN", Team: "Quality", Score: 1, Reason: "cheered 1 person in other teams"},
			}},
		{Name: "Marketing", Kind: "team", Site: "Berlin office", Teams: []string{"Marketing"}, Pull: 1.125,
			Signals: PullSignals{AccessQuestions: 1}, Evidence: []string{"1 person asked for access in 1 week"}},
		{Name: "HR", Kind: "team", Teams: []string{"HR"}, Evidence: []string{"no sign of interest in the last 8 weeks"}},
	}
	assert.Equal(t, want, p.Candidates)
	assert.Equal(t, []string{"Legal", "St. Louis plant"}, p.NextMonth, "two a month, by pull")

	// Support: nothing since SU2 on 14 Oct; SU2 never answered (SU1 was,
	// by the registry); it asked about Midjourney (restricted, SU1) and
	// DeepSeek (not approved, SU2).
	assert.Equal(t, []Stalled{{Team: "Support", LastActive: oct(14, 10), Reasons: []string{
		"1 question never answered", "asked about tools that aren't approved: Midjourney (restricted), DeepSeek (not approved)"}}}, p.Stalled)

	// Champions in k0–k3: USAM (answered Eng's EN1: 2) and UOLGA (answered
	// Legal's L4: 2), so Sales and Ops have one; Eng has none. UENZO asked
	// EN1 (2) and USAM cheered his E1 (1); UEVA asked EN2 (2).
	assert.Equal(t, []TeamPicks{{Team: "Eng", Candidates: []Pick{
		{User: "UENZO", Team: "Eng", Score: 3, Reason: "asked 1 how-to question, wins cheered by 1 person in other teams"},
		{User: "UEVA", Team: "Eng", Score: 2, Reason: "asked 1 how-to question"},
	}}}, p.NoChampion)

	raw, err := json.Marshal(p)
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"pull":12.875`)
	golden(t, "plan.txt", []byte(PlanText(p)))
}

// TestBuildPlanEveryoneEnrolled: nothing to plan, nothing stalled.
func TestBuildPlanEveryoneEnrolled(t *testing.T) {
	cfg := planConfig()
	for i := range cfg.Teams {
		cfg.Teams[i].Enrolled = true
	}
	p := BuildPlan(Input{}, cfg, end)
	assert.Empty(t, p.Candidates)
	assert.Empty(t, p.NextMonth)
	assert.Len(t, p.Stalled, len(cfg.Teams), "no records: every team is quiet")
	assert.Equal(t, []string{"no activity in the last 8 weeks"}, p.Stalled[0].Reasons)
	assert.Contains(t, PlanText(p), "Every team is enrolled.")
}

// TestPlanTextBounded: hundreds of teams, long names full of markup; the
// text lists the first ones, says how many more, escapes names and stays
// within one Slack message.
func TestPlanTextBounded(t *testing.T) {
	cfg := config.Default()
	for i := range 600 {
		cfg.Teams = append(cfg.Teams, config.Team{Name: fmt.Sprintf("<!here> Team %03d %s", i, strings.Repeat("x", 200)), Enrolled: i%2 == 0})
	}
	p := BuildPlan(Input{}, cfg, end)
	require.Len(t, p.Candidates, 300)
	require.Len(t, p.Stalled, 300)
	text := PlanText(p)
	assert.Less(t, utf8.RuneCountInString(text), 40000)
	assert.Contains(t, text, "_…and 285 more_", "15 candidates listed")
	assert.Contains(t, text, "_…and 280 more_", "20 stalled teams listed")
	assert.NotContains(t, text, "<!here>")
	assert.Contains(t, text, "&lt;!here&gt; Team 001")
}

// TestStalledLastActiveIsTheCheer: Support's only activity in the 8 weeks
// is Sue's cheer on 20 Oct on a Sales win of 1 Sep. The plan says Support
// was last active then (5 weeks before end), as the activity that makes a
// team not stalled counts cheers when they are given, not when the win was.
func TestStalledLastActiveIsTheCheer(t *testing.T) {
	st, clock := openFixtureClock(t, time.Date(2026, 8, 1, 8, 0, 0, 0, time.UTC),
		[]fxWin{{name: "OLD", at: time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC), author: "USAM", team: "Sales", minutes: 30, text: "Old win"}}, nil)
	wins, err := st.WinsBetween(time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), end)
	require.NoError(t, err)
	require.Len(t, wins, 1)
	*clock = oct(20, 10)
	require.NoError(t, st.Update(func(tx *store.Tx) error {
		_, err := tx.SetReaction(wins[0].ID, "USUE", "tada", true, "1792490400.000200")
		return err
	}))
	in, err := LoadPlan(st, end)
	require.NoError(t, err)
	p := BuildPlan(in, planConfig(), end)
	var support *Stalled
	for i := range p.Stalled {
		if p.Stalled[i].Team == "Support" {
			support = &p.Stalled[i]
		}
	}
	require.NotNil(t, support, "no activity in 4 weeks: stalled")
	assert.Equal(t, oct(20, 10), support.LastActive)
	assert.Empty(t, support.Reasons, "nothing unanswered, no blocked tool, and active within 8 weeks")
	assert.Contains(t, PlanText(p), "• *Support*: last active 4 weeks ago\n")
}

// TestPlanTextSiteOfManyTeams: a site's line names its first 10 teams and
// says how many more, however many it has.
func TestPlanTextSiteOfManyTeams(t *testing.T) {
	cfg := config.Default()
	for i := range 300 {
		cfg.Teams = append(cfg.Teams, config.Team{Name: fmt.Sprintf("Plant team %03d", i), Site: "Big plant"})
	}
	text := PlanText(BuildPlan(Input{}, cfg, end))
	assert.Contains(t, text, "1. *Big plant* (site; teams: Plant team 000, Plant team 001, Plant team 002, Plant team 003, "+
		"Plant team 004, Plant team 005, Plant team 006, Plant team 007, Plant team 008, Plant team 009 and 290 more) · pull 0.0\n")
	assert.Less(t, utf8.RuneCountInString(text), 2000)
}
