package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"flywheel/bot/slacktext"
	"flywheel/store"
)

// ackTimeout bounds handing an ack to slack-go's writer. If the socket is
// gone the ack is dropped and Slack redelivers; dedupe makes that harmless.
const ackTimeout = 2 * time.Second

// connection is one Socket Mode connection and the loop that reads it.
type connection struct {
	bot    *Bot
	client *socketmode.Client
	n      int
	up     bool

	mu     sync.Mutex
	recent []sentAck // acks of the last ackReplayWindow, oldest first

	// acks carries committed envelopes' acks to runAcks, so the committer
	// goes on to the next batch while slack-go encodes and writes these. Nil
	// (handlers run without Run, in tests): ack at once.
	acks chan queuedAck

	// ackFn replaces slack-go's AckCtx in fuzz tests, which run handlers
	// without a socket.
	ackFn func(ctx context.Context, envelopeID string, payload any) error
}

func (c *connection) sendAck(ctx context.Context, envelopeID string, payload any) error {
	if c.ackFn != nil {
		return c.ackFn(ctx, envelopeID, payload)
	}
	return c.client.AckCtx(ctx, envelopeID, payload)
}

// sentAck is an ack handed to slack-go, kept briefly for replay.
type sentAck struct {
	envelopeID string
	payload    any
	at         time.Time
}

// ackReplayWindow: when Slack refreshes a connection, slack-go closes the
// socket at once, and an ack its writer had just taken can vanish with it
// without any error. Acks of this long before a reconnect are sent again on
// the new socket; a repeated ack is harmless, a lost one costs a redelivery.
const ackReplayWindow = 3 * time.Second

// runSocket keeps the websocket up. slack-go reconnects by itself on
// disconnects and dropped sockets; it returns only on a fatal auth error or
// when ctx is done.
func (c *connection) runSocket(ctx context.Context) error {
	err := c.client.RunContext(ctx)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("socket mode connection %d: %w (check SLACK_APP_TOKEN and that Socket Mode is enabled for the app)", c.n, err)
}

// readLoop reads envelopes and hands them to the committer. Nothing slow runs
// here: slack-go's event channel holds 50 events, and a stalled reader makes
// the socket miss pings and drop envelopes.
func (c *connection) readLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			c.setUp(false)
			return
		case ev := <-c.client.Events:
			c.handle(ctx, ev)
		}
	}
}

func (c *connection) setUp(up bool) {
	if c.up == up {
		return
	}
	c.up = up
	b := c.bot
	if up {
		b.metrics.Connections.Inc()
		b.connected.Add(1)
	} else {
		b.metrics.Connections.Dec()
		b.connected.Add(-1)
	}
	b.ready.Store(b.connected.Load() > 0)
}

