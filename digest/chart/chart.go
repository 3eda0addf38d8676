// Package chart draws Flywheel's weekly figures: a PNG for Slack (gonum
// plot, rasterised in Go, no browser or system fonts needed) and text
// sparklines for notifications and screen readers. Every function is pure:
// the same weeks give the same bytes.
package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Week is one week's figures, as the digest counts them.
type Week struct {
	// Start is the first day of the week (in the digest time zone).
	Start time.Time
	Wins  int
	// Minutes are the counted minutes saved; PeerMinutes the part of them
	// from wins a colleague cheered.
	Minutes, PeerMinutes int
	// Stages counts the week's questions by stage, in StageNames order.
	Stages [4]int
}

// StageNames are the question stages, in adoption order.
var StageNames = [4]string{"what", "access", "how", "build"}

// Colours, shared by the PNG and anything that wants to match it. They are
// distinct enough to tell apart in greyscale too.
var (
	WinsColor   = color.RGBA{R: 0x2b, G: 0x6c, B: 0xb0, A: 0xff}
	HoursColor  = color.RGBA{R: 0xd9, G: 0x6c, B: 0x06, A: 0xff}
	PeerColor   = color.RGBA{R: 0x2f, G: 0x85, B: 0x5a, A: 0xff}
	StageColors = [4]color.RGBA{
		{R: 0xcb, G: 0xd5, B: 0xe0, A: 0xff},
		{R: 0xf6, G: 0xad, B: 0x55, A: 0xff},
		{R: 0x63, G: 0xb3, B: 0xed, A: 0xff},
		{R: 0x38, G: 0xa1, B: 0x69, A: 0xff},
	}
)

// Size of the PNG in pixels: wide enough for 52 weekly bars, small enough
// for a phone (Slack scales it down).
const (
	Width  = 960
	Height = 720
)

// ErrNoWeeks is returned for an empty series.
var ErrNoWeeks = errors.New("chart: no weeks to draw")

// PNG draws three aligned panels over the same weeks: wins per week
// (bars), hours saved per week (counted, and the peer-confirmed part), and
// the question-stage mix as shares of each week's questions (stacked bars).
// title heads the image.
func PNG(title string, weeks []Week) ([]byte, error) {
	if len(weeks) == 0 {
		return nil, ErrNoWeeks
	}
	labels := Labels(weeks)
	wins, err := winsPlot(weeks, labels)
	if err != nil {
		return nil, err
	}
	wins.Title.Text = title
	hours, err := hoursPlot(weeks, labels)
	if err != nil {
		return nil, err
	}
	stages, err := stagesPlot(weeks, labels)
	if err != nil {
		return nil, err
	}
	img := vgimg.NewWith(vgimg.UseWH(vg.Length(Width)*vg.Inch/96, vg.Length(Height)*vg.Inch/96), vgimg.UseDPI(96),
		vgimg.UseBackgroundColor(color.White))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 3, Cols: 1, PadY: vg.Points(6), PadTop: vg.Points(6), PadBottom: vg.Points(4),
		PadLeft: vg.Points(6), PadRight: vg.Points(10)}
	plots := [][]*plot.Plot{{wins}, {hours}, {stages}}
	canvases := plot.Align(plots, tiles, dc)
	for i, row := range plots {
		row[0].Draw(canvases[i][0])
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: encode png: %w", err)
	}
	return buf.Bytes(), nil
}

// Labels are the weeks' x-axis labels ("2 Mar"); with many weeks only
// every few are written, so they never overlap.
func Labels(weeks []Week) []string {
	every := max(1, (len(weeks)+12)/13)
	out := make([]string, len(weeks))
	for i, w := range weeks {
		if (len(weeks)-1-i)%every == 0 {
			out[i] = w.Start.Format("2 Jan")
		}
	}
	return out
}

// newPlot is one panel. Every panel spans the same x range, with room on
// the right for its legend, so bars and points line up across panels and
// no legend covers a week.
func newPlot(ylabel string, labels []string) *plot.Plot {
	p := plot.New()
	p.Y.Label.Text = ylabel
	p.Y.Min = 0
	p.X.Tick.Label.Font.Size = vg.Points(8)
	p.Y.Tick.Label.Font.Size = vg.Points(8)
	p.Y.Tick.Marker = plainTicks{}
	p.NominalX(labels...)
	p.X.Min, p.X.Max = -0.5, float64(len(labels))-0.5+legendRoom(len(labels))
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	return p
}

// legendRoom is the width, in weeks, kept free right of the last week.
func legendRoom(n int) float64 { return max(2.4, 0.2*float64(n)) }

// plainTicks are gonum's default ticks labelled "25" rather than "25.00".
type plainTicks struct{}

