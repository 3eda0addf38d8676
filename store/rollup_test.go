package store

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

const day = 24 * time.Hour

// rollupWeekEnds are the closed weeks keepRollups keeps figures for.
var rollupWeekEnds = []time.Time{t0.Add(-21 * day), t0.Add(-14 * day), t0.Add(-7 * day)}

// keepRollups keeps figures for rollupWeekEnds under two names, as trends
// do: the epoch is read in one transaction and passed to the next.
func keepRollups(t *testing.T, s *Store) {
	t.Helper()
	var epoch uint64
	require.NoError(t, s.View(func(tx *Tx) error { epoch = tx.RollupEpoch(); return nil }))
	require.NoError(t, s.Update(func(tx *Tx) error {
		for _, end := range rollupWeekEnds {
			for _, name := range []string{"company", "Sales"} {
				kept, err := tx.PutWeekRollup(end.Add(-7*day), end, []byte(name), []byte(end.Format(time.DateOnly)), epoch)
				require.NoError(t, err)
				require.True(t, kept)
			}
		}
		return nil
	}))
}

// keptWeeks lists the week ends whose rollups are kept, and the epoch.
func keptWeeks(t *testing.T, s *Store) (ends []time.Time, epoch uint64) {
	t.Helper()
	require.NoError(t, s.View(func(tx *Tx) error {
		for _, end := range rollupWeekEnds {
			company, sales := tx.WeekRollup(end.Add(-7*day), end, []byte("company")), tx.WeekRollup(end.Add(-7*day), end, []byte("Sales"))
			assert.Equal(t, company != nil, sales != nil, "a week's rollups go together")
			if company != nil {
				assert.Equal(t, end.Format(time.DateOnly), string(company))
				ends = append(ends, end)
			}
		}
		assert.Equal(t, 2*len(ends), tx.CountWeekRollups())
		epoch = tx.RollupEpoch()
		return nil
	}))
	return ends, epoch
}

// pastRecords are written a month before t0, when they were "now".
type pastRecords struct {
	win, nomination Win
	question        Question
}

func seedPast(t *testing.T, s *Store, clk *clock) pastRecords {
	t.Helper()
	var p pastRecords
	at := t0.Add(-3 * day)
	clk.t = at
	require.NoError(t, s.Update(func(tx *Tx) error {
		p.win = Win{Author: "U1", Team: "Sales", Text: "saved 2h", MinutesSaved: 120, Source: SourceCommand, Tools: []string{"Claude"}}
		require.NoError(t, tx.AddWin(&p.win))
		p.nomination = Win{Author: "U2", Nominator: "U1", Text: "nominated", Source: SourceNomination, SourceChannel: "C1",
			SourceTS: "1.1", AwaitingApproval: true}
		require.NoError(t, tx.AddWin(&p.nomination))
		return nil
	}))
	clk.t = t0.Add(-10 * day)
	require.NoError(t, s.Update(func(tx *Tx) error {
		p.question = Question{Asker: "U3", Team: "Ops", Text: "can I use Claude?", Source: SourceAsk, Channel: "C2", TS: "2.2"}
		return tx.AddQuestion(&p.question)
	}))
	clk.t = t0
	return p
}

