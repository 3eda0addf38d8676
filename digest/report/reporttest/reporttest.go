// Package reporttest opens pages in headless Chromium for tests: the
// report and anything else Flywheel renders for a browser.
package reporttest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// Chromium finds a Chromium binary. Outside CI a machine without one skips
// the browser tests; with CI=true they must run (.ci/run installs it).
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{os.Getenv("FLYWHEEL_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium not found: CI must run the browser test (.ci/run installs the Debian package chromium)")
	}
	t.Skip("Chromium not installed, skipping the browser test (apt-get install -y chromium, or set FLYWHEEL_CHROMIUM)")
	return ""
}

// Browser starts headless Chromium with a fresh profile and nothing that
// reaches the network (without these flags it waits on network attempts
// on a machine with no internet).
func Browser(t testing.TB) context.Context {
	t.Helper()
	path := Chromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(900, 1200),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTime(); cancelCtx(); cancelAlloc() })
	return ctx
}

// Artefacts is where browser tests leave their screenshots:
// $FLYWHEEL_ARTEFACTS, else a flywheel-artefacts folder in the temp dir.
func Artefacts(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("FLYWHEEL_ARTEFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "flywheel-artefacts")
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	return dir
}
