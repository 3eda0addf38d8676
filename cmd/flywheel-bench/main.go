// Command flywheel-bench measures Flywheel on this machine and writes the
// results to docs/BENCHMARKS.md:
//
//   - ingest through the whole path (fake Slack websocket → slack-go
//     socketmode → handler → bbolt commit → ack), as a burst and paced;
//   - the limit: raw bbolt inserts of the same records, one per db.Batch;
//   - the digest's cost against the size of the history;
//   - the footprint of `flywheel run`: start-up time and peak RSS;
//   - the outbox: a crowd's wins drained into one channel under Slack's
//     per-channel limit, and /win acks while /ask hits 40k wins.
//
// Run it from the repository root:
//
//	go run ./cmd/flywheel-bench            # full run
//	go run ./cmd/flywheel-bench -quick     # smoke run, small sizes
//
// The history stores for the digest are generated once and cached outside
// the repository (-cache, default os.UserCacheDir()/flywheel-bench).
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "flywheel-bench:", err)
		os.Exit(1)
	}
}

// params are the sizes of one run; -quick shrinks them for a smoke run.
type params struct {
	quick      bool
	out        string
	cacheDir   string
	burst      int           // envelopes in the ingest burst
	pacedRate  int           // offered envelopes per second in the paced run
	pacedFor   time.Duration // how long the paced run offers them
	raw        int           // records inserted one per db.Batch
	weekWins   int           // wins in the digest's week (and every week of history)
	weekQs     int           // questions in the digest's week
	sizes      []int         // history sizes (records) for the digest cost
	maxRecords int           // sizes above this are skipped
	footprint  bool
	ingest     bool
	digest     bool // the digest's cost against history
	trends     bool // trends, the chart and the report
	home       bool // the admins' App Home
	cpuProfile string
	apiLatency time.Duration // added to every fake Web API call in the ingest runs
	jsonOut    string
	baseline   string
	outbox     bool
	paceWins   int           // wins posted into one channel in the pacing runs
	paceRate   float64       // Slack's per-channel limit in those runs (and the bot's pace)
	askRate    int           // /ask per second in the ack-under-load run
	winRate    int           // /win per second alongside
	askFor     time.Duration // how long the /ask load lasts
}

func parseFlags(args []string, stderr io.Writer) (params, error) {
	fs := flag.NewFlagSet("flywheel-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	p := params{}
	fs.BoolVar(&p.quick, "quick", false, "small sizes for a smoke run (about a minute)")
	fs.StringVar(&p.out, "out", filepath.Join("docs", "BENCHMARKS.md"), "write the report here (\"\" or \"-\": stdout only)")
	fs.StringVar(&p.cacheDir, "cache", "", "where generated history stores are cached (default: user cache dir/flywheel-bench)")
	fs.IntVar(&p.maxRecords, "max-records", 0, "skip history stores larger than this (0: no limit); e.g. 1000000 skips 10M in CI")
	fs.IntVar(&p.burst, "burst", 0, "envelopes in the ingest burst (default 20000, quick 1000)")
	fs.BoolVar(&p.footprint, "footprint", true, "measure `flywheel run` start-up and RSS (builds the binary)")
	fs.BoolVar(&p.ingest, "ingest", true, "run the ingest and raw bbolt measurements")
	fs.BoolVar(&p.digest, "digest", true, "measure the digest against the history stores")
	fs.BoolVar(&p.trends, "trends", true, "measure trends, the chart and the report on the history stores (copies each store)")
	fs.BoolVar(&p.home, "home", true, "measure the admins' App Home on the 1M-record history (copies it)")
	fs.StringVar(&p.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	fs.DurationVar(&p.apiLatency, "slack-latency", 0, "latency of the fake Slack's Web API in the ingest runs (0: the outbox sender posts flat out, competing for the database)")
	fs.StringVar(&p.jsonOut, "json", "", "also write the summary as JSON here (for -baseline)")
	fs.StringVar(&p.baseline, "baseline", "", "a -json file of an earlier run: its results become a \"before\" column")
	fs.BoolVar(&p.outbox, "outbox", true, "run the outbox measurements (pacing at Slack's limit takes 10 minutes at 1/s)")
	fs.Float64Var(&p.paceRate, "pace-rate", 0, "Slack's per-channel limit in the pacing runs, posts/s (default 1, Slack's; quick 20)")
	if err := fs.Parse(args); err != nil {
		return p, err
	}
	if fs.NArg() > 0 {
		return p, fmt.Errorf("unexpected arguments %q (flags only; see -h)", fs.Args())
	}
	p.askRate, p.winRate = 100, 10
	if p.quick {
		p.paceWins, p.askFor = 60, 3*time.Second
		if p.paceRate == 0 {
			p.paceRate = 20
		}
		p.pacedRate, p.pacedFor = 1000, 2*time.Second
		p.weekWins, p.weekQs = 1000, 200
		p.sizes = []int{10_000, 30_000}
		if p.burst == 0 {
			p.burst = 1000
		}
	} else {
		p.paceWins, p.askFor = 300, 10*time.Second
		if p.paceRate == 0 {
			p.paceRate = 1
		}
		p.pacedRate, p.pacedFor = 1000, 10*time.Second
		p.weekWins, p.weekQs = 10_000, 2_000
		p.sizes = []int{100_000, 1_000_000, 10_000_000}
		if p.burst == 0 {
			p.burst = 20_000
		}
	}
	p.raw = p.burst
	if p.cacheDir == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			dir = os.TempDir()
		}
		p.cacheDir = filepath.Join(dir, "flywheel-bench")
	}
	return p, nil
}

// burstRuns: a burst is over in about a second, and a second of a small
// shared machine is noisy, so each burst (the bot's, and the Slack path
// alone) runs this many times on a fresh bot and the median run is
// reported; every run's rate is listed with it.
const burstRuns = 3