// TestChangeToThePastDropsRollups: each kind of write into a closed week
// drops, in its own transaction, the rollups of the weeks it can change
// (a win also those up to ConversionWindow before it) and bumps the
// epoch; a write for "now" drops nothing.
func TestChangeToThePastDropsRollups(t *testing.T) {
	all, untilWin, untilQuestion := rollupWeekEnds, rollupWeekEnds[:1], rollupWeekEnds[:2]
	for _, tc := range []struct {
		name   string
		change func(tx *Tx, p pastRecords) error
		want   []time.Time // kept afterwards
	}{
		{"WinNow", func(tx *Tx, _ pastRecords) error {
			return tx.AddWin(&Win{Author: "U9", Text: "now", Source: SourceCommand})
		}, all},
		{"WinWithinSettleTime", func(tx *Tx, _ pastRecords) error {
			return tx.AddWin(&Win{At: t0.Add(-SettleTime / 2), Author: "U9", Text: "just now", Source: SourceCommand})
		}, all},
		{"WinDeliveredLate", func(tx *Tx, _ pastRecords) error {
			return tx.AddWin(&Win{At: t0.Add(-3 * day), Author: "U9", Text: "late", Source: SourceCommand})
		}, untilWin},
		{"NominationApproved", func(tx *Tx, p pastRecords) error {
			p.nomination.AwaitingApproval = false
			return tx.UpdateWin(&p.nomination)
		}, untilWin},
		{"WinEdited", func(tx *Tx, p pastRecords) error {
			p.win.MinutesSaved = 30
			return tx.UpdateWin(&p.win)
		}, untilWin},
		{"WinWithdrawn", func(tx *Tx, p pastRecords) error {
			_, err := tx.WithdrawWin(p.win.ID)
			return err
		}, untilWin},
		{"WinDeleted", func(tx *Tx, p pastRecords) error { return tx.DeleteWin(p.win.ID) }, untilWin},
		{"QuestionDeliveredLate", func(tx *Tx, _ pastRecords) error {
			return tx.AddQuestion(&Question{At: t0.Add(-10 * day), Asker: "U9", Text: "late", Source: SourceAsk})
		}, untilQuestion},
		{"QuestionAnsweredLater", func(tx *Tx, p pastRecords) error {
			if err := tx.AddAnswer(&Answer{QuestionID: p.question.ID, Answerer: "U4", Channel: "C2", TS: "3.3", Latency: 10 * day}); err != nil {
				return err
			}
			p.question.FirstAnswerAt, p.question.FirstAnswerer, p.question.Answers = t0, "U4", 1
			return tx.UpdateQuestion(&p.question)
		}, untilQuestion},
		{"QuestionDeleted", func(tx *Tx, p pastRecords) error {
			p.question.Deleted = true
			return tx.UpdateQuestion(&p.question)
		}, untilQuestion},
		{"AnswerDeliveredLate", func(tx *Tx, p pastRecords) error {
			return tx.AddAnswer(&Answer{At: t0.Add(-10 * day), QuestionID: p.question.ID, Answerer: "U4", Channel: "C2", TS: "3.4"})
		}, untilQuestion},
		{"AnswerNow", func(tx *Tx, p pastRecords) error {
			return tx.AddAnswer(&Answer{QuestionID: p.question.ID, Answerer: "U4", Channel: "C2", TS: "3.5"})
		}, all},
		{"CheerNow", func(tx *Tx, p pastRecords) error {
			_, err := tx.SetReaction(p.win.ID, "U5", "tada", true, "4.4")
			return err
		}, all},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, clk := openTest(t)
			p := seedPast(t, s, clk)
			keepRollups(t, s)
			_, before := keptWeeks(t, s)
			require.NoError(t, s.Update(func(tx *Tx) error { return tc.change(tx, p) }))
			ends, after := keptWeeks(t, s)
			assert.Equal(t, tc.want, ends)
			if len(tc.want) == len(all) {
				assert.Equal(t, before, after, "nothing went stale: the epoch stays")
			} else {
				assert.Greater(t, after, before, "figures counted before the change are not kept")
			}
		})
	}
}

// TestPutWeekRollupAfterAChange: figures counted before a change to the
// past landed are not kept; counted after it, they are.
func TestPutWeekRollupAfterAChange(t *testing.T) {
	s, clk := openTest(t)
	p := seedPast(t, s, clk)
	var counted uint64
	require.NoError(t, s.View(func(tx *Tx) error { counted = tx.RollupEpoch(); return nil }))
	require.NoError(t, s.Update(func(tx *Tx) error { // lands between the count and the keep
		p.win.MinutesSaved = 30
		return tx.UpdateWin(&p.win)
	}))
	require.NoError(t, s.Update(func(tx *Tx) error {
		kept, err := tx.PutWeekRollup(rollupWeekEnds[1], rollupWeekEnds[2], []byte("company"), []byte("stale"), counted)
		require.NoError(t, err)
		assert.False(t, kept)
		assert.Nil(t, tx.WeekRollup(rollupWeekEnds[1], rollupWeekEnds[2], []byte("company")))
		assert.Zero(t, tx.CountWeekRollups())

		kept, err = tx.PutWeekRollup(rollupWeekEnds[1], rollupWeekEnds[2], []byte("company"), []byte("fresh"), tx.RollupEpoch())
		require.NoError(t, err)
		assert.True(t, kept)
		assert.Equal(t, "fresh", string(tx.WeekRollup(rollupWeekEnds[1], rollupWeekEnds[2], []byte("company"))))
		return nil
	}))
}

