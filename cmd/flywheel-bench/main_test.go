package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestQuick runs `flywheel-bench -quick` end to end in a temporary
// directory: the ingest over the fake Slack's websocket, the raw bbolt
// limit, two small generated histories, and `flywheel run` built and
// started. It checks that every part reported, not the numbers.
func TestQuick(t *testing.T) {
	dir := t.TempDir()
	out, js := filepath.Join(dir, "docs", "BENCHMARKS.md"), filepath.Join(dir, "bench.json")
	args := []string{"-quick", "-out", out, "-cache", filepath.Join(dir, "cache"), "-json", js}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	require.NoError(t, run(ctx, args, &stdout, &stderr), stderr.String())
	t.Log(stderr.String())

	raw, err := os.ReadFile(out)
	require.NoError(t, err)
	doc := string(raw)
	for _, want := range []string{
		"# Benchmarks", "go run ./cmd/flywheel-bench -quick", "Machine: ", "cores", "go1.",
		"ingest burst, 1k envelopes: acks/s", "paced at 1000/s: ack latency p99", "ingest / raw",
		"Slack path alone (fake Slack → slack-go, acked on read)", "ingest / Slack path alone", "raw bbolt, 64 writers",
		"digest Gather+Build, 10k records", "digest Gather+Build, 30k records", "digest 30k vs 10k records",
		"`flywheel run` start → /readyz 200", "`flywheel run` peak RSS", "## How each number is taken",
		"12-week trends, 10k records, closed weeks kept", "12-week trends, 30k records, at a firing", "12-week trends 30k vs 10k records",
		"chart PNG, 12 weeks", "HTML report, 52 weeks, 30k records", "App Home for an admin, 30k records",
		"60 wins into one channel, Slack's limit 20/s: paced drain", "paced: 429s Slack answered", "unpaced (posting until Slack refuses)",
		"/win ack p99 while 100 /ask a second hit 40k wins in 30 days", "### Outbox",
	} {
		assert.Contains(t, doc, want)
	}
	assert.Contains(t, stdout.String(), "| measure | result | target |")

	// The JSON summary reads back as a baseline, and a second run reuses
	// the cached histories and shows the first as "before".
	var b baseline
	require.NoError(t, json.Unmarshal(mustRead(t, js), &b))
	assert.NotEmpty(t, b.Rows)
	stderr.Reset()
	args = []string{"-quick", "-ingest=false", "-footprint=false", "-outbox=false", "-out", "-", "-cache", filepath.Join(dir, "cache"), "-baseline", js}
	require.NoError(t, run(ctx, args, &stdout, &stderr), stderr.String())
	assert.Contains(t, stderr.String(), "reusing")
	assert.Contains(t, stdout.String(), "| measure | before | after |")
}

func TestFlags(t *testing.T) {
	t.Run("ErrArgs", func(t *testing.T) {
		err := run(context.Background(), []string{"-quick", "extra"}, io.Discard, io.Discard)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "unexpected arguments")
	})
	t.Run("ErrBaseline", func(t *testing.T) {
		err := run(context.Background(), []string{"-quick", "-baseline", filepath.Join(t.TempDir(), "none.json")}, io.Discard, io.Discard)
		require.Error(t, err)
		assert.True(t, strings.HasPrefix(err.Error(), "-baseline"), err.Error())
	})
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	return raw
}
