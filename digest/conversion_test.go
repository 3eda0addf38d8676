package digest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/store"
)

// TestOpenConversionIsRecountedFromTheYesQuestions: a kept week whose 14
// days have not passed is recounted on every read from its questions told
// "yes" and their askers' wins in the window, and says what a full
// recount says: wins exactly 14 days after count, one a nanosecond later
// or at the same instant does not, a deleted question tells nobody, a
// teamless asker's team is learned from their other question, and a win
// shared after the week was kept converts on the next read.
func TestOpenConversionIsRecountedFromTheYesQuestions(t *testing.T) {
	st, clock := openFixtureClock(t, installed, nil, nil)
	cfg := trendConfig()
	dec := func(day, hour int) time.Time { return time.Date(2026, 12, day, hour, 0, 0, 0, time.UTC) }
	claude := []string{"Claude"}
	require.NoError(t, st.Update(func(tx *store.Tx) error {
		for _, q := range []store.Question{
			{At: nov(16, 10, 0), Asker: "USAM", Team: "Sales", Stage: "how", Tools: claude, BotAnswered: true},
			{At: nov(17, 10, 0), Asker: "UOLGA", Team: "Ops", Stage: "how", Tools: claude, BotAnswered: true},
			{At: nov(18, 10, 0), Asker: "UNEW", Stage: "how", Tools: claude, BotAnswered: true},
			{At: nov(19, 10, 0), Asker: "UNEW", Team: "Research", Stage: "what"},
			{At: nov(18, 11, 0), Asker: "UEVA", Team: "Eng", Stage: "how", Tools: claude, BotAnswered: true, Deleted: true},
			{At: nov(16, 12, 0), Asker: "USARA", Team: "Sales", Stage: "build", Tools: claude, BotAnswered: true},
			{At: nov(22, 12, 0), Asker: "USARA", Team: "Sales", Stage: "build", Tools: claude, BotAnswered: true},
			{At: nov(20, 10, 0), Asker: "UENZO", Team: "Eng", Stage: "how", Tools: claude, BotAnswered: true},
		} {
			q.Source, q.Text = store.SourceAsk, "can I use Claude?"
			if err := tx.AddQuestion(&q); err != nil {
				return err
			}
		}
		for _, w := range []store.Win{
			{At: nov(30, 10, 0), Author: "USAM", Team: "Sales"},                                        // exactly 14 days after: converts
			{At: nov(1, 10, 0), Author: "UOLGA", Team: "Ops"},                                          // before asking
			{At: nov(17, 10, 0), Author: "UOLGA", Team: "Ops"},                                         // the same instant
			{At: nov(25, 10, 0), Author: "UNEW"},                                                       // converts, for Research
			{At: nov(19, 10, 0), Author: "UEVA", Team: "Eng"},                                          // their question was deleted
			{At: dec(6, 12), Author: "USARA", Team: "Sales"},                                           // 14 days after the later question
			{At: nov(20, 10, 0).Add(ConversionWindow + time.Nanosecond), Author: "UENZO", Team: "Eng"}, // just too late
		} {
			w.Source, w.Text, w.Tools, w.MinutesSaved = store.SourceCommand, "win", claude, 30
			if err := tx.AddWin(&w); err != nil {
				return err
			}
		}
		return nil
	}))
	*clock = nov(30, 12, 0) // the week to 23 Nov has closed; its 14 days have not passed
	last := func(tr Trend) ConversionCount {
		var c ConversionCount
		for _, cell := range tr.Weeks[len(tr.Weeks)-1].Conversion {
			c.Told += cell.Told
			c.Converted += cell.Converted
		}
		return c
	}
	for _, team := range []string{"", "Sales", "Research"} {
		kept := cached(t, st, cfg, 4, team)
		assert.False(t, kept.Weeks[3].ConversionFinal, "team %q", team)
		assert.Equal(t, recount(t, st, cfg, 4, team), kept, "team %q: counted", team)
		assert.Equal(t, kept, cached(t, st, cfg, 4, team), "team %q: kept, then recounted from the yes questions", team)
	}
	all := cached(t, st, cfg, 4, "")
	assert.Equal(t, ConversionCount{Told: 5, Converted: 3}, last(all))
	assert.Equal(t, []ConversionRow{{"Eng", ConversionCount{1, 0}}, {"Ops", ConversionCount{1, 0}}, {"Research", ConversionCount{1, 1}},
		{"Sales", ConversionCount{2, 2}}}, all.Conversion.ByTeam)

	// A win after the week was kept: the next read counts it.
	require.NoError(t, st.Update(func(tx *store.Tx) error {
		return tx.AddWin(&store.Win{At: dec(1, 10), Author: "UOLGA", Team: "Ops", Source: store.SourceCommand, Text: "win", Tools: claude, MinutesSaved: 30})
	}))
	*clock = dec(2, 9)
	later := cached(t, st, cfg, 4, "")
	assert.Equal(t, ConversionCount{Told: 5, Converted: 4}, last(later))
	assert.Equal(t, recount(t, st, cfg, 4, ""), later)
	*clock = installed
}