// TestWritesForNowKeepRollups: the bot's everyday writes (wins, cheers,
// questions, answers made "now") drop no rollup and leave the epoch alone:
// keeping trends right costs them nothing.
func TestWritesForNowKeepRollups(t *testing.T) {
	s, clk := openTest(t)
	keepRollups(t, s)
	_, before := keptWeeks(t, s)
	for i := range 50 {
		clk.t = t0.Add(time.Duration(i) * time.Minute)
		require.NoError(t, s.Update(func(tx *Tx) error {
			w := Win{Author: fmt.Sprintf("U%d", i), Text: "win", Source: SourceCommand, PostChannel: "CW", PostTS: fmt.Sprintf("%d.1", i)}
			require.NoError(t, tx.AddWin(&w))
			_, err := tx.SetReaction(w.ID, "UPEER", "tada", true, fmt.Sprintf("%d.2", i))
			require.NoError(t, err)
			w.MinutesSaved = 30 // an edit within the minute
			require.NoError(t, tx.UpdateWin(&w))
			q := Question{Asker: "UASK", Text: "q", Source: SourceAsk, Channel: "CQ", TS: fmt.Sprintf("%d.3", i)}
			require.NoError(t, tx.AddQuestion(&q))
			return tx.AddAnswer(&Answer{QuestionID: q.ID, Answerer: "UANS", Channel: "CQ", TS: fmt.Sprintf("%d.4", i)})
		}))
	}
	ends, after := keptWeeks(t, s)
	assert.Equal(t, rollupWeekEnds, ends)
	assert.Equal(t, before, after)
}

// TestDropWeekRollupsAfter: the weeks ending after the moment go, the week
// ending at it stays (it does not hold that moment); the zero time drops
// all.
func TestDropWeekRollupsAfter(t *testing.T) {
	s, _ := openTest(t)
	keepRollups(t, s)
	require.NoError(t, s.Update(func(tx *Tx) error { return tx.DropWeekRollupsAfter(rollupWeekEnds[1]) }))
	ends, epoch := keptWeeks(t, s)
	assert.Equal(t, rollupWeekEnds[:2], ends)
	assert.Equal(t, uint64(1), epoch)
	require.NoError(t, s.Update(func(tx *Tx) error { return tx.DropWeekRollupsAfter(time.Time{}) }))
	ends, epoch = keptWeeks(t, s)
	assert.Empty(t, ends)
	assert.Equal(t, uint64(2), epoch)
}

// TestDropKeepsWeeksRetentionPruned: once retention has pruned records, a
// change reaching back past the cut-off keeps the rollups of the weeks
// that began before it (partly pruned: the rollup is all that remains).
func TestDropKeepsWeeksRetentionPruned(t *testing.T) {
	s, _ := openTest(t)
	keepRollups(t, s)
	_, err := s.Prune(rollupWeekEnds[0].Add(-day)) // inside the first week
	require.NoError(t, err)
	require.NoError(t, s.Update(func(tx *Tx) error { return tx.DropWeekRollupsAfter(time.Time{}) }))
	ends, _ := keptWeeks(t, s)
	assert.Equal(t, rollupWeekEnds[:1], ends)
	_, err = s.Prune(rollupWeekEnds[0].Add(-3 * day)) // an earlier cut-off moves nothing back
	require.NoError(t, err)
	keepRollups(t, s)
	require.NoError(t, s.Update(func(tx *Tx) error { return tx.DropWeekRollupsAfter(time.Time{}) }))
	ends, _ = keptWeeks(t, s)
	assert.Equal(t, rollupWeekEnds[:1], ends)
}

// TestCheerSpansMergedDropRollups: when a peer toggles a reaction so often
// that its two oldest spans merge, the gap between them (weeks ago) counts
// as cheered from then on, so the weeks since are recounted.
func TestCheerSpansMergedDropRollups(t *testing.T) {
	s, clk := openTest(t)
	clk.t = t0.Add(-20 * day)
	var w Win
	require.NoError(t, s.Update(func(tx *Tx) error {
		w = Win{Author: "U1", Text: "win", Source: SourceCommand, PostChannel: "CW", PostTS: "1.1"}
		return tx.AddWin(&w)
	}))
	toggle := func(i int) {
		require.NoError(t, s.Update(func(tx *Tx) error {
			_, err := tx.SetReaction(w.ID, "U2", "tada", i%2 == 0, fmt.Sprintf("%d.%06d", 2, i))
			return err
		}))
	}
	i := 0
	for ; i < 2*maxSpans-1; i++ { // maxSpans adds, the last one on: maxSpans-1 closed spans, no merge yet
		clk.t = clk.t.Add(time.Hour)
		toggle(i)
	}
	clk.t = t0
	keepRollups(t, s)
	_, before := keptWeeks(t, s)
	toggle(i) // off
	toggle(i + 1)
	ends, after := keptWeeks(t, s)
	assert.Equal(t, rollupWeekEnds[:1], ends, "the gap was 19 days ago")
	assert.Greater(t, after, before)
}

