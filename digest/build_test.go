package digest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/store"
)

func loadFixture(t testing.TB) Input {
	t.Helper()
	st := openFixture(t, fxWins, fxQuestions)
	in, err := Load(st, end)
	require.NoError(t, err)
	return in
}

// TestBuildRepresentativeWeek checks every number against values worked
// out by hand from fxWins and fxQuestions (see the comments).
func TestBuildRepresentativeWeek(t *testing.T) {
	d := Build(loadFixture(t), testConfig(), end)

	assert.Equal(t, nov(16, 9, 0), d.Start)
	assert.Equal(t, end, d.End)
	assert.Equal(t, nov(9, 9, 0), d.PrevStart)
	h := d.Headline
	// This week W1..W7 (W8 is at the end instant: next week's); last week P1..P4.
	assert.Equal(t, Count{7, 4}, h.Wins)
	// W1 150 + W2 600 capped to 480 (one cheer) + W3 900 (two cheers: not
	// capped) + W4 30 + W5 60 + W6 45 + W7 20 = 1685.
	// P1 90 + P2 120 + P3 200 + P4 1000 capped to 480 = 890.
	assert.Equal(t, Count{1685, 890}, h.MinutesSaved)
	// Cheered wins: W1 150 + W2 480 + W3 900 + W5 60 + W6 45 = 1635; last week P1 90.
	assert.Equal(t, Count{1635, 90}, h.PeerConfirmedMinutes)
	// USAM USARA UOLGA UENZO UEVA UOMAR; last week USAM USARA UOLGA.
	assert.Equal(t, Count{6, 3}, h.Sharers)
	// First wins ever: UEVA (W5) and UOMAR (W6); last week UOLGA (P3).
	assert.Equal(t, Count{2, 1}, h.NewContributors)
	// Q1..Q8 without the deleted Q7; last week R1..R4.
	assert.Equal(t, Count{7, 4}, h.Questions)
	// All but Q6 (Q1 by the registry); last week R1, R3, R4 (bot); R2's
	// answer came after last week ended.
	assert.Equal(t, Count{6, 3}, h.Answered)
	// People's first answers: Q8 20m, Q3 30m, Q5 1h, Q2 2h, Q4 4h: median 1h.
	// Last week R3 40m, R1 3h: median (40m+180m)/2 = 1h50m.
	assert.Equal(t, Latency{Now: time.Hour, Prev: 110 * time.Minute, NowN: 5, PrevN: 2}, h.MedianFirstAnswer)
	// Sharers, cheerers (USARA UOLGA UENZO USAM UOMAR), askers (ULENA ULUKE
	// UFRED USVEN UENZO UEVA UNOBODY), answerers (UOLGA USAM UENZO USARA):
	// USAM USARA UOLGA UENZO UEVA UOMAR ULENA ULUKE UFRED USVEN UNOBODY = 11.
	// Last week USAM USARA UOLGA USVEN UOMAR UENZO ULENA = 7.
	assert.Equal(t, Count{11, 7}, h.ActiveUsers)

	// Legal: ULENA (Q1 ChatGPT), ULUKE (Q2 Claude); Finance: UFRED (Q3).
	// UNOBODY's Q8 has no team; Legal's R4 is last week's.
	// Access first, over the four weeks from 26 Oct 09:00: ULENA cheered
	// UENZO's E3 (Eng) on 28 Oct, 1 point; ULUKE and UFRED only asked.
	assert.Equal(t, []AccessTeam{
		{Team: "Legal", People: []string{"ULENA", "ULUKE"}, Questions: 2, Tools: []string{"ChatGPT", "Claude"},
			AccessFirst: []Pick{{User: "ULENA", Team: "Legal", Score: 1, Reason: "cheered 1 person in other teams"}}},
		{Team: "Finance", People: []string{"UFRED"}, Questions: 1, Tools: []string{"ChatGPT"}},
	}, d.AccessRequests)

	// By cheers, then counted minutes: W1 (3), W3 (2), W2 (1, 480), W5 (1,
	// 60), W6 (1, 45), W4 (0, 30), W7 (0, 20). W3 mentions a blocked term.
	var order []string
	for _, w := range d.TopWins {
		order = append(order, winName(t, w.ID))
	}
	assert.Equal(t, []string{"W1", "W3", "W2", "W5", "W6", "W4", "W7"}, order)
	top := d.TopWins[0]
	// The fixture's post ts is the win's Unix time: 17 Nov 2026 10:00 UTC = 1794909600.
	assert.Equal(t, TopWin{ID: top.ID, Author: "USAM", Team: "Sales", Excerpt: "Used ChatGPT to draft 40 cold emails in 30 minutes instead of 3 hours",
		Minutes: 150, Amplifiers: 3, Link: "https://slack.com/archives/C0WINS/p1794909600000100"}, top)
	assert.True(t, d.TopWins[1].Withheld)
	assert.Empty(t, d.TopWins[1].Excerpt)

	// Distinct questions answered, 2 per cross-team one:
	// UOLGA Q2 (Ops→Legal, twice in the thread: once), Q4 (→Sales), Q5 (→Eng): 3 answered, 3 cross, 6;
	// USAM Q3 (→Finance) 2 + Q4 (Sales→Sales) 1: 3; USARA R2 (→Ops): 2;
	// UENZO Q8 (asker in no team) 1.
	assert.Equal(t, []Champion{
		{User: "UOLGA", Team: "Ops", Answered: 3, CrossTeamAnswers: 3, AnswerScore: 6, CrossTeamReach: 2, Score: 8},
		{User: "USAM", Team: "Sales", Answered: 2, CrossTeamAnswers: 1, AnswerScore: 3, CrossTeamReach: 2, Score: 5},
		{User: "USARA", Team: "Sales", Answered: 1, CrossTeamAnswers: 1, AnswerScore: 2, Score: 2},
		{User: "UENZO", Team: "Eng", Answered: 1, AnswerScore: 1, Score: 1},
	}, d.Answerers)
	// Other-team cheerers: USAM's W1 by UOLGA and UENZO (USARA is Sales);
	// UOLGA's W3 by USAM and UENZO; UEVA's W5 by UOMAR.
	assert.Equal(t, []string{"UOLGA", "USAM", "UEVA"}, users(d.Bridges))
	assert.Equal(t, 1, d.Bridges[2].CrossTeamReach)
	// Champions (score ≥ 2) this week: UOLGA 8, USAM 5, USARA 2. In the four
	// weeks before, only USAM was (last week: R3 for Eng, 2).
	assert.Equal(t, []string{"UOLGA", "USARA"}, d.Emerging)

	// what 0, access Q1 Q2 Q3 Q8 = 4 of 7 (57%), how Q4 (14%), build Q5 Q6
	// (29%); last week what R1 R2 (50%), access R4 (25%), how R3 (25%).
	assert.Equal(t, []StageShare{
		{Stage: "what", Now: 0, Prev: 2, NowPct: 0, PrevPct: 50},
		{Stage: "access", Now: 4, Prev: 1, NowPct: 57, PrevPct: 25},
		{Stage: "how", Now: 1, Prev: 1, NowPct: 14, PrevPct: 25},
		{Stage: "build", Now: 2, Prev: 0, NowPct: 29, PrevPct: 0},
	}, d.Mix)

	// 11 active users; champions over four weeks UOLGA USAM USARA in Ops and
	// Sales; active users in Sales Ops Eng Legal Finance (not Support);
	// peer-confirmed 1635/1685 = 97%.
	// Closest to champion in the enrolled teams, by access-first score over
	// the four weeks (champions left out): UENZO 8 = how R3 + build Q5 (4)
	// + cheered USAM and UOLGA (2) + answered Q8 (1) + E3 cheered by ULENA
	// (1); UEVA 3 = build Q6 (2) + W5 cheered by UOMAR (1); USVEN 2 = how
	// Q4; UOMAR 1 = cheered UEVA's W5.
	assert.Equal(t, &Rollout{Stage: Crawl, Next: Walk,
		Gaps:        []Gap{{"active users", 11, 50}, {"champions", 3, 10}, {"teams with champions", 2, 3}},
		ActiveUsers: 11, Champions: 3, ChampionTeams: 2, Teams: 6, EnrolledTeams: 4, ActiveTeams: 5, BuildPct: 29, PeerConfirmedPct: 97,
		Candidates: []Pick{
			{User: "UENZO", Team: "Eng", Score: 8, Reason: "asked 2 how-to questions, cheered 2 people in other teams"},
			{User: "UEVA", Team: "Eng", Score: 3, Reason: "asked 1 how-to question, wins cheered by 1 person in other teams"},
			{User: "USVEN", Team: "Sales", Score: 2, Reason: "asked 1 how-to question"},
			{User: "UOMAR", Team: "Ops", Score: 1, Reason: "cheered 1 person in other teams"},
		},
		NoChampion: []string{"Eng", "Support"}, NotEnrolled: []string{"Legal", "Finance"}, Quiet: []string{"Support"},
	}, d.Rollout)
	// Support is enrolled and shared nothing.
	assert.Equal(t, &Nudge{Kind: NudgeQuietTeams, Teams: []string{"Support"}}, d.Nudge)
	// W2 claimed 600 with one cheer; W3's 900 has two cheers and counts in full.
	require.Len(t, d.Capped, 1)
	assert.Equal(t, CappedWin{ID: d.Capped[0].ID, Author: "USARA", Claimed: 600, Counted: 480, Amplifiers: 1,
		Link: "https://slack.com/archives/C0WINS/p1794999600000100"}, d.Capped[0])
}

