package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWithdrawWin: a withdrawn win leaves nothing behind (record, indexes,
// cheers, posts owed about it), and its author's first win is the earliest
// one left, so the win that never counted doesn't rob them of being new.
func TestWithdrawWin(t *testing.T) {
	s, clk := openTest(t)
	var first, second Win
	require.NoError(t, s.Update(func(tx *Tx) error {
		first = Win{Author: "U1", Nominator: "U2", Text: "nominated", Source: SourceNomination, SourceChannel: "C1", SourceTS: "1.1",
			PostChannel: "CW", PostTS: "2.2"}
		require.NoError(t, tx.AddWin(&first))
		_, err := tx.SetReaction(first.ID, "U2", "ai-win", true, "1.2")
		require.NoError(t, err)
		_, err = tx.Enqueue(OutboxEntry{Kind: OutboxUpdate, Channel: "CW", TS: "2.2", WinID: first.ID, WinPost: true})
		return err
	}))
	clk.t = clk.t.Add(48 * time.Hour)
	require.NoError(t, s.Update(func(tx *Tx) error {
		second = Win{Author: "U1", Text: "own", Source: SourceCommand}
		return tx.AddWin(&second)
	}))
	require.NoError(t, s.Update(func(tx *Tx) error {
		holders, err := tx.ReactorsWith(first.ID, "ai-win")
		require.NoError(t, err)
		assert.Equal(t, []string{"U2"}, holders)
		holders, err = tx.ReactorsWith(first.ID, "trophy")
		require.NoError(t, err)
		assert.Empty(t, holders, "only the emoji asked for")

		w, err := tx.WithdrawWin(first.ID)
		require.NoError(t, err)
		assert.Equal(t, "2.2", w.PostTS, "the caller gets the win to delete its post")
		_, err = tx.WithdrawWin(first.ID)
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = tx.WinBySource("C1", "1.1")
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = tx.WinByPost("CW", "2.2")
		assert.ErrorIs(t, err, ErrNotFound)
		holders, err = tx.ReactorsWith(first.ID, "ai-win")
		require.NoError(t, err)
		assert.Empty(t, holders)
		at, err := tx.FirstWinAt("U1")
		require.NoError(t, err)
		assert.True(t, at.Equal(second.At), "first win is now the one left: %s", at)
		return nil
	}))
	pending, err := s.Outbox(10)
	require.NoError(t, err)
	assert.Empty(t, pending, "no post is owed about a withdrawn win")

	// Withdrawing the last win leaves no first win at all.
	require.NoError(t, s.Update(func(tx *Tx) error {
		_, err := tx.WithdrawWin(second.ID)
		require.NoError(t, err)
		at, err := tx.FirstWinAt("U1")
		require.NoError(t, err)
		assert.True(t, at.IsZero())
		return nil
	}))
}

func TestDeclinedMessages(t *testing.T) {
	s, _ := openTest(t)
	require.NoError(t, s.Update(func(tx *Tx) error {
		assert.False(t, tx.Declined("C1", "1.1"))
		require.NoError(t, tx.DeclineMessage("C1", "1.1"))
		require.NoError(t, tx.DeclineMessage("", "")) // nothing to mark
		return nil
	}))
	require.NoError(t, s.View(func(tx *Tx) error {
		assert.True(t, tx.Declined("C1", "1.1"))
		assert.False(t, tx.Declined("C1", "1.2"))
		assert.False(t, tx.Declined("", ""))
		return nil
	}))
}