func (c *connection) handle(ctx context.Context, ev socketmode.Event) {
	b := c.bot
	defer c.recoverEnvelope(ev)
	if f := b.opts.Fault; f != nil && ev.Request != nil {
		f("envelope", ev.Request.EnvelopeID)
	}
	// Built only for the rare events that log: WithField allocates, and
	// this runs for every envelope.
	log := func() *logrus.Entry { return b.log.WithField("conn", c.n) }
	switch ev.Type {
	case socketmode.EventTypeConnecting:
		c.setUp(false)
		log().Debug("connecting to Slack")
	case socketmode.EventTypeConnected:
		c.setUp(true)
		log().Info("connected to Slack")
		if e, ok := ev.Data.(*socketmode.ConnectedEvent); ok && e.ConnectionCount > 0 {
			c.replayAcks(ctx, log())
		}
	case socketmode.EventTypeHello:
		c.setUp(true)
	case socketmode.EventTypeConnectionError:
		c.setUp(false)
		b.metrics.Errors.WithLabelValues("connection").Inc()
		if e, ok := ev.Data.(*slack.ConnectionErrorEvent); ok {
			log().WithError(e.ErrorObj).WithField("retry_in", e.Backoff).Warn("socket mode connection failed; retrying")
		}
	case socketmode.EventTypeInvalidAuth:
		b.metrics.Errors.WithLabelValues("auth").Inc()
		log().Error("Slack rejected SLACK_APP_TOKEN")
	case socketmode.EventTypeErrorWriteFailed:
		// An ack taken by a connection's writer just as Slack closed it is
		// lost with it. Send it again: the client's next connection writes it.
		b.metrics.Errors.WithLabelValues("socket").Inc()
		if wf, ok := ev.Data.(*socketmode.ErrorWriteFailed); ok && wf.Response != nil {
			resp := *wf.Response
			log().WithField("envelope_id", resp.EnvelopeID).Info("ack write failed on a closing connection; resending")
			b.inflight.Go(func() {
				actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ackTimeout)
				defer cancel()
				if err := c.sendAck(actx, resp.EnvelopeID, resp.Payload); err != nil {
					log().WithError(err).WithField("envelope_id", resp.EnvelopeID).Warn("could not resend ack; Slack will redeliver")
				}
			})
		}
	case socketmode.EventTypeIncomingError:
		b.metrics.Errors.WithLabelValues("socket").Inc()
		log().WithField("detail", fmt.Sprint(ev.Data)).Warn("socket mode read/write error")
	case socketmode.EventTypeErrorBadMessage:
		c.onBadMessage(ctx, ev, log())
	case socketmode.EventTypeEventsAPI:
		b.metrics.Envelopes.WithLabelValues("events_api").Inc()
		c.onEventsAPI(ctx, ev)
	case socketmode.EventTypeSlashCommand:
		b.metrics.Envelopes.WithLabelValues("slash_commands").Inc()
		c.onSlashCommand(ctx, ev)
	case socketmode.EventTypeInteractive:
		b.metrics.Envelopes.WithLabelValues("interactive").Inc()
		c.onInteractive(ctx, ev)
	default:
		log().WithField("type", ev.Type).Debug("ignoring socket mode event")
	}
}

// recoverEnvelope stops a panic in an envelope's handler (a bug, or input
// nobody foresaw) at the envelope: it is not acked, so Slack may redeliver
// it, and the read loop goes on to the next. Work handed to the writer is
// guarded there too (see safe).
func (c *connection) recoverEnvelope(ev socketmode.Event) {
	r := recover()
	if r == nil {
		return
	}
	b := c.bot
	env := ""
	if ev.Request != nil {
		env = ev.Request.EnvelopeID
	}
	b.metrics.Errors.WithLabelValues("panic").Inc()
	b.log.WithFields(logrus.Fields{"conn": c.n, "envelope_id": env, "type": ev.Type, "panic": firstLine(fmt.Sprint(r))}).
		Error("handling an envelope panicked; not acked")
}

// onBadMessage handles a frame slack-go could not parse (an unknown envelope
// type, a payload of the wrong shape). If it carries an envelope_id it is
// acked, so Slack does not redeliver it three more times, and logged.
func (c *connection) onBadMessage(ctx context.Context, ev socketmode.Event, log *logrus.Entry) {
	b := c.bot
	b.metrics.Envelopes.WithLabelValues("unparseable").Inc()
	b.metrics.Errors.WithLabelValues("bad_envelope").Inc()
	bad, _ := ev.Data.(*socketmode.ErrorBadMessage)
	var head struct {
		EnvelopeID string `json:"envelope_id"`
		Type       string `json:"type"`
	}
	if bad != nil {
		_ = json.Unmarshal(bad.Message, &head)
		log = log.WithError(bad.Cause).WithField("size", len(bad.Message))
	}
	log.WithFields(logrus.Fields{"envelope_id": head.EnvelopeID, "type": head.Type}).
		Warn("ignoring an envelope Flywheel cannot read")
	if head.EnvelopeID != "" {
		c.ack(context.WithoutCancel(ctx), head.EnvelopeID, time.Now(), nil)
	}
}

