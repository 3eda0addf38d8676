package digest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func weeksOf(wins ...int) []TrendWeek {
	out := make([]TrendWeek, len(wins))
	for i, n := range wins {
		out[i] = TrendWeek{Wins: n}
	}
	return out
}

func TestClaims(t *testing.T) {
	withStages := func(w []TrendWeek, first, last [4]int) []TrendWeek {
		w[0].Stages, w[len(w)-1].Stages = first, last
		return w
	}
	withAccess := func(w []TrendWeek, monthAgo, now int) []TrendWeek {
		if monthAgo > 0 {
			w[len(w)-5].AccessTeams = []TeamCount{{"Sales", monthAgo}}
		}
		w[len(w)-1].AccessTeams = []TeamCount{{"Sales", now}, {"Finance", now}}
		return w
	}
	cases := []struct {
		name  string
		weeks []TrendWeek
		want  []string
	}{
		{"Growth", weeksOf(5, 1, 2, 3, 4, 6), []string{"Wins grew 4 weeks in a row"}},
		{"GrowthBrokenByAFlatWeek", weeksOf(1, 2, 3, 3, 4, 6), nil},
		{"TwoRisesAreNotAStreak", weeksOf(9, 1, 2, 3), nil},
		{"Decline", weeksOf(9, 8, 7, 5), []string{"Wins fell 3 weeks in a row"}},
		{"Flat", weeksOf(4, 4, 4, 4), nil},
		{"OneWeek", weeksOf(4), nil},
		{"StagesMoveOn", withStages(weeksOf(0, 0, 0, 0, 0, 0, 0, 0, 0), [4]int{6, 2, 2, 0}, [4]int{3, 3, 2, 2}),
			[]string{"Questions are moving on: how/build went from 20% to 40% in 8 weeks"}},
		{"StagesMoveBack", withStages(weeksOf(0, 0, 0), [4]int{1, 1, 4, 4}, [4]int{5, 3, 1, 1}),
			[]string{"Questions are moving back: how/build went from 80% to 20% in 2 weeks"}},
		{"TooFewQuestionsToSay", withStages(weeksOf(0, 0, 0), [4]int{2, 1, 0, 0}, [4]int{0, 0, 2, 2}), nil},
		{"SmallShift", withStages(weeksOf(0, 0, 0), [4]int{5, 0, 5, 0}, [4]int{9, 0, 9, 2}), nil},
		{"PullRises", withAccess(weeksOf(0, 0, 0, 0, 0, 0), 0, 3),
			[]string{"Sales' pull is rising: 3 access questions this week, none a month ago",
				"Finance's pull is rising: 3 access questions this week, none a month ago"}},
		{"PullWasThereAMonthAgo", withAccess(weeksOf(0, 0, 0, 0, 0, 0), 1, 3),
			[]string{"Finance's pull is rising: 3 access questions this week, none a month ago"}},
		{"OneAccessQuestionIsNoPull", withAccess(weeksOf(0, 0, 0, 0, 0, 0), 0, 1), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, Claims(Trend{Weeks: c.weeks}))
		})
	}
	hours := weeksOf(1, 1, 1, 1)
	for i := range hours {
		hours[i].Minutes = 60 * (i + 1)
	}
	assert.Equal(t, []string{"Hours saved grew 3 weeks in a row"}, Claims(Trend{Weeks: hours}))
}
