package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/digest"
	"flywheel/store"
)

// TestExportSharing: `flywheel export` writes "anonymous" for the author
// of a win shared without a name and no words for a team-only win (their
// numbers stay); `--kind tips` writes the tips with their saves and tries,
// as /flywheel export does, and tips are never among the wins.
func TestExportSharing(t *testing.T) {
	db := filepath.Join(t.TempDir(), "flywheel.db")
	st, err := store.Open(db, store.Options{})
	require.NoError(t, err)
	at := time.Date(2026, 11, 17, 10, 0, 0, 0, time.UTC)
	require.NoError(t, st.Update(func(tx *store.Tx) error {
		for _, w := range []store.Win{
			{At: at, Author: "U0ANA0001", Team: "Sales", Text: "deck in 1h, saved 3h", MinutesSaved: 180, Source: store.SourceCommand,
				Visibility: store.VisibleAnonymous, ShownTeam: "Sales"},
			{At: at.Add(time.Minute), Author: "U0BEN0002", Team: "Ops", Text: "rota for the team, saved 1h", MinutesSaved: 60, Source: store.SourceModal,
				Visibility: store.VisibleToTeam},
			{At: at.Add(2 * time.Minute), Author: "U0CHL0003", Team: "Sales", Text: "=Ask Claude for a table", Source: store.SourceCommand,
				Kind: store.KindTip, Tools: []string{"Claude"}},
		} {
			if err := tx.AddWin(&w); err != nil {
				return err
			}
			if w.IsTip() {
				for _, u := range []string{"U0BEN0002", "U0DEV0004"} {
					if _, err := tx.MarkTip(w.ID, u, store.MarkTry); err != nil {
						return err
					}
				}
				if _, err := tx.MarkTip(w.ID, "U0DEV0004", store.MarkSave); err != nil {
					return err
				}
			}
		}
		return nil
	}))
	require.NoError(t, st.Close())
	env := map[string]string{"FLYWHEEL_DB": db}

	rows, err := csv.NewReader(bytes.NewBufferString(export(t, env, "--kind", "wins"))).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3, "a header and two wins: the tip is no win")
	assert.Equal(t, []string{"anonymous", "Sales", "180", "deck in 1h, saved 3h"}, []string{rows[1][2], rows[1][4], rows[1][6], rows[1][12]})
	assert.NotContains(t, export(t, env, "--kind", "wins", "--format", "json"), "U0ANA0001", "never the anonymous author")
	assert.Equal(t, []string{"U0BEN0002", "60", ""}, []string{rows[2][2], rows[2][6], rows[2][12]}, "team-only: numbers, no words")

	rows, err = csv.NewReader(bytes.NewBufferString(export(t, env, "--kind", "tips"))).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 2)
	assert.Equal(t, digest.TipHeader, rows[0])
	assert.Equal(t, []string{"3", "2026-11-17T10:02:00Z", "U0CHL0003", "", "Sales", "command", "Claude", "1", "2", "U0DEV0004",
		"U0BEN0002 U0DEV0004", "", "'=Ask Claude for a table"}, rows[1], "a formula in a tip is defused too")
	var tips []digest.TipRow
	require.NoError(t, json.Unmarshal([]byte(export(t, env, "--kind", "tips", "--format", "json")), &tips))
	require.Len(t, tips, 1)
	assert.Equal(t, []string{"U0BEN0002", "U0DEV0004"}, tips[0].TriedBy)
}
