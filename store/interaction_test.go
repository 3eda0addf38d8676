package store

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFirstInteraction(t *testing.T) {
	s, c := openTest(t)
	note := func(users ...string) {
		t.Helper()
		require.NoError(t, s.Update(func(tx *Tx) error {
			for _, u := range users {
				if err := tx.NoteInteraction(u); err != nil {
					return err
				}
			}
			return nil
		}))
	}
	first := func(user string) time.Time {
		t.Helper()
		var at time.Time
		require.NoError(t, s.View(func(tx *Tx) (err error) { at, err = tx.FirstInteraction(user); return err }))
		return at
	}

	t.Run("NeverIsZero", func(t *testing.T) {
		assert.True(t, first("U1").IsZero())
	})
	t.Run("FirstOneSticks", func(t *testing.T) {
		note("U1", "")
		c.t = t0.Add(time.Hour)
		note("U1", "U2")
		c.t = t0.Add(48 * time.Hour)
		note("U2", "U3")
		assert.Equal(t, t0, first("U1"))
		assert.Equal(t, t0.Add(time.Hour), first("U2"))
		assert.Equal(t, t0.Add(48*time.Hour), first("U3"))
	})
	t.Run("Between", func(t *testing.T) {
		var got []FirstInteraction
		require.NoError(t, s.View(func(tx *Tx) (err error) {
			got, err = tx.FirstInteractionsBetween(t0, t0.Add(24*time.Hour))
			return err
		}))
		assert.Equal(t, []FirstInteraction{{"U1", t0}, {"U2", t0.Add(time.Hour)}}, got)
		require.NoError(t, s.View(func(tx *Tx) (err error) {
			got, err = tx.FirstInteractionsBetween(t0.Add(time.Hour+1), t0.Add(49*time.Hour))
			return err
		}))
		assert.Equal(t, []FirstInteraction{{"U3", t0.Add(48 * time.Hour)}}, got)
	})
	t.Run("Forget", func(t *testing.T) {
		require.NoError(t, s.Update(func(tx *Tx) error { return tx.moveInteraction("U2", "UFORGOTTEN9") }))
		require.NoError(t, s.Update(func(tx *Tx) error { return tx.moveInteraction("UNOBODY", "UFORGOTTEN10") }))
		assert.True(t, first("U2").IsZero())
		assert.Equal(t, t0.Add(time.Hour), first("UFORGOTTEN9"), "the time stays, under the placeholder")
		var got []FirstInteraction
		require.NoError(t, s.View(func(tx *Tx) (err error) {
			got, err = tx.FirstInteractionsBetween(t0, t0.Add(72*time.Hour))
			return err
		}))
		assert.Equal(t, []FirstInteraction{{"U1", t0}, {"UFORGOTTEN9", t0.Add(time.Hour)}, {"U3", t0.Add(48 * time.Hour)}}, got)
	})
}

// TestFirstInteractionSurvivesReopen checks the buckets are created at Open
// and the records are kept across restarts.
func TestFirstInteractionSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.db")
	s, err := Open(path, Options{Now: func() time.Time { return t0 }})
	require.NoError(t, err)
	require.NoError(t, s.Update(func(tx *Tx) error { return tx.NoteInteraction("U1") }))
	require.NoError(t, s.Close())
	s, err = Open(path, Options{ReadOnly: true})
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.View(func(tx *Tx) error {
		at, err := tx.FirstInteraction("U1")
		assert.Equal(t, t0, at)
		return err
	}))
	assert.NoError(t, s.Check())
}