// process commits record's work once per dedupe key, then acks. record
// returns the ack payload (a slash command's private reply) or nil.
func (c *connection) process(ctx context.Context, req *socketmode.Request, key string, record func(*store.Tx) (any, error)) {
	b := c.bot
	received := time.Now()
	if b.log.IsLevelEnabled(logrus.DebugLevel) {
		b.log.WithFields(logrus.Fields{"conn": c.n, "envelope_id": req.EnvelopeID, "retry_attempt": req.RetryAttempt}).Debug("envelope received")
	}
	var ack json.RawMessage
	var dup bool
	fn := func(tx *store.Tx) error {
		ack, dup = nil, false // fn may run twice if its batch is retried
		if key != "" {
			seen, ok, err := tx.Seen(key)
			if err != nil {
				return err
			}
			if ok {
				ack, dup = seen.Ack, true
				return nil
			}
		}
		payload, err := record(tx)
		if err != nil {
			return err
		}
		if payload != nil {
			if ack, err = json.Marshal(payload); err != nil {
				return fmt.Errorf("encode ack: %w", err)
			}
		}
		if key != "" {
			return tx.MarkSeen(key, ack)
		}
		return nil
	}
	done := func(err error) {
		log := func() *logrus.Entry {
			return b.log.WithFields(logrus.Fields{"conn": c.n, "envelope_id": req.EnvelopeID, "key": key})
		}
		if err != nil {
			// No ack: Slack redelivers, and the record is written then.
			b.metrics.Errors.WithLabelValues("commit").Inc()
			log().WithError(err).Error("could not record envelope; not acking so Slack redelivers it")
			return
		}
		if dup {
			b.metrics.Duplicates.Inc()
			log().WithField("retry_attempt", req.RetryAttempt).Info("redelivered envelope already recorded; acking again")
		}
		c.queueAck(ctx, queuedAck{envelopeID: req.EnvelopeID, received: received, payload: ack})
		b.send.wake()
	}
	if !b.commit.submit(ctx, job{fn: fn, done: done}) {
		b.log.WithField("envelope_id", req.EnvelopeID).Warn("shutting down: envelope left for Slack to redeliver")
	}
}

// queuedAck is a committed envelope's ack on its way to the socket.
type queuedAck struct {
	envelopeID string
	received   time.Time
	payload    json.RawMessage
}

// ackQueue is how many committed acks may wait for slack-go's writer before
// the committer waits too: more than a full batch, so a burst never does.
const ackQueue = 4096

func (c *connection) queueAck(ctx context.Context, a queuedAck) {
	if c.acks == nil {
		c.ack(context.WithoutCancel(ctx), a.envelopeID, a.received, a.payload)
		return
	}
	c.acks <- a
}

// runAcks writes queued acks, in commit order, until the queue is closed
// (after the committer's last batch). Once ctx is done the socket is going
// or gone, so what is left shares one ackTimeout rather than one each.
func (c *connection) runAcks(ctx context.Context) {
	actx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(ackTimeout, cancel) })
	defer stop()
	for a := range c.acks {
		c.ack(actx, a.envelopeID, a.received, a.payload)
	}
}

// ack hands one ack to slack-go, waiting at most ackTimeout (and no longer
// than ctx: callers pass a context that outlives shutdown by design).
func (c *connection) ack(ctx context.Context, envelopeID string, received time.Time, payload json.RawMessage) {
	b := c.bot
	actx, cancel := context.WithTimeout(ctx, ackTimeout)
	defer cancel()
	var p any
	if len(payload) > 0 {
		p = payload
	}
	if err := c.sendAck(actx, envelopeID, p); err != nil {
		b.metrics.Errors.WithLabelValues("ack").Inc()
		b.log.WithError(err).WithField("envelope_id", envelopeID).Warn("could not ack; Slack will redeliver")
		return
	}
	c.remember(sentAck{envelopeID: envelopeID, payload: p, at: time.Now()})
	b.metrics.Acks.Inc()
	b.metrics.AckLatency.Observe(time.Since(received).Seconds())
	if b.log.IsLevelEnabled(logrus.DebugLevel) {
		b.log.WithFields(logrus.Fields{"conn": c.n, "envelope_id": envelopeID}).Debug("acked")
	}
}

