package main

import (
	"cmp"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// rawBatchDelay is db.MaxBatchDelay for the raw run: about one fsync on a
// cloud disk. With a goroutine per record the batches fill to MaxBatchSize
// long before it expires; it only decides how long the tail waits.
const rawBatchDelay = 2 * time.Millisecond

// rawBatchSize is db.MaxBatchSize for the raw run (bbolt's default).
const rawBatchSize = 1000

// rawRepeats: the raw run is short (tens of fsyncs), so it is repeated
// and the median taken.
const rawRepeats = 5

// rawResult is the raw bbolt limit.
type rawResult struct {
	N    int
	Took time.Duration
	Rate float64 // records per second
}

// rawSetting is how the raw run calls db.Batch.
type rawSetting struct {
	writers int           // goroutines; 0: one per record
	delay   time.Duration // db.MaxBatchDelay
}

var (
	// rawLimit: every record its own goroutine, all released at once.
	rawLimit = rawSetting{writers: 0, delay: rawBatchDelay}
	// rawWriters64 is group commit with a bounded number of callers (64
	// writers, MaxBatchDelay 1 ms), as a server with a worker pool has.
	rawWriters64 = rawSetting{writers: 64, delay: time.Millisecond}
)

// measureRaw inserts records into a fresh bbolt file, one record per
// db.Batch call, every call from its own goroutine, fsync on (bbolt's
// default). It is the ceiling for the ingest: same bytes, no Slack, no
// JSON, no indexes.
func measureRaw(ctx context.Context, records []rawRecord, n int, set rawSetting) (rawResult, error) {
	var runs []rawResult
	for range rawRepeats {
		r, err := rawOnce(ctx, records, n, set)
		if err != nil {
			return r, err
		}
		runs = append(runs, r)
	}
	slices.SortFunc(runs, func(a, b rawResult) int { return cmp.Compare(a.Rate, b.Rate) })
	return runs[len(runs)/2], nil
}

func rawOnce(ctx context.Context, records []rawRecord, n int, set rawSetting) (rawResult, error) {
	if len(records) == 0 {
		return rawResult{}, errors.New("no records to insert")
	}
	dir, err := os.MkdirTemp("", "flywheel-bench-raw-")
	if err != nil {
		return rawResult{}, err
	}
	defer os.RemoveAll(dir)
	db, err := bolt.Open(filepath.Join(dir, "raw.db"), 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return rawResult{}, err
	}
	defer db.Close()
	db.MaxBatchDelay, db.MaxBatchSize = set.delay, rawBatchSize
	if err := db.Update(func(tx *bolt.Tx) error {
		for _, name := range []string{"wins", "reactions"} {
			if _, err := tx.CreateBucketIfNotExists([]byte(name)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return rawResult{}, err
	}
	n = min(n, len(records))
	writers := set.writers
	if writers <= 0 || writers > n {
		writers = n
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	gate := make(chan struct{})
	for w := range writers {
		wg.Go(func() {
			<-gate
			for i := w; i < n; i += writers {
				if ctx.Err() != nil {
					errs[i] = ctx.Err()
					return
				}
				r := records[i]
				errs[i] = db.Batch(func(tx *bolt.Tx) error { return tx.Bucket([]byte(r.bucket)).Put(r.key, r.value) })
			}
		})
	}
	start := time.Now()
	close(gate)
	wg.Wait()
	took := time.Since(start)
	if err := errors.Join(errs...); err != nil {
		return rawResult{}, err
	}
	return rawResult{N: n, Took: took, Rate: float64(n) / took.Seconds()}, nil
}
