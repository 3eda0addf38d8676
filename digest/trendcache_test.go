package digest

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/store"
)

// trendTeams are the trends the cache tests keep and compare.
var trendTeams = []string{"", "Sales"}

// weekAgo is the start of the week k weeks before end's (k = 1: the last
// closed one), plus h hours.
func weekAgo(k int, h time.Duration) time.Time { return end.AddDate(0, 0, -7*k).Add(h) }

// winIn finds the first win (not a tip) of the week k weeks back.
func winIn(t *testing.T, tx *store.Tx, k int) store.Win {
	t.Helper()
	var found *store.Win
	require.NoError(t, tx.EachWinBetween(weekAgo(k, 0), weekAgo(k-1, 0), func(w *store.Win) error {
		if found == nil && !w.IsTip() && !w.AwaitingApproval {
			c := *w
			found = &c
		}
		return nil
	}))
	require.NotNil(t, found, "a win %d weeks back", k)
	return *found
}

// questionIn finds the first question of the week k weeks back that
// matches.
func questionIn(t *testing.T, tx *store.Tx, k int, match func(store.Question) bool) store.Question {
	t.Helper()
	qs, err := tx.QuestionsBetween(weekAgo(k, 0), weekAgo(k-1, 0))
	require.NoError(t, err)
	for _, q := range qs {
		if match(q) {
			return q
		}
	}
	require.FailNow(t, "no such question", "%d weeks back", k)
	return store.Question{}
}

func unanswered(q store.Question) bool { return q.FirstAnswerAt.IsZero() && !q.Deleted }

