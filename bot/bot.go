// Package bot is Flywheel's Socket Mode bot: it turns slash commands,
// reactions and interactions into records in the store, acknowledges each
// envelope once its records are committed, and delivers the posts it owes
// from the store's outbox.
package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
	"golang.org/x/sync/errgroup"

	"flywheel/bot/textparse"
	"flywheel/config"
	"flywheel/store"
)

// defaultCallTimeout bounds every Web API call: slack-go's default HTTP
// client has no timeout, and one hung call would stall the outbox forever.
const defaultCallTimeout = 10 * time.Second

// Options are the bot's collaborators beyond its config.
type Options struct {
	Log     *logrus.Logger
	Metrics *Metrics
	// PingInterval overrides how long slack-go waits for Slack's websocket
	// pings before reconnecting (0 = slack-go's 30 s default).
	PingInterval time.Duration
	// DrainTimeout is how long shutdown keeps delivering queued posts.
	DrainTimeout time.Duration
	// DueInterval is how often scheduled nudges and follow-ups are checked
	// (default 30 s; tests use less).
	DueInterval time.Duration
	// CallTimeout bounds each Slack Web API call (default 10 s).
	CallTimeout time.Duration
	// Reload re-reads the config for `/flywheel reload` (nil: not offered).
	Reload func() (*config.Config, error)
	// Clock is the outbox's time (default: the store's clock). A test that
	// sets it gives the store the same one (store.Options.Now).
	Clock Clock
	// Fault, when set, is called at the start of each envelope handler
	// ("envelope", with the envelope ID), read-only reply ("reply"),
	// outbox delivery ("delivery", with the entry ID) and scheduled nudge or
	// follow-up ("due", with the question ID). Fault-injection
	// tests panic in it to prove that one poisoned input costs one envelope
	// or one entry, never the process.
	Fault func(boundary, id string)
}

// Bot is one running Flywheel bot.
type Bot struct {
	cfg     atomic.Pointer[config.Config]
	tools   atomic.Pointer[textparse.ToolMatcher]
	st      *store.Store
	log     *logrus.Logger
	metrics *Metrics
	opts    Options
	clock   Clock

	api       *slack.Client
	botUserID string
	commit    *committer
	send      *sender

	connected atomic.Int32
	ready     atomic.Bool

	// groupTeams maps user ID -> team name from teams' Slack user groups.
	groupTeams atomic.Pointer[map[string]string]
	// reloaded and digestReload are signalled when the config is swapped in.
	reloaded     chan struct{}
	digestReload chan struct{}
	// inflight tracks read-only replies built off the read loop.
	inflight sync.WaitGroup
	// stopping is closed when Run's context ends: work tracked by
	// inflight that waits on something stops waiting then.
	stopping <-chan struct{}
}

// New prepares a bot; Run connects it.
func New(cfg *config.Config, st *store.Store, opts Options) *Bot {
	if opts.Log == nil {
		opts.Log = logrus.New()
	}
	if opts.Metrics == nil {
		opts.Metrics = NewMetrics()
	}
	if opts.CallTimeout <= 0 {
		opts.CallTimeout = defaultCallTimeout
	}
	if opts.DrainTimeout == 0 {
		opts.DrainTimeout = 2 * time.Second
	}
	if opts.Clock == nil {
		opts.Clock = storeClock{now: st.Now}
	}
	b := &Bot{st: st, log: opts.Log, metrics: opts.Metrics, opts: opts, clock: opts.Clock,
		reloaded: make(chan struct{}, 1), digestReload: make(chan struct{}, 1)}
	b.setConfig(cfg)
	b.metrics.watchOutbox(st, b.clock.Now)
	b.api = slack.New(cfg.BotToken,
		slack.OptionAppLevelToken(cfg.AppToken),
		slack.OptionAPIURL(cfg.APIURL),
		slack.OptionHTTPClient(&http.Client{Timeout: opts.CallTimeout + time.Second}),
	)
	b.commit = newCommitter(st)
	b.send = newSender(b)
	return b
}