// TestBuildTeam checks the Sales slice by hand.
func TestBuildTeam(t *testing.T) {
	d := BuildTeam(loadFixture(t), testConfig(), end, "Sales")
	h := d.Headline
	assert.Equal(t, "Sales", d.Team)
	// W1 W2 W7 vs P1 P2 P4.
	assert.Equal(t, Count{3, 3}, h.Wins)
	// 150 + 480 + 20 = 650 vs 90 + 120 + 480 = 690; cheered 150 + 480 vs 90.
	assert.Equal(t, Count{650, 690}, h.MinutesSaved)
	assert.Equal(t, Count{630, 90}, h.PeerConfirmedMinutes)
	assert.Equal(t, Count{2, 2}, h.Sharers)
	assert.Equal(t, Count{0, 0}, h.NewContributors)
	// Q4 (4h to USAM's answer) vs R1 (3h).
	assert.Equal(t, Count{1, 1}, h.Questions)
	assert.Equal(t, Count{1, 1}, h.Answered)
	assert.Equal(t, Latency{Now: 4 * time.Hour, Prev: 3 * time.Hour, NowN: 1, PrevN: 1}, h.MedianFirstAnswer)
	assert.Equal(t, []string{"USAM", "USARA"}, users(d.Answerers))
	assert.Equal(t, []string{"USAM"}, users(d.Bridges))
	assert.Equal(t, []string{"USARA"}, d.Emerging)
	assert.Nil(t, d.Rollout)
	assert.Empty(t, d.AccessRequests)
	// Sales had wins and no open question; W7 has no cheer yet.
	assert.Equal(t, &Nudge{Kind: NudgeUncheered, Count: 1}, d.Nudge)
}

