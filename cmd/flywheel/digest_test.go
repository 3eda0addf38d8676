package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/store"
)

const readOnlyConfig = `digest:
  channels: [C0ALL0001]
teams:
  - name: Sales
    channel: C0SALES01
    members: [U0SAM0001, U0SARA002]
  - name: Legal
    enrolled: false
    members: [U0LENA001]
`

func nov(day, hour, minute int) time.Time {
	return time.Date(2026, 11, day, hour, minute, 0, 0, time.UTC)
}

// readOnlyEnv writes a config and a database with a few wins and questions
// (the week before Monday 23 Nov 2026 09:00 UTC, and one older win) and
// returns the environment that points at them.
func readOnlyEnv(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "flywheel.yml")
	require.NoError(t, os.WriteFile(cfg, []byte(readOnlyConfig), 0o600))
	db := filepath.Join(dir, "flywheel.db")
	st, err := store.Open(db, store.Options{Now: func() time.Time { return nov(1, 0, 0) }})
	require.NoError(t, err)
	require.NoError(t, st.Update(func(tx *store.Tx) error {
		wins := []store.Win{
			{At: nov(2, 10, 0), Author: "U0SAM0001", Team: "Sales", Text: "Older win", MinutesSaved: 60},
			{At: nov(17, 10, 0), Author: "U0SAM0001", Team: "Sales", Text: `=HYPERLINK("http://evil") drafted 40 emails`, MinutesSaved: 150,
				Tools: []string{"ChatGPT"}, PostChannel: "C0WINS001", PostTS: "1794909600.000100"},
			{At: nov(18, 11, 0), Author: "U0SARA002", Team: "Sales", Text: "Forecast, \"quoted\"\nsecond line", MinutesSaved: 600},
		}
		for i := range wins {
			wins[i].Source = store.SourceCommand
			require.NoError(t, tx.AddWin(&wins[i]))
		}
		_, err := tx.SetReaction(wins[1].ID, "U0SARA002", "tada", true, "1794909700.000100")
		require.NoError(t, err)
		q := store.Question{At: nov(19, 10, 0), Asker: "U0LENA001", Team: "Legal", Source: store.SourceHelpChannel, Channel: "C0HELP001",
			TS: "1795082400.000100", Text: "Can I get a ChatGPT seat?", Stage: "access", Tools: []string{"ChatGPT"}, AccessRequest: true}
		require.NoError(t, tx.AddQuestion(&q))
		q.FirstAnswerAt, q.FirstAnswerer, q.Answers = nov(19, 11, 0), "U0SAM0001", 1
		require.NoError(t, tx.UpdateQuestion(&q))
		require.NoError(t, tx.AddAnswer(&store.Answer{At: q.FirstAnswerAt, QuestionID: q.ID, Answerer: "U0SAM0001", Team: "Sales",
			AskerTeam: "Legal", Channel: "C0HELP001", TS: "1795086000.000100", Latency: time.Hour}))
		return tx.AddQuestion(&store.Question{At: nov(20, 10, 0), Asker: "U0SARA002", Team: "Sales", Enrolled: true,
			Source: store.SourceAsk, Text: "secret plan?", Stage: "what", Deleted: true})
	}))
	require.NoError(t, st.Close())
	return map[string]string{"FLYWHEEL_CONFIG": cfg, "FLYWHEEL_DB": db}
}

