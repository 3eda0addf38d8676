package main

import (
	"bytes"
	"context"
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

func export(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	var out, stderr bytes.Buffer
	require.NoError(t, run(context.Background(), append([]string{"export"}, args...), envMap(env), nil, &out, &stderr), stderr.String())
	return out.String()
}

func TestExportCSV(t *testing.T) {
	env := readOnlyEnv(t)
	t.Run("Wins", func(t *testing.T) {
		rows, err := csv.NewReader(bytes.NewBufferString(export(t, env, "--kind", "wins"))).ReadAll()
		require.NoError(t, err)
		require.Len(t, rows, 4, "a header and three wins")
		assert.Equal(t, digest.WinHeader, rows[0])
		assert.Equal(t, []string{"2", "2026-11-17T10:00:00Z", "U0SAM0001", "", "Sales", "command", "150", "150", "ChatGPT", "1", "U0SARA002",
			"https://slack.com/archives/C0WINS001/p1794909600000100", `'=HYPERLINK("http://evil") drafted 40 emails`}, rows[2],
			"a formula in user text is defused with a leading apostrophe")
		// 600 claimed, no cheer: counted at the 480 cap.
		assert.Equal(t, []string{"600", "480"}, rows[3][6:8])
		assert.Equal(t, "Forecast, \"quoted\"\nsecond line", rows[3][12])
	})
	t.Run("Questions", func(t *testing.T) {
		rows, err := csv.NewReader(bytes.NewBufferString(export(t, env, "--kind", "questions", "--format", "csv"))).ReadAll()
		require.NoError(t, err)
		require.Len(t, rows, 3)
		assert.Equal(t, questionHeader, rows[0])
		assert.Equal(t, []string{"1", "2026-11-19T10:00:00Z", "U0LENA001", "Legal", "false", "channel", "access", "ChatGPT", "false", "true",
			"false", "2026-11-19T11:00:00Z", "U0SAM0001", "1", "false", "https://slack.com/archives/C0HELP001/p1795082400000100",
			"Can I get a ChatGPT seat?"}, rows[1])
		assert.Equal(t, "true", rows[2][14], "deleted")
		assert.Empty(t, rows[2][16], "a deleted question's text is not exported")
	})
	t.Run("Since", func(t *testing.T) {
		rows, err := csv.NewReader(bytes.NewBufferString(export(t, env, "--kind", "wins", "--since", "2026-11-10"))).ReadAll()
		require.NoError(t, err)
		assert.Len(t, rows, 3, "the 2 Nov win is left out")
	})
}

// TestExportBlanksHeldAndPrivateText: the CLI export keeps the numbers of
// held and private wins but not their words, exactly as /flywheel export
// does, leaves out nominations their author has not approved, and shows
// people's words as plain text.
func TestExportBlanksHeldAndPrivateText(t *testing.T) {
	db := filepath.Join(t.TempDir(), "flywheel.db")
	st, err := store.Open(db, store.Options{})
	require.NoError(t, err)
	at := time.Date(2026, 11, 17, 10, 0, 0, 0, time.UTC)
	require.NoError(t, st.Update(func(tx *store.Tx) error {
		for _, w := range []store.Win{
			{At: at, Author: "U0ANA0001", Text: "R&D notes -> summary <3, saved 1h", MinutesSaved: 60, Source: store.SourceCommand},
			{At: at.Add(time.Minute), Author: "U0BEN0002", Text: "card [card number removed], saved 2h", MinutesSaved: 120, Source: store.SourceCommand, Held: true},
			{At: at.Add(2 * time.Minute), Author: "U0CHL0003", Text: "my private notes, saved 3h", MinutesSaved: 180, Source: store.SourceCommand, Private: true},
			{At: at.Add(3 * time.Minute), Author: "U0DEV0004", Nominator: "U0ANA0001", Text: "from a DM, saved 4h", MinutesSaved: 240,
				Source: store.SourceNomination, AwaitingApproval: true},
		} {
			if err := tx.AddWin(&w); err != nil {
				return err
			}
		}
		return nil
	}))
	require.NoError(t, st.Close())
	rows, err := csv.NewReader(bytes.NewBufferString(export(t, map[string]string{"FLYWHEEL_DB": db}, "--kind", "wins"))).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 4, "a header and three wins: the one awaiting approval is not a win yet")
	assert.Equal(t, "R&D notes -> summary <3, saved 1h", rows[1][12], "plain text, never &amp;")
	assert.Equal(t, []string{"U0BEN0002", "120", ""}, []string{rows[2][2], rows[2][6], rows[2][12]}, "held: numbers, no words")
	assert.Equal(t, []string{"U0CHL0003", "180", ""}, []string{rows[3][2], rows[3][6], rows[3][12]}, "private: numbers, no words")
}

func TestExportJSON(t *testing.T) {
	env := readOnlyEnv(t)
	var wins []map[string]any
	require.NoError(t, json.Unmarshal([]byte(export(t, env, "--kind", "wins", "--format", "json", "--since", "2026-11-17T10:00:00Z")), &wins))
	require.Len(t, wins, 2)
	assert.Equal(t, "2026-11-17T10:00:00Z", wins[0]["at"])
	assert.Equal(t, "U0SAM0001", wins[0]["author"])
	assert.Equal(t, []any{"U0SARA002"}, wins[0]["cheered_by"])
	assert.Equal(t, []any{}, wins[1]["tools"], "empty lists are [], not null")

	var qs []exportedQuestion
	require.NoError(t, json.Unmarshal([]byte(export(t, env, "--kind", "questions", "--format", "json")), &qs))
	require.Len(t, qs, 2)
	assert.Equal(t, "2026-11-19T11:00:00Z", qs[0].FirstAnswerAt)
	assert.Equal(t, "", qs[1].FirstAnswerAt)

	t.Run("Empty", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "empty.db")
		st, err := store.Open(db, store.Options{})
		require.NoError(t, err)
		require.NoError(t, st.Close())
		assert.JSONEq(t, "[]", export(t, map[string]string{"FLYWHEEL_DB": db}, "--kind", "wins", "--format", "json"))
		assert.Equal(t, "id,at,asker,team,enrolled,source,stage,tools,permission,access_request,bot_answered,first_answer_at,first_answerer,answers,deleted,permalink,text\n",
			export(t, map[string]string{"FLYWHEEL_DB": db}, "--kind", "questions"))
	})
}

func TestExportRefuses(t *testing.T) {
	env := envMap(readOnlyEnv(t))
	cases := []struct {
		name string
		args []string
	}{
		{"ErrNoKind", []string{"export"}},
		{"ErrBadKind", []string{"export", "--kind", "answers"}},
		{"ErrBadFormat", []string{"export", "--kind", "wins", "--format", "xlsx"}},
		{"ErrBadSince", []string{"export", "--kind", "wins", "--since", "last week"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stderr bytes.Buffer
			start := time.Now()
			require.ErrorIs(t, run(context.Background(), c.args, env, nil, &bytes.Buffer{}, &stderr), errUsage)
			assert.Contains(t, stderr.String(), "usage: flywheel export")
			assert.Less(t, time.Since(start), time.Second)
		})
	}
}
