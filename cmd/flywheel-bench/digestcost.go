package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"time"

	"flywheel/digest"
	"flywheel/store"
)

// digestRuns is how many times each step is timed; the median is reported.
const digestRuns = 7

// opCost is the cost of one step: median and first time, allocations.
type opCost struct {
	First, Median time.Duration
	Allocs, Bytes uint64 // per run
}

// digestResult is the digest's cost on one history.
type digestResult struct {
	Records   int
	FileMB    int64
	Wins, Qs  int // in the digest's week, as Build counted them
	Gathered  int // wins + questions + answers Gather read
	Gather    opCost
	Build     opCost
	GatherAnd opCost // Gather + Build, the number the target is about
	Render    opCost
}

// measure runs fn runs times, each after a GC, and reports per step (fn
// returns the time of each of its steps) the first run's time (fresh file
// mapping, pages perhaps evicted from the page cache) and the median, and
// the allocations of a run.
func measure(runs int, fn func() ([]time.Duration, error)) ([]opCost, error) {
	var times [][]time.Duration
	var before, after runtime.MemStats
	var allocs, bytes uint64
	for range runs {
		runtime.GC()
		runtime.ReadMemStats(&before)
		steps, err := fn()
		if err != nil {
			return nil, err
		}
		runtime.ReadMemStats(&after)
		allocs += after.Mallocs - before.Mallocs
		bytes += after.TotalAlloc - before.TotalAlloc
		for i, d := range steps {
			if i == len(times) {
				times = append(times, nil)
			}
			times[i] = append(times[i], d)
		}
	}
	out := make([]opCost, len(times))
	for i, ts := range times {
		out[i] = opCost{First: ts[0], Allocs: allocs / uint64(runs), Bytes: bytes / uint64(runs)}
		slices.Sort(ts)
		out[i].Median = ts[len(ts)/2]
	}
	return out, nil
}

func measureDigest(ctx context.Context, h history, p params) (digestResult, error) {
	res := digestResult{Records: h.records}
	if fi, err := os.Stat(h.path); err == nil {
		res.FileMB = fi.Size() >> 20
	}
	st, err := store.Open(h.path, store.Options{ReadOnly: true})
	if err != nil {
		return res, err
	}
	defer st.Close()
	cfg := historyConfig()
	runs := digestRuns
	if p.quick {
		runs = 3
	}
	// Nothing one run builds is kept for the next: a run starts with the
	// small heap a bot has when the weekly digest fires.
	var d digest.Digest
	var read int // records Gather returned
	costs, err := measure(runs, func() ([]time.Duration, error) {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		start := time.Now()
		var in digest.Input
		err := st.View(func(tx *store.Tx) (err error) {
			in, err = digest.Gather(tx, digestEnd, digest.GatherWeeks)
			return err
		})
		if err != nil {
			return nil, err
		}
		gatherTook := time.Since(start)
		d = digest.Build(in, cfg, digestEnd)
		total := time.Since(start)
		read = len(in.Wins) + len(in.Questions) + len(in.Answers)
		return []time.Duration{total, gatherTook, total - gatherTook}, nil
	})
	if err != nil {
		return res, err
	}
	res.GatherAnd, res.Gather, res.Build = costs[0], costs[1], costs[2]
	var text string
	costs, err = measure(runs, func() ([]time.Duration, error) {
		start := time.Now()
		text, _ = digest.Render(d, digest.RenderOptions{})
		return []time.Duration{time.Since(start)}, nil
	})
	if err != nil {
		return res, err
	}
	res.Render = costs[0]
	if text == "" || d.Headline.Wins.Now == 0 {
		return res, fmt.Errorf("the digest is empty")
	}
	res.Wins, res.Qs = d.Headline.Wins.Now, d.Headline.Questions.Now
	res.Gathered = read
	return res, nil
}
