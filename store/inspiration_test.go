package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInspirations(t *testing.T) {
	s, c := openTest(t)
	add := func(win uint64, user string) bool {
		var added bool
		require.NoError(t, s.Update(func(tx *Tx) error {
			var err error
			added, err = tx.AddInspiration(win, user)
			return err
		}))
		return added
	}
	assert.True(t, add(7, "U1"))
	assert.False(t, add(7, "U1"), "one per person per win")
	c.t = t0.Add(time.Hour)
	assert.True(t, add(8, "U1"))
	assert.True(t, add(7, "U2"))
	require.NoError(t, s.View(func(tx *Tx) error {
		users, err := tx.InspiredBy(7)
		require.NoError(t, err)
		assert.Equal(t, []string{"U1", "U2"}, users)
		assert.Equal(t, uint64(8), tx.LatestInspiration("U1", t0), "the latest click")
		assert.Equal(t, uint64(0), tx.LatestInspiration("U1", t0.Add(2*time.Hour)), "too old")
		assert.Equal(t, uint64(7), tx.LatestInspiration("U2", t0))
		assert.Equal(t, uint64(0), tx.LatestInspiration("U3", t0))
		all, err := tx.InspirationsBetween(t0, t0.Add(2*time.Hour))
		require.NoError(t, err)
		assert.Len(t, all, 3)
		week, err := tx.InspirationsBetween(t0.Add(time.Minute), t0.Add(2*time.Hour))
		require.NoError(t, err)
		assert.Len(t, week, 2)
		return nil
	}))
}

func TestForgetAnonymisesInspirations(t *testing.T) {
	s, _ := openTest(t)
	require.NoError(t, s.Update(func(tx *Tx) error {
		if _, err := tx.AddInspiration(7, "U1"); err != nil {
			return err
		}
		_, err := tx.AddInspiration(7, "U2")
		return err
	}))
	require.NoError(t, s.Update(func(tx *Tx) error { _, err := tx.Forget("U1", ""); return err }))
	require.NoError(t, s.View(func(tx *Tx) error {
		users, err := tx.InspiredBy(7)
		require.NoError(t, err)
		assert.Equal(t, []string{"U2", "UFORGOTTEN1"}, users, "the click still counts, without the name")
		assert.Equal(t, uint64(0), tx.LatestInspiration("U1", t0.Add(-time.Hour)))
		all, err := tx.InspirationsBetween(t0.Add(-time.Hour), t0.Add(time.Hour))
		require.NoError(t, err)
		assert.Len(t, all, 2)
		return nil
	}))
}