func (plainTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = strconv.FormatFloat(ts[i].Value, 'f', -1, 64)
		}
	}
	return ts
}

// barWidth leaves a gap between bars whatever the number of weeks.
func barWidth(n int) vg.Length { return vg.Points(max(3, 420/float64(max(n, 1)))) }

func winsPlot(weeks []Week, labels []string) (*plot.Plot, error) {
	p := newPlot("wins", labels)
	vals := make(plotter.Values, len(weeks))
	for i, w := range weeks {
		vals[i] = float64(w.Wins)
	}
	bars, err := plotter.NewBarChart(vals, barWidth(len(weeks)))
	if err != nil {
		return nil, fmt.Errorf("chart: wins: %w", err)
	}
	bars.Color, bars.LineStyle.Width = WinsColor, 0
	p.Add(bars)
	p.Legend.Add("wins", bars)
	p.Y.Max = max(1, p.Y.Max)
	return p, nil
}

func hoursPlot(weeks []Week, labels []string) (*plot.Plot, error) {
	p := newPlot("hours saved", labels)
	total := make(plotter.XYs, len(weeks))
	peer := make(plotter.XYs, len(weeks))
	for i, w := range weeks {
		total[i] = plotter.XY{X: float64(i), Y: float64(w.Minutes) / 60}
		peer[i] = plotter.XY{X: float64(i), Y: float64(w.PeerMinutes) / 60}
	}
	for _, s := range []struct {
		name string
		xys  plotter.XYs
		clr  color.Color
		dash bool
	}{{"hours saved", total, HoursColor, false}, {"cheered by colleagues", peer, PeerColor, true}} {
		line, points, err := plotter.NewLinePoints(s.xys)
		if err != nil {
			return nil, fmt.Errorf("chart: hours: %w", err)
		}
		line.Color, line.Width = s.clr, vg.Points(2)
		if s.dash {
			line.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		}
		points.Color, points.Shape, points.Radius = s.clr, draw.CircleGlyph{}, vg.Points(2.5)
		p.Add(line, points)
		p.Legend.Add(s.name, line, points)
	}
	p.Y.Max = max(1, p.Y.Max)
	return p, nil
}

func stagesPlot(weeks []Week, labels []string) (*plot.Plot, error) {
	p := newPlot("% of questions", labels)
	p.Y.Max = 100
	var below *plotter.BarChart
	shares := StageShares(weeks)
	for s := range StageNames {
		vals := make(plotter.Values, len(weeks))
		for i := range weeks {
			vals[i] = shares[i][s]
		}
		bars, err := plotter.NewBarChart(vals, barWidth(len(weeks)))
		if err != nil {
			return nil, fmt.Errorf("chart: stages: %w", err)
		}
		bars.Color, bars.LineStyle.Width = StageColors[s], 0
		if below != nil {
			bars.StackOn(below)
		}
		below = bars
		p.Add(bars)
	}
	// Listed top down, as the stack reads.
	for s := len(StageNames) - 1; s >= 0; s-- {
		p.Legend.Add(StageNames[s], legendSwatch(StageColors[s]))
	}
	return p, nil
}

// legendSwatch is a filled square for a legend entry.
type legendSwatch color.RGBA

func (c legendSwatch) Thumbnail(dc *draw.Canvas) {
	r := dc.Rectangle
	dc.FillPolygon(color.RGBA(c), []vg.Point{r.Min, {X: r.Min.X, Y: r.Max.Y}, r.Max, {X: r.Max.X, Y: r.Min.Y}})
}

// StageShares are each week's questions by stage as percentages of that
// week's questions with a stage (all zero for a week without any).
func StageShares(weeks []Week) [][4]float64 {
	out := make([][4]float64, len(weeks))
	for i, w := range weeks {
		total := 0
		for _, n := range w.Stages {
			total += n
		}
		if total == 0 {
			continue
		}
		for s, n := range w.Stages {
			out[i][s] = 100 * float64(n) / float64(total)
		}
	}
	return out
}

// sparkBars are the eight block heights of a text sparkline.
var sparkBars = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws values as one block character each: a zero (or a
// negative value) is the lowest bar, any other value at least the second,
// scaled so the largest value is the tallest bar. A quiet week never looks
// like a small one.
func Sparkline(values []int) string {
	top := 0
	for _, v := range values {
		top = max(top, v)
	}
	steps := len(sparkBars) - 2 // heights above the second bar
	var b strings.Builder
	for _, v := range values {
		i := 0
		if v > 0 {
			i = 1 + (v-1)*steps/max(top-1, 1)
		}
		b.WriteRune(sparkBars[i])
	}
	return b.String()
}
