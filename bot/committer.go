package bot

import (
	"context"
	"fmt"

	"flywheel/store"
)

// job is one envelope's work: fn records what it means inside a write
// transaction; done learns whether that transaction committed.
type job struct {
	fn   func(*store.Tx) error
	done func(err error)
}

// committer is a group-commit writer. It takes every job waiting, runs them in
// one bbolt transaction (one fsync for the lot), then reports to each. Under a
// burst the batches grow; when idle each job commits on its own at once. Jobs
// run in arrival order, so a reaction_removed never overtakes its
// reaction_added.
type committer struct {
	st  *store.Store
	in  chan job
	max int
}

// backlogged says envelopes are queuing for the writer: a burst is on.
// Their acks have a 3-second deadline; the outbox's posts have none, so the
// sender slows down while this is true (see sender.yield).
func (c *committer) backlogged() bool { return len(c.in) >= backlogMark }

// backlogMark is how many waiting envelopes count as a burst: more than
// a quiet moment's trickle, a fraction of one batch.
const backlogMark = 32

func newCommitter(st *store.Store) *committer {
	return &committer{st: st, in: make(chan job, 4096), max: 1024}
}

// submit queues a job; it blocks when the queue is full (backpressure on the
// socket reader) or returns false once ctx is done.
func (c *committer) submit(ctx context.Context, j job) bool {
	select {
	case c.in <- j:
		return true
	case <-ctx.Done():
		return false
	}
}

// run commits until ctx is done, then commits what is already queued so no
// accepted job is left without an answer.
func (c *committer) run(ctx context.Context) {
	batch := make([]job, 0, c.max)
	for {
		select {
		case j := <-c.in:
			batch = append(batch[:0], j)
		case <-ctx.Done():
			for {
				select {
				case j := <-c.in:
					c.commit([]job{j})
				default:
					return
				}
			}
		}
	fill:
		for len(batch) < c.max {
			select {
			case j := <-c.in:
				batch = append(batch, j)
			default:
				break fill
			}
		}
		c.commit(batch)
	}
}

// safe runs a job's fn, turning a panic (a bug, or input nobody foresaw)
// into an error: the envelope is not acked and the bot keeps running.
func safe(fn func(*store.Tx) error) func(*store.Tx) error {
	return func(tx *store.Tx) (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("handler panicked: %v", r)
			}
		}()
		return fn(tx)
	}
}

// commit runs the batch in one transaction. If it fails, each job is retried
// alone so one bad envelope cannot take its neighbours down with it.
func (c *committer) commit(batch []job) {
	err := c.st.Update(func(tx *store.Tx) error {
		for _, j := range batch {
			if err := safe(j.fn)(tx); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil || len(batch) == 1 {
		for _, j := range batch {
			j.done(err)
		}
		return
	}
	for _, j := range batch {
		j.done(c.st.Update(safe(j.fn)))
	}
}
