package main

import (
	"fmt"
	"math/rand/v2"
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
	"flywheel/store"
)

// TestCrashMidBurst runs the real binary, SIGKILLs it at many points of a
// burst, restarts it on the same database and lets the fake redeliver every
// unacked envelope, as Slack does. Every win ends up stored exactly once and
// posted to the wins channel exactly once.
func TestCrashMidBurst(t *testing.T) {
	bin := buildBinary(t)
	fake := slackfake.New()
	defer fake.Close()
	fake.AddChannel("C0WINS0001", "wins")
	env := testEnv(t, fake, freeAddr(t))
	// 320 wins into one channel: at Slack's pace of one a second that is
	// five minutes; this test is about crashes, not pacing.
	require.NoError(t, os.WriteFile(env["FLYWHEEL_CONFIG"], []byte("wins_channel: C0WINS0001\nposting: {per_second: 1000, burst: 1000}\n"), 0o600))
	rng := rand.New(rand.NewPCG(1, 2))

	const rounds, perRound = 8, 40
	texts := map[string]bool{}
	startBot := func() *exec.Cmd {
		cmd := exec.Command(bin, "run")
		for k, v := range env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		cmd.Stderr = &syncWriter{}
		require.NoError(t, cmd.Start())
		waitHTTP(t, "http://"+env["FLYWHEEL_HTTP_ADDR"]+"/readyz", http.StatusOK)
		return cmd
	}
	redeliverPending := func() {
		for _, id := range fake.Pending() {
			fake.Redeliver(id)
		}
	}
	for round := range rounds {
		cmd := startBot()
		redeliverPending()
		acksBefore := len(fake.Acks())
		for i := range perRound {
			text := fmt.Sprintf("round %d win %d: saved 1h with ChatGPT", round, i)
			texts[text] = true
			fake.SendSlashCommand(fmt.Sprintf("U0CRASH%03d", i), "C0WINS0001", "/win", text)
		}
		// Kill after a random share of the burst was acked: sometimes at
		// once, sometimes mid-burst, sometimes after all acks while posts
		// are still going out.
		target := acksBefore + rng.IntN(perRound+1)
		deadline := time.Now().Add(5 * time.Second)
		for len(fake.Acks()) < target && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
		_ = cmd.Wait()
		t.Logf("round %d: killed after %d of %d acks", round, len(fake.Acks())-acksBefore, perRound)
	}

	// A last, undisturbed run delivers everything still owed.
	cmd := startBot()
	redeliverPending()
	require.Empty(t, waitPending(fake), "every envelope is eventually acked")
	posts, err := fake.WaitBotMessages("C0WINS0001", len(texts), 30*time.Second)
	require.NoError(t, err, "every win is posted")
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, cmd.Wait())

	posted := map[string]int{}
	for _, p := range posts {
		for text := range texts {
			if strings.Contains(p.Text, text) {
				posted[text]++
			}
		}
	}
	st, err := store.Open(env["FLYWHEEL_DB"], store.Options{ReadOnly: true})
	require.NoError(t, err)
	defer st.Close()
	require.NoError(t, st.Check())
	wins, err := st.WinsBetween(time.Unix(0, 0), time.Now().Add(time.Hour))
	require.NoError(t, err)
	stored := map[string]int{}
	for _, w := range wins {
		stored[w.Text]++
	}
	for text := range texts {
		assert.Equal(t, 1, stored[text], "stored once: %s", text)
		assert.Equal(t, 1, posted[text], "posted once: %s", text)
	}
	assert.Len(t, wins, len(texts))
	assert.Len(t, fake.BotMessages("C0WINS0001"), len(texts), "no extra posts")
}

// waitPending waits (bounded) for the fake to have no unacked envelope.
func waitPending(fake *slackfake.Server) []string {
	deadline := time.Now().Add(15 * time.Second)
	for len(fake.Pending()) > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	return fake.Pending()
}

// buildBinary builds flywheel once per test.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "flywheel")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	return bin
}
