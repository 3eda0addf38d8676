package digest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/sirupsen/logrus"

	"flywheel/config"
	"flywheel/store"
)

const (
	// JobTimeout bounds one firing: reading the weeks and queueing the posts.
	JobTimeout = 2 * time.Minute
	// CatchUpWindow is how late a firing missed while the bot was down may
	// still be posted on start. A day-old digest is still news; an older
	// one would just be noise next to the coming one.
	CatchUpWindow = 24 * time.Hour
)

// Target is one channel that receives a digest: the company digest when
// Team is "", else that team's slice; the lead digest when Lead.
type Target struct {
	Channel string
	Team    string
	// Lead: the lead digest, for digest.lead_channel or, when that is
	// unset, an admin (Channel is their user ID: the post goes to their DM).
	Lead bool
}

// Targets lists where a firing posts: each of digest.channels gets the
// public company digest, each team with a channel its public slice, and
// digest.lead_channel (else each admin, by DM) the lead digest. A channel
// gets one post per firing, so a team channel also listed in
// digest.channels gets the company digest only.
func Targets(cfg *config.Config) []Target {
	var out []Target
	seen := map[string]bool{}
	add := func(tg Target) {
		if tg.Channel != "" && !seen[tg.Channel] {
			seen[tg.Channel] = true
			out = append(out, tg)
		}
	}
	for _, ch := range cfg.Digest.Channels {
		add(Target{Channel: ch})
	}
	for _, t := range cfg.Teams {
		add(Target{Channel: t.Channel, Team: t.Name})
	}
	if cfg.Digest.LeadChannel != "" {
		add(Target{Channel: cfg.Digest.LeadChannel, Lead: true})
	} else {
		for _, a := range cfg.Admins {
			add(Target{Channel: a, Lead: true})
		}
	}
	return out
}

// Scheduler posts the digest on each firing of digest.schedule, exactly
// once per firing and channel: the post goes into the store's outbox in
// the same transaction that marks the firing done for that channel.
type Scheduler struct {
	st     *store.Store
	cfg    func() *config.Config
	log    *logrus.Logger
	notify func()
	now    func() time.Time

	mu   sync.Mutex
	cron *cron.Cron
}

// NewScheduler makes a scheduler over st. cfg returns the current config
// (it is read at each firing, so team and channel changes apply at once; a
// new digest.schedule applies after Stop and Start). notify, if not nil, is
// called after a firing queued posts: the bot passes its sender's wake.
func NewScheduler(st *store.Store, cfg func() *config.Config, log *logrus.Logger, notify func()) *Scheduler {
	if log == nil {
		log = logrus.New()
		log.SetOutput(io.Discard)
	}
	// One clock: the store's, which tests fix.
	return &Scheduler{st: st, cfg: cfg, log: log, notify: notify, now: st.Now}
}

// Start posts a firing missed while the bot was down (see CatchUp), then
// runs the schedule until Stop. Jobs run under ctx, each with JobTimeout.
// It fails only when digest.schedule doesn't parse.
func (s *Scheduler) Start(ctx context.Context) error {
	cfg := s.cfg()
	sched, err := config.ParseSchedule(cfg.Digest.Schedule)
	if err != nil {
		return fmt.Errorf("digest.schedule: %w", err)
	}
	loc := cfg.Location()
	s.mu.Lock()
	started := s.cron != nil
	s.mu.Unlock()
	if started {
		return errors.New("digest scheduler already started")
	}
	if err := s.CatchUp(ctx); err != nil {
		// A failed catch-up must not keep the bot from serving; the
		// schedule still runs.
		s.log.WithError(err).Error("digest: catching up a missed firing failed")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cron != nil {
		return errors.New("digest scheduler already started")
	}
	logger := CronLogger{s.log}
	// The default chain does not recover panics; a panicking job would
	// take the bot down.
	c := cron.New(cron.WithLocation(loc), cron.WithLogger(logger),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)))
	// Jobs get no context: close over the root one.
	c.Schedule(sched, cron.FuncJob(func() { s.fire(ctx, sched, loc) }))
	c.Start()
	s.cron = c
	s.log.WithFields(logrus.Fields{"schedule": cfg.Digest.Schedule, "timezone": loc.String(), "next": c.Entries()[0].Next}).Info("digest scheduled")
	return nil
}

