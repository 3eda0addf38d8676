package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/config"
	"flywheel/store"
)

// serveReads plays the running bot: it holds the database (bbolt's lock)
// and answers read commands on the socket beside it, until the test ends.
func serveReads(t *testing.T, env map[string]string) *store.Store {
	t.Helper()
	cfg, err := config.FromEnv(envMap(env))
	require.NoError(t, err)
	st, err := store.Open(env["FLYWHEEL_DB"], store.Options{})
	require.NoError(t, err)
	ln, err := listenReads(socketPath(env["FLYWHEEL_DB"]))
	require.NoError(t, err)
	log := logrus.New()
	log.SetOutput(&bytes.Buffer{})
	rs := &readServer{ln: ln, db: st, cfg: func() *config.Config { return cfg }, log: log,
		now: func() time.Time { return nov(23, 9, 0) }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- rs.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			assert.NoError(t, err)
		case <-time.After(5 * time.Second):
			t.Error("read server did not stop")
		}
		require.NoError(t, st.Close())
	})
	return st
}

// readCommandCases are read commands whose output must not depend on
// whether the bot runs.
var readCommandCases = [][]string{
	{"digest", "--dry-run", "--at", "2026-11-23T09:00:00Z"},
	{"digest", "--dry-run", "--json", "--admin", "--at", "2026-11-23T09:00:00Z"},
	{"digest", "--dry-run", "--team", "Sales", "--at", "2026-11-23"},
	{"export", "--kind", "wins"},
	{"export", "--kind", "questions", "--format", "json"},
	{"rollout", "--at", "2026-11-23T09:00:00Z"},
	{"rollout", "--json", "--at", "2026-11-23T09:00:00Z"},
	{"report", "--html", "OUT/report.html", "--weeks", "4", "--at", "2026-11-23T09:00:00Z"},
	{"digest", "--dry-run", "--chart", "OUT/chart.png", "--at", "2026-11-23T09:00:00Z"},
}

// withOut points the OUT/ files of args at dir and returns the paths.
func withOut(args []string, dir string) ([]string, []string) {
	out := append([]string(nil), args...)
	var files []string
	for i, a := range out {
		if strings.HasPrefix(a, "OUT/") {
			out[i] = filepath.Join(dir, strings.TrimPrefix(a, "OUT/"))
			files = append(files, out[i])
		}
	}
	return out, files
}

func TestReadCommandsThroughTheRunningBot(t *testing.T) {
	env := readOnlyEnv(t)
	stopped := map[int]string{}
	stoppedFiles := map[int][][]byte{}
	stoppedDir := t.TempDir()
	for i, args := range readCommandCases {
		var out, stderr bytes.Buffer
		args, files := withOut(args, stoppedDir)
		require.NoError(t, run(context.Background(), args, envMap(env), nil, &out, &stderr), stderr.String())
		require.NotEmpty(t, out.String())
		stopped[i] = strings.ReplaceAll(out.String(), stoppedDir, "OUT")
		for _, f := range files {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			require.NotEmpty(t, data)
			stoppedFiles[i] = append(stoppedFiles[i], data)
		}
	}

	serveReads(t, env)
	info, err := os.Stat(socketPath(env["FLYWHEEL_DB"]))
	require.NoError(t, err)
	assert.Equal(t, os.ModeSocket|0o600, info.Mode()&(os.ModeSocket|os.ModePerm), "owner-only socket")
	_, err = store.Open(env["FLYWHEEL_DB"], store.Options{ReadOnly: true, Timeout: 100 * time.Millisecond})
	require.ErrorIs(t, err, store.ErrLocked, "the file is held: only the socket can answer")

	for i, args := range readCommandCases {
		t.Run(args[0], func(t *testing.T) {
			var out, stderr bytes.Buffer
			dir := t.TempDir()
			args, files := withOut(args, dir)
			require.NoError(t, run(context.Background(), args, envMap(env), nil, &out, &stderr), stderr.String())
			assert.Equal(t, stopped[i], strings.ReplaceAll(out.String(), dir, "OUT"), "same output as with the bot stopped: %v", args)
			for j, f := range files {
				data, err := os.ReadFile(f)
				require.NoError(t, err, "the file is written where the command ran")
				if strings.HasSuffix(f, ".png") {
					assert.Equal(t, stoppedFiles[i][j], data, "same chart")
				} else {
					// The report says when it was made: the same to the second.
					assert.Equal(t, len(stoppedFiles[i][j]) > 0, len(data) > 0)
					assert.Contains(t, string(data), "4 weeks, 26 Oct 2026 to 23 Nov 2026")
				}
			}
		})
	}
	t.Run("UsageErrors", func(t *testing.T) {
		var out, stderr bytes.Buffer
		err := run(context.Background(), []string{"digest", "--dry-run", "--team", "Nope"}, envMap(env), nil, &out, &stderr)
		require.ErrorIs(t, err, errUsage)
		assert.Contains(t, stderr.String(), "teams: Sales, Legal", "the bot's message reaches the caller's stderr")
		assert.Empty(t, out.String())
	})
	t.Run("Concurrent", func(t *testing.T) {
		errs := make(chan error, 4)
		for range 4 {
			go func() {
				var out bytes.Buffer
				errs <- run(context.Background(), readCommandCases[3], envMap(env), nil, &out, &bytes.Buffer{})
			}()
		}
		for range 4 {
			assert.NoError(t, <-errs)
		}
	})
}

// TestReadCommandsFallBackToTheFile: a socket left behind by a bot that
// crashed answers nothing; the command reads the file.
func TestReadCommandsFallBackToTheFile(t *testing.T) {
	env := readOnlyEnv(t)
	ln, err := listenReads(socketPath(env["FLYWHEEL_DB"]))
	require.NoError(t, err)
	// Keep the file but stop answering, as after a SIGKILL.
	ln.(interface{ SetUnlinkOnClose(bool) }).SetUnlinkOnClose(false)
	require.NoError(t, ln.Close())
	_, err = os.Stat(socketPath(env["FLYWHEEL_DB"]))
	require.NoError(t, err, "the stale socket file is there")
	var out, stderr bytes.Buffer
	require.NoError(t, run(context.Background(), readCommandCases[0], envMap(env), nil, &out, &stderr), stderr.String())
	assert.Contains(t, out.String(), "*Flywheel weekly digest*")

	// A new bot replaces the stale file.
	serveReads(t, env)
	out.Reset()
	require.NoError(t, run(context.Background(), readCommandCases[0], envMap(env), nil, &out, &stderr), stderr.String())
	assert.Contains(t, out.String(), "*Flywheel weekly digest*")
}
