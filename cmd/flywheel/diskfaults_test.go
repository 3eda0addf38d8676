package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot/slackfake"
	"flywheel/store"
)

// TestRunDiskFaults: `flywheel run` on a database it cannot use says why,
// quickly, and leaves the file as it was.
func TestRunDiskFaults(t *testing.T) {
	fake := slackfake.New()
	defer fake.Close()
	cases := []struct {
		name    string
		prepare func(t *testing.T, path string) (cleanup func())
		want    string
	}{
		{"ErrLocked", func(t *testing.T, path string) func() {
			st, err := store.Open(path, store.Options{}) // another process would hold the same lock
			require.NoError(t, err)
			return func() { st.Close() }
		}, "in use by another process"},
		{"ErrCorrupt", func(t *testing.T, path string) func() {
			junk := make([]byte, 32*1024)
			for i := range junk {
				junk[i] = byte(i * 31)
			}
			require.NoError(t, os.WriteFile(path, junk, 0o600))
			return func() {}
		}, "corrupt"},
		{"ErrNotADirectory", func(t *testing.T, path string) func() {
			require.NoError(t, os.WriteFile(filepath.Dir(path), nil, 0o600))
			return func() {}
		}, "open database"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			path := filepath.Join(dir, "flywheel.db")
			if c.name != "ErrNotADirectory" {
				require.NoError(t, os.MkdirAll(dir, 0o700))
			}
			cleanup := c.prepare(t, path)
			defer cleanup()
			before, _ := os.ReadFile(path)
			env := testEnv(t, fake, freeAddr(t))
			env["FLYWHEEL_DB"] = path
			start := time.Now()
			err := run(context.Background(), []string{"run"}, envMap(env), nil, io.Discard, io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.Less(t, time.Since(start), 5*time.Second, "a clear message within seconds, not a hang")
			after, _ := os.ReadFile(path)
			assert.Equal(t, before, after, "the file is left untouched")
		})
	}
}
