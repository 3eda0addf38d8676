package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot/slackfake"
)

const (
	testBotToken = "xoxb-9999-8888-topsecretbot"
	testAppToken = "xapp-1-A999-7777-topsecretapp"
)

func envMap(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestRunRefusesBadSetup(t *testing.T) {
	dir := t.TempDir()
	badCron := filepath.Join(dir, "bad.yml")
	require.NoError(t, os.WriteFile(badCron, []byte("wins_channel: C0123456789\ndigest:\n  schedule: \"every monday\"\n"), 0o600))
	good := filepath.Join(dir, "good.yml")
	require.NoError(t, os.WriteFile(good, []byte("wins_channel: C0123456789\n"), 0o600))
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"ErrNoBotToken", map[string]string{"SLACK_APP_TOKEN": testAppToken, "FLYWHEEL_CONFIG": good}, "SLACK_BOT_TOKEN"},
		{"ErrBadBotToken", map[string]string{"SLACK_BOT_TOKEN": "xapp-wrong-kind", "SLACK_APP_TOKEN": testAppToken, "FLYWHEEL_CONFIG": good}, "SLACK_BOT_TOKEN"},
		{"ErrNoAppToken", map[string]string{"SLACK_BOT_TOKEN": testBotToken, "FLYWHEEL_CONFIG": good}, "SLACK_APP_TOKEN"},
		{"ErrBadAppToken", map[string]string{"SLACK_BOT_TOKEN": testBotToken, "SLACK_APP_TOKEN": "xoxb-nope", "FLYWHEEL_CONFIG": good}, "SLACK_APP_TOKEN"},
		{"ErrBadCron", map[string]string{"SLACK_BOT_TOKEN": testBotToken, "SLACK_APP_TOKEN": testAppToken, "FLYWHEEL_CONFIG": badCron}, "digest.schedule"},
		{"ErrMissingConfigFile", map[string]string{"SLACK_BOT_TOKEN": testBotToken, "SLACK_APP_TOKEN": testAppToken, "FLYWHEEL_CONFIG": filepath.Join(dir, "nope.yml")}, "nope.yml"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stderr bytes.Buffer
			start := time.Now()
			err := run(context.Background(), []string{"run"}, envMap(c.env), nil, io.Discard, &stderr)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.Less(t, time.Since(start), 2*time.Second)
			for _, tok := range []string{testBotToken, testAppToken, "xapp-wrong-kind", "xoxb-nope"} {
				assert.NotContains(t, err.Error(), tok, "errors never carry tokens")
			}
		})
	}
}

func TestUnknownCommand(t *testing.T) {
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"frobnicate"}, envMap(nil), nil, io.Discard, &stderr)
	require.ErrorIs(t, err, errUsage)
	assert.Contains(t, stderr.String(), "unknown command")
}

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"version"}, envMap(nil), nil, &out, io.Discard))
	assert.True(t, strings.HasPrefix(out.String(), "flywheel "))
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

func waitHTTP(t *testing.T, url string, status int) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(url)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == status {
				return string(body)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer %d in time (last error %v)", url, status, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func testEnv(t *testing.T, fake *slackfake.Server, addr string) map[string]string {
	cfg := filepath.Join(t.TempDir(), "flywheel.yml")
	require.NoError(t, os.WriteFile(cfg, []byte("wins_channel: C0WINS0001\n"), 0o600))
	return map[string]string{
		"SLACK_BOT_TOKEN": testBotToken, "SLACK_APP_TOKEN": testAppToken, "SLACK_API_URL": fake.APIURL(),
		"FLYWHEEL_DB": filepath.Join(t.TempDir(), "flywheel.db"), "FLYWHEEL_CONFIG": cfg, "FLYWHEEL_HTTP_ADDR": addr,
	}
}