// medianRun is the run with the median rate, and all the rates in run order.
func medianRun(runs []latencyStats) (latencyStats, []float64) {
	rates := make([]float64, len(runs))
	for i, r := range runs {
		rates[i] = r.Rate
	}
	sorted := slices.Clone(runs)
	slices.SortFunc(sorted, func(a, b latencyStats) int { return cmp.Compare(a.Rate, b.Rate) })
	return sorted[len(sorted)/2], rates
}

// medianP99 is the paced run with the median p99, and every run's p99 in
// run order. A paced run's p99 is its 100 slowest acks of 10,000: one
// stall of the shared machine of a tenth of a second decides it, so the
// paced run is repeated like the bursts.
func medianP99(runs []latencyStats) (latencyStats, []time.Duration) {
	p99s := make([]time.Duration, len(runs))
	for i, r := range runs {
		p99s[i] = r.P99
	}
	sorted := slices.Clone(runs)
	slices.SortFunc(sorted, func(a, b latencyStats) int { return cmp.Compare(a.P99, b.P99) })
	return sorted[len(sorted)/2], p99s
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	p, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	logf := func(format string, a ...any) {
		fmt.Fprintf(stderr, "%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, a...))
	}
	if p.cpuProfile != "" {
		f, err := os.Create(p.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	rep := &report{
		Command: strings.TrimSpace("go run ./cmd/flywheel-bench " + strings.Join(args, " ")),
		Machine: describeMachine(),
		Started: time.Now(),
		Params:  p,
	}
	if p.baseline != "" {
		if rep.Before, err = readBaseline(p.baseline); err != nil {
			return err
		}
	}
	if p.ingest {
		logf("ingest: burst of %d envelopes, then %d/s for %v", p.burst, p.pacedRate, p.pacedFor)
		var bursts, paced []latencyStats
		for i := range burstRuns {
			ing, err := measureIngest(ctx, p, logf, true)
			if err != nil {
				return fmt.Errorf("ingest: %w", err)
			}
			if i == 0 {
				rep.Ingest = ing
			}
			bursts = append(bursts, ing.Burst)
			paced = append(paced, ing.Paced)
		}
		rep.Ingest.Burst, rep.Ingest.BurstRates = medianRun(bursts)
		rep.Ingest.Paced, rep.Ingest.PacedP99s = medianP99(paced)
		logf("Slack path alone: the same burst, acked on read by slack-go")
		var alone []latencyStats
		for range burstRuns {
			sp, err := measureSlackPath(ctx, p)
			if err != nil {
				return fmt.Errorf("slack path: %w", err)
			}
			logf("  %.0f acks/s, p50 %v p99 %v", sp.Rate, sp.P50, sp.P99)
			alone = append(alone, sp)
		}
		rep.SlackPath, rep.SlackPathRates = medianRun(alone)
		logf("raw bbolt: %d records, one per db.Batch", p.raw)
		if rep.Raw, err = measureRaw(ctx, rep.Ingest.records, p.raw, rawLimit); err != nil {
			return fmt.Errorf("raw bbolt: %w", err)
		}
		if rep.Raw64, err = measureRaw(ctx, rep.Ingest.records, p.raw, rawWriters64); err != nil {
			return fmt.Errorf("raw bbolt, 64 writers: %w", err)
		}
	}
	if p.outbox {
		if rep.Outbox, err = measureOutbox(ctx, p, logf); err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
	}
	hist, err := prepareHistories(ctx, p, logf)
	if err != nil {
		return fmt.Errorf("history stores: %w", err)
	}
	for _, h := range hist {
		if !p.digest {
			break
		}
		logf("digest: %d records (%s)", h.records, h.path)
		dc, err := measureDigest(ctx, h, p)
		if err != nil {
			return fmt.Errorf("digest on %d records: %w", h.records, err)
		}
		rep.Digest = append(rep.Digest, dc)
	}
	scratch, err := os.MkdirTemp(p.cacheDir, "scratch-")
	if err != nil {
		return fmt.Errorf("scratch dir: %w", err)
	}
	defer os.RemoveAll(scratch)
	for _, h := range hist {
		if !p.trends {
			break
		}
		logf("trends: %d records", h.records)
		tc, err := measureTrends(ctx, h, p, scratch)
		if err != nil {
			return fmt.Errorf("trends on %d records: %w", h.records, err)
		}
		rep.Trends = append(rep.Trends, tc)
	}
	if p.home && len(hist) > 0 {
		h := footprintStore(hist) // the 1M one, as for `flywheel run`
		logf("App Home for an admin: %d records", h.records)
		if rep.AdminHome, err = measureAdminHome(ctx, h, p, scratch); err != nil {
			return fmt.Errorf("admin home on %d records: %w", h.records, err)
		}
	}
	if p.footprint && len(hist) > 0 {
		h := footprintStore(hist)
		logf("footprint: flywheel run on a copy of the %d-record store", h.records)
		fp, err := measureFootprint(ctx, h, p, logf)
		if err != nil {
			return fmt.Errorf("footprint: %w", err)
		}
		rep.Footprint = fp
	}
	rep.Took = time.Since(rep.Started)
	rep.Machine.LoadAfter = loadAverage()
	doc := rep.markdown()
	if p.jsonOut != "" {
		if err := rep.writeJSON(p.jsonOut); err != nil {
			return err
		}
	}
	fmt.Fprint(stdout, rep.table())
	if p.out != "" && p.out != "-" {
		if err := os.MkdirAll(filepath.Dir(p.out), 0o755); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		if err := os.WriteFile(p.out, []byte(doc), 0o644); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		logf("wrote %s", p.out)
	}
	return nil
}
