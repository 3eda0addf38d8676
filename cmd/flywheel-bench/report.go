package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"flywheel/config"
)

// report is everything one run measured.
type report struct {
	Command        string
	Machine        machine
	Started        time.Time
	Took           time.Duration
	Params         params
	Ingest         ingestResult
	SlackPath      latencyStats // the burst acked on read by bare slack-go clients (median run)
	SlackPathRates []float64
	Raw            rawResult // one goroutine per record: the limit
	Raw64          rawResult // 64 writers, MaxBatchDelay 1 ms
	Digest         []digestResult
	Trends         []trendResult
	AdminHome      homeResult
	Footprint      footprintResult
	Outbox         outboxResult
	Before         *baseline // an earlier run to compare with, or nil
}

// machine describes where the numbers come from.
type machine struct {
	CPU        string
	Cores      int
	GOMAXPROCS int
	Go         string
	OS         string
	MemGB      float64
	// LoadBefore and LoadAfter are the 1-minute load averages at the start
	// and the end: other work on the machine shows up as noise.
	LoadBefore, LoadAfter string
}

func describeMachine() machine {
	m := machine{CPU: cpuModel(), Cores: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), Go: runtime.Version(),
		OS: runtime.GOOS + "/" + runtime.GOARCH, LoadBefore: loadAverage()}
	if k := kernel(); k != "" {
		m.OS += " (" + k + ")"
	}
	if m.CPU == "" {
		m.CPU = "unknown"
	}
	if raw, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		if _, err := fmt.Sscanf(string(raw), "MemTotal: %d kB", &kb); err == nil {
			m.MemGB = float64(kb) / (1 << 20)
		}
	}
	return m
}

// row is one line of the summary table.
type row struct {
	Metric  string `json:"metric"`
	Result  string `json:"result"`
	Target  string `json:"target,omitempty"`
	Verdict string `json:"verdict,omitempty"`
}

// loadAverage is the 1-minute load average ("" where unknown).
func loadAverage() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(raw))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

func check(ok bool) string {
	if ok {
		return "met"
	}
	return "**missed**"
}

func ms(d time.Duration) string {
	switch {
	case d == 0:
		return "0"
	case d < time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	case d < 10*time.Second:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return d.Round(100 * time.Millisecond).String()
}

func count(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}

func rates(rs []float64) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("%.0f", r)
	}
	return strings.Join(parts, ", ")
}

func mb(b int64) string {
	if b == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f MB", float64(b)/(1<<20))
}

