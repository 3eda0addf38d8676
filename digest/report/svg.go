package report

import (
	"fmt"
	"html/template"
	"image/color"
	"math"
	"slices"
	"strings"

	"flywheel/digest"
	"flywheel/digest/chart"
)

// Chart geometry, in SVG user units; the SVG scales to the page width.
const (
	svgW, svgH       = 640, 220
	padL, padR       = 44, 12
	padT, padB       = 14, 30
	plotW, plotH     = svgW - padL - padR, svgH - padT - padB
	spreadW, spreadH = 640, 300
)

func hex(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// svgDoc opens an <svg> that names its chart and the number of marks it
// holds (what a test in a real browser counts), with a <title> and an
// aria-label that state the numbers for screen readers.
func svgDoc(b *strings.Builder, name, label string, marks, w, h int) {
	fmt.Fprintf(b, `<svg class="chart" data-chart="%s" data-marks="%d" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`,
		name, marks, w, h, template.HTMLEscapeString(label))
	fmt.Fprintf(b, `<title>%s</title>`, template.HTMLEscapeString(label))
}

// axes draws the value grid (0, half, top) and the week labels.
func axes(b *strings.Builder, top float64, unit string, labels []string) {
	for _, f := range []float64{0, 0.5, 1} {
		y := float64(padT) + float64(plotH)*(1-f)
		fmt.Fprintf(b, `<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/>`, padL, svgW-padR, y, y)
		fmt.Fprintf(b, `<text class="tick" x="%d" y="%.1f" text-anchor="end">%s</text>`, padL-4, y+4, tick(top*f, unit))
	}
	step := float64(plotW) / float64(max(1, len(labels)))
	for i, l := range labels {
		if l == "" {
			continue
		}
		fmt.Fprintf(b, `<text class="tick" x="%.1f" y="%d" text-anchor="middle">%s</text>`,
			float64(padL)+step*(float64(i)+0.5), svgH-padB+16, template.HTMLEscapeString(l))
	}
}

func tick(v float64, unit string) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f%s", v, unit)
	}
	return fmt.Sprintf("%.1f%s", v, unit)
}

