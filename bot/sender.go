package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"flywheel/store"
)

const (
	// idleRecheck is how long a lane with nothing pending sleeps before
	// looking again. Every commit that queues work wakes it at once; this
	// only covers work queued by another process (`flywheel outbox retry`).
	idleRecheck = time.Minute
	// holdAfterSaveFailure: an entry whose new state could not be saved (a
	// full disk) is left alone this long, so a failing write never turns
	// into a loop of Slack calls.
	holdAfterSaveFailure = 5 * time.Second
)

// sender drains the outbox. It delivers and nothing else: what a post says
// was decided when it was queued (or is rendered by a pure function of the
// record it names), never by domain logic here.
//
// Two lanes run side by side, each picking its entries by due time from
// the store's due index: the urgent lane (modals, whose trigger_id lives 3
// seconds, and ephemeral replies) and the posts lane. A backlog of posts
// waiting out a 429 therefore never delays a form. A lane with nothing due
// sleeps until the next due time; nothing polls.
type sender struct {
	bot      *Bot
	lanes    []*lane
	stopping chan struct{}
	stopOnce sync.Once
}

func newSender(b *Bot) *sender {
	s := &sender{bot: b, stopping: make(chan struct{})}
	s.lanes = []*lane{newLane(s, true), newLane(s, false)}
	return s
}

// wake tells the lanes new entries were committed.
func (s *sender) wake() {
	for _, l := range s.lanes {
		select {
		case l.wakeCh <- struct{}{}:
		default:
		}
	}
}

// drainAndStop asks the lanes to deliver what is due and return.
func (s *sender) drainAndStop() { s.stopOnce.Do(func() { close(s.stopping) }) }

// run delivers until ctx is done or drainAndStop is called.
func (s *sender) run(ctx context.Context) {
	b := s.bot
	// The due index is rebuilt from the entries at start: it is derived
	// data, and a forget or an older version may have left it behind.
	if n, err := b.st.RebuildOutboxIndex(); err != nil {
		b.metrics.Errors.WithLabelValues("outbox").Inc()
		b.log.WithError(err).Error("cannot index the outbox; delivering what the old index holds")
	} else if n > 0 {
		b.log.WithField("pending", n).Info("outbox: delivering what was owed before the restart")
	}
	var wg sync.WaitGroup
	for _, l := range s.lanes {
		wg.Go(func() { l.run(ctx) })
	}
	wg.Wait()
}

// lane delivers one lane's entries, one at a time, in due order.
type lane struct {
	s      *sender
	bot    *Bot
	urgent bool
	wakeCh chan struct{}
	// blocked holds, per rate-limit key, when Slack's Retry-After ends.
	blocked map[limitKey]time.Time
	// held: entries left alone until then (their state could not be saved).
	held map[uint64]time.Time
	pace *pacer // posts lane only
}

// limitKey is what a 429 blocks: for posts, posting to that channel
// (Slack limits chat.postMessage per channel); else the kind's method.
type limitKey struct {
	kind   string
	target uint64
}

func newLane(s *sender, urgent bool) *lane {
	l := &lane{s: s, bot: s.bot, urgent: urgent, wakeCh: make(chan struct{}, 1),
		blocked: map[limitKey]time.Time{}, held: map[uint64]time.Time{}}
	if !urgent {
		p := s.bot.Config().Posting
		l.pace = newPacer(p.PerSecond, p.Burst)
	}
	return l
}

func keyOf(h store.OutboxHead) limitKey {
	if h.Kind == store.OutboxPost {
		return limitKey{h.Kind, h.Target}
	}
	return limitKey{kind: h.Kind}
}

func (l *lane) run(ctx context.Context) {
	for ctx.Err() == nil {
		next, worked := l.pass(ctx)
		select {
		case <-l.s.stopping:
			l.drain(ctx)
			return
		default:
		}
		if worked {
			continue // what was just tried is done, rescheduled or blocked: look again
		}
		select {
		case <-ctx.Done():
			return
		case <-l.s.stopping:
			l.drain(ctx)
			return
		case <-l.wakeCh:
			l.settle(ctx)
		case <-l.bot.clock.At(next):
		}
	}
}

// wakeSettle: woken while everything due was waiting (a Retry-After, the
// pace), the posts lane lets a burst's commits gather before it looks
// again, so thousands of waiting posts are not rescanned for every
// envelope. A post waits at most this much longer; a form, in the urgent
// lane, not at all.
const wakeSettle = 50 * time.Millisecond

func (l *lane) settle(ctx context.Context) {
	if l.urgent {
		return
	}
	t := time.NewTimer(wakeSettle)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-l.s.stopping:
	case <-t.C:
	}
}

// drain is shutdown's last delivery: what is due, and what that queues,
// for as long as ctx allows.
func (l *lane) drain(ctx context.Context) {
	for ctx.Err() == nil {
		if _, worked := l.pass(ctx); !worked {
			return
		}
	}
}

