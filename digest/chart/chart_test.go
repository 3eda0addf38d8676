package chart

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var updateDocs = flag.Bool("update-docs", false, "write docs/chart.png from the test")

// sample is 12 weeks where wins grow, week 3 has none, and questions move
// from "what" to "build".
func sample() []Week {
	start := time.Date(2026, 9, 7, 0, 0, 0, 0, time.UTC)
	wins := []int{2, 3, 0, 5, 6, 8, 7, 9, 12, 14, 15, 18}
	weeks := make([]Week, len(wins))
	for i, n := range wins {
		weeks[i] = Week{Start: start.AddDate(0, 0, 7*i), Wins: n, Minutes: n * 75, PeerMinutes: n * 40,
			Stages: [4]int{10 - i/2, 3, 2 + i/3, i}}
	}
	return weeks
}

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	require.NoError(t, err)
	return img
}

func same(c color.Color, want color.RGBA) bool {
	r, g, b, _ := c.RGBA()
	return uint8(r>>8) == want.R && uint8(g>>8) == want.G && uint8(b>>8) == want.B
}

// runs counts the separate stretches of colour want along row y.
func runs(img image.Image, y int, want color.RGBA) int {
	n, in := 0, false
	for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
		hit := same(img.At(x, y), want)
		if hit && !in {
			n++
		}
		in = hit
	}
	return n
}

// lowestRow is the lowest row of the image holding colour want between
// rows from and to, or -1.
func lowestRow(img image.Image, from, to int, want color.RGBA) int {
	for y := to - 1; y >= from; y-- {
		if runs(img, y, want) > 0 {
			return y
		}
	}
	return -1
}

func TestPNG(t *testing.T) {
	weeks := sample()
	b, err := PNG("Wins and hours, last 12 weeks", weeks)
	require.NoError(t, err)
	img := decode(t, b)
	assert.Equal(t, image.Rect(0, 0, Width, Height), img.Bounds())

	// One bar per week with wins, in the top third: the row just above the
	// bars' common base crosses each of them once.
	base := lowestRow(img, 0, Height/3, WinsColor)
	require.Positive(t, base, "wins bars drawn in the top panel")
	assert.Equal(t, 11, runs(img, base-1, WinsColor), "11 of the 12 weeks had wins")

	// Every week has questions: 12 stacked bars in the bottom third, the
	// "what" share at their base.
	sbase := lowestRow(img, 2*Height/3, Height, StageColors[0])
	require.Positive(t, sbase)
	assert.Equal(t, 12, runs(img, sbase-1, StageColors[0]))
	assert.Positive(t, lowestRow(img, 2*Height/3, Height, StageColors[3]), "build share drawn")

	// The hours line is drawn in the middle panel.
	assert.Positive(t, lowestRow(img, Height/3, 2*Height/3, HoursColor))

	again, err := PNG("Wins and hours, last 12 weeks", weeks)
	require.NoError(t, err)
	assert.Equal(t, b, again, "pure: the same weeks give the same bytes")

	if dir := os.Getenv("FLYWHEEL_ARTEFACTS"); dir != "" {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "chart.png"), b, 0o644))
	}
	if *updateDocs {
		require.NoError(t, os.WriteFile(filepath.Join("..", "..", "docs", "chart.png"), b, 0o644))
	}
}

func TestPNGEdges(t *testing.T) {
	_, err := PNG("x", nil)
	assert.ErrorIs(t, err, ErrNoWeeks)
	quiet := []Week{{Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)}}
	b, err := PNG("one quiet week", quiet)
	require.NoError(t, err, "a week with nothing in it still draws")
	decode(t, b)

	long := make([]Week, 52)
	for i := range long {
		long[i] = Week{Start: time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 7*i), Wins: 1 + i%5, Stages: [4]int{1, 1, 1, 1}}
	}
	b, err = PNG("52 weeks", long)
	require.NoError(t, err)
	img := decode(t, b)
	base := lowestRow(img, 0, Height/3, WinsColor)
	assert.Equal(t, 52, runs(img, base-1, WinsColor), "52 bars stay apart")
}

func TestSparkline(t *testing.T) {
	for _, c := range []struct {
		in   []int
		want string
	}{
		{nil, ""},
		{[]int{0, 0, 0}, "▁▁▁"},
		{[]int{0, 7}, "▁█"},
		{[]int{1, 2, 3, 4, 5, 6, 7}, "▂▃▄▅▆▇█"},
		{[]int{0, 1, 2, 3, 4, 5, 6, 7}, "▁▂▃▄▅▆▇█"},
		{[]int{5, 5}, "██"},
		{[]int{-3, 4}, "▁█"},
		{[]int{1, 100}, "▂█"},
		{[]int{0, 1, 1000}, "▁▂█"},
	} {
		assert.Equal(t, c.want, Sparkline(c.in), "%v", c.in)
	}
}

func TestLabels(t *testing.T) {
	l := Labels(sample())
	assert.Equal(t, "7 Sep", l[0])
	assert.Equal(t, "23 Nov", l[11])
	long := make([]Week, 52)
	shown := 0
	for _, s := range Labels(long) {
		if s != "" {
			shown++
		}
	}
	assert.LessOrEqual(t, shown, 13)
	assert.NotEmpty(t, Labels(long)[51], "the latest week is always labelled")
}

func BenchmarkPNG12Weeks(b *testing.B) {
	weeks := sample()
	for b.Loop() {
		if _, err := PNG("bench", weeks); err != nil {
			b.Fatal(err)
		}
	}
}
