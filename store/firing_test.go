package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFirings(t *testing.T) {
	s, _ := openTest(t)
	k1 := FiringKey(time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC))
	k2 := FiringKey(time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CET", 3600)))
	assert.Equal(t, "2026-11-23T09:00:00Z", k2)
	require.NoError(t, s.Update(func(tx *Tx) error {
		assert.Equal(t, "", tx.LatestFiring())
		assert.False(t, tx.FiringPosted(k1, "C1"))
		require.NoError(t, tx.MarkFiring(k2, "C1"))
		require.NoError(t, tx.MarkFiring(k1, "C2"))
		return nil
	}))
	require.NoError(t, s.View(func(tx *Tx) error {
		assert.True(t, tx.FiringPosted(k2, "C1"))
		assert.False(t, tx.FiringPosted(k2, "C2"), "each channel is tracked on its own")
		assert.Equal(t, k2, tx.LatestFiring())
		assert.Equal(t, t0, tx.CreatedAt())
		return nil
	}))
}
