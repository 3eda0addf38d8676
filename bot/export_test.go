package bot

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuarterOf(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	cases := []struct {
		name     string
		at       time.Time
		loc      *time.Location
		from, to time.Time
		label    string
	}{
		{"Q1", time.Date(2026, 2, 14, 12, 0, 0, 0, time.UTC), time.UTC,
			time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), "2026-Q1"},
		{"Q4", time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC), time.UTC,
			time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), "2026-Q4"},
		{"FirstInstant", time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), time.UTC,
			time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), "2026-Q3"},
		// 23:30 UTC on 31 March is already April in Berlin: the digest's zone decides.
		{"InTheConfiguredZone", time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC), berlin,
			time.Date(2026, 4, 1, 0, 0, 0, 0, berlin), time.Date(2026, 7, 1, 0, 0, 0, 0, berlin), "2026-Q2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			from, to, label := quarterOf(c.at, c.loc)
			assert.True(t, c.from.Equal(from), "from %v, want %v", from, c.from)
			assert.True(t, c.to.Equal(to), "to %v, want %v", to, c.to)
			assert.Equal(t, c.label, label)
		})
	}
}