// niceTop rounds a maximum up to 1, 2 or 5 times a power of ten.
func niceTop(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// barsSVG draws one bar per week (a zero week has a bar of no height, so
// the count is the number of weeks).
func barsSVG(name, label, unit string, labels []string, values []float64, c color.RGBA) template.HTML {
	var b strings.Builder
	svgDoc(&b, name, label, len(values), svgW, svgH)
	top := niceTop(slices.Max(append([]float64{0}, values...)))
	axes(&b, top, unit, labels)
	step := float64(plotW) / float64(max(1, len(values)))
	for i, v := range values {
		h := float64(plotH) * v / top
		fmt.Fprintf(&b, `<rect class="bar" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %s%s</title></rect>`,
			float64(padL)+step*float64(i)+step*0.15, float64(padT+plotH)-h, step*0.7, h, hex(c),
			template.HTMLEscapeString(labels[i]), tick(v, ""), template.HTMLEscapeString(unit))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// Series is one line of a line chart.
type series struct {
	name   string
	values []float64
	color  color.RGBA
	dashed bool
}

// linesSVG draws each series as a line with one point per week.
func linesSVG(name, label, unit string, labels []string, ss []series) template.HTML {
	var b strings.Builder
	n := 0
	top := 0.0
	for _, s := range ss {
		n += len(s.values)
		top = max(top, slices.Max(append([]float64{0}, s.values...)))
	}
	top = niceTop(top)
	svgDoc(&b, name, label, n, svgW, svgH)
	axes(&b, top, unit, labels)
	step := float64(plotW) / float64(max(1, len(labels)))
	for _, s := range ss {
		pts := make([]string, len(s.values))
		for i, v := range s.values {
			pts[i] = fmt.Sprintf("%.1f,%.1f", float64(padL)+step*(float64(i)+0.5), float64(padT+plotH)-float64(plotH)*v/top)
		}
		dash := ""
		if s.dashed {
			dash = ` stroke-dasharray="6 4"`
		}
		fmt.Fprintf(&b, `<polyline class="line" fill="none" stroke="%s" stroke-width="2.5"%s points="%s"/>`, hex(s.color), dash, strings.Join(pts, " "))
		for i, p := range pts {
			x, y, _ := strings.Cut(p, ",")
			fmt.Fprintf(&b, `<circle class="pt" cx="%s" cy="%s" r="3.5" fill="%s"><title>%s, %s: %s%s</title></circle>`,
				x, y, hex(s.color), template.HTMLEscapeString(s.name), template.HTMLEscapeString(labels[i]), tick(s.values[i], ""), unit)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// stagesSVG draws each week's question-stage mix as one stacked column of
// percentages (one <g class="week"> per week; an empty week is an empty
// group).
func stagesSVG(label string, labels []string, weeks []chart.Week) template.HTML {
	var b strings.Builder
	svgDoc(&b, "stages", label, len(weeks), svgW, svgH)
	axes(&b, 100, "%", labels)
	step := float64(plotW) / float64(max(1, len(weeks)))
	for i, shares := range chart.StageShares(weeks) {
		b.WriteString(`<g class="week">`)
		y := float64(padT + plotH)
		for s, v := range shares {
			if v == 0 {
				continue
			}
			h := float64(plotH) * v / 100
			y -= h
			fmt.Fprintf(&b, `<rect class="seg" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s, %s: %.0f%%</title></rect>`,
				float64(padL)+step*float64(i)+step*0.15, y, step*0.7, h, hex(chart.StageColors[s]),
				template.HTMLEscapeString(labels[i]), chart.StageNames[s], v)
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// spreadSVG draws teams on a circle and an arrow for each team-to-team
// inspiration count, thicker for more.
func spreadSVG(chains []digest.Chain) template.HTML {
	var teams []string
	for _, c := range chains {
		teams = append(teams, c.From, c.To)
	}
	slices.Sort(teams)
	teams = slices.Compact(teams)
	label := "Inspiration across teams: "
	parts := make([]string, len(chains))
	for i, c := range chains {
		parts[i] = fmt.Sprintf("%s to %s %d", c.From, c.To, c.Count)
	}
	label += strings.Join(parts, ", ")
	var b strings.Builder
	svgDoc(&b, "spread", label, len(chains), spreadW, spreadH)
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>`)
	pos := map[string][2]float64{}
	cx, cy, r := float64(spreadW)/2, float64(spreadH)/2, float64(spreadH)/2-40
	for i, t := range teams {
		a := 2*math.Pi*float64(i)/float64(len(teams)) - math.Pi/2
		pos[t] = [2]float64{cx + r*1.6*math.Cos(a), cy + r*math.Sin(a)}
	}
	top := 1
	for _, c := range chains {
		top = max(top, c.Count)
	}
	for _, c := range chains {
		f, t := pos[c.From], pos[c.To]
		dx, dy := t[0]-f[0], t[1]-f[1]
		d := math.Hypot(dx, dy)
		if d == 0 {
			continue
		}
		ux, uy := dx/d, dy/d
		const node = 26
		fmt.Fprintf(&b, `<line class="edge" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#555" stroke-width="%.1f" marker-end="url(#arrow)"><title>%s → %s: %d</title></line>`,
			f[0]+ux*node-uy*4, f[1]+uy*node+ux*4, t[0]-ux*node-uy*4, t[1]-uy*node+ux*4, 1.5+3*float64(c.Count)/float64(top),
			template.HTMLEscapeString(c.From), template.HTMLEscapeString(c.To), c.Count)
		fmt.Fprintf(&b, `<text class="edge-label" x="%.1f" y="%.1f" text-anchor="middle">%d</text>`,
			(f[0]+t[0])/2-uy*12, (f[1]+t[1])/2+ux*12, c.Count)
	}
	for _, t := range teams {
		p := pos[t]
		fmt.Fprintf(&b, `<circle class="node" cx="%.1f" cy="%.1f" r="24" fill="%s"/><text class="node-label" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`,
			p[0], p[1], hex(chart.StageColors[2]), p[0], p[1]+4, template.HTMLEscapeString(t))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
