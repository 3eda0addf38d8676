package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/slack-go/slack"

	"flywheel/store"
)

const (
	maxAttempts  = 8
	maxBackoff   = 5 * time.Minute
	idleRecheck  = 30 * time.Second
	outboxWindow = 200
)

// sender drains the outbox: it makes each Slack call the bot owes, records
// what the call produced (a post's ts), and removes the entry in one
// transaction. It honours 429 Retry-After per method and backs off on
// transient errors; an entry that can never succeed goes to the dead letters,
// logged, never silently dropped.
type sender struct {
	bot      *Bot
	wakeCh   chan struct{}
	stopping chan struct{}
	stopOnce sync.Once
	// blocked holds, per Web API method, when Slack's Retry-After ends.
	blocked map[string]time.Time
}

func newSender(b *Bot) *sender {
	return &sender{bot: b, wakeCh: make(chan struct{}, 1), stopping: make(chan struct{}), blocked: map[string]time.Time{}}
}

// wake tells the sender new entries were committed.
func (s *sender) wake() {
	select {
	case s.wakeCh <- struct{}{}:
	default:
	}
}

// drainAndStop asks run to make one last pass over what is due and return.
func (s *sender) drainAndStop() { s.stopOnce.Do(func() { close(s.stopping) }) }

func (s *sender) run(ctx context.Context) {
	for {
		next := s.pass(ctx)
		select {
		case <-s.stopping:
			s.pass(ctx)
			return
		default:
		}
		timer := time.NewTimer(next)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-s.stopping:
			timer.Stop()
			s.pass(ctx)
			return
		case <-s.wakeCh:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// pass delivers every due entry once and says how long until the next is due.
func (s *sender) pass(ctx context.Context) time.Duration {
	b := s.bot
	entries, err := b.st.Outbox(outboxWindow)
	if err != nil {
		b.metrics.Errors.WithLabelValues("outbox").Inc()
		b.log.WithError(err).Error("cannot read the outbox")
		return time.Second
	}
	b.metrics.OutboxPending.Set(float64(len(entries)))
	next := idleRecheck
	if len(entries) == outboxWindow {
		next = 0
	}
	for _, e := range entries {
		if ctx.Err() != nil {
			return next
		}
		now := time.Now()
		if !e.ExpiresAt.IsZero() && now.After(e.ExpiresAt) {
			s.giveUp(e, "expired before it could be sent")
			continue
		}
		wait := e.NotBefore.Sub(now)
		if until, ok := s.blocked[method(e)]; ok && until.Sub(now) > wait {
			wait = until.Sub(now)
		}
		if wait > 0 {
			next = min(next, wait)
			continue
		}
		s.yield(ctx)
		if b.log.IsLevelEnabled(logrus.DebugLevel) {
			b.log.WithFields(logrus.Fields{"outbox_id": e.ID, "kind": e.Kind}).Debug("delivering")
		}
		if err := s.deliver(ctx, e); err != nil {
			if retryIn := s.failed(e, err); retryIn > 0 {
				next = min(next, retryIn)
			}
			continue
		}
		b.metrics.Posts.WithLabelValues(e.Kind).Inc()
		if e.Kind == store.OutboxNominate {
			next = 0 // it queued the win's post: go round again at once
		}
	}
	return max(next, 10*time.Millisecond)
}

// burstPace is the sender's pace while a burst of envelopes is waiting for
// the writer: every delivery takes CPU and a write transaction from the
// envelopes, whose acks are due within 3 seconds. Slack itself lets a bot
// post about once a second per channel, so 50 a second loses nothing.
const burstPace = 20 * time.Millisecond

// yield gives way to a burst of envelopes: while the committer is
// backlogged it waits burstPace before each delivery. It says whether it
// waited.
func (s *sender) yield(ctx context.Context) bool {
	if !s.bot.commit.backlogged() {
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

// failed decides between retry and dead letter, and returns the retry delay.
func (s *sender) failed(e store.OutboxEntry, err error) time.Duration {
	b := s.bot
	log := b.log.WithFields(logrus.Fields{"outbox_id": e.ID, "kind": e.Kind, "channel": e.Channel, "attempt": e.Attempts + 1})
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		// Slack's rate limits are per method: wait out Retry-After for this
		// method only, without spending one of the entry's attempts.
		wait := max(rl.RetryAfter, time.Second)
		s.blocked[method(e)] = time.Now().Add(wait)
		log.WithField("retry_after", wait).Warn("Slack rate limited us; waiting as asked")
		b.metrics.Errors.WithLabelValues("ratelimited").Inc()
		return wait
	}
	b.metrics.Errors.WithLabelValues("slack_call").Inc()
	if permanent(err) {
		s.giveUp(e, err.Error())
		return 0
	}
	e.Attempts++
	e.LastError = err.Error()
	if e.Attempts >= maxAttempts {
		s.giveUp(e, fmt.Sprintf("gave up after %d attempts: %v", e.Attempts, err))
		return 0
	}
	wait := min(time.Duration(1<<(e.Attempts-1))*time.Second, maxBackoff)
	e.NotBefore = time.Now().Add(wait)
	log.WithError(err).WithField("retry_in", wait).Warn("Slack call failed; will retry")
	if err := b.st.Update(func(tx *store.Tx) error { return tx.Retry(e) }); err != nil {
		log.WithError(err).Error("cannot save retry state")
	}
	return wait
}

func (s *sender) giveUp(e store.OutboxEntry, reason string) {
	b := s.bot
	b.metrics.Errors.WithLabelValues("gave_up").Inc()
	b.log.WithFields(logrus.Fields{"outbox_id": e.ID, "kind": e.Kind, "channel": e.Channel, "reason": reason}).
		Error("giving up on a Slack call; kept in the dead-letter outbox")
	if err := b.st.Update(func(tx *store.Tx) error { return tx.GiveUp(e, reason) }); err != nil {
		b.log.WithError(err).Error("cannot move entry to the dead-letter outbox")
	}
}

// permanent says whether retrying err can never help.
func permanent(err error) bool {
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) {
		return false // network errors, timeouts, 5xx, malformed JSON: retry
	}
	switch se.Err {
	case "ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout", "team_added_to_org":
		return false
	}
	return true
}

func method(e store.OutboxEntry) string {
	switch e.Kind {
	case store.OutboxPost:
		return "chat.postMessage"
	case store.OutboxEphemeral:
		return "chat.postEphemeral"
	case store.OutboxOpenView:
		return "views.open"
	case store.OutboxNominate:
		return "conversations.history"
	}
	return e.Kind
}

// deliver makes one entry's Slack call and commits its effects.
func (s *sender) deliver(ctx context.Context, e store.OutboxEntry) error {
	b := s.bot
	cctx, cancel := context.WithTimeout(ctx, b.opts.CallTimeout)
	defer cancel()
	switch e.Kind {
	case store.OutboxPost:
		if ok, err := b.renderWinPost(&e); err != nil {
			return err
		} else if !ok {
			b.log.WithFields(logrus.Fields{"outbox_id": e.ID, "win_id": e.WinID}).Info("win no longer exists (forgotten or past retention); not posting it")
			return b.st.Update(func(tx *store.Tx) error { return tx.Done(e.ID) })
		}
		if e.LinkTS != "" && strings.Contains(e.Text, store.PermalinkPlaceholder) {
			link, err := b.api.GetPermalinkContext(cctx, &slack.PermalinkParameters{Channel: e.LinkChannel, Ts: e.LinkTS})
			if err != nil {
				return fmt.Errorf("chat.getPermalink: %w", err)
			}
			e.Text = strings.ReplaceAll(e.Text, store.PermalinkPlaceholder, link)
		}
		if err := s.attachChart(cctx, &e); err != nil {
			return err
		}
		opts := []slack.MsgOption{slack.MsgOptionText(e.Text, false),
			slack.MsgOptionDisableLinkUnfurl(), slack.MsgOptionDisableMediaUnfurl()}
		if len(e.Blocks) > 0 {
			var blocks slack.Blocks
			if err := json.Unmarshal(e.Blocks, &blocks); err != nil {
				return fmt.Errorf("decode blocks: %w", err)
			}
			opts = append(opts, slack.MsgOptionBlocks(blocks.BlockSet...))
		}
		if e.ThreadTS != "" {
			opts = append(opts, slack.MsgOptionTS(e.ThreadTS))
		}
		channel, ts, err := s.postOnce(cctx, e, opts)
		if err != nil && chartRefused(e, err) {
			// Slack would not show the chart: post the message without it
			// rather than not at all (its text states the same numbers).
			b.log.WithError(err).WithField("outbox_id", e.ID).Warn("Slack refused the chart; posting without it")
			e.Blocks = withoutChart(e.Blocks)
			return s.deliver(ctx, e)
		}
		if err != nil {
			return err
		}
		return b.st.Update(func(tx *store.Tx) error {
			if e.QuestionPost && e.QuestionID != 0 {
				if err := tx.IndexQuestionMessage(channel, ts, e.QuestionID); err != nil {
					return err
				}
			}
			if e.WinPost && e.WinID != 0 {
				w, err := tx.Win(e.WinID)
				if err != nil {
					return err
				}
				w.PostChannel, w.PostTS = channel, ts
				if err := tx.UpdateWin(&w); err != nil {
					return err
				}
			}
			return tx.Done(e.ID)
		})
	case store.OutboxEphemeral:
		if _, err := b.api.PostEphemeralContext(cctx, e.Channel, e.User, slack.MsgOptionText(e.Text, false)); err != nil {
			return err
		}
	case store.OutboxOpenView:
		var view slack.ModalViewRequest
		if err := json.Unmarshal(e.View, &view); err != nil {
			return fmt.Errorf("decode view: %w", err)
		}
		if _, err := b.api.OpenViewContext(cctx, e.TriggerID, view); err != nil {
			return err
		}
	case store.OutboxNominate:
		return b.completeNomination(cctx, e)
	case store.OutboxPublishHome:
		if err := b.publishHome(cctx, e); err != nil {
			return err
		}
	case store.OutboxExport:
		// Four calls, one carrying the file: sendExport times each itself.
		if err := b.sendExport(ctx, e); err != nil {
			return err
		}
	default:
		b.log.WithField("kind", e.Kind).Error("unknown outbox entry kind")
		return slack.SlackErrorResponse{Err: "unknown_outbox_kind"}
	}
	return b.st.Update(func(tx *store.Tx) error { return tx.Done(e.ID) })
}

// outboxMetadataType tags the bot's posts with their outbox entry, so a post
// whose outcome is unknown can be found instead of made twice.
const outboxMetadataType = "flywheel_outbox"

// postOnce posts e at most once. Before the first attempt it commits
// Sending; if Sending was already set, an earlier attempt may have reached
// Slack before a crash or timeout, so it first looks in the channel's
// history for a post carrying this entry's ID and adopts it.
func (s *sender) postOnce(ctx context.Context, e store.OutboxEntry, opts []slack.MsgOption) (string, string, error) {
	b := s.bot
	channelLike := strings.HasPrefix(e.Channel, "C") || strings.HasPrefix(e.Channel, "G")
	if e.Sending && channelLike {
		if ts, err := s.findPosted(ctx, e); err != nil {
			return "", "", err
		} else if ts != "" {
			b.log.WithFields(logrus.Fields{"outbox_id": e.ID, "ts": ts}).Info("found an earlier attempt's post; not posting again")
			return e.Channel, ts, nil
		}
	}
	if !e.Sending {
		e.Sending = true
		if err := b.st.Update(func(tx *store.Tx) error { return tx.Retry(e) }); err != nil {
			return "", "", fmt.Errorf("mark sending: %w", err)
		}
	}
	opts = append(opts, slack.MsgOptionMetadata(slack.SlackMetadata{
		EventType: outboxMetadataType, EventPayload: map[string]any{"outbox_id": e.ID}}))
	return b.api.PostMessageContext(ctx, e.Channel, opts...)
}

// findPosted looks for the bot's post of entry e since it was queued.
func (s *sender) findPosted(ctx context.Context, e store.OutboxEntry) (string, error) {
	params := &slack.GetConversationHistoryParameters{ChannelID: e.Channel, IncludeAllMetadata: true, Limit: 200,
		Oldest: fmt.Sprintf("%d.000000", e.CreatedAt.Add(-time.Minute).Unix())}
	for range 20 {
		hist, err := s.bot.api.GetConversationHistoryContext(ctx, params)
		if err != nil {
			return "", fmt.Errorf("look for an earlier post: %w", err)
		}
		for _, m := range hist.Messages {
			if m.Metadata.EventType != outboxMetadataType || m.BotID == "" {
				continue
			}
			if id, ok := m.Metadata.EventPayload["outbox_id"].(float64); ok && uint64(id) == e.ID {
				return m.Timestamp, nil
			}
		}
		if !hist.HasMore || hist.ResponseMetaData.NextCursor == "" {
			return "", nil
		}
		params.Cursor = hist.ResponseMetaData.NextCursor
	}
	return "", nil
}
