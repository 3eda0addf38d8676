package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"flywheel/bot/slackfake"
)

// footprintRuns is how many times `flywheel run` is started.
const footprintRuns = 3

// footprintResult is what starting `flywheel run` costs.
type footprintResult struct {
	Records int
	// Startup is process start → first /readyz 200 (median, worst).
	Startup, StartupMax time.Duration
	// ReadyRSS is the resident set when ready; PeakRSS the process's
	// high-water mark after a burst of Load /win envelopes.
	ReadyRSS, PeakRSS int64 // bytes; 0 when the OS does not say
	Load              int
}

func measureFootprint(ctx context.Context, h history, p params, logf func(string, ...any)) (footprintResult, error) {
	res := footprintResult{Records: h.records, Load: 2000}
	if p.quick {
		res.Load = 200
	}
	dir, err := os.MkdirTemp("", "flywheel-bench-run-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "flywheel")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "flywheel/cmd/flywheel")
	if out, err := build.CombinedOutput(); err != nil {
		return res, fmt.Errorf("go build flywheel/cmd/flywheel (run from inside the repository): %w\n%s", err, out)
	}
	db := filepath.Join(dir, "flywheel.db")
	if err := copyFile(h.path, db); err != nil {
		return res, fmt.Errorf("copy the store: %w", err)
	}
	cfgPath := filepath.Join(dir, "flywheel.yml")
	if err := os.WriteFile(cfgPath, []byte("wins_channel: "+benchWinsCh+"\n"), 0o600); err != nil {
		return res, err
	}
	var startups []time.Duration
	runs := footprintRuns
	if p.quick {
		runs = 1
	}
	for i := range runs {
		r, err := startOnce(ctx, bin, db, cfgPath, res.Load)
		if err != nil {
			return res, fmt.Errorf("run %d: %w", i+1, err)
		}
		logf("  start %d: ready in %v, RSS %d MB ready, %d MB peak", i+1, r.Startup.Round(time.Millisecond), r.ReadyRSS>>20, r.PeakRSS>>20)
		startups = append(startups, r.Startup)
		res.ReadyRSS, res.PeakRSS = max(res.ReadyRSS, r.ReadyRSS), max(res.PeakRSS, r.PeakRSS)
	}
	slices.Sort(startups)
	res.Startup, res.StartupMax = startups[len(startups)/2], startups[len(startups)-1]
	return res, nil
}

// startOnce starts the binary against a fresh fake Slack, waits for
// /readyz, sends load /win envelopes, waits for their acks and stops it
// with SIGTERM.
func startOnce(ctx context.Context, bin, db, cfgPath string, load int) (footprintResult, error) {
	var res footprintResult
	fake := slackfake.New()
	defer fake.Close()
	fake.AddChannel(benchWinsCh, "wins")
	fake.AddChannel(benchGeneral, "general")
	addr, err := freeAddr()
	if err != nil {
		return res, err
	}
	cmd := exec.Command(bin, "run")
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"SLACK_BOT_TOKEN=xoxb-1-bench-bot", "SLACK_APP_TOKEN=xapp-1-A1-bench-app",
		"SLACK_API_URL=" + fake.APIURL(), "FLYWHEEL_DB=" + db, "FLYWHEEL_CONFIG=" + cfgPath,
		"FLYWHEEL_HTTP_ADDR=" + addr,
	}
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return res, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	kill := func() { _ = cmd.Process.Kill(); <-exited }

	client := &http.Client{Timeout: time.Second}
	deadline := start.Add(30 * time.Second)
	for {
		resp, err := client.Get("http://" + addr + "/readyz")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				res.Startup = time.Since(start)
				break
			}
		}
		select {
		case err := <-exited:
			return res, fmt.Errorf("flywheel run exited before it was ready: %v", err)
		case <-ctx.Done():
			kill()
			return res, ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			kill()
			return res, errors.New("/readyz did not answer 200 within 30s")
		}
	}
	res.ReadyRSS = rssOf(cmd.Process.Pid)
	ids := make([]string, load)
	for i := range ids {
		ids[i] = fake.SendSlashCommand(benchUser(i), benchGeneral, "/win", fmt.Sprintf(winTexts[i%len(winTexts)], i))
	}
	for _, id := range ids {
		if _, err := fake.WaitAck(id, 30*time.Second); err != nil {
			kill()
			return res, err
		}
	}
	res.PeakRSS = peakRSSOf(cmd.Process.Pid)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		kill()
		return res, err
	}
	select {
	case err := <-exited:
		if err != nil {
			return res, fmt.Errorf("flywheel run did not exit cleanly on SIGTERM: %w", err)
		}
	case <-time.After(20 * time.Second):
		kill()
		return res, errors.New("flywheel run did not stop within 20s of SIGTERM")
	}
	return res, nil
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	// Synced, so the first start does not pay for flushing the copy: the
	// store opens with a write transaction, and its fsync would.
	if _, err := io.Copy(dst, src); err != nil {
		_ = dst.Close()
		return err
	}
	if err := dst.Sync(); err != nil {
		_ = dst.Close()
		return err
	}
	return dst.Close()
}
