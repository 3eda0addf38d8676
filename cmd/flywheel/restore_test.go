package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"flywheel/store"
)

// makeDB creates a Flywheel database at path holding one win per author.
func makeDB(t *testing.T, path string, authors ...string) {
	t.Helper()
	st, err := store.Open(path, store.Options{})
	require.NoError(t, err)
	require.NoError(t, st.Update(func(tx *store.Tx) error {
		for _, a := range authors {
			if err := tx.AddWin(&store.Win{Author: a, Text: "drafted the deck", Source: store.SourceCommand}); err != nil {
				return err
			}
		}
		return nil
	}))
	require.NoError(t, st.Close())
}

// authorsIn lists the authors of the wins in the database at path.
func authorsIn(t *testing.T, path string) []string {
	t.Helper()
	st, err := store.Open(path, store.Options{ReadOnly: true})
	require.NoError(t, err)
	defer st.Close()
	require.NoError(t, st.Check())
	wins, err := st.WinsBetween(time.Unix(0, 0), time.Now().Add(time.Hour))
	require.NoError(t, err)
	var out []string
	for _, w := range wins {
		out = append(out, w.Author)
	}
	return out
}

// backupOf writes a backup of a new database holding authors' wins.
func backupOf(t *testing.T, authors ...string) string {
	t.Helper()
	src := filepath.Join(t.TempDir(), "src.db")
	makeDB(t, src, authors...)
	st, err := store.Open(src, store.Options{})
	require.NoError(t, err)
	defer st.Close()
	path, err := st.Backup(t.TempDir(), 3)
	require.NoError(t, err)
	return path
}

func restore(t *testing.T, from, db string) (string, error) {
	t.Helper()
	var stdout bytes.Buffer
	err := run(context.Background(), []string{"restore", "--from", from}, envMap(map[string]string{"FLYWHEEL_DB": db}), nil, &stdout, io.Discard)
	return stdout.String(), err
}

func TestRestore(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		dir := t.TempDir()
		db := filepath.Join(dir, "flywheel.db")
		makeDB(t, db, "UOLD00001")
		from := backupOf(t, "UNEW00001", "UNEW00002")
		out, err := restore(t, from, db)
		require.NoError(t, err)
		assert.Contains(t, out, "Restored "+db)
		assert.Equal(t, []string{"UNEW00001", "UNEW00002"}, authorsIn(t, db))
		kept, err := filepath.Glob(db + ".before-restore-*")
		require.NoError(t, err)
		require.Len(t, kept, 1)
		assert.Regexp(t, `\.before-restore-\d{8}T\d{6}Z$`, kept[0])
		assert.Contains(t, out, kept[0])
		assert.Equal(t, []string{"UOLD00001"}, authorsIn(t, kept[0]), "the replaced database is kept")
		assert.Equal(t, []string{"UNEW00001", "UNEW00002"}, authorsIn(t, from), "the backup itself is untouched")
		tmp, err := filepath.Glob(filepath.Join(dir, ".flywheel-*"))
		require.NoError(t, err)
		assert.Empty(t, tmp)
	})
	t.Run("OKNoDatabaseYet", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "flywheel.db")
		out, err := restore(t, backupOf(t, "UNEW00001"), db)
		require.NoError(t, err)
		assert.NotContains(t, out, "kept as")
		assert.Equal(t, []string{"UNEW00001"}, authorsIn(t, db))
	})
	t.Run("ErrLocked", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "flywheel.db")
		makeDB(t, db, "UOLD00001")
		running, err := store.Open(db, store.Options{}) // what `flywheel run` holds
		require.NoError(t, err)
		before, err := os.ReadFile(db)
		require.NoError(t, err)
		start := time.Now()
		_, err = restore(t, backupOf(t, "UNEW00001"), db)
		require.ErrorIs(t, err, store.ErrLocked)
		assert.Contains(t, err.Error(), "stop the bot first")
		assert.Less(t, time.Since(start), 5*time.Second, "refuses promptly")
		require.NoError(t, running.Close())
		after, err := os.ReadFile(db)
		require.NoError(t, err)
		assert.Equal(t, before, after)
		assert.Equal(t, []string{"UOLD00001"}, authorsIn(t, db))
	})
	t.Run("ErrUsage", func(t *testing.T) {
		for _, args := range [][]string{{"restore"}, {"restore", "--from"}, {"restore", "--from", "a.db", "extra"}} {
			err := run(context.Background(), args, envMap(nil), nil, io.Discard, io.Discard)
			assert.ErrorIs(t, err, errUsage, "%v", args)
		}
	})
	t.Run("ErrMissingBackup", func(t *testing.T) {
		_, err := restore(t, filepath.Join(t.TempDir(), "nope.db"), filepath.Join(t.TempDir(), "flywheel.db"))
		require.ErrorIs(t, err, os.ErrNotExist)
		assert.Contains(t, err.Error(), "nope.db")
	})
}

func TestRestoreErrCorruptBackup(t *testing.T) {
	many := make([]string, 400)
	for i := range many {
		many[i] = "UMANY" + string(rune('A'+i%26))
	}
	good, err := os.ReadFile(backupOf(t, many...))
	require.NoError(t, err)
	require.Greater(t, len(good), 4*4096)
	cases := map[string]func(t *testing.T, path string){
		"Garbage": func(t *testing.T, path string) {
			junk := make([]byte, 64*1024)
			for i := range junk {
				junk[i] = byte(i*7 + 3)
			}
			require.NoError(t, os.WriteFile(path, junk, 0o600))
		},
		"Empty": func(t *testing.T, path string) { require.NoError(t, os.WriteFile(path, nil, 0o600)) },
		"Truncated": func(t *testing.T, path string) {
			require.NoError(t, os.WriteFile(path, good[:len(good)/2], 0o600))
		},
		"Scribbled": func(t *testing.T, path string) {
			bad := bytes.Clone(good)
			for i := 2 * 4096; i < len(bad); i++ {
				bad[i] ^= 0x5a
			}
			require.NoError(t, os.WriteFile(path, bad, 0o600))
		},
		"NotFlywheel": func(t *testing.T, path string) {
			db, err := bolt.Open(path, 0o600, nil)
			require.NoError(t, err)
			require.NoError(t, db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("other")); return err }))
			require.NoError(t, db.Close())
		},
	}
	for name, makeBad := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "flywheel.db")
			makeDB(t, db, "UOLD00001")
			from := filepath.Join(t.TempDir(), "backup.db")
			makeBad(t, from)
			fromBefore, err := os.ReadFile(from)
			require.NoError(t, err)
			dbBefore, err := os.ReadFile(db)
			require.NoError(t, err)

			_, err = restore(t, from, db)
			require.ErrorIs(t, err, store.ErrCorruptBackup)
			assert.Contains(t, err.Error(), "nothing was changed")

			fromAfter, err := os.ReadFile(from)
			require.NoError(t, err)
			assert.Equal(t, fromBefore, fromAfter, "the backup file is untouched")
			dbAfter, err := os.ReadFile(db)
			require.NoError(t, err)
			assert.Equal(t, dbBefore, dbAfter, "the database is untouched")
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Len(t, entries, 1, "nothing new beside the database")
		})
	}
}
