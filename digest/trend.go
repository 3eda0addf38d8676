package digest

import (
	"time"

	"flywheel/store"
)

// Trend lengths: the digest's chart and the report default to
// DefaultTrendWeeks; nothing reads further back than MaxTrendWeeks.
const (
	DefaultTrendWeeks = 12
	MaxTrendWeeks     = 52
)

// Trend is one set of weekly figures (the company's, or one team's), oldest
// week first, with what they say in words.
type Trend struct {
	// Team is "" for the company.
	Team  string
	Weeks []TrendWeek
	// Claims say in words what the weeks show; only claims the numbers
	// support are made (see Claims).
	Claims []string
	// Conversion is question -> win conversion over the trend's weeks.
	Conversion Conversion
}

// TrendWeek is one week's figures, counted by the same rules as the
// digest's headline for that week.
type TrendWeek struct {
	// Start and End bound the week [Start, End) in the digest time zone.
	Start, End time.Time
	Wins       int
	// Minutes are the counted minutes saved; PeerMinutes the part of them
	// from wins at least one colleague amplified.
	Minutes, PeerMinutes int
	Sharers              int
	NewContributors      int
	// NewAdopters are people whose first win was in the week and linked to
	// a colleague's win; Adopters the people with a win in the week. Their
	// ratio is the spread ratio.
	NewAdopters, Adopters int
	Questions, Answered   int
	// MedianFirstAnswer is over Timed answered questions (0 when none).
	MedianFirstAnswer time.Duration
	Timed             int
	// Stages counts the week's questions by stage, in Stages order; Other
	// those without a known stage.
	Stages [4]int
	Other  int
	// AccessTeams are the not-yet-enrolled teams whose members asked for
	// access in the week, with their access questions.
	AccessTeams []TeamCount
	// Chains are inspirations crossing team boundaries in the week.
	Chains []Chain
	// ActiveUsers are the distinct people who shared, amplified, asked or
	// answered in the week.
	ActiveUsers int
	// Tips shared in the week and the distinct people who shared them
	// (people teaching each other).
	Tips, Teachers int
	// Conversion is the week's question -> win conversion by stage and
	// team; it is final once ConversionWindow has passed after End.
	Conversion []ConversionCell
	// ConversionFinal: ConversionWindow had passed after End when Conversion
	// was counted, so it can no longer change.
	ConversionFinal bool
}

// SpreadRatio is new adopters inspired by a peer per person with a win.
func (w TrendWeek) SpreadRatio() float64 { return ratio(w.NewAdopters, w.Adopters) }

// TeamCount is a team and a number.
type TeamCount struct {
	Team  string
	Count int
}

// ConversionWindow is how long after a "Yes, here's how" a win with that
// tool counts as the answer turning into a win. The number lives in the
// store, which drops the rollups of the weeks a changed win reaches back to.
const ConversionWindow = store.ConversionWindow

// Conversion is question -> win conversion: of the people told "Yes,
// here's how" about a tool, how many shared a win with that tool within
// ConversionWindow.
type Conversion struct {
	All ConversionCount
	// ByStage and ByTeam break All down (by the question's stage and the
	// asker's team), in Stages order and by team name.
	ByStage []ConversionRow
	ByTeam  []ConversionRow
}

// ConversionCount is Converted people out of Told.
type ConversionCount struct{ Told, Converted int }

// Pct is the conversion rate in percent, rounded.
func (c ConversionCount) Pct() int { return pct(c.Converted, c.Told) }

// ConversionRow is one stage's or team's conversion.
type ConversionRow struct {
	Key string
	ConversionCount
}
