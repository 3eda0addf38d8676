package bot

import (
	"context"
	"sync"
	"testing"

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
