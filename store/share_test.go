package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seedShares stores two wins (one anonymous, one team-only) and two tips
// by ana, and ben's saves and tries.
func seedShares(t *testing.T, s *Store, c *clock) (wins, tips []uint64) {
	t.Helper()
	require.NoError(t, s.Update(func(tx *Tx) error {
		for i, w := range []Win{
			{Author: "UANA", Team: "Sales", Text: "Drafted the deck with Claude", MinutesSaved: 60, Source: SourceCommand, Visibility: VisibleAnonymous, ShownTeam: "Sales"},
			{Author: "UANA", Team: "Sales", Text: "Team-only pipeline review notes", MinutesSaved: 30, Source: SourceModal, Visibility: VisibleToTeam},
			{Author: "UANA", Team: "Sales", Text: "Ask Claude for a table, not prose", Source: SourceCommand, Kind: KindTip, Tools: []string{"Claude"}},
			{Author: "UANA", Team: "Sales", Text: "Ctrl+K opens ChatGPT search history", Source: SourceNomination, Nominator: "UBEN", Kind: KindTip},
		} {
			w.At = c.t.Add(time.Duration(i) * time.Minute)
			if err := tx.AddWin(&w); err != nil {
				return err
			}
			if w.IsTip() {
				tips = append(tips, w.ID)
			} else {
				wins = append(wins, w.ID)
			}
		}
		for _, m := range []struct {
			tip  uint64
			user string
			kind TipMarkKind
		}{{tips[0], "UBEN", MarkSave}, {tips[0], "UBEN", MarkTry}, {tips[0], "UCHLOE", MarkTry}, {tips[1], "UBEN", MarkSave}} {
			if added, err := tx.MarkTip(m.tip, m.user, m.kind); err != nil || !added {
				return err
			}
		}
		return nil
	}))
	return wins, tips
}

func TestTipsAreNoWins(t *testing.T) {
	s, c := openTest(t)
	wins, tips := seedShares(t, s, c)
	require.NoError(t, s.View(func(tx *Tx) error {
		all, err := tx.WinsBetween(t0.Add(-time.Hour), t0.Add(time.Hour))
		require.NoError(t, err)
		require.Len(t, all, 2, "range reads of wins skip tips")
		assert.Equal(t, wins, []uint64{all[0].ID, all[1].ID})
		mine, err := tx.WinsByUser("UANA")
		require.NoError(t, err)
		assert.Len(t, mine, 2, "per-person reads of wins skip tips")
		got, err := tx.TipsBetween(t0.Add(-time.Hour), t0.Add(time.Hour))
		require.NoError(t, err)
		require.Len(t, got, 2)
		assert.Equal(t, tips, []uint64{got[0].ID, got[1].ID})
		assert.True(t, got[0].IsTip())
		assert.Equal(t, 2, tx.CountTips())
		theirs, err := tx.TipsByUser("UANA")
		require.NoError(t, err)
		assert.Len(t, theirs, 2)
		var recent, withTool int
		require.NoError(t, tx.EachRecentWin(t0.Add(-time.Hour), t0.Add(time.Hour), func(Win) bool { recent++; return true }))
		require.NoError(t, tx.EachWinWithTool("Claude", t0.Add(-time.Hour), t0.Add(time.Hour), func(Win) bool { withTool++; return true }))
		assert.Equal(t, 2, recent, "the recent wins a form offers are no tips")
		assert.Zero(t, withTool, "a tip naming Claude is no win with Claude")
		// A tip is found by ID like any shared record (buttons, reactions).
		w, err := tx.Win(tips[1])
		require.NoError(t, err)
		assert.Equal(t, KindTip, w.Kind)
		assert.Equal(t, "UBEN", w.Nominator)
		anon, err := tx.Win(wins[0])
		require.NoError(t, err)
		assert.True(t, anon.Anonymous())
		assert.Equal(t, "Sales", anon.ShownTeam)
		assert.Equal(t, "Drafted the deck with Claude", anon.ShareableText(), "an anonymous win's words are shareable, its name is not")
		team, err := tx.Win(wins[1])
		require.NoError(t, err)
		assert.True(t, team.TeamOnly())
		assert.Empty(t, team.ShareableText(), "team-only words stay in the team")
		return nil
	}))
	t.Run("NoOnesFirstWin", func(t *testing.T) {
		require.NoError(t, s.View(func(tx *Tx) error {
			first, err := tx.FirstWinAt("UANA")
			require.NoError(t, err)
			assert.Equal(t, t0, first, "the first win, not a later tip")
			return nil
		}))
		s2, c2 := openTest(t)
		require.NoError(t, s2.Update(func(tx *Tx) error {
			return tx.AddWin(&Win{Author: "UTIPPER", Text: "a tip", Source: SourceCommand, Kind: KindTip, At: c2.t})
		}))
		require.NoError(t, s2.View(func(tx *Tx) error {
			first, err := tx.FirstWinAt("UTIPPER")
			require.NoError(t, err)
			assert.True(t, first.IsZero(), "sharing a tip makes no one a new contributor of wins")
			return nil
		}))
	})
}

