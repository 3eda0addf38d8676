package bot

import (
	"context"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/store"
)

// TestCommitterSurvivesAPanickingHandler: a handler that panics (a bug, or
// input nobody foresaw) fails its own envelope only. Its batch is retried
// one job at a time, so the neighbours commit and are answered, and the
// writer keeps serving.
func TestCommitterSurvivesAPanickingHandler(t *testing.T) {
	b := newTestBot(t)
	c := newCommitter(b.st)
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})

	var mu sync.Mutex
	results := map[string]error{}
	var wg sync.WaitGroup
	job := func(name string, fn func(*store.Tx) error) job {
		wg.Add(1)
		return job{fn: fn, done: func(err error) {
			mu.Lock()
			results[name] = err
			mu.Unlock()
			wg.Done()
		}}
	}
	addWin := func(text string) func(*store.Tx) error {
		return func(tx *store.Tx) error {
			w := store.Win{Author: "UANA", Text: text, Source: store.SourceCommand}
			return tx.AddWin(&w)
		}
	}
	// Queued before the writer starts, so all three share one batch.
	require.True(t, c.submit(ctx, job("before", addWin("first"))))
	require.True(t, c.submit(ctx, job("panics", func(*store.Tx) error {
		var m map[string]int
		m["boom"]++ // nil map write: a runtime panic
		return nil
	})))
	require.True(t, c.submit(ctx, job("after", addWin("second"))))
	go func() { c.run(ctx); close(stopped) }()
	wg.Wait()

	assert.NoError(t, results["before"])
	assert.NoError(t, results["after"])
	require.Error(t, results["panics"])
	assert.Contains(t, results["panics"].Error(), "handler panicked")

	// Still serving.
	require.True(t, c.submit(ctx, job("later", addWin("third"))))
	wg.Wait()
	assert.NoError(t, results["later"])
	cancel()
	<-stopped

	var texts []string
	require.NoError(t, b.st.View(func(tx *store.Tx) error {
		ws, err := tx.WinsByUser("UANA")
		for _, w := range ws {
			texts = append(texts, w.Text)
		}
		return err
	}))
	assert.Equal(t, []string{"first", "second", "third"}, texts, "each committed once, the panicking job not at all")
}

// TestCountersFollowTheCommit: a win and a cheer recorded in a batch that
// is rolled back (a neighbour failed) and then committed alone are counted
// once; a job that never commits counts nothing.
func TestCountersFollowTheCommit(t *testing.T) {
	b := newTestBot(t)
	c := newCommitter(b.st)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	submit := func(fn func(*store.Tx) error) {
		wg.Add(1)
		require.True(t, c.submit(ctx, job{fn: fn, done: func(error) { wg.Done() }}))
	}
	var post store.Win
	require.NoError(t, b.st.Update(func(tx *store.Tx) error {
		post = store.Win{Author: "UBEN", Text: "saved 1h", Source: store.SourceCommand, PostChannel: "CWINS", PostTS: "1.1"}
		return tx.AddWin(&post)
	}))
	// Queued before the writer starts, so all three share one batch.
	submit(func(tx *store.Tx) error {
		w := store.Win{Author: "UANA", Text: "saved 2h with Claude", Source: store.SourceCommand}
		return b.addWin(tx, &w)
	})
	submit(func(tx *store.Tx) error {
		return b.recordReaction(tx, reactionEvent{added: true, user: "UCHLOE", emoji: "fire", itemType: "message", channel: "CWINS", ts: "1.1"})
	})
	submit(func(tx *store.Tx) error {
		w := store.Win{Author: "UDEV", Text: "never kept", Source: store.SourceModal}
		if err := b.addWin(tx, &w); err != nil {
			return err
		}
		return store.ErrNotFound // fails after counting would have happened
	})
	go c.run(ctx)
	wg.Wait()
	assert.Equal(t, 1.0, testutil.ToFloat64(b.metrics.Wins.WithLabelValues("command")), "committed once, counted once")
	assert.Equal(t, 1.0, testutil.ToFloat64(b.metrics.Amplifications))
	assert.Zero(t, testutil.ToFloat64(b.metrics.Wins.WithLabelValues("modal")), "never committed, never counted")
}