func TestRunServesSlackAndHealth(t *testing.T) {
	fake := slackfake.New()
	defer fake.Close()
	fake.AddChannel("C0WINS0001", "wins")
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncWriter
	done := make(chan error, 1)
	env := testEnv(t, fake, addr)
	go func() { done <- run(ctx, []string{"run"}, envMap(env), nil, io.Discard, &stderr) }()

	waitHTTP(t, "http://"+addr+"/healthz", http.StatusOK)
	waitHTTP(t, "http://"+addr+"/readyz", http.StatusOK)
	_, err := fake.WaitAck(fake.SendSlashCommand("U0ANA0001", "C0WINS0001", "/win", "saved 2h with ChatGPT"), 5*time.Second)
	require.NoError(t, err)
	_, err = fake.WaitBotMessages("C0WINS0001", 1, 5*time.Second)
	require.NoError(t, err)
	// A read command while the bot runs goes through its socket.
	var export, exportErr bytes.Buffer
	require.NoError(t, run(ctx, []string{"export", "--kind", "wins"}, envMap(env), nil, &export, &exportErr), exportErr.String())
	assert.Contains(t, export.String(), "saved 2h with ChatGPT")
	metrics := waitHTTP(t, "http://"+addr+"/metrics", http.StatusOK)
	for _, name := range []string{"flywheel_envelopes_total", "flywheel_acks_total", "flywheel_wins_total", "flywheel_errors_total", "flywheel_ack_latency_seconds_bucket",
		"flywheel_outbox_pending", "flywheel_outbox_dead", "flywheel_outbox_oldest_pending_age_seconds",
		"go_goroutines", "go_memstats_alloc_bytes", "process_resident_memory_bytes", "process_open_fds"} {
		assert.Contains(t, metrics, name)
	}

	cancel() // what SIGINT/SIGTERM do
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop")
	}
	assert.NotContains(t, stderr.String(), testBotToken)
	assert.NotContains(t, stderr.String(), testAppToken)
}

func TestDemo(t *testing.T) {
	var out, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	require.NoError(t, run(ctx, []string{"demo"}, envMap(nil), nil, &out, &stderr), stderr.String())
	got := out.String()
	for _, want := range []string{
		"@ana in #sales types: /win Used ChatGPT",
		"I read it as 2h 30m saved",
		"[#wins] Flywheel:",
		"Win from @ana",
		"Win from @dev · nominated by @chloe",
		"[a form opens for @ben]",
		"6 wins, 12h 55m saved in total",
		"🏆 A colleague shared a win",
		"win #5  anonymous Sales",
		"[#sales] Flywheel:\n    🏆 Win from @ana, shared with Sales only",
		"@ben reacts :bulb: to @dev's message in #ops\n  [#ai-tips] Flywheel:\n    💡 @ben shared a tip by @dev",
		"tip #7  @dev    Ops    saves 1, trying it 1  (nominated by @ben)",
		"People teaching each other: 1 person shared 1 tip (+1) · 1 tip tried by someone from another team",
		"cheered by: 2",
		"📚 First, our AI guidelines on data: _Never paste customer personal data",
		"ChatGPT is approved for drafting and summarising internal documents, within the guidelines above.",
		"No, DeepSeek isn't approved. The approved alternative is Claude, within the guidelines above",
		"I've asked our AI champions in #ai-champions",
		"Great! @ana used ChatGPT for this",
		"Legal (not enrolled yet): 1 person, 2 questions about ChatGPT, DeepSeek: @lena\n      Give access first to: @lena",
		"@ana in #sales types: /flywheel rollout",
		"1. St. Louis plant (site; team: Legal) · pull 8.0",
		"1 person asked for access in 1 week (2 questions); 1 clicked I'll try this on wins from Sales",
		"Give access first to: @lena (tried 1 colleague's win)",
		"Next month (3 sites or teams a month): St. Louis plant",
		"Wins: 6  (+6)",
		"Hours saved: 12h 55m",
		"📈 The last 12 weeks",
		"Wins `▁▁▁▁▁▁▁▁▁▁▁█`",
		"[chart, uploaded as F",
		"Wins per week: 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6.",
		// Slack sends "R&amp;D … -&gt;"; the wins channel and the digest
		// show what Dev typed, encoded once on the wire.
		"│ Built a Copilot script that reconciles the R&D supplier invoices -> went from 4 hours",
		"@dev “Built a Copilot script that reconciles the R&D supplier invoices -> went from 4 hours to 20 min”",
		"The weekly digest so far, as the digest channel would receive it at its next firing (cron: 0 9 * * MON, Mon ",
	} {
		assert.Contains(t, got, want)
	}
	// Each step's outcome is printed under that step, not the next one.
	assert.Contains(t, got, "@lena clicks \"I'll try this\" on @ana's win\n  [only @lena sees] Flywheel:\n    🚀 Great! @ana used ChatGPT")
	assert.Contains(t, got, "@chloe clicks \"Save\" on @dev's tip\n  [only @chloe sees] Flywheel:\n    🔖 Saved.")
	rollout := got[strings.Index(got, "types: /flywheel rollout"):strings.Index(got, "What Flywheel stored")]
	assert.NotContains(t, rollout, "[only @lena sees]", "the I'll try this answer belongs to its own step")
	assert.NotContains(t, rollout, "[#ai-digest]", "the digest is shown once, in full, below")
	assert.Contains(t, got, "[DM to @dev] Flywheel:\n    🎉 @chloe nominated [your message] as an AI win", "the nominee's DM links the message")
	assert.Contains(t, got, "[Looks right]  [Not an AI win, remove it]", "and has the two buttons")
	path := filepath.Join(os.TempDir(), "flywheel-demo-chart.png")
	assert.Contains(t, got, "] "+path, "the demo shows the chart's path")
	png, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(png, []byte("\x89PNG")))
	assert.NotContains(t, got, "&amp;", "nothing encoded twice")
	assert.NotContains(t, got, "&gt;")
	t.Log(got)
}

