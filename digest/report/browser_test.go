package report

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/digest/report/reporttest"
)

var updateDocs = flag.Bool("update-docs", false, "write docs/report.png from the browser test")

// chartMarks is what the page drew for one chart.
type chartMarks struct {
	Name     string  `json:"name"`
	Declared int     `json:"declared"`
	Marks    int     `json:"marks"`
	Width    float64 `json:"width"`
	Height   float64 `json:"height"`
	Tallest  int     `json:"tallest"` // index of the tallest bar, -1 for other charts
}

const countMarks = `Array.from(document.querySelectorAll('svg.chart')).map(svg => {
  const name = svg.dataset.chart;
  const sel = {wins: 'rect.bar', questions: 'rect.bar', hours: 'circle.pt', stages: 'g.week', spread: 'line.edge'}[name];
  const marks = Array.from(svg.querySelectorAll(sel));
  const box = svg.getBoundingClientRect();
  let tallest = -1;
  if (sel === 'rect.bar') {
    let best = -1;
    marks.forEach((m, i) => { const h = m.getBBox().height; if (h > best) { best = h; tallest = i; } });
  }
  return {name, declared: Number(svg.dataset.marks), marks: marks.length, width: box.width, height: box.height, tallest};
})`

func TestReportInChromium(t *testing.T) {
	in := fixture()
	dir := t.TempDir()
	file := filepath.Join(dir, "report.html")
	f, err := os.Create(file)
	require.NoError(t, err)
	require.NoError(t, Write(f, in))
	require.NoError(t, f.Close())

	ctx := reporttest.Browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("file://"+file), chromedp.WaitVisible(chromedp.CSS("main"))))
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	require.NoError(t, err)
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[[]chartMarks](countMarks))
	require.NoError(t, err)
	resources, err := chromedp.Run(ctx, chromedp.Evaluate[int](`performance.getEntriesByType('resource').length`))
	require.NoError(t, err)
	full, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	// The numbers a reader sees.
	for _, want := range []string{
		"Flywheel: AI adoption report",
		"12 weeks, 7 Sep 2026 to 30 Nov 2026",
		"Wins grew 4 weeks in a row",
		"Wins this week\n18", "Hours saved this week\n22h 30m", "Cheered by colleagues\n12h",
		"3 of 5 (60%)",
		"Sales", "ChatGPT",
		"Ana Lima", "4 answered, 2 for other teams", "U0BEN",
		"Drafted the board pack in 40 minutes", "(text not shown)",
		"Rollout stage: Crawl", "Ready for Walk at 50 active users (now 42).",
		"23 Nov 2026\t18\t22h 30m\t12h\t12\t4\t0.25\t26\t23\t29 min\t5 / 3 / 5 / 11",
	} {
		assert.Contains(t, text, want)
	}
	assert.Zero(t, resources, "the page fetched nothing")

	want := map[string]int{"wins": 12, "hours": 24, "stages": 12, "questions": 12, "spread": 2}
	require.Len(t, charts, len(want), "every chart is in the page")
	for _, c := range charts {
		assert.Equal(t, want[c.Name], c.Marks, "%s: marks drawn", c.Name)
		assert.Equal(t, c.Declared, c.Marks, "%s: as many marks as the SVG says", c.Name)
		assert.Positive(t, c.Width, "%s rendered", c.Name)
		assert.Positive(t, c.Height, "%s rendered", c.Name)
	}
	for _, c := range charts {
		if c.Name == "wins" {
			assert.Equal(t, 11, c.Tallest, "the 18-win week is the tallest bar")
		}
	}

	shot := filepath.Join(reporttest.Artefacts(t), "report-full.png")
	require.NoError(t, os.WriteFile(shot, full, 0o644))
	t.Logf("screenshot: %s", shot)

	// On a phone: nothing wider than the screen but the tables' scrollers.
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate("file://"+file),
		chromedp.WaitVisible(chromedp.CSS("main"))))
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	require.NoError(t, err)
	phone, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	require.NoError(t, err)
	assert.False(t, overflow, "the page fits a 390px-wide phone")
	require.NoError(t, os.WriteFile(filepath.Join(reporttest.Artefacts(t), "report-phone.png"), phone, 0o644))
	if *updateDocs {
		require.NoError(t, os.WriteFile(filepath.Join("..", "..", "docs", "report.png"), phone, 0o644))
	}
}
