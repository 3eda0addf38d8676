package store

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBackupUnderWriteLoad(t *testing.T) {
	s, _ := openTest(t)
	var (
		mu        sync.Mutex
		committed []uint64
		writeErrs []error
		stop      = make(chan struct{})
		enough    = make(chan struct{}) // closed once 200 wins are in
		once      sync.Once
		wg        sync.WaitGroup
	)
	for g := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				w := Win{Author: "UWRITER" + string(rune('A'+g)), Text: "load", Source: SourceCommand, MinutesSaved: i % 60}
				err := s.Update(func(tx *Tx) error { return tx.AddWin(&w) })
				mu.Lock()
				if err != nil {
					writeErrs = append(writeErrs, err)
				} else {
					committed = append(committed, w.ID)
					if len(committed) == 200 {
						once.Do(func() { close(enough) })
					}
				}
				mu.Unlock()
			}
		})
	}
	countNow := func() int { mu.Lock(); defer mu.Unlock(); return len(committed) }
	select {
	case <-enough:
	case <-time.After(10 * time.Second):
		close(stop)
		wg.Wait()
		t.Fatal("writers made no progress")
	}

	// Every win whose Update returned before Backup began must be in the copy.
	mu.Lock()
	before := append([]uint64(nil), committed...)
	mu.Unlock()
	dir := filepath.Join(t.TempDir(), "backups")
	path, err := s.Backup(dir, 3)
	close(stop)
	wg.Wait()
	require.NoError(t, err)
	require.Empty(t, writeErrs, "writers keep going during a backup")
	require.NotEmpty(t, before)
	assert.Regexp(t, `flywheel-\d{8}T\d{6}Z\.db$`, path)

	b, err := Open(path, Options{ReadOnly: true})
	require.NoError(t, err, "the backup is a Flywheel database")
	defer b.Close()
	require.NoError(t, b.Check())
	require.NoError(t, b.View(func(tx *Tx) error {
		for _, id := range before {
			_, err := tx.Win(id)
			require.NoError(t, err, "win %d was committed before the backup began", id)
		}
		assert.GreaterOrEqual(t, tx.CountWins(), len(before))
		assert.LessOrEqual(t, tx.CountWins(), countNow())
		return nil
	}))
	leftovers, err := filepath.Glob(filepath.Join(dir, ".flywheel-*.tmp"))
	require.NoError(t, err)
	assert.Empty(t, leftovers, "no temporary files left behind")
}

func TestBackupPrunes(t *testing.T) {
	s, c := openTest(t)
	dir := t.TempDir()
	// Files that are not ours are never pruned.
	for _, name := range []string{"notes.txt", "flywheel-old.db", "flywheel.db"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600))
	}
	var paths []string
	for i := range 5 {
		c.t = t0.Add(time.Duration(i) * time.Hour)
		p, err := s.Backup(dir, 3)
		require.NoError(t, err)
		paths = append(paths, p)
	}
	assert.Equal(t, filepath.Join(dir, "flywheel-20261123T130000Z.db"), paths[4], "named for the store's clock in UTC")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.ElementsMatch(t, []string{"notes.txt", "flywheel-old.db", "flywheel.db",
		"flywheel-20261123T110000Z.db", "flywheel-20261123T120000Z.db", "flywheel-20261123T130000Z.db"}, names,
		"the 3 newest backups are kept")

	t.Run("KeepZeroKeepsAll", func(t *testing.T) {
		c.t = t0.Add(10 * time.Hour)
		_, err := s.Backup(dir, 0)
		require.NoError(t, err)
		got, err := filepath.Glob(filepath.Join(dir, "flywheel-2*.db"))
		require.NoError(t, err)
		assert.Len(t, got, 4)
	})
	t.Run("ErrDirIsFile", func(t *testing.T) {
		_, err := s.Backup(filepath.Join(dir, "notes.txt"), 3)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "backup")
	})
}
