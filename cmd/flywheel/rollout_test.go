package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/store"
)

// TestRollout prints the plan for readOnlyEnv's records as of Monday 23
// Nov 2026 09:00 UTC. Worked out by hand: Legal (not enrolled) asked for a
// ChatGPT seat on 19 Nov (3 points) and got U0SAM0001's answer (1), both
// this week: pull 4. Sales is active (wins on 17 and 18 Nov) and
// U0SAM0001's answer to another team makes him a champion, so nothing is
// stalled and no enrolled team lacks a champion. Asking for access alone
// names nobody to enable first.
func TestRollout(t *testing.T) {
	env := envMap(readOnlyEnv(t))
	t.Run("Text", func(t *testing.T) {
		var out, stderr bytes.Buffer
		require.NoError(t, run(context.Background(), []string{"rollout", "--at", "2026-11-23T09:00:00Z"}, env, nil, &out, &stderr), stderr.String())
		got := out.String()
		for _, want := range []string{
			"*Rollout plan* from the 8 weeks to Mon 23 Nov 2026 09:00 UTC",
			"1. *Legal* · pull 4.0\n    1 person asked for access in 1 week; got 1 answer from colleagues\n",
			"*Next month* (3 sites or teams a month): *Legal*\n",
			"*Rollout stage: Crawl*",
		} {
			assert.Contains(t, got, want)
		}
		for _, notWant := range []string{"Give access first", "Stalled", "without a champion"} {
			assert.NotContains(t, got, notWant)
		}
	})
	t.Run("JSON", func(t *testing.T) {
		var out bytes.Buffer
		require.NoError(t, run(context.Background(), []string{"rollout", "--json", "--at", "2026-11-23T09:00:00Z"}, env, nil, &out, &bytes.Buffer{}))
		var plan struct {
			End        time.Time `json:"end"`
			Candidates []struct {
				Name    string  `json:"name"`
				Kind    string  `json:"kind"`
				Pull    float64 `json:"pull"`
				Signals struct {
					AccessQuestions int `json:"access_questions"`
					AnswersReceived int `json:"answers_received"`
				} `json:"signals"`
			} `json:"candidates"`
			NextMonth []string `json:"next_month"`
			Stalled   []any    `json:"stalled"`
		}
		require.NoError(t, json.Unmarshal(out.Bytes(), &plan))
		assert.True(t, plan.End.Equal(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)))
		require.Len(t, plan.Candidates, 1)
		c := plan.Candidates[0]
		assert.Equal(t, "Legal", c.Name)
		assert.Equal(t, "team", c.Kind)
		assert.Equal(t, 4.0, c.Pull)
		assert.Equal(t, 1, c.Signals.AccessQuestions)
		assert.Equal(t, 1, c.Signals.AnswersReceived)
		assert.Equal(t, []string{"Legal"}, plan.NextMonth)
		assert.Empty(t, plan.Stalled)
	})
}

func TestRolloutRefuses(t *testing.T) {
	env := readOnlyEnv(t)
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"ErrBadAt", []string{"rollout", "--at", "monday"}, "--at"},
		{"ErrExtraArgument", []string{"rollout", "now"}, "usage: flywheel rollout"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, stderr bytes.Buffer
			require.ErrorIs(t, run(context.Background(), c.args, envMap(env), nil, &out, &stderr), errUsage)
			assert.Contains(t, stderr.String(), c.want)
			assert.Empty(t, out.String())
		})
	}
	t.Run("ErrLocked", func(t *testing.T) {
		bot, err := store.Open(env["FLYWHEEL_DB"], store.Options{})
		require.NoError(t, err)
		defer bot.Close()
		err = run(context.Background(), []string{"rollout"}, envMap(env), nil, &bytes.Buffer{}, &bytes.Buffer{})
		require.ErrorIs(t, err, store.ErrLocked)
		assert.Contains(t, err.Error(), "`flywheel rollout` can read it once the bot is stopped")
	})
}
