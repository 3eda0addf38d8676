package digest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/store"
)

// TestLeadTotals: the totals since the first digest add the numbers kept
// for each posted company week (never a week twice when a schedule posted
// overlapping weeks, never a team's slice) to this week's, worked out by
// hand: 10 + 20 wins posted, 7 this week → 37; 600 + 1,200 + 1,685 min.
func TestLeadTotals(t *testing.T) {
	st := openFixture(t, fxWins, fxQuestions)
	week := func(weeksBefore int, shift time.Duration, wins, minutes int, team string) {
		e := end.AddDate(0, 0, -7*weeksBefore).Add(shift)
		n := Numbers{V: 1, Team: team, Start: e.AddDate(0, 0, -7), End: e,
			Headline: Headline{Wins: Count{Now: wins}, MinutesSaved: Count{Now: minutes}}}
		require.NoError(t, st.Update(func(tx *store.Tx) error { return tx.RecordWeek(e, team, n) }))
	}
	week(2, 0, 10, 600, "")
	week(1, 0, 20, 1200, "")
	week(1, time.Hour, 99, 9999, "") // overlaps the week before: skipped
	week(1, 0, 500, 50000, "Sales")  // a team's slice: not the company's
	in, err := Load(st, end)
	require.NoError(t, err)
	d := Build(in, testConfig(), end)
	require.NotNil(t, d.Lead)
	assert.Equal(t, Totals{Wins: 37, Minutes: 600 + 1200 + 1685, Weeks: 3, Since: end.AddDate(0, 0, -21)}, d.Lead.Totals)
	assert.Contains(t, totalsText(d.Lead), "*Since 2 Nov 2026* (3 weeks): 37 wins, 58h 5m saved.")
	assert.Nil(t, BuildTeam(in, testConfig(), end, "Sales").Lead, "team slices have no lead section")
}

// TestLeadUnansweredAndByTool: unanswered questions come with links, newest
// first; wins count for each tool they name.
func TestLeadUnansweredAndByTool(t *testing.T) {
	d := Build(loadFixture(t), testConfig(), end)
	require.NotNil(t, d.Lead)
	for i, q := range d.Lead.Unanswered {
		assert.NotEmpty(t, q.Link, "question %d links to where it was asked", i)
		if i > 0 {
			assert.False(t, q.At.After(d.Lead.Unanswered[i-1].At), "newest first")
		}
	}
	var teamWins int
	for _, ts := range d.Lead.ByTeam {
		teamWins += ts.Wins
		assert.LessOrEqual(t, ts.Active, max(ts.Members, ts.Active))
	}
	assert.Equal(t, d.Headline.Wins.Now, teamWins, "every win of a configured team is in its row")
}