// onEventsAPI routes Events API callbacks. Events are deduplicated by
// event_id, which Slack keeps across retries.
func (c *connection) onEventsAPI(ctx context.Context, ev socketmode.Event) {
	b := c.bot
	api, ok := ev.Data.(slackevents.EventsAPIEvent)
	if !ok || ev.Request == nil {
		return
	}
	key := "env:" + ev.Request.EnvelopeID
	if cb, ok := api.Data.(*slackevents.EventsAPICallbackEvent); ok && cb.EventID != "" {
		key = "ev:" + cb.EventID
	}
	switch inner := api.InnerEvent.Data.(type) {
	case *slackevents.ReactionAddedEvent:
		r := reaction(*inner)
		r.added = true
		c.process(ctx, ev.Request, key, func(tx *store.Tx) (any, error) { return nil, b.recordReaction(tx, r) })
	case *slackevents.ReactionRemovedEvent:
		r := reaction(slackevents.ReactionAddedEvent(*inner))
		c.process(ctx, ev.Request, key, func(tx *store.Tx) (any, error) { return nil, b.recordReaction(tx, r) })
	case *slackevents.MessageEvent:
		m := newMessageEvent(inner)
		d := b.draftMessage(m)
		c.process(ctx, ev.Request, key, func(tx *store.Tx) (any, error) { return nil, b.recordMessage(tx, m, d) })
	case *slackevents.AppHomeOpenedEvent:
		c.process(ctx, ev.Request, key, func(tx *store.Tx) (any, error) { return nil, b.homeOpened(tx, inner) })
	default:
		// Events Flywheel does not use are still acked, or Slack retries them.
		c.process(ctx, ev.Request, "", func(*store.Tx) (any, error) { return nil, nil })
	}
}

// interactionKey dedupes slash commands and interactions, which carry no
// event_id. A redelivery repeats the payload under a new envelope_id, and
// every invocation has its own trigger_id, so that is the key.
func interactionKey(triggerID string, req *socketmode.Request) string {
	if triggerID != "" {
		return "trig:" + triggerID
	}
	return "env:" + req.EnvelopeID
}

// onSlashCommand routes /win (and later commands).
func (c *connection) onSlashCommand(ctx context.Context, ev socketmode.Event) {
	b := c.bot
	cmd, ok := ev.Data.(slack.SlashCommand)
	if !ok || ev.Request == nil {
		return
	}
	key := interactionKey(cmd.TriggerID, ev.Request)
	switch cmd.Command {
	case "/win", "/ask", "/tip":
		// Free text: decoded here, once (see slacktext). /flywheel keeps
		// its text as sent: it reads <@U…|name> mentions as IDs.
		cmd.Text = slacktext.Decode(cmd.Text)
	}
	switch cmd.Command {
	case "/win":
		draft := b.draftWin(cmd)
		c.process(ctx, ev.Request, key, func(tx *store.Tx) (any, error) { return b.winCommand(tx, cmd, draft) })
	case "/tip":
		draft := b.draftTip(cmd)
		c.process(ctx, ev.Request, key, func(tx *store.Tx) (any, error) { return b.tipCommand(tx, cmd, draft) })
	case "/ask":
		var d *questionDraft
		if text := strings.TrimSpace(cmd.Text); text != "" && !strings.EqualFold(text, "help") && len(text) <= store.MaxQuestionText {
			d = b.draftAsk(cmd)
		}
		c.process(ctx, ev.Request, key, func(tx *store.Tx) (any, error) { return b.askCommand(tx, cmd, d) })
	case "/flywheel":
		switch sub, _ := flywheelSub(cmd.Text); sub {
		case "export":
			// One small outbox entry: the writer takes it, under the
			// envelope's dedupe key like every other envelope.
			c.process(ctx, ev.Request, key, func(tx *store.Tx) (any, error) { return b.exportCommand(tx, cmd) })
		case "digest":
			c.reply(ctx, ev.Request, key, func() answer { return b.digestPreview(cmd) })
		case "rollout":
			c.reply(ctx, ev.Request, key, func() answer { return b.rolloutPlan(cmd) })
		default:
			c.reply(ctx, ev.Request, key, func() answer { return answer{msg: b.flywheelCommand(cmd)} })
		}
	default:
		c.process(ctx, ev.Request, key, func(*store.Tx) (any, error) {
			return ephemeral(fmt.Sprintf("Sorry, I don't know the command `%s`. Try `/flywheel help`.", slacktext.Escape(cmd.Command))), nil
		})
	}
}