// SetConfig swaps in a new config (tools, teams) without a restart and
// re-reads the teams' Slack user groups.
func (b *Bot) SetConfig(cfg *config.Config) {
	b.setConfig(cfg)
	for _, ch := range []chan struct{}{b.reloaded, b.digestReload} {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

func (b *Bot) setConfig(cfg *config.Config) {
	tools := make([]textparse.Tool, 0, len(cfg.Tools))
	for _, t := range cfg.Tools {
		tools = append(tools, textparse.Tool{Name: t.Name, Aliases: t.Aliases})
	}
	b.tools.Store(textparse.NewToolMatcher(tools))
	b.cfg.Store(cfg)
}

// Config is the config in force.
func (b *Bot) Config() *config.Config { return b.cfg.Load() }

// Ready reports whether at least one Socket Mode connection is open.
func (b *Bot) Ready() bool { return b.ready.Load() }

// Metrics returns the bot's metrics.
func (b *Bot) Metrics() *Metrics { return b.metrics }

// Run connects to Slack and serves until ctx is done, then shuts down in
// order: stop reading, commit and ack what was read, deliver queued posts for
// a moment, return. The store is the caller's to close after Run returns.
func (b *Bot) Run(ctx context.Context) error {
	if err := b.authenticate(ctx); err != nil {
		return err
	}
	b.log.WithField("bot_user", b.botUserID).Info("authenticated with Slack")
	b.stopping = ctx.Done()

	commitCtx, stopCommit := context.WithCancel(context.WithoutCancel(ctx))
	sendCtx, stopSend := context.WithCancel(context.WithoutCancel(ctx))
	defer stopSend()
	n := b.Config().Socket.Connections
	if n < 1 {
		n = 1
	}
	conns := make([]*connection, n)
	for i := range conns {
		var opts []socketmode.Option
		if b.opts.PingInterval > 0 {
			opts = append(opts, socketmode.OptionPingInterval(b.opts.PingInterval))
		}
		conns[i] = &connection{bot: b, client: socketmode.New(b.api, opts...), n: i, acks: make(chan queuedAck, ackQueue)}
	}
	var ackers sync.WaitGroup
	for _, c := range conns {
		ackers.Go(func() { c.runAcks(ctx) })
	}
	var bg sync.WaitGroup
	bg.Go(func() {
		b.commit.run(commitCtx)
		for _, c := range conns {
			close(c.acks) // the committer's last batch has been acked into the queues
		}
	})
	bg.Go(func() { b.send.run(sendCtx) })
	bg.Go(func() { b.purgeDedupe(commitCtx) })
	bg.Go(func() { b.refreshUsergroups(commitCtx) })
	bg.Go(func() { b.runDue(commitCtx) })
	bg.Go(func() { b.runDigests(commitCtx) })
	bg.Go(func() { b.runMaintenance(commitCtx) })
	bg.Go(func() { b.checkChannels(commitCtx) })

	g, gctx := errgroup.WithContext(ctx)
	for _, conn := range conns {
		g.Go(func() error { return conn.runSocket(gctx) })
		g.Go(func() error { conn.readLoop(gctx); return nil })
	}
	err := g.Wait()
	b.inflight.Wait()
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		err = nil
	}

	// Everything read has been submitted; let the committer answer it, then
	// give the sender a moment to deliver what those commits queued.
	stopCommit()
	drain := time.AfterFunc(b.opts.DrainTimeout, stopSend)
	b.send.drainAndStop()
	bg.Wait()
	ackers.Wait()
	drain.Stop()
	b.ready.Store(false)
	return err
}

// authenticate learns the bot's own user ID (to ignore its own messages and
// reactions) and fails fast on a bad token. Unreachable Slack is retried.
func (b *Bot) authenticate(ctx context.Context) error {
	delay := time.Second
	for {
		callCtx, cancel := context.WithTimeout(ctx, b.opts.CallTimeout)
		resp, err := b.api.AuthTestContext(callCtx)
		cancel()
		if err == nil {
			b.botUserID = resp.UserID
			return nil
		}
		var slackErr slack.SlackErrorResponse
		if errors.As(err, &slackErr) {
			return fmt.Errorf("slack rejected SLACK_BOT_TOKEN (auth.test: %s)", slackErr.Err)
		}
		var rl *slack.RateLimitedError
		if errors.As(err, &rl) {
			delay = max(rl.RetryAfter, delay)
		}
		b.log.WithError(err).WithField("retry_in", delay).Warn("cannot reach Slack; retrying")
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
		delay = min(2*delay, time.Minute)
	}
}

// purgeDedupe deletes expired dedupe records hourly so the file stays small.
func (b *Bot) purgeDedupe(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := b.st.PurgeSeen(); err != nil {
				b.log.WithError(err).Warn("could not purge expired dedupe records")
			} else if n > 0 {
				b.log.WithField("purged", n).Debug("purged expired dedupe records")
			}
		}
	}
}
