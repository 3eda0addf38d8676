package store

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReactions(t *testing.T) {
	type op struct {
		user, emoji string
		added       bool
		ts          string
		changed     bool
	}
	cases := []struct {
		name string
		ops  []op
		want []string
	}{
		{"OK", []op{{"U2", "fire", true, "1.1", true}, {"U3", "clap", true, "1.2", true}}, []string{"U2", "U3"}},
		{"UniquePerPeer", []op{{"U2", "fire", true, "1.1", true}, {"U2", "clap", true, "1.2", true}}, []string{"U2"}},
		{"RemoveTakesOneBack", []op{{"U2", "fire", true, "1.1", true}, {"U2", "fire", false, "1.2", true}}, nil},
		{"RemoveOneOfTwoEmoji", []op{{"U2", "fire", true, "1.1", true}, {"U2", "clap", true, "1.2", true}, {"U2", "fire", false, "1.3", true}}, []string{"U2"}},
		{"DoubleAddCountsOnce", []op{{"U2", "fire", true, "1.1", true}, {"U2", "fire", true, "1.1", false}}, []string{"U2"}},
		{"RemoveUnknownIgnored", []op{{"U2", "fire", false, "1.1", false}}, nil},
		{"LateOlderAddIgnored", []op{{"U2", "fire", false, "1.5", false}, {"U2", "fire", true, "1.6", true}, {"U2", "fire", false, "1.9", true}, {"U2", "fire", true, "1.7", false}}, nil},
		{"TimestampsCompareNumerically", []op{{"U2", "fire", true, "999.1", true}, {"U2", "fire", false, "1000.0", true}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := openTest(t)
			require.NoError(t, s.Update(func(tx *Tx) error {
				for i, o := range tc.ops {
					changed, err := tx.SetReaction(7, o.user, o.emoji, o.added, o.ts)
					require.NoError(t, err)
					assert.Equal(t, o.changed, changed, "op %d", i)
				}
				got, err := tx.Amplifiers(7)
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
				other, err := tx.Amplifiers(8)
				require.NoError(t, err)
				assert.Empty(t, other, "reactions stay with their win")
				return nil
			}))
		})
	}
}

func TestCompareTS(t *testing.T) {
	assert.Equal(t, -1, compareTS("999.999999", "1000.000000"))
	assert.Equal(t, 1, compareTS("1732526400.000200", "1732526400.000100"))
	assert.Equal(t, 0, compareTS("1.1", "1.1"))
}

// TestReactionAdded: the prefix fast path agrees with a full decode for
// what the store writes, and anything else is decoded (or refused).
func TestReactionAdded(t *testing.T) {
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for _, added := range []bool{true, false} {
		raw, err := json.Marshal(reactionRecord{Added: added, EventTS: "1764000000.000100", At: at})
		require.NoError(t, err)
		got, err := reactionAdded(raw)
		require.NoError(t, err)
		assert.Equal(t, added, got, "%s", raw)
	}
	tests := []struct {
		raw     string
		want    bool
		wantErr bool
	}{
		{`{"event_ts":"1.2","added":true}`, true, false},
		{`{ "added" : false }`, false, false},
		{`{"added":"yes"}`, false, true},
		{`not json`, false, true},
	}
	for _, tt := range tests {
		got, err := reactionAdded([]byte(tt.raw))
		if tt.wantErr {
			assert.Error(t, err, tt.raw)
			continue
		}
		require.NoError(t, err, tt.raw)
		assert.Equal(t, tt.want, got, tt.raw)
	}
}
