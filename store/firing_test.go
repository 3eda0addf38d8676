package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

func TestFirings(t *testing.T) {
	s, _ := openTest(t)
	london, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	at1 := time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)
	at2 := time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CET", 3600))
	assert.Equal(t, "2026-11-23T10:00:00 CET", FiringKey(at2))
	// 01:30 BST and 01:30 GMT on 25 Oct 2026, an hour apart, are one firing.
	bst := time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC).In(london)
	gmt := time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC).In(london)
	assert.Equal(t, FiringKey(bst), FiringKey(gmt))
	assert.Equal(t, "2026-10-25T01:30:00 Europe/London", FiringKey(gmt))
	require.NoError(t, s.Update(func(tx *Tx) error {
		_, ok := tx.LastFiring("C1")
		assert.False(t, ok)
		assert.False(t, tx.FiringPosted(at1, "C1"))
		require.NoError(t, tx.MarkFiring(at2, "C1"))
		require.NoError(t, tx.MarkFiring(at1, "C1"))
		require.NoError(t, tx.MarkFiring(at1, "C2"))
		require.NoError(t, tx.MarkFiring(bst, "C3"))
		return nil
	}))
	require.NoError(t, s.View(func(tx *Tx) error {
		assert.True(t, tx.FiringPosted(at2, "C1"))
		assert.False(t, tx.FiringPosted(at2, "C2"), "each channel is tracked on its own")
		assert.True(t, tx.FiringPosted(gmt, "C3"), "the repeated hour is the same firing")
		last, ok := tx.LastFiring("C1")
		assert.True(t, ok)
		assert.True(t, last.Equal(at2), "latest by week end, not by key: %s", last)
		assert.Equal(t, t0, tx.CreatedAt())
		return nil
	}))
	t.Run("LegacyKeys", func(t *testing.T) {
		// Records written before keys were wall-clock times: the UTC
		// instant as key, the posting time as value.
		require.NoError(t, s.db.Update(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketFirings).Put(firingKey("2026-11-30T09:00:00Z", "C1"), u64(uint64(t0.UnixNano())))
		}))
		require.NoError(t, s.View(func(tx *Tx) error {
			last, ok := tx.LastFiring("C1")
			assert.True(t, ok)
			assert.Equal(t, time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC), last)
			return nil
		}))
	})
}

func TestPostedWeeks(t *testing.T) {
	s, _ := openTest(t)
	end := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	type numbers struct{ Wins int }
	require.NoError(t, s.Update(func(tx *Tx) error {
		require.NoError(t, tx.RecordWeek(end, "", numbers{5}))
		require.NoError(t, tx.RecordWeek(end, "", numbers{6}), "a second record of the week is ignored")
		return tx.RecordWeek(end, "Sales", numbers{2})
	}))
	require.NoError(t, s.View(func(tx *Tx) error {
		var n numbers
		ok, err := tx.PostedWeek(end, "", &n)
		require.NoError(t, err)
		assert.True(t, ok)
		assert.Equal(t, 5, n.Wins)
		ok, err = tx.PostedWeek(end.Add(time.Hour), "", &n)
		assert.False(t, ok)
		assert.Equal(t, []time.Time{end}, tx.PostedWeekEnds("Sales"))
		return err
	}))
}
