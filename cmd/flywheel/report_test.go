package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/digest/report/reporttest"
)

// TestReportOpensInChromium: `flywheel report --html` on a real database,
// opened in headless Chromium, shows the week's numbers (worked out by
// hand from readOnlyEnv: 2 wins in the week before 23 Nov, 150 + 480
// counted minutes = 10h 30m, one of them cheered: 2h 30m peer-confirmed;
// Legal asking for access) and draws every chart.
func TestReportOpensInChromium(t *testing.T) {
	env := readOnlyEnv(t)
	file := filepath.Join(t.TempDir(), "report.html")
	var out, stderr bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"report", "--html", file, "--weeks", "6", "--at", "2026-11-23T09:00:00Z"},
		envMap(env), nil, &out, &stderr), stderr.String())
	assert.Contains(t, out.String(), "report written to "+file+" (6 weeks)")

	ctx := reporttest.Browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("file://"+file), chromedp.WaitVisible(chromedp.CSS("main"))))
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	require.NoError(t, err)
	for _, want := range []string{
		"6 weeks, 12 Oct 2026 to 23 Nov 2026",
		"Wins this week\n2", "Hours saved this week\n10h 30m", "Cheered by colleagues\n2h 30m",
		"Legal", "ChatGPT",
		"16 Nov 2026\t2\t10h 30m\t2h 30m\t2\t1\t0.00\t1\t1\t1h\t0 / 1 / 0 / 0",
		"2 Nov 2026\t1\t1h\t0 min\t1\t1\t",
	} {
		assert.Contains(t, text, want)
	}
	assert.NotContains(t, text, "secret plan", "a deleted question's text never shows")
	bars, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('svg[data-chart=wins] rect.bar').length`))
	require.NoError(t, err)
	assert.Equal(t, 6, bars, "one bar per week")
	points, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('svg[data-chart=hours] circle.pt').length`))
	require.NoError(t, err)
	assert.Equal(t, 12, points, "two lines of 6 points")
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(reporttest.Artefacts(t), "cli-report.png"), shot, 0o644))
}
