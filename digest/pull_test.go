package digest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestPull checks the pull formula on hand-worked weeks: points are
// 3·access + 2·how + 2·tries + 3·inspired + 1·cheers + 1·answers, and week
// k counts (8−k)/8.
func TestPull(t *testing.T) {
	for _, tt := range []struct {
		name  string
		weeks []PullSignals
		want  float64
	}{
		{"NoWeeks", nil, 0},
		{"QuietWeeks", make([]PullSignals, PullWeeks), 0},
		{"OneAccessQuestionThisWeek", []PullSignals{{AccessQuestions: 1}}, 3},
		{"EachSignalThisWeek", []PullSignals{{AccessQuestions: 1, HowQuestions: 1, Tries: 1, InspiredWins: 1, Cheers: 1, AnswersReceived: 1}},
			3 + 2 + 2 + 3 + 1 + 1},
		// The same access question a week earlier counts 7/8 of it.
		{"LastWeekFades", []PullSignals{{}, {AccessQuestions: 1}}, 3 * 7.0 / 8},
		// Week 7 is the oldest that counts (1/8); week 8 counts nothing.
		{"OldestWeekCountsAnEighth", []PullSignals{7: {Cheers: 8}}, 1},
		{"OlderThanPullWeeksIgnored", []PullSignals{8: {AccessQuestions: 100}}, 0},
		// 4 access questions this week (12 points) and 2 tries three
		// weeks ago (4 points × 5/8 = 2.5).
		{"Mixed", []PullSignals{{AccessQuestions: 4}, {}, {}, {Tries: 2}}, 12 + 2.5},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Pull(tt.weeks))
		})
	}
}

// TestPullRecentWeighsMore: the same signals weigh more the more recent
// they are, whatever the signal.
func TestPullRecentWeighsMore(t *testing.T) {
	for _, s := range []PullSignals{{AccessQuestions: 1}, {HowQuestions: 1}, {Tries: 1}, {InspiredWins: 1}, {Cheers: 1}, {AnswersReceived: 1}} {
		prev := 0.0
		for k := PullWeeks - 1; k >= 0; k-- {
			weeks := make([]PullSignals, k+1)
			weeks[k] = s
			got := Pull(weeks)
			assert.Greater(t, got, prev, "%+v in week %d", s, k)
			prev = got
		}
	}
}

func TestPullSignalsAdd(t *testing.T) {
	a := PullSignals{AccessQuestions: 1, HowQuestions: 2, Tries: 3, InspiredWins: 4, Cheers: 5, AnswersReceived: 6}
	assert.Equal(t, PullSignals{2, 4, 6, 8, 10, 12}, a.add(a))
	assert.Equal(t, 2*a.Points(), a.add(a).Points())
}
