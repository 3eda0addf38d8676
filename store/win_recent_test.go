package store

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

// TestEachWinWithTool: newest first, within the window, any case, stopping
// when the caller has enough, and skipping wins deleted since.
func TestEachWinWithTool(t *testing.T) {
	s, _ := openTest(t)
	tools := [][]string{{"ChatGPT"}, {"Claude"}, {"ChatGPT", "Claude"}, {"chatgpt"}, nil, {"ChatGPT"}}
	var ids []uint64
	require.NoError(t, s.Update(func(tx *Tx) error {
		for i, ts := range tools {
			w := Win{Author: "UANA", Text: fmt.Sprintf("win %d", i), Tools: ts, Source: SourceCommand, At: t0.Add(time.Duration(i) * time.Hour)}
			require.NoError(t, tx.AddWin(&w))
			ids = append(ids, w.ID)
		}
		return nil
	}))
	collect := func(tool string, since, until time.Time, max int) []uint64 {
		var got []uint64
		require.NoError(t, s.View(func(tx *Tx) error {
			return tx.EachWinWithTool(tool, since, until, func(w Win) bool {
				got = append(got, w.ID)
				return len(got) < max
			})
		}))
		return got
	}
	end := t0.Add(24 * time.Hour)
	assert.Equal(t, []uint64{ids[5], ids[3], ids[2], ids[0]}, collect("chatgpt", t0, end, 10))
	assert.Equal(t, []uint64{ids[5], ids[3]}, collect("ChatGPT", t0, end, 2), "stops when told")
	assert.Equal(t, []uint64{ids[3], ids[2]}, collect("ChatGPT", t0.Add(time.Hour), t0.Add(5*time.Hour), 10), "[since, until)")
	assert.Equal(t, []uint64{ids[2], ids[1]}, collect("claude", t0, end, 10))
	assert.Empty(t, collect("Copilot", t0, end, 10))

	require.NoError(t, s.Update(func(tx *Tx) error {
		_, err := tx.Forget("UANA", "")
		return err
	}))
	assert.Empty(t, collect("ChatGPT", t0, end, 10), "forgotten wins are gone from the index too")
	require.NoError(t, s.View(func(tx *Tx) error {
		assert.Zero(t, tx.tx.Bucket(bucketWinByTool).Stats().KeyN)
		return nil
	}))
}

func TestEachRecentWin(t *testing.T) {
	s, _ := openTest(t)
	require.NoError(t, s.Update(func(tx *Tx) error {
		for i := range 5 {
			w := Win{Author: "UANA", Text: fmt.Sprintf("win %d", i), Source: SourceCommand, At: t0.Add(time.Duration(i) * time.Minute)}
			require.NoError(t, tx.AddWin(&w))
		}
		return nil
	}))
	var got []string
	require.NoError(t, s.View(func(tx *Tx) error {
		return tx.EachRecentWin(t0.Add(time.Minute), t0.Add(time.Hour), func(w Win) bool {
			got = append(got, w.Text)
			return len(got) < 3
		})
	}))
	assert.Equal(t, []string{"win 4", "win 3", "win 2"}, got)
}

// TestMigrateWinTools: a schema-3 file gets its wins indexed by tool.
func TestMigrateWinTools(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v3.db")
	s, err := Open(path, Options{Now: func() time.Time { return t0 }})
	require.NoError(t, err)
	require.NoError(t, s.Update(func(tx *Tx) error {
		w := Win{Author: "UANA", Text: "saved 2h", Tools: []string{"Claude"}, Source: SourceCommand}
		return tx.AddWin(&w)
	}))
	// What schema 3 had: no tool index.
	require.NoError(t, s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketWinByTool); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, u64(3))
	}))
	require.NoError(t, s.Close())

	s, err = Open(path, Options{Now: func() time.Time { return t0 }})
	require.NoError(t, err)
	defer s.Close()
	n := 0
	require.NoError(t, s.View(func(tx *Tx) error {
		return tx.EachWinWithTool("claude", t0.Add(-time.Hour), t0.Add(time.Hour), func(Win) bool { n++; return true })
	}))
	assert.Equal(t, 1, n)
	require.NoError(t, s.Check())
}