func TestTipMarks(t *testing.T) {
	s, c := openTest(t)
	_, tips := seedShares(t, s, c)
	require.NoError(t, s.Update(func(tx *Tx) error {
		added, err := tx.MarkTip(tips[0], "UBEN", MarkSave)
		require.NoError(t, err)
		assert.False(t, added, "one save per person")
		_, err = tx.MarkTip(tips[0], "", MarkSave)
		assert.Error(t, err)
		return nil
	}))
	require.NoError(t, s.View(func(tx *Tx) error {
		marks, err := tx.TipMarks(tips[0])
		require.NoError(t, err)
		require.Len(t, marks, 3)
		assert.Equal(t, TipMark{TipID: tips[0], User: "UBEN", Kind: MarkSave, At: t0}, marks[0])
		between, err := tx.TipMarksBetween(t0, t0.Add(time.Second))
		require.NoError(t, err)
		assert.Len(t, between, 4)
		none, err := tx.TipMarksBetween(t0.Add(time.Second), t0.Add(time.Hour))
		require.NoError(t, err)
		assert.Empty(t, none)
		saved, err := tx.TipsMarkedBy("UBEN", MarkSave)
		require.NoError(t, err)
		require.Len(t, saved, 2)
		assert.Equal(t, tips[1], saved[0].TipID, "newest first (same time: higher ID first)")
		return nil
	}))
}

func TestForgetAndPruneTips(t *testing.T) {
	s, c := openTest(t)
	_, tips := seedShares(t, s, c)
	var placeholder string
	require.NoError(t, s.Update(func(tx *Tx) error {
		fp, err := tx.Footprint("UANA")
		require.NoError(t, err)
		assert.Equal(t, Footprint{Wins: 2, Tips: 2}, fp)
		st, err := tx.Forget("UBEN", "Ops")
		placeholder = st.Placeholder
		assert.Equal(t, 4, st.Mentions, "ben's two saves and his try; his nomination of ana's tip")
		return err
	}))
	require.NoError(t, s.View(func(tx *Tx) error {
		marks, err := tx.TipMarks(tips[0])
		require.NoError(t, err)
		assert.Len(t, marks, 3, "counts kept")
		for _, m := range marks {
			assert.NotEqual(t, "UBEN", m.User)
		}
		saved, err := tx.TipsMarkedBy(placeholder, MarkSave)
		require.NoError(t, err)
		assert.Len(t, saved, 2)
		gone, err := tx.TipsMarkedBy("UBEN", MarkSave)
		require.NoError(t, err)
		assert.Empty(t, gone)
		return nil
	}))
	require.NoError(t, s.Update(func(tx *Tx) error {
		st, err := tx.Forget("UANA", "Sales")
		assert.Equal(t, 4, st.Wins, "their wins and tips lose their words")
		return err
	}))
	require.NoError(t, s.View(func(tx *Tx) error {
		got, err := tx.TipsBetween(t0.Add(-time.Hour), t0.Add(time.Hour))
		require.NoError(t, err)
		require.Len(t, got, 2)
		for _, w := range got {
			assert.Empty(t, w.Text)
			assert.NotEqual(t, "UANA", w.Author)
		}
		return nil
	}))
	c.t = t0.Add(100 * 24 * time.Hour)
	st, err := s.Prune(t0.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, 4, st.Wins, "tips go with retention as wins do")
	require.NoError(t, s.View(func(tx *Tx) error {
		assert.Zero(t, tx.CountTips())
		for _, id := range tips {
			marks, err := tx.TipMarks(id)
			require.NoError(t, err)
			assert.Empty(t, marks, "saves and tries go with their tip")
		}
		left, err := tx.TipMarksBetween(time.Unix(0, 0), t0.Add(time.Hour))
		require.NoError(t, err)
		assert.Empty(t, left)
		return nil
	}))
}