// TestBinary runs the built binary as a deployer would: a missing token
// fails fast, and SIGTERM stops a running bot with exit status 0.
func TestBinary(t *testing.T) {
	bin := buildBinary(t)

	t.Run("ErrMissingToken", func(t *testing.T) {
		cmd := exec.Command(bin, "run")
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "FLYWHEEL_DB=" + filepath.Join(t.TempDir(), "x.db")}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		start := time.Now()
		err := cmd.Run()
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit)
		assert.NotEqual(t, 0, exit.ExitCode())
		assert.Less(t, time.Since(start), 2*time.Second)
		assert.Contains(t, stderr.String(), "SLACK_BOT_TOKEN")
	})
	t.Run("SIGTERM", func(t *testing.T) {
		fake := slackfake.New()
		defer fake.Close()
		addr := freeAddr(t)
		cmd := exec.Command(bin, "run")
		env := testEnv(t, fake, addr)
		for k, v := range env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		var stderr syncWriter
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start())
		waitHTTP(t, "http://"+addr+"/readyz", http.StatusOK)

		// SIGHUP reloads the config: a new tool shows up in /flywheel tools.
		require.NoError(t, os.WriteFile(env["FLYWHEEL_CONFIG"], []byte("wins_channel: C0WINS0001\ntools:\n  - name: Gemini\n    status: approved\n"), 0o600))
		require.NoError(t, cmd.Process.Signal(syscall.SIGHUP))
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(stderr.String(), "configuration reloaded") && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		ack, err := fake.WaitAck(fake.SendSlashCommand("U0ANA0001", "C0WINS0001", "/flywheel", "tools"), 5*time.Second)
		require.NoError(t, err)
		assert.Contains(t, string(ack.Payload), "Gemini")

		require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		select {
		case err := <-exited:
			assert.NoError(t, err, "SIGTERM exits 0; stderr:\n%s", stderr.String())
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatal("bot did not stop on SIGTERM")
		}
		logs := stderr.String()
		assert.Contains(t, logs, "flywheel stopped")
		assert.NotContains(t, logs, testBotToken)
		assert.NotContains(t, logs, testAppToken)
	})
}