func TestDigestDryRun(t *testing.T) {
	env := envMap(readOnlyEnv(t))
	cases := []struct {
		name    string
		args    []string
		want    []string
		notWant []string
	}{
		{"Text", []string{"--at", "2026-11-23T09:00:00Z"},
			[]string{"*Flywheel weekly digest*", "*2 wins saved 11 hours this week (+2), from 2 people, 1 of them new.*", "*Wins*: 2  (+2)", "*Hours saved*: 10h 30m",
				"=HYPERLINK(\"http://evil\") drafted 40 emails", "<https://slack.com/archives/C0WINS001/p1794909600000100|see the post>"},
			[]string{"Teams asking for access", "<@U0LENA001>", "claimed", "Older win"}},
		{"Lead", []string{"--lead", "--at", "2026-11-23T09:00:00Z"},
			[]string{"*Flywheel lead digest*", "Teams asking for access", "*Legal*", "<@U0LENA001>", "<@U0SARA002> claimed 10h, counted 8h (0 cheers)"}, nil},
		{"AdminIsLead", []string{"--admin", "--at", "2026-11-23T09:00:00Z"}, []string{"<@U0SARA002> claimed 10h, counted 8h (0 cheers)"}, nil},
		{"Team", []string{"--team", "Sales", "--at", "2026-11-23T09:00:00Z"}, []string{"Flywheel weekly digest: Sales", "*Wins*: 2"}, []string{"Teams asking"}},
		{"Date", []string{"--at", "2026-11-23"}, []string{"Mon 16 Nov 00:00 to Mon 23 Nov 2026 00:00 UTC"}, nil},
		{"Now", nil, []string{"week"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, stderr bytes.Buffer
			require.NoError(t, run(context.Background(), append([]string{"digest", "--dry-run"}, c.args...), env, nil, &out, &stderr), stderr.String())
			for _, w := range c.want {
				assert.Contains(t, out.String(), w)
			}
			for _, w := range c.notWant {
				assert.NotContains(t, out.String(), w)
			}
		})
	}
	t.Run("JSON", func(t *testing.T) {
		var out bytes.Buffer
		require.NoError(t, run(context.Background(), []string{"digest", "--dry-run", "--json", "--lead", "--at", "2026-11-23T09:00:00Z"}, env, nil, &out, os.Stderr))
		var msg struct {
			Blocks slack.Blocks `json:"blocks"`
		}
		require.NoError(t, json.Unmarshal(out.Bytes(), &msg), "pastes into the Block Kit Builder as {\"blocks\":[...]}")
		require.NotEmpty(t, msg.Blocks.BlockSet)
		assert.Equal(t, slack.MBTHeader, msg.Blocks.BlockSet[0].BlockType())
		assert.Contains(t, out.String(), "<@U0LENA001>", "mentions are not \\u003c-escaped")
	})
}

func TestDigestRefuses(t *testing.T) {
	env := envMap(readOnlyEnv(t))
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"ErrNotDryRun", []string{"digest"}, "posted by `flywheel run` on digest.schedule"},
		{"ErrBadAt", []string{"digest", "--dry-run", "--at", "monday"}, "--at"},
		{"ErrUnknownTeam", []string{"digest", "--dry-run", "--team", "Nope"}, "teams: Sales, Legal"},
		{"ErrExtraArgument", []string{"digest", "--dry-run", "now"}, "usage: flywheel digest"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, stderr bytes.Buffer
			err := run(context.Background(), c.args, env, nil, &out, &stderr)
			require.ErrorIs(t, err, errUsage)
			assert.Contains(t, stderr.String(), c.want)
			assert.Empty(t, out.String())
		})
	}
}

// TestReadOnlyCommandsWhileBotRuns: a running bot holds the database; the
// read-only commands say so quickly instead of hanging.
func TestReadOnlyCommandsWhileBotRuns(t *testing.T) {
	env := readOnlyEnv(t)
	bot, err := store.Open(env["FLYWHEEL_DB"], store.Options{})
	require.NoError(t, err)
	defer bot.Close()
	for _, args := range [][]string{{"digest", "--dry-run"}, {"export", "--kind", "wins"}} {
		t.Run(args[0], func(t *testing.T) {
			start := time.Now()
			err := run(context.Background(), args, envMap(env), nil, &bytes.Buffer{}, &bytes.Buffer{})
			require.ErrorIs(t, err, store.ErrLocked)
			assert.Contains(t, err.Error(), "is `flywheel run` running?")
			assert.Contains(t, err.Error(), "`flywheel "+args[0]+"`")
			assert.Less(t, time.Since(start), 3*time.Second)
		})
	}
}

func TestDigestMissingDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "nope.db")
	err := run(context.Background(), []string{"digest", "--dry-run"}, envMap(map[string]string{"FLYWHEEL_DB": db}), nil, &bytes.Buffer{}, &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), db)
	assert.Contains(t, err.Error(), "FLYWHEEL_DB")
	_, statErr := os.Stat(db)
	assert.True(t, os.IsNotExist(statErr), "a read-only command never creates the database")
}