// pass tries every due entry that no Retry-After, pacing or hold keeps
// back. It returns when the lane next has something to do, and whether it
// tried anything.
func (l *lane) pass(ctx context.Context) (next time.Time, worked bool) {
	b := l.bot
	now := b.clock.Now()
	heads, due, err := b.st.OutboxDue(l.urgent, now)
	if err != nil {
		b.metrics.Errors.WithLabelValues("outbox").Inc()
		b.log.WithError(err).Error("cannot read the outbox")
		return now.Add(time.Second), false
	}
	next = now.Add(idleRecheck)
	if !due.IsZero() && due.Before(next) {
		next = due
	}
	l.forgetPast(now)
	if l.pace != nil {
		p := b.Config().Posting // a reload may change it
		l.pace.set(p.PerSecond, p.Burst)
	}
	for _, h := range heads {
		if ctx.Err() != nil {
			return now, worked
		}
		now = b.clock.Now()
		if d := l.holdOff(h, now); d > 0 {
			if at := now.Add(d); at.Before(next) {
				next = at
			}
			continue
		}
		if !l.urgent {
			l.yield(ctx)
		}
		worked = true
		l.attempt(ctx, h)
	}
	return next, worked
}

// holdOff says how long h must wait for a Retry-After, a hold or (posts)
// its channel's pace; 0 means go, and spends the pace's token.
func (l *lane) holdOff(h store.OutboxHead, now time.Time) time.Duration {
	if until, ok := l.blocked[keyOf(h)]; ok && until.After(now) {
		return until.Sub(now)
	}
	if until, ok := l.held[h.ID]; ok && until.After(now) {
		return until.Sub(now)
	}
	if l.pace != nil && h.Kind == store.OutboxPost {
		return l.pace.take(h.Target, now)
	}
	return 0
}

// forgetPast drops ended blocks and holds, and idle channels' buckets.
func (l *lane) forgetPast(now time.Time) {
	for k, until := range l.blocked {
		if !until.After(now) {
			delete(l.blocked, k)
		}
	}
	for id, until := range l.held {
		if !until.After(now) {
			delete(l.held, id)
		}
	}
	if l.pace != nil && len(l.pace.buckets) > 64 {
		l.pace.prune(now)
	}
}

// attempt delivers one entry and records the outcome.
func (l *lane) attempt(ctx context.Context, h store.OutboxHead) {
	b := l.bot
	var e store.OutboxEntry
	err := b.st.View(func(tx *store.Tx) (err error) {
		e, err = tx.OutboxEntry(h.ID)
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		// Deleted with its record (a forget, retention) since it was indexed.
		if _, err := b.st.DropStaleHead(h); err != nil {
			l.held[h.ID] = b.clock.Now().Add(holdAfterSaveFailure)
		}
		return
	case err != nil:
		b.metrics.Errors.WithLabelValues("outbox").Inc()
		b.log.WithError(err).WithField("outbox_id", h.ID).Error("cannot read an outbox entry; it goes to the dead letters at the next start")
		l.held[h.ID] = b.clock.Now().Add(time.Hour)
		return
	}
	if !e.ExpiresAt.IsZero() && b.clock.Now().After(e.ExpiresAt) {
		l.drop(e, "it expired before it could be sent (a modal's trigger lives 3 seconds)")
		return
	}
	if b.log.IsLevelEnabled(logrus.DebugLevel) {
		b.log.WithFields(logrus.Fields{"outbox_id": e.ID, "kind": e.Kind, "attempt": e.Attempts + 1}).Debug("delivering")
	}
	if err := l.deliverSafely(ctx, &e); err != nil {
		l.failed(ctx, e, err)
		return
	}
	b.metrics.Posts.WithLabelValues(e.Kind).Inc()
}

// panicError is a delivery that panicked: a bug, or an entry nobody
// foresaw. It costs that entry, never the process.
type panicError struct{ msg string }

func (p panicError) Error() string { return "delivery panicked: " + p.msg }

// deliverSafely is deliver with panics turned into a panicError.
func (l *lane) deliverSafely(ctx context.Context, e *store.OutboxEntry) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = panicError{msg: firstLine(fmt.Sprint(r))}
		}
	}()
	if f := l.bot.opts.Fault; f != nil {
		f("delivery", fmt.Sprint(e.ID))
	}
	return l.bot.deliver(ctx, e)
}

// burstPace is the posts lane's pace while a burst of envelopes is waiting
// for the writer: every delivery takes CPU and a write transaction from the
// envelopes, whose acks are due within 3 seconds. Slack itself lets a bot
// post about once a second per channel, so 50 a second loses nothing.
const burstPace = 20 * time.Millisecond

// yield gives way to a burst of envelopes: while the committer is
// backlogged it waits burstPace before each delivery. It says whether it
// waited.
func (l *lane) yield(ctx context.Context) bool {
	if !l.bot.commit.backlogged() {
		return false
	}
	t := time.NewTimer(burstPace)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
	return true
}