// onInteractive routes modal submissions, button clicks and message shortcuts.
func (c *connection) onInteractive(ctx context.Context, ev socketmode.Event) {
	b := c.bot
	cb, ok := ev.Data.(slack.InteractionCallback)
	if !ok || ev.Request == nil {
		return
	}
	key := interactionKey(cb.TriggerID, ev.Request)
	switch {
	case cb.Type == slack.InteractionTypeViewSubmission && cb.View.CallbackID == winModalID:
		c.process(ctx, ev.Request, key, func(tx *store.Tx) (any, error) { return b.winSubmission(tx, cb) })
	case cb.Type == slack.InteractionTypeViewSubmission && cb.View.CallbackID == nominateModalID:
		c.process(ctx, ev.Request, key, func(tx *store.Tx) (any, error) { return b.nominationSubmission(tx, cb) })
	case cb.Type == slack.InteractionTypeBlockActions && len(cb.ActionCallback.BlockActions) > 0:
		act := *cb.ActionCallback.BlockActions[0]
		var recent []store.Win
		if act.ActionID == actionHomeShareWin || act.ActionID == actionFollowUpWin {
			recent = b.recentWins() // the form's "Inspired by" list, read before the writer
		}
		c.process(ctx, ev.Request, key, func(tx *store.Tx) (any, error) { return nil, b.blockAction(tx, cb, act, recent) })
	case cb.Type == slack.InteractionTypeMessageAction && cb.CallbackID == shortcutShareAsWin:
		c.process(ctx, ev.Request, key, func(tx *store.Tx) (any, error) { return nil, b.shareAsWin(tx, cb) })
	default:
		c.process(ctx, ev.Request, "", func(*store.Tx) (any, error) { return nil, nil })
	}
}

func (c *connection) remember(a sentAck) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cut := 0
	for cut < len(c.recent) && a.at.Sub(c.recent[cut].at) > ackReplayWindow {
		cut++
	}
	c.recent = append(c.recent[cut:], a)
}

// replayAcks re-sends the acks of the last ackReplayWindow on the new socket.
func (c *connection) replayAcks(ctx context.Context, log *logrus.Entry) {
	c.mu.Lock()
	var replay []sentAck
	for _, a := range c.recent {
		if time.Since(a.at) <= ackReplayWindow {
			replay = append(replay, a)
		}
	}
	c.mu.Unlock()
	if len(replay) == 0 {
		return
	}
	log.WithField("acks", len(replay)).Debug("reconnected: re-sending recent acks")
	c.bot.inflight.Go(func() {
		for _, a := range replay {
			actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ackTimeout)
			err := c.sendAck(actx, a.envelopeID, a.payload)
			cancel()
			if err != nil {
				return
			}
		}
	})
}