// fire is one run of the cron job: the digest of the firing running now,
// with JobTimeout.
func (s *Scheduler) fire(ctx context.Context, sched cron.Schedule, loc *time.Location) {
	ctx, cancel := context.WithTimeout(ctx, JobTimeout)
	defer cancel()
	t := nominal(sched, s.now().In(loc))
	if err := s.FireAt(ctx, t); err != nil {
		s.log.WithError(err).WithField("firing", store.FiringKey(t)).Error("digest: firing failed")
	}
}

// Stop stops the schedule and waits for a running firing to finish.
func (s *Scheduler) Stop() {
	s.mu.Lock()
	c := s.cron
	s.cron = nil
	s.mu.Unlock()
	if c != nil {
		<-c.Stop().Done()
	}
}

// CatchUp posts the latest scheduled firing if it is less than
// CatchUpWindow late, the database existed before it, and it was not
// posted yet (per channel). A "@every" schedule has no fixed firings to
// catch up and is skipped.
func (s *Scheduler) CatchUp(ctx context.Context) error {
	cfg := s.cfg()
	sched, err := config.ParseSchedule(cfg.Digest.Schedule)
	if err != nil {
		return fmt.Errorf("digest.schedule: %w", err)
	}
	t, ok := Latest(sched, s.now().In(cfg.Location()), CatchUpWindow)
	if !ok {
		return nil
	}
	var created time.Time
	if err := s.st.View(func(tx *store.Tx) error { created = tx.CreatedAt(); return nil }); err != nil {
		return err
	}
	if !created.Before(t) {
		return nil // the bot wasn't installed yet at that firing
	}
	s.log.WithField("firing", store.FiringKey(t)).Info("digest: catching up a firing missed while the bot was down")
	return s.FireAt(ctx, t)
}

// FireAt queues the digest of the 7 days before t for every Target that
// hasn't had firing t yet: one store.Update per channel checks
// FiringPosted, enqueues the post and marks the firing, so a retry, a
// restart or a crash between channels never posts twice nor skips one.
//
// Firings are keyed by their wall-clock time in digest.timezone, so the
// hour that repeats when clocks go back posts once. A firing less than half
// a schedule period from the last week posted to a channel is skipped
// there too: after digest.schedule or digest.timezone changes, the new
// schedule's first firing would otherwise post the same week again.
func (s *Scheduler) FireAt(ctx context.Context, t time.Time) error {
	cfg := s.cfg()
	t = t.In(cfg.Location())
	key := store.FiringKey(t)
	period := schedulePeriod(cfg.Digest.Schedule, t)
	var pending []Target
	err := s.st.View(func(tx *store.Tx) error {
		for _, tg := range Targets(cfg) {
			if tx.FiringPosted(t, tg.Channel) {
				continue
			}
			if last, ok := tx.LastFiring(tg.Channel); ok && !last.Equal(t) && t.Sub(last).Abs() < period/2 {
				s.log.WithFields(logrus.Fields{"firing": key, "channel": tg.Channel, "last_week_end": last}).
					Info("digest: this week was already posted under the previous schedule or time zone; skipped")
				continue
			}
			pending = append(pending, tg)
		}
		return nil
	})
	if err != nil || len(pending) == 0 {
		return err
	}
	in, err := Load(s.st, t)
	if err != nil {
		return fmt.Errorf("digest %s: %w", key, err)
	}
	var company *Digest
	var errs []error
	queued := 0
	for _, tg := range pending {
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		var d Digest
		if tg.Team == "" {
			if company == nil {
				c := Build(in, cfg, t)
				company = &c
			}
			d = *company
		} else {
			d = BuildTeam(in, cfg, t, tg.Team)
		}
		ok, err := s.enqueue(t, tg, d, s.trendChart(cfg, t, tg.Team))
		if err != nil {
			errs = append(errs, fmt.Errorf("digest %s for %s: %w", key, tg.Channel, err))
			continue
		}
		if ok {
			queued++
			s.log.WithFields(logrus.Fields{"firing": key, "channel": tg.Channel, "team": tg.Team}).Info("digest queued")
		}
	}
	if queued > 0 && s.notify != nil {
		s.notify()
	}
	return errors.Join(errs...)
}