// summary is the table of targets.
func (r *report) summary() []row {
	var rows []row
	in, raw := r.Ingest, r.Raw
	if in.Burst.N > 0 {
		rows = append(rows,
			row{fmt.Sprintf("ingest burst, %s envelopes: acks/s", count(in.Burst.N)), fmt.Sprintf("%.0f", in.Burst.Rate), "", ""},
			row{"ingest burst: ack latency p50 / p99 / max", ms(in.Burst.P50) + " / " + ms(in.Burst.P99) + " / " + ms(in.Burst.Max), "", ""},
			row{fmt.Sprintf("paced at %d/s: ack latency p99", r.Params.pacedRate), ms(in.Paced.P99), "< 50 ms", check(in.Paced.P99 < 50*time.Millisecond)},
			row{"paced: ack p50 / max", ms(in.Paced.P50) + " / " + ms(in.Paced.Max), "max < 3 s", check(in.Paced.Max < 3*time.Second)},
		)
	}
	if sp := r.SlackPath; sp.N > 0 {
		rows = append(rows,
			row{"Slack path alone (fake Slack → slack-go, acked on read), same burst: acks/s", fmt.Sprintf("%.0f", sp.Rate), "", ""},
			row{"ingest / Slack path alone", fmt.Sprintf("%.0f%%", 100*in.Burst.Rate/sp.Rate), "", ""},
		)
	}
	if raw.N > 0 {
		ratio := in.Burst.Rate / raw.Rate
		rows = append(rows, row{fmt.Sprintf("raw bbolt, %s records, one per db.Batch: inserts/s", count(raw.N)), fmt.Sprintf("%.0f", raw.Rate), "", ""})
		if r.Raw64.N > 0 {
			rows = append(rows, row{"raw bbolt, 64 writers, MaxBatchDelay 1 ms: inserts/s", fmt.Sprintf("%.0f", r.Raw64.Rate), "", ""})
		}
		rows = append(rows, row{"ingest / raw", fmt.Sprintf("%.0f%%", 100*ratio), "≥ 50%", check(ratio >= 0.5)})
		if r.Raw64.N > 0 {
			rows = append(rows, row{"ingest / raw with 64 writers", fmt.Sprintf("%.0f%%", 100*in.Burst.Rate/r.Raw64.Rate), "", ""})
		}
		if sp := r.SlackPath; sp.N > 0 {
			rows = append(rows, row{"Slack path alone / raw: the most any slack-go bot could reach here", fmt.Sprintf("%.0f%%", 100*sp.Rate/raw.Rate), "", ""})
		}
	}
	for _, d := range r.Digest {
		rows = append(rows, row{fmt.Sprintf("digest Gather+Build, %s records (median)", count(d.Records)), ms(d.GatherAnd.Median), "< 200 ms",
			check(d.GatherAnd.Median < 200*time.Millisecond)})
	}
	if n := len(r.Digest); n >= 2 {
		lo, hi := r.Digest[0], r.Digest[n-1]
		ratio := float64(hi.GatherAnd.Median) / float64(lo.GatherAnd.Median)
		rows = append(rows, row{fmt.Sprintf("digest %s vs %s records", count(hi.Records), count(lo.Records)), fmt.Sprintf("%.2f×", ratio), "≤ 1.5×", check(ratio <= 1.5)})
	}
	for _, t := range r.Trends {
		rows = append(rows,
			row{fmt.Sprintf("12-week trends, %s records, closed weeks kept (median)", count(t.Records)), ms(t.Kept.Median), "< 50 ms", check(t.Kept.Median < 50*time.Millisecond)},
			row{fmt.Sprintf("12-week trends, %s records, at a firing: 11 kept + the week that closed (median)", count(t.Records)), ms(t.Firing.Median), "", ""},
			row{fmt.Sprintf("12-week trends, %s records, all 12 counted from records (median)", count(t.Records)), ms(t.Recount.Median), "", ""},
		)
	}
	if n := len(r.Trends); n >= 2 {
		lo, hi := r.Trends[0], r.Trends[n-1]
		ratio := float64(hi.Kept.Median) / float64(lo.Kept.Median)
		rows = append(rows, row{fmt.Sprintf("12-week trends %s vs %s records", count(hi.Records), count(lo.Records)), fmt.Sprintf("%.2f×", ratio), "≤ 1.5×", check(ratio <= 1.5)})
	}
	if n := len(r.Trends); n > 0 {
		t := r.Trends[n-1]
		rows = append(rows,
			row{"chart PNG, 12 weeks (median)", ms(t.Chart.Median), "< 100 ms", check(t.Chart.Median < 100*time.Millisecond)},
			row{fmt.Sprintf("HTML report, 52 weeks, %s records (median)", count(t.Records)), ms(t.Report52.Median), "< 1 s", check(t.Report52.Median < time.Second)},
		)
	}
	if a := r.AdminHome; a.N > 0 {
		rows = append(rows, row{fmt.Sprintf("App Home for an admin, %s records: build + views.publish p50 / p99 (%d)", count(a.Records), a.N),
			ms(a.P50) + " / " + ms(a.P99), "p99 < 200 ms", check(a.P99 < 200*time.Millisecond)})
	}
	if o := r.Outbox; o.Wins > 0 {
		ratio := o.Paced.Took.Seconds() / o.Implied.Seconds()
		rows = append(rows,
			row{fmt.Sprintf("%d wins into one channel, Slack's limit %g/s: paced drain / the %s the limit implies", o.Wins, o.Rate, o.Implied.Round(time.Second)),
				fmt.Sprintf("%.2f× (%s)", ratio, o.Paced.Took.Round(100*time.Millisecond)), "≤ 1.1×", check(ratio <= 1.1)},
			row{"paced: 429s Slack answered", fmt.Sprint(o.Paced.Limited), "0", check(o.Paced.Limited == 0)},
			row{"unpaced (posting until Slack refuses): drain, 429s", fmt.Sprintf("%s, %d", o.Unpaced.Took.Round(100*time.Millisecond), o.Unpaced.Limited), "", ""},
		)
	}
	if o := r.Outbox; o.Win.N > 0 {
		rows = append(rows,
			row{fmt.Sprintf("/win ack p99 while %d /ask a second hit %s wins in 30 days", o.AskRate, count(o.StoreWins)), ms(o.Win.P99), "< 100 ms", check(o.Win.P99 < 100*time.Millisecond)},
			row{"/ask ack p99 / max (same run)", ms(o.Ask.P99) + " / " + ms(o.Ask.Max), "max < 3 s", check(o.Ask.Max < 3*time.Second && o.Win.Max < 3*time.Second)},
		)
	}
	if f := r.Footprint; f.Startup > 0 {
		rows = append(rows,
			row{fmt.Sprintf("`flywheel run` start → /readyz 200, %s-record store (median)", count(f.Records)), ms(f.Startup), "< 1 s", check(f.StartupMax < time.Second)},
			row{fmt.Sprintf("`flywheel run` peak RSS (after %d /win)", f.Load), mb(f.PeakRSS), "< 100 MB", check(f.PeakRSS > 0 && f.PeakRSS < 100<<20)},
		)
	}
	return rows
}