// TestInspiredByTeamOutlivesTheInspiringWin: a win keeps the team of the
// win it links to, through retention pruning that win and later edits.
func TestInspiredByTeamOutlivesTheInspiringWin(t *testing.T) {
	s, clk := openTest(t)
	clk.t = t0.Add(-30 * day)
	var src, inspired Win
	require.NoError(t, s.Update(func(tx *Tx) error {
		src = Win{Author: "U1", Team: "Sales", Text: "src", Source: SourceCommand}
		return tx.AddWin(&src)
	}))
	clk.t = t0.Add(-2 * day)
	require.NoError(t, s.Update(func(tx *Tx) error {
		inspired = Win{Author: "U2", Team: "Ops", Text: "followed", Source: SourceCommand, InspiredBy: src.ID}
		return tx.AddWin(&inspired)
	}))
	assert.Equal(t, "Sales", inspired.InspiredByTeam)
	clk.t = t0
	st, err := s.Prune(t0.Add(-7 * day))
	require.NoError(t, err)
	require.Equal(t, 1, st.Wins)
	require.NoError(t, s.Update(func(tx *Tx) error {
		_, err := tx.Win(src.ID)
		require.ErrorIs(t, err, ErrNotFound)
		got, err := tx.Win(inspired.ID)
		require.NoError(t, err)
		assert.Equal(t, "Sales", got.InspiredByTeam)
		// An edit that rebuilt the win without the field keeps it too.
		edit := got
		edit.InspiredByTeam, edit.MinutesSaved = "", 45
		require.NoError(t, tx.UpdateWin(&edit))
		assert.Equal(t, "Sales", edit.InspiredByTeam)
		// Unlinked: no team.
		edit.InspiredBy = 0
		require.NoError(t, tx.UpdateWin(&edit))
		assert.Empty(t, edit.InspiredByTeam)
		return nil
	}))
}

// TestMigrateWeekRollups: a schema-4 file's week rollups (kept in the
// rollups bucket, never dropped by changes) go on upgrade, a chart's file
// ID stays, and inspired wins learn their inspiring win's team.
func TestMigrateWeekRollups(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := Open(path, Options{Now: func() time.Time { return t0 }})
	require.NoError(t, err)
	var src, inspired Win
	oldWeek := append([]byte("v2\x00Sales\x00"), make([]byte, 24)...)
	chart := []byte("chart\x00company")
	require.NoError(t, s.Update(func(tx *Tx) error {
		src = Win{Author: "U1", Team: "Sales", Text: "src", Source: SourceCommand}
		require.NoError(t, tx.AddWin(&src))
		inspired = Win{Author: "U2", Team: "Ops", Text: "followed", Source: SourceCommand, InspiredBy: src.ID}
		require.NoError(t, tx.AddWin(&inspired))
		require.NoError(t, tx.PutRollup(oldWeek, []byte(`{"Wins":3}`)))
		return tx.PutRollup(chart, []byte("F123"))
	}))
	// What schema 4 had: no week bucket, no team on the link.
	require.NoError(t, s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketWeekRollups); err != nil {
			return err
		}
		r := inspired.record()
		r.InspiredTeam = ""
		raw, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketWins).Put(timeKey(inspired.At, inspired.ID), raw); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, u64(4))
	}))
	require.NoError(t, s.Close())

	s, err = Open(path, Options{Now: func() time.Time { return t0 }})
	require.NoError(t, err)
	t.Cleanup(func() {
		assert.NoError(t, s.Check())
		assert.NoError(t, s.Close())
	})
	require.NoError(t, s.View(func(tx *Tx) error {
		assert.Nil(t, tx.Rollup(oldWeek), "old week rollups go")
		assert.Equal(t, "F123", string(tx.Rollup(chart)), "a chart's file ID stays")
		got, err := tx.Win(inspired.ID)
		require.NoError(t, err)
		assert.Equal(t, "Sales", got.InspiredByTeam)
		assert.Zero(t, tx.CountWeekRollups())
		return nil
	}))
}
