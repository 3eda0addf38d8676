package store

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// clock is a settable fixed clock for tests.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// openTest opens a fresh store with a fixed clock and checks the file's
// consistency when the test ends.
func openTest(t *testing.T) (*Store, *clock) {
	t.Helper()
	c := &clock{t: t0}
	s, err := Open(filepath.Join(t.TempDir(), "flywheel.db"), Options{Now: c.now})
	require.NoError(t, err)
	t.Cleanup(func() {
		assert.NoError(t, s.Check())
		assert.NoError(t, s.Close())
	})
	return s, c
}

func TestOpen(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "f.db")
		s, err := Open(path, Options{})
		require.NoError(t, err)
		require.NoError(t, s.Close())
		// Reopening keeps the schema and buckets.
		s, err = Open(path, Options{})
		require.NoError(t, err)
		require.NoError(t, s.Close())
	})
	t.Run("ErrLocked", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "f.db")
		s, err := Open(path, Options{})
		require.NoError(t, err)
		defer s.Close()
		start := time.Now()
		_, err = Open(path, Options{Timeout: 300 * time.Millisecond})
		require.ErrorIs(t, err, ErrLocked)
		assert.Less(t, time.Since(start), 5*time.Second, "a locked DB must fail fast, not hang")
		assert.Contains(t, err.Error(), "in use by another process")
	})
	t.Run("ErrCorrupt", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "f.db")
		garbage := make([]byte, 64*1024)
		for i := range garbage {
			garbage[i] = byte(i*7 + 3)
		}
		require.NoError(t, os.WriteFile(path, garbage, 0o600))
		_, err := Open(path, Options{})
		require.ErrorIs(t, err, ErrCorrupt)
		after, readErr := os.ReadFile(path)
		require.NoError(t, readErr)
		assert.Equal(t, garbage, after, "a corrupt file must be left untouched")
	})
	t.Run("ErrNewerSchema", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "f.db")
		s, err := Open(path, Options{})
		require.NoError(t, err)
		require.NoError(t, s.db.Update(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketMeta).Put(keySchema, u64(SchemaVersion+1))
		}))
		require.NoError(t, s.Close())
		_, err = Open(path, Options{})
		require.ErrorIs(t, err, ErrNewerSchema)
	})
	t.Run("ErrReadOnlyDir", func(t *testing.T) {
		if os.Geteuid() == 0 {
			// root ignores directory permissions; use a path under a file instead.
			f := filepath.Join(t.TempDir(), "file")
			require.NoError(t, os.WriteFile(f, nil, 0o600))
			_, err := Open(filepath.Join(f, "f.db"), Options{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "open database")
			return
		}
		dir := t.TempDir()
		require.NoError(t, os.Chmod(dir, 0o500))
		_, err := Open(filepath.Join(dir, "f.db"), Options{})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "permissions")
	})
	t.Run("ReadOnlyMissing", func(t *testing.T) {
		_, err := Open(filepath.Join(t.TempDir(), "nope.db"), Options{ReadOnly: true})
		require.ErrorIs(t, err, os.ErrNotExist)
	})
}

func TestWins(t *testing.T) {
	s, c := openTest(t)
	add := func(author string, at time.Time) Win {
		w := Win{Author: author, At: at, Text: "drafted emails", Source: SourceCommand, MinutesSaved: 150}
		require.NoError(t, s.Update(func(tx *Tx) error { return tx.AddWin(&w) }))
		return w
	}
	w1 := add("U1", t0.Add(-8*24*time.Hour))
	w2 := add("U2", t0.Add(-2*24*time.Hour))
	w3 := add("U1", t0.Add(-1*time.Hour))
	assert.Equal(t, []uint64{1, 2, 3}, []uint64{w1.ID, w2.ID, w3.ID})

	week, err := s.WinsBetween(t0.Add(-7*24*time.Hour), t0)
	require.NoError(t, err)
	require.Len(t, week, 2)
	assert.Equal(t, w2.ID, week[0].ID)
	assert.Equal(t, w3.ID, week[1].ID)

	// The window's end is exclusive; a win exactly at it belongs to the next week.
	add("U3", t0)
	week, err = s.WinsBetween(t0.Add(-7*24*time.Hour), t0)
	require.NoError(t, err)
	assert.Len(t, week, 2)

	require.NoError(t, s.View(func(tx *Tx) error {
		byUser, err := tx.WinsByUser("U1")
		require.NoError(t, err)
		assert.Equal(t, []uint64{w1.ID, w3.ID}, []uint64{byUser[0].ID, byUser[1].ID})
		assert.Equal(t, 4, tx.CountWins())
		return nil
	}))

	// Recording the post indexes the win by its message.
	c.t = t0.Add(time.Minute)
	require.NoError(t, s.Update(func(tx *Tx) error {
		w, err := tx.Win(w2.ID)
		require.NoError(t, err)
		w.PostChannel, w.PostTS = "CWINS", "1732526400.000100"
		return tx.UpdateWin(&w)
	}))
	require.NoError(t, s.View(func(tx *Tx) error {
		w, err := tx.WinByPost("CWINS", "1732526400.000100")
		require.NoError(t, err)
		assert.Equal(t, w2.ID, w.ID)
		assert.Equal(t, "U2", w.Author)
		_, err = tx.WinByPost("CWINS", "1.2")
		assert.ErrorIs(t, err, ErrNotFound)
		return nil
	}))
}

func TestAddWinInvalid(t *testing.T) {
	s, _ := openTest(t)
	cases := map[string]Win{
		"ErrNoAuthor": {Source: SourceCommand, Text: "x"},
		"ErrNegative": {Author: "U1", Source: SourceCommand, MinutesSaved: -5},
		"ErrNoSource": {Author: "U1"},
		"ErrHugeText": {Author: "U1", Source: SourceCommand, Text: string(make([]byte, MaxWinText+1))},
	}
	for name, w := range cases {
		t.Run(name, func(t *testing.T) {
			err := s.Update(func(tx *Tx) error { return tx.AddWin(&w) })
			require.Error(t, err)
		})
	}
	require.NoError(t, s.View(func(tx *Tx) error {
		assert.Equal(t, 0, tx.CountWins(), "failed adds leave nothing behind")
		return nil
	}))
}
