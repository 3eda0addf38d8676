package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExplain(t *testing.T) {
	env := envMap(map[string]string{"FLYWHEEL_CONFIG": "../../testdata/config.example.yml"})
	t.Run("JSONFromStdin", func(t *testing.T) {
		in := strings.NewReader("Can I use ChatGPT to summarize customer calls?\nUsed Copilot, went from 4 hours to 20 min\n")
		var out bytes.Buffer
		require.NoError(t, run(context.Background(), []string{"explain", "--json"}, env, in, &out, io.Discard))
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		require.Len(t, lines, 2)
		var first map[string]any
		require.NoError(t, json.Unmarshal([]byte(lines[0]), &first))
		assert.Len(t, first, 5, "exactly the keys text, is_question, stage, tools, minutes_saved")
		assert.Equal(t, true, first["is_question"])
		assert.Equal(t, "access", first["stage"])
		assert.Equal(t, []any{"ChatGPT"}, first["tools"])
		assert.Equal(t, 0.0, first["minutes_saved"])
		var second explained
		require.NoError(t, json.Unmarshal([]byte(lines[1]), &second))
		assert.False(t, second.IsQuestion)
		assert.Equal(t, "", second.Stage)
		assert.Equal(t, []string{"Copilot"}, second.Tools)
		assert.Equal(t, 220, second.MinutesSaved)
	})
	t.Run("TextArgument", func(t *testing.T) {
		var out bytes.Buffer
		require.NoError(t, run(context.Background(), []string{"explain", "is it ok to paste contracts into deepseek?"}, env, nil, &out, io.Discard))
		assert.Contains(t, out.String(), "question, stage access | tools DeepSeek")
	})
	t.Run("NoTokensNoDB", func(t *testing.T) {
		var out bytes.Buffer
		err := run(context.Background(), []string{"explain", "--json", "saved 2h"}, envMap(nil), nil, &out, io.Discard)
		require.NoError(t, err)
		assert.Contains(t, out.String(), `"minutes_saved":120`)
	})
	t.Run("ErrBadConfig", func(t *testing.T) {
		err := run(context.Background(), []string{"explain", "x"}, envMap(map[string]string{"FLYWHEEL_CONFIG": "/nonexistent.yml"}), nil, io.Discard, io.Discard)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "/nonexistent.yml")
	})
}