// TestRollupsAgreeAfterAChangeToThePast: after each kind of write into a
// closed week, trends read from the rollups say what a full recount says
// (the write dropped the rollups it made stale), the figures did change,
// and the weeks are kept again.
func TestRollupsAgreeAfterAChangeToThePast(t *testing.T) {
	cfg := trendConfig()
	for _, tc := range []struct {
		name    string
		prepare func(t *testing.T, tx *store.Tx) // before the rollups are kept
		change  func(t *testing.T, tx *store.Tx) error
		// unchanged: the closed weeks' figures stay (a question counts as
		// answered in its week only when answered before the week's end).
		unchanged bool
	}{
		{name: "WinAddedInThePast", change: func(t *testing.T, tx *store.Tx) error {
			src := winIn(t, tx, 8)
			return tx.AddWin(&store.Win{At: weekAgo(5, time.Hour), Author: "USAM", Team: "Sales", Text: "late", MinutesSaved: 90,
				Source: store.SourceCommand, Tools: []string{"Claude"}, InspiredBy: src.ID})
		}},
		{name: "WinConvertsAnEarlierYes", // counted in the week of the "yes", a week before the win
			prepare: func(t *testing.T, tx *store.Tx) {
				require.NoError(t, tx.AddQuestion(&store.Question{At: weekAgo(6, time.Hour), Asker: "UNEW", Team: "Sales", Enrolled: true,
					Source: store.SourceAsk, Text: "q", Stage: "how", Tools: []string{"Claude"}, BotAnswered: true, Permission: true}))
			},
			change: func(t *testing.T, tx *store.Tx) error {
				return tx.AddWin(&store.Win{At: weekAgo(5, 2*time.Hour), Author: "UNEW", Team: "Sales", Text: "late", MinutesSaved: 30,
					Source: store.SourceCommand, Tools: []string{"Claude"}})
			}},
		{name: "NominationApproved",
			prepare: func(t *testing.T, tx *store.Tx) {
				require.NoError(t, tx.AddWin(&store.Win{At: weekAgo(4, 2*time.Hour), Author: "USARA", Nominator: "UOLGA", Team: "Sales",
					Text: "nominated", MinutesSaved: 240, Source: store.SourceNomination, SourceChannel: "C0SALES", SourceTS: "1.000001",
					AwaitingApproval: true}))
			},
			change: func(t *testing.T, tx *store.Tx) error {
				w, err := tx.WinBySource("C0SALES", "1.000001")
				require.NoError(t, err)
				w.AwaitingApproval = false
				return tx.UpdateWin(&w)
			}},
		{name: "WinEdited", change: func(t *testing.T, tx *store.Tx) error {
			w := winIn(t, tx, 6)
			w.MinutesSaved, w.Tools = w.MinutesSaved+600, []string{"Claude"}
			return tx.UpdateWin(&w)
		}},
		{name: "WinWithdrawn", change: func(t *testing.T, tx *store.Tx) error {
			_, err := tx.WithdrawWin(winIn(t, tx, 6).ID)
			return err
		}},
		{name: "WinDeleted", change: func(t *testing.T, tx *store.Tx) error { return tx.DeleteWin(winIn(t, tx, 3).ID) }},
		{name: "QuestionAddedLate", change: func(t *testing.T, tx *store.Tx) error {
			return tx.AddQuestion(&store.Question{At: weekAgo(4, 3*time.Hour), Asker: "USAM", Team: "Sales", Enrolled: true,
				Source: store.SourceAsk, Text: "q", Stage: "how", Tools: []string{"Claude"}, BotAnswered: true, Permission: true})
		}},
		{name: "QuestionUpdatedLate", change: func(t *testing.T, tx *store.Tx) error {
			q := questionIn(t, tx, 5, func(q store.Question) bool { return q.Stage != "build" && !q.Deleted })
			q.Stage = "build"
			return tx.UpdateQuestion(&q)
		}},
		{name: "QuestionDeletedLate", change: func(t *testing.T, tx *store.Tx) error {
			q := questionIn(t, tx, 5, func(q store.Question) bool { return !q.Deleted })
			q.Deleted = true
			return tx.UpdateQuestion(&q)
		}},
		{name: "AnswerAddedLate", change: func(t *testing.T, tx *store.Tx) error {
			q := questionIn(t, tx, 5, unanswered)
			a := store.Answer{QuestionID: q.ID, Answerer: "USAM", Team: "Sales", AskerTeam: q.Team, Channel: "C0HELP", TS: "9.000001"}
			if err := tx.AddAnswer(&a); err != nil { // answered now, weeks later
				return err
			}
			q.FirstAnswerAt, q.FirstAnswerer, q.Answers = a.At, a.Answerer, 1
			return tx.UpdateQuestion(&q)
		}, unchanged: true},
		{name: "AnswerDeliveredLate", change: func(t *testing.T, tx *store.Tx) error {
			q := questionIn(t, tx, 7, unanswered)
			at := q.At.Add(30 * time.Minute)
			a := store.Answer{At: at, QuestionID: q.ID, Answerer: "USARA", Team: "Sales", AskerTeam: q.Team, Channel: "C0HELP",
				TS: "9.000002", Latency: at.Sub(q.At)}
			if err := tx.AddAnswer(&a); err != nil {
				return err
			}
			q.FirstAnswerAt, q.FirstAnswerer, q.Answers = at, a.Answerer, 1
			return tx.UpdateQuestion(&q)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := history(t, 14, 5)
			if tc.prepare != nil {
				require.NoError(t, st.Update(func(tx *store.Tx) error { tc.prepare(t, tx); return nil }))
			}
			before := map[string]Trend{}
			for _, team := range trendTeams {
				before[team] = cached(t, st, cfg, 12, team)
				require.Equal(t, recount(t, st, cfg, 12, team), before[team], "team %q before", team)
			}
			require.Equal(t, 12*len(trendTeams), countWeekRollups(t, st), "every closed week kept")

			require.NoError(t, st.Update(func(tx *store.Tx) error { return tc.change(t, tx) }))
			assert.Less(t, countWeekRollups(t, st), 12*len(trendTeams), "the change dropped rollups")
			for _, team := range trendTeams {
				after := cached(t, st, cfg, 12, team)
				assert.Equal(t, recount(t, st, cfg, 12, team), after, "team %q", team)
				assert.Equal(t, after, cached(t, st, cfg, 12, team), "team %q read back", team)
			}
			if !tc.unchanged {
				assert.NotEqual(t, before[""].Weeks, cached(t, st, cfg, 12, "").Weeks, "the change shows")
			}
			assert.Equal(t, 12*len(trendTeams), countWeekRollups(t, st), "kept again")
		})
	}
}

func countWeekRollups(t *testing.T, st *store.Store) (n int) {
	t.Helper()
	require.NoError(t, st.View(func(tx *store.Tx) error { n = tx.CountWeekRollups(); return nil }))
	return n
}

// meddler is a store where another write lands right after each read
// transaction: between trends counting weeks and keeping them.
type meddler struct {
	*store.Store
	between func()
}

func (m meddler) View(fn func(*store.Tx) error) error {
	err := m.Store.View(fn)
	m.between()
	return err
}