func (r *report) table() string {
	var b strings.Builder
	if r.Before == nil {
		b.WriteString("| measure | result | target | |\n|---|---:|---|---|\n")
		for _, x := range r.summary() {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", x.Metric, x.Result, x.Target, x.Verdict)
		}
		return b.String()
	}
	b.WriteString("| measure | before | after | target | |\n|---|---:|---:|---|---|\n")
	for _, x := range r.summary() {
		before := "–"
		if old, ok := r.Before.rows[x.Metric]; ok {
			before = old.Result
			if old.Verdict != "" {
				before += " (" + strings.Trim(old.Verdict, "*") + ")"
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", x.Metric, before, x.Result, x.Target, x.Verdict)
	}
	return b.String()
}

// baseline is an earlier run, read back from its -json file.
type baseline struct {
	Command  string    `json:"command"`
	Measured time.Time `json:"measured"`
	Machine  machine   `json:"machine"`
	Note     string    `json:"note,omitempty"`
	Rows     []row     `json:"rows"`
	rows     map[string]row
}

func (r *report) writeJSON(path string) error {
	raw, err := json.MarshalIndent(baseline{Command: r.Command, Measured: r.Started.UTC(), Machine: r.Machine, Rows: r.summary()}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(raw, '\n'), 0o644)
}

func readBaseline(path string) (*baseline, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("-baseline: %w", err)
	}
	var b baseline
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, fmt.Errorf("-baseline %s: %w", path, err)
	}
	b.rows = map[string]row{}
	for _, x := range b.Rows {
		b.rows[x.Metric] = x
	}
	return &b, nil
}

