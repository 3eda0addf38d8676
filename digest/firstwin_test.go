package digest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"flywheel/store"
)

// TestTimeToFirstWin, by hand: ann touched the bot at 9:00 and won at 9:40
// (40 min); bo at 8:00, won at 10:00 (2h); cy was nominated with no touch
// (skipped); di's first win was last week (not a newcomer). Median of 40
// min and 2h = 1h20m, over 2 people.
func TestTimeToFirstWin(t *testing.T) {
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	win := func(user string, t time.Time) WinFacts { return WinFacts{Win: store.Win{Author: user, At: t}} }
	in := Input{
		Wins:       []WinFacts{win("ann", at(9, 40)), win("bo", at(10, 0)), win("cy", at(11, 0)), win("di", at(12, 0)), win("ann", at(15, 0))},
		FirstWin:   map[string]time.Time{"ann": at(9, 40), "bo": at(10, 0), "cy": at(11, 0), "di": day.AddDate(0, 0, -8)},
		FirstTouch: map[string]time.Time{"ann": at(9, 0), "bo": at(8, 0), "di": day.AddDate(0, 0, -9)},
	}
	week := window{from: day.AddDate(0, 0, -3), to: day.AddDate(0, 0, 4)}
	med, n := timeToFirstWin(in, week)
	assert.Equal(t, 2, n)
	assert.Equal(t, 80*time.Minute, med)
}