func TestBuildEmptyWeek(t *testing.T) {
	d := Build(Input{}, testConfig(), end)
	assert.Equal(t, Headline{}, d.Headline)
	assert.Empty(t, d.TopWins)
	assert.Equal(t, Crawl, d.Rollout.Stage)
	assert.Equal(t, &Nudge{Kind: NudgeQuietTeams, Teams: []string{"Sales", "Ops", "Eng", "Support"}}, d.Nudge)
	cfg := testConfig()
	cfg.Teams = nil
	assert.Equal(t, &Nudge{Kind: NudgeNoWins}, Build(Input{}, cfg, end).Nudge)
}

func TestCountedMinutes(t *testing.T) {
	cases := []struct {
		name    string
		minutes int
		amps    int
		want    int
		capped  bool
	}{
		{"UnderCap", 300, 0, 300, false},
		{"AtCap", 480, 0, 480, false},
		{"OverCapNoCheer", 600, 0, 480, true},
		{"OverCapOneCheer", 600, 1, 480, true},
		{"OverCapTwoCheers", 600, 2, 600, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := WinFacts{Win: store.Win{MinutesSaved: c.minutes}, Amplifiers: make([]string, c.amps)}
			got, capped := CountedMinutes(w, 480)
			assert.Equal(t, c.want, got)
			assert.Equal(t, c.capped, capped)
		})
	}
}

func TestMedianAndPct(t *testing.T) {
	m := time.Minute
	assert.Equal(t, time.Duration(0), median(nil))
	assert.Equal(t, 5*m, median([]time.Duration{9 * m, 1 * m, 5 * m}))
	assert.Equal(t, 3*m, median([]time.Duration{4 * m, 2 * m}))
	assert.Equal(t, 0, pct(1, 0))
	assert.Equal(t, 57, pct(4, 7)) // 57.1
	assert.Equal(t, 29, pct(2, 7)) // 28.6
	assert.Equal(t, 50, pct(1, 2))
	assert.Equal(t, 67, pct(2, 3)) // 66.7
}

// TestWeekWindowsFollowTheCalendar: across the end of summer time in
// Berlin (25 Oct 2026) a week is Monday 9:00 to Monday 9:00, 169 hours.
func TestWeekWindowsFollowTheCalendar(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	w := weekWindows(time.Date(2026, 10, 26, 9, 0, 0, 0, berlin), berlin, 2)
	assert.Equal(t, time.Date(2026, 10, 19, 9, 0, 0, 0, berlin), w[0].from)
	assert.Equal(t, 169*time.Hour, w[0].to.Sub(w[0].from))
	assert.Equal(t, 168*time.Hour, w[1].to.Sub(w[1].from))
	assert.True(t, w[0].has(w[0].from))
	assert.False(t, w[0].has(w[0].to))
}

func users(cs []Champion) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.User)
	}
	return out
}

// winName finds a fixture win's name from its ID (IDs follow fxWins order).
func winName(t testing.TB, id uint64) string {
	t.Helper()
	require.LessOrEqual(t, id, uint64(len(fxWins)))
	return fxWins[id-1].name
}