func (r *report) details() string {
	var b strings.Builder
	if in := r.Ingest; in.Burst.N > 0 {
		fmt.Fprintf(&b, "\n### Ingest\n\nThe paced run offered %.0f envelopes/s. Fake Slack Web API latency: %v.\n\n", in.Offered, r.Params.apiLatency)
		b.WriteString("| run | envelopes | acks/s | p50 | p99 | max | over 3 s |\n|---|---:|---:|---:|---:|---:|---:|\n")
		for _, x := range []struct {
			name string
			s    latencyStats
		}{{"burst", in.Burst}, {fmt.Sprintf("paced %d/s", r.Params.pacedRate), in.Paced}} {
			fmt.Fprintf(&b, "| %s | %d | %.0f | %s | %s | %s | %d |\n", x.name, x.s.N, x.s.Rate, ms(x.s.P50), ms(x.s.P99), ms(x.s.Max), x.s.Over3s)
		}
		if sp := r.SlackPath; sp.N > 0 {
			fmt.Fprintf(&b, "| Slack path alone | %d | %.0f | %s | %s | %s | %d |\n", sp.N, sp.Rate, ms(sp.P50), ms(sp.P99), ms(sp.Max), sp.Over3s)
		}
		if len(in.BurstRates) > 1 {
			fmt.Fprintf(&b, "\nBursts are the median of %d runs, each on a fresh bot (acks/s in run order: bot %s; Slack path alone %s).\n",
				len(in.BurstRates), rates(in.BurstRates), rates(r.SlackPathRates))
		}
		if len(in.PacedP99s) > 1 {
			p99s := make([]string, len(in.PacedP99s))
			for i, d := range in.PacedP99s {
				p99s[i] = ms(d)
			}
			fmt.Fprintf(&b, "The paced run follows each burst on the same bot and is the median of its %d runs by p99 (p99 in run order: %s).\n",
				len(in.PacedP99s), strings.Join(p99s, ", "))
		}
		fmt.Fprintf(&b, "\nRaw bbolt: %d records in %s (%.0f/s), MaxBatchDelay %v, MaxBatchSize %d, one goroutine per record, fsync on.\n",
			r.Raw.N, ms(r.Raw.Took), r.Raw.Rate, rawBatchDelay, rawBatchSize)
		if r.Raw64.N > 0 {
			fmt.Fprintf(&b, "With 64 writers and MaxBatchDelay 1 ms: %d records in %s (%.0f/s).\n", r.Raw64.N, ms(r.Raw64.Took), r.Raw64.Rate)
		}
	}
	if len(r.Digest) > 0 {
		b.WriteString("\n### Digest cost against history\n\n")
		fmt.Fprintf(&b, "Every week holds %s wins and %s questions (and answers to %d%% of them, about one peer reaction per win); Gather reads %d weeks.\n\n",
			count(r.Params.weekWins), count(r.Params.weekQs), answeredPct, 5)
		b.WriteString("| records | file | the week's wins / questions | read by Gather | Gather+Build median (first) | allocs | allocated | of which Gather | Build | Render | Render allocs |\n")
		b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, d := range r.Digest {
			fmt.Fprintf(&b, "| %s | %d MB | %d / %d | %d | %s (%s) | %d | %.1f MB | %s | %s | %s | %d |\n", count(d.Records), d.FileMB, d.Wins, d.Qs, d.Gathered,
				ms(d.GatherAnd.Median), ms(d.GatherAnd.First), d.GatherAnd.Allocs, float64(d.GatherAnd.Bytes)/(1<<20),
				ms(d.Gather.Median), ms(d.Build.Median), ms(d.Render.Median), d.Render.Allocs)
		}
	}
	if o := r.Outbox; o.Wins > 0 {
		fmt.Fprintf(&b, "\n### Outbox\n\n%d `/win` at once, their posts into one channel; the fake Slack answers 429 past a rate of %g a second per channel, after a burst of %d.\n\n",
			o.Wins, o.Rate, o.FakeBurst)
		b.WriteString("| bot | drained in | the limit implies | 429s |\n|---|---:|---:|---:|\n")
		fmt.Fprintf(&b, "| paced (%g/s after a burst of %d) | %s | %s | %d |\n", o.Rate, config.DefaultPostBurst, ms(o.Paced.Took), ms(o.Implied), o.Paced.Limited)
		fmt.Fprintf(&b, "| unpaced (until Slack refuses) | %s | %s | %d |\n", ms(o.Unpaced.Took), ms(o.Implied), o.Unpaced.Limited)
		if o.Win.N > 0 {
			fmt.Fprintf(&b, "\nAck latency while %.0f answerable `/ask` a second (each citing colleagues' recent wins) and %d `/win` a second hit a store of %s wins in 30 days, for %s:\n\n",
				o.AskOffered, o.WinRate, count(o.StoreWins), o.AskFor)
			b.WriteString("| envelopes | n | p50 | p99 | max | over 3 s |\n|---|---:|---:|---:|---:|---:|\n")
			fmt.Fprintf(&b, "| `/win` | %d | %s | %s | %s | %d |\n", o.Win.N, ms(o.Win.P50), ms(o.Win.P99), ms(o.Win.Max), o.Win.Over3s)
			fmt.Fprintf(&b, "| `/ask` | %d | %s | %s | %s | %d |\n", o.Ask.N, ms(o.Ask.P50), ms(o.Ask.P99), ms(o.Ask.Max), o.Ask.Over3s)
		}
	}
	if f := r.Footprint; f.Startup > 0 {
		fmt.Fprintf(&b, "\n### Footprint\n\n`flywheel run` on a copy of the %s-record store: ready in %s (median), %s (worst); RSS %s when ready, %s peak after %d `/win`.\n",
			count(f.Records), ms(f.Startup), ms(f.StartupMax), mb(f.ReadyRSS), mb(f.PeakRSS), f.Load)
	}
	return b.String()
}

func (r *report) markdown() string {
	var b strings.Builder
	m := r.Machine
	b.WriteString("# Benchmarks\n\n")
	b.WriteString("Generated by `cmd/flywheel-bench`; do not edit by hand. Reproduce with:\n\n")
	fmt.Fprintf(&b, "```sh\n%s\n```\n\n", r.Command)
	fmt.Fprintf(&b, "Measured %s, took %s.\n\n", r.Started.UTC().Format("2006-01-02 15:04 MST"), r.Took.Round(time.Second))
	fmt.Fprintf(&b, "Machine: %s, %d cores (GOMAXPROCS %d), %.0f GB RAM, %s, %s; load average %s at the start, %s at the end.\n\n",
		m.CPU, m.Cores, m.GOMAXPROCS, m.MemGB, m.OS, m.Go, m.LoadBefore, m.LoadAfter)
	b.WriteString("## Results\n\n")
	if bl := r.Before; bl != nil {
		fmt.Fprintf(&b, "\"Before\" is `%s`, measured %s on the same machine (load average %s → %s)", bl.Command,
			bl.Measured.Format("2006-01-02 15:04 MST"), bl.Machine.LoadBefore, bl.Machine.LoadAfter)
		if bl.Note != "" {
			b.WriteString(": " + bl.Note)
		}
		b.WriteString(".\n\n")
	}
	b.WriteString(r.table())
	b.WriteString(r.details())
	b.WriteString(method)
	return b.String()
}