// enqueue renders d (with the weeks before it, tc) and queues it for tg's
// channel unless firing t already was, and keeps the week's numbers; it
// reports whether it queued. The chart goes with the public digest; the
// lead digest has the trend's sparklines and claims without it.
func (s *Scheduler) enqueue(t time.Time, tg Target, d Digest, tc trendChart) (queued bool, err error) {
	if tg.Lead {
		tc.spec, tc.key = nil, ""
	}
	text, blocks := Render(d, RenderOptions{Lead: tg.Lead, Trend: tc.trend, Chart: tc.spec != nil})
	raw, err := json.Marshal(blocks)
	if err != nil {
		return false, fmt.Errorf("encode blocks: %w", err)
	}
	err = s.st.Update(func(tx *store.Tx) error {
		if tx.FiringPosted(t, tg.Channel) {
			return nil
		}
		if _, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPost, Channel: tg.Channel, Text: text, Blocks: raw,
			Chart: tc.spec, ChartKey: tc.key}); err != nil {
			return err
		}
		if err := tx.MarkFiring(t, tg.Channel); err != nil {
			return err
		}
		if err := tx.RecordWeek(t, tg.Team, NumbersOf(d)); err != nil {
			return err
		}
		queued = true
		return nil
	})
	return queued && err == nil, err
}

// schedulePeriod is the time between firings of spec around t: the
// shortest of the next few gaps that is over two hours (the gap across a
// repeated hour at a daylight-saving change is not a period), or a week
// when spec doesn't parse.
func schedulePeriod(spec string, t time.Time) time.Duration {
	sched, err := config.ParseSchedule(spec)
	if err != nil {
		return 7 * 24 * time.Hour
	}
	if every, ok := sched.(cron.ConstantDelaySchedule); ok {
		return every.Delay
	}
	var period time.Duration
	prev := sched.Next(t.Add(-time.Second))
	for range 4 {
		next := sched.Next(prev)
		if next.IsZero() {
			break
		}
		if gap := next.Sub(prev); gap > 2*time.Hour && (period == 0 || gap < period) {
			period = gap
		}
		prev = next
	}
	if period == 0 {
		return 7 * 24 * time.Hour
	}
	return period
}

// Latest is the latest activation of sched at or before now and less than
// within before it; ok is false when there is none, and for "@every"
// schedules, whose activations depend on when the bot started. Pass now in
// the digest time zone: a schedule reads its fields in now's location.
func Latest(sched cron.Schedule, now time.Time, within time.Duration) (t time.Time, ok bool) {
	if _, every := sched.(cron.ConstantDelaySchedule); every {
		return time.Time{}, false
	}
	// Next is strictly after its argument, so this finds activations in
	// (now-within, now]. The bound only matters for odd schedules.
	for next, i := sched.Next(now.Add(-within)), 0; !next.IsZero() && !next.After(now) && i < 1_000_000; next, i = sched.Next(next), i+1 {
		t, ok = next, true
	}
	return t, ok
}

// nominal is the scheduled time of the firing running at now: the latest
// activation at or before now (a job that starts a moment late still gets
// its own firing's key), or now to the second for "@every" schedules.
func nominal(sched cron.Schedule, now time.Time) time.Time {
	now = now.Truncate(time.Second)
	if t, ok := Latest(sched, now, CatchUpWindow); ok {
		return t
	}
	return now
}

// CronLogger sends cron's log lines to logrus: routine ones at debug,
// skipped runs at warning, errors (including recovered panics) at error.
// Every cron in the bot (the digest, backups, retention) logs through it.
type CronLogger struct{ Log *logrus.Logger }

// Info logs a routine cron message; a skipped run is a warning.
func (l CronLogger) Info(msg string, kv ...any) {
	e := l.Log.WithFields(fields(kv))
	if msg == "skip" {
		e.Warn("cron: previous run still running; skipped this one")
		return
	}
	e.Debug("cron: " + msg)
}

// Error logs a cron error, such as a recovered panic.
func (l CronLogger) Error(err error, msg string, kv ...any) {
	l.Log.WithError(err).WithFields(fields(kv)).Error("cron: " + msg)
}

func fields(kv []any) logrus.Fields {
	f := logrus.Fields{}
	for kv := range slices.Chunk(kv, 2) {
		if len(kv) == 2 {
			f[fmt.Sprint(kv[0])] = kv[1]
		}
	}
	return f
}
