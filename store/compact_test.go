package store

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCompactAfterForget: the forgotten words are in the file's free pages
// after the forget commits, and gone after Compact; every record and index
// (including the ones with empty values) survives the copy; a backup taken
// before is rewritten the same way by ForgetInCopy.
func TestCompactAfterForget(t *testing.T) {
	s, _ := openTest(t)
	seedForget(t, s)
	dir := t.TempDir()
	backup, err := s.Backup(dir, 3)
	require.NoError(t, err)
	holds := func(path string) bool {
		raw, err := os.ReadFile(path)
		require.NoError(t, err)
		return bytes.Contains(raw, []byte("Q3 plan"))
	}
	var st ForgetStats
	require.NoError(t, s.Update(func(tx *Tx) (err error) { st, err = tx.Forget(gone, "Sales"); return err }))
	require.True(t, holds(s.Path()), "bbolt keeps the deleted value in a free page")

	require.NoError(t, s.Compact())
	assert.False(t, holds(s.Path()))
	require.NoError(t, s.View(func(tx *Tx) error {
		husks, err := tx.WinsByUser(st.Placeholder)
		require.NoError(t, err)
		assert.Len(t, husks, 2, "index entries with empty values are copied")
		cheers, err := tx.CheersMadeBetween(time.Unix(0, 0), t0.Add(time.Hour))
		require.NoError(t, err)
		assert.Len(t, cheers, 4)
		return nil
	}))
	require.NoError(t, s.Update(func(tx *Tx) error {
		w := Win{Author: stays, Text: "after the swap", Source: SourceCommand}
		return tx.AddWin(&w)
	}), "the store keeps working on the new file")

	copies, err := CopiesOf(s.Path(), dir)
	require.NoError(t, err)
	require.Equal(t, []string{backup}, copies)
	require.True(t, holds(backup))
	require.NoError(t, ForgetInCopy(backup, gone, "Sales", st.Placeholder))
	assert.False(t, holds(backup))
	b, err := Open(backup, Options{ReadOnly: true})
	require.NoError(t, err)
	defer b.Close()
	require.NoError(t, b.Check())
	require.NoError(t, b.View(func(tx *Tx) error {
		husks, err := tx.WinsByUser(st.Placeholder)
		assert.Len(t, husks, 2, "the same placeholder in the backup")
		return err
	}))
	_, err = os.Stat(filepath.Join(filepath.Dir(s.Path()), "flywheel.db.compact"))
	assert.ErrorIs(t, err, os.ErrNotExist, "no temporary file left")
}
