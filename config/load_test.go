package config

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		yaml string
		want string
	}{
		{"ErrUnknownTopKey", "wins_chanel: C0WINS\n",
			`wins_chanel: unknown key (line 1; did you mean "wins_channel"?)`},
		{"ErrUnknownNestedKey", "digest:\n  schedule: \"@weekly\"\n  shedule: x\n",
			`digest.shedule: unknown key (line 3; did you mean "schedule"?)`},
		{"ErrUnknownKeyFarOff", "socket:\n  pool: 3\n",
			`socket.pool: unknown key (line 2; known keys: connections)`},
		{"ErrUnknownKeyInList", "tools:\n- name: A\n  status: approved\n- name: B\n  staus: approved\n",
			`tools[1].staus: unknown key (line 5; did you mean "status"?)`},
		{"ErrUnknownKeyInFlowList", "teams: [{name: A, members: [U1], enroled: true}]\n",
			`teams[0].enroled: unknown key (line 1; did you mean "enrolled"?)`},
		{"ErrTokenInFile", "bot_token: xoxb-1-2-secret\n",
			`bot_token: unknown key (line 1; tokens come only from the environment: SLACK_BOT_TOKEN and SLACK_APP_TOKEN)`},
		{"ErrEnvFieldInFile", "dbpath: x.db\n",
			`dbpath: unknown key (line 1; known keys: admins, backup, champions_channel, digest, guardrails, guidelines, help_channels, posting, questions, retention, rollout, socket, teams, tip_emoji, tips_channel, tools, win_emoji, wins, wins_channel)`},
		{"ErrWrongTypeInt", "wins:\n  max_minutes_per_win: lots\n",
			`wins.max_minutes_per_win: want a whole number, got "lots" (line 2)`},
		{"ErrWrongTypeList", "help_channels: C0HELP\n",
			`help_channels: want a list, got "C0HELP" (line 1)`},
		{"ErrWrongTypeMapping", "digest: weekly\n",
			`digest: want a mapping of keys, got "weekly" (line 1)`},
		{"ErrWrongTypeBool", "teams:\n- name: A\n  enrolled: maybe\n",
			`teams[0].enrolled: want true or false, got "maybe" (line 3)`},
		{"ErrWrongTypeString", "wins_channel: [C1, C2]\n",
			`wins_channel: want a single value, got a list (line 1)`},
		{"ErrWrongTypeInFlowList", "admins: [U1, {id: U2}]\n",
			`admins: want a single value, got a mapping (line 1)`},
		{"ErrBadDuration", "questions:\n  nudge_after: 4 hours\n",
			`questions.nudge_after: invalid duration "4 hours" (want e.g. "30m", "4h" or "3d") (line 2)`},
		{"ErrDurationNumber", "questions:\n  nudge_after: 4\n",
			`questions.nudge_after: invalid duration "4" (want e.g. "30m", "4h" or "3d") (line 2)`},
		{"ErrDurationList", "questions:\n  nudge_after: [4h]\n",
			`questions.nudge_after: want a duration like "4h" or "3d", not a list (line 2)`},
		{"ErrTopLevelList", "- a\n- b\n",
			`line 1: want a mapping of keys, got a list`},
		{"ErrSyntax", "digest:\n  schedule: \"0 9 * * MON\n",
			`invalid YAML: line 2: found unexpected end of stream`},
		{"ErrSyntaxIndent", "wins_channel: C1\n  win_emoji: x\n",
			`invalid YAML: line 2: mapping values are not allowed in this context`},
		{"ErrDuplicateKey", "wins_channel: C1\nwins_channel: C2\n",
			`wins_channel: listed twice (also at line 1) (line 2)`},
		{"ErrDuplicateNestedKey", "digest:\n  schedule: \"@daily\"\n  schedule: \"@weekly\"\n",
			`digest.schedule: listed twice (also at line 2) (line 3)`},
		{"ErrTwoDocuments", "wins_channel: C1\n---\nwins_channel: C2\n",
			`config: more than one YAML document (remove the second "---")`},
		{"ErrValidation", "digest:\n  timezone: Mars/Base\n",
			`digest.timezone: unknown time zone "Mars/Base" (want an IANA name like "Europe/Berlin" or "UTC")`},
		{"ErrTokenInWrongTypeField", "admins: xoxb-1-2-secret\n",
			`admins: want a list, got "xoxb-…(redacted)..." (line 1)`}, // yaml.v3 truncates long values
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(strings.NewReader(tt.yaml))
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Equal(t, tt.want, err.Error())
			assert.NotContains(t, err.Error(), "\n")
			assert.NotContains(t, err.Error(), "secret")
		})
	}
}

// TestFixtures loads every file under testdata/config; each starts with a
// "# want: PREFIX" line giving the start of the error it must produce.
func TestFixtures(t *testing.T) {
	paths, err := filepath.Glob("../testdata/config/*.yml")
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".yml"), func(t *testing.T) {
			want := wantLine(t, path)
			_, err := LoadFile(path)
			require.Error(t, err)
			assert.Equal(t, "config file "+path+": "+want, err.Error())
			var ce *Error
			assert.True(t, errors.As(err, &ce), "LoadFile keeps the *Error reachable")
		})
	}
}

func wantLine(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	s := bufio.NewScanner(f)
	require.True(t, s.Scan())
	want, ok := strings.CutPrefix(s.Text(), "# want: ")
	require.True(t, ok, "first line must be \"# want: ...\"")
	return want
}

func TestLoadFile(t *testing.T) {
	t.Run("ErrMissing", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "nope.yml")
		_, err := LoadFile(path)
		require.Error(t, err)
		assert.True(t, strings.HasPrefix(err.Error(), "config file "+path+": "), err.Error())
		assert.ErrorIs(t, err, fs.ErrNotExist)
	})
	t.Run("ErrDirectory", func(t *testing.T) {
		dir := t.TempDir()
		_, err := LoadFile(dir)
		require.Error(t, err)
		assert.True(t, strings.HasPrefix(err.Error(), "config file "+dir+": "), err.Error())
	})
	t.Run("OK", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "c.yml")
		require.NoError(t, os.WriteFile(path, []byte("wins_channel: C0WINS\nwin_emoji: \":tada:\"\n"), 0o600))
		c, err := LoadFile(path)
		require.NoError(t, err)
		assert.Equal(t, "C0WINS", c.WinsChannel)
		assert.Equal(t, "tada", c.WinEmoji)
	})
}