// TestChangeBetweenCountAndKeep: figures counted before a change to the
// past landed are returned but not kept; the next call counts the change.
func TestChangeBetweenCountAndKeep(t *testing.T) {
	st := history(t, 14, 6)
	cfg := trendConfig()
	stale := recount(t, st, cfg, 12, "")
	edits := 0
	m := meddler{Store: st, between: func() {
		edits++
		require.NoError(t, st.Update(func(tx *store.Tx) error {
			w := winIn(t, tx, 6)
			w.MinutesSaved += 300
			return tx.UpdateWin(&w)
		}))
	}}
	got, err := Trends(m, cfg, end, 12, "")
	require.NoError(t, err)
	require.Equal(t, 1, edits)
	assert.Equal(t, stale, got, "what was counted is returned")
	assert.Zero(t, countWeekRollups(t, st), "and nothing of it kept")

	fresh := cached(t, st, cfg, 12, "")
	assert.Equal(t, recount(t, st, cfg, 12, ""), fresh)
	assert.NotEqual(t, stale.Weeks, fresh.Weeks)
	assert.Equal(t, 12, countWeekRollups(t, st))
}

// TestChainsOutliveTheInspiringWin: a win inspired by another team's win
// counts as spread across teams (and its adopter as inspired from that
// team) the same after retention has pruned the inspiring win, in the
// digest and in a trend's recount.
func TestChainsOutliveTheInspiringWin(t *testing.T) {
	cfg := trendConfig()
	clock := nov(2, 10, 0)
	st, err := store.Open(filepath.Join(t.TempDir(), "flywheel.db"), store.Options{Now: func() time.Time { return clock }})
	require.NoError(t, err)
	t.Cleanup(func() {
		assert.NoError(t, st.Check())
		assert.NoError(t, st.Close())
	})
	src := store.Win{Author: "USAM", Team: "Sales", Text: "drafted the deck with Claude", MinutesSaved: 60, Source: store.SourceCommand}
	require.NoError(t, st.Update(func(tx *store.Tx) error { return tx.AddWin(&src) }))
	clock = nov(18, 10, 0)
	require.NoError(t, st.Update(func(tx *store.Tx) error {
		return tx.AddWin(&store.Win{Author: "UOLGA", Team: "Ops", Text: "tried it too", MinutesSaved: 30, Source: store.SourceCommand,
			InspiredBy: src.ID})
	}))
	clock = end.Add(store.SettleTime)
	want := []Chain{{From: "Sales", To: "Ops", Count: 1}}
	check := func(when string) {
		in, err := Load(st, end)
		require.NoError(t, err)
		d := Build(in, cfg, end)
		require.NotNil(t, d.Spread)
		assert.Equal(t, want, d.Spread.Chains, when)
		if assert.Len(t, d.Spread.NewAdopters, 1, when) {
			assert.Equal(t, "Sales", d.Spread.NewAdopters[0].InspiredByTeam, when)
		}
		tr := recount(t, st, cfg, 4, "")
		assert.Equal(t, want, tr.Weeks[3].Chains, when)
	}
	check("with the inspiring win")
	pruned, err := st.Prune(nov(9, 0, 0))
	require.NoError(t, err)
	require.Equal(t, 1, pruned.Wins)
	check("after retention pruned it")
}

// TestWeekJustClosedIsKeptOnceSettled: a week that ended less than
// store.SettleTime ago is counted but not kept, because a record written
// for a moment in it now is "now" to the store and drops nothing; once
// settled it is kept.
func TestWeekJustClosedIsKeptOnceSettled(t *testing.T) {
	cfg := trendConfig()
	st, clock := openFixtureClock(t, installed, fxWins, fxQuestions)
	*clock = end.Add(store.SettleTime / 2)
	before := cached(t, st, cfg, 4, "")
	assert.Equal(t, 3, countWeekRollups(t, st), "the week that just closed is not kept yet")
	require.NoError(t, st.Update(func(tx *store.Tx) error { // delivered a few seconds late
		return tx.AddWin(&store.Win{At: end.Add(-time.Second), Author: "USAM", Team: "Sales", Text: "just in", MinutesSaved: 45,
			Source: store.SourceCommand})
	}))
	after := cached(t, st, cfg, 4, "")
	assert.Equal(t, recount(t, st, cfg, 4, ""), after)
	assert.Equal(t, before.Weeks[3].Wins+1, after.Weeks[3].Wins)
	*clock = end.Add(store.SettleTime)
	settled := cached(t, st, cfg, 4, "")
	assert.Equal(t, recount(t, st, cfg, 4, ""), settled)
	assert.Equal(t, after.Weeks[3], settled.Weeks[3])
	assert.Equal(t, 4, countWeekRollups(t, st), "settled: kept")
}
