package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/slack-go/slack"

	"flywheel/store"
)

const (
	// maxAge is how long a failing entry is retried: an outage of Slack or
	// of the network of up to a day loses nothing. Only errors retrying can
	// never fix, or this age, send an entry to the dead letters.
	maxAge = 24 * time.Hour
	// maxBackoff caps the wait between two attempts, so a post is out
	// within minutes of Slack coming back.
	maxBackoff = 5 * time.Minute
	// maxPanics: an entry whose delivery panicked this often is poison.
	maxPanics = 3
)

// backoff is the wait before attempt n+1: 1 s, 2 s, 4 s... up to maxBackoff.
func backoff(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	if n > 20 {
		return maxBackoff
	}
	return min(time.Second<<(n-1), maxBackoff)
}

// failed records a failed delivery on the stored entry: wait out a
// Retry-After, retry later, drop expired work, or give up.
func (l *lane) failed(ctx context.Context, e store.OutboxEntry, err error) {
	b := l.bot
	now := b.clock.Now()
	log := b.log.WithFields(logrus.Fields{"outbox_id": e.ID, "kind": e.Kind, "attempt": e.Attempts + 1})
	var rl *slack.RateLimitedError
	var pe panicError
	switch {
	case ctx.Err() != nil:
		// Shutting down mid-call: nothing was learned. The entry stays as
		// it is (Sending, if set, makes the next start look before posting).
		return
	case errors.As(err, &rl):
		// Slack's limits are per method (per channel for posts): wait out
		// Retry-After for what hit it, without spending an attempt.
		wait := max(rl.RetryAfter, time.Second)
		l.blocked[limitKey{e.Kind, limitTarget(e)}] = now.Add(wait)
		b.metrics.Errors.WithLabelValues("ratelimited").Inc()
		log.WithField("retry_after", wait).Warn("Slack rate limited us; waiting as asked")
	case errors.As(err, &pe):
		b.metrics.Errors.WithLabelValues("panic").Inc()
		log.WithError(err).Error("delivering an outbox entry panicked")
		l.reschedule(e.ID, func(s *store.OutboxEntry) string {
			s.Panics++
			s.LastError = err.Error()
			if s.Panics >= maxPanics {
				return fmt.Sprintf("delivery panicked %d times: %s", s.Panics, pe.msg)
			}
			s.NotBefore = now.Add(backoff(s.Panics))
			return ""
		})
	case !e.ExpiresAt.IsZero() && triggerGone(err):
		l.drop(e, "Slack no longer takes its trigger ("+err.Error()+")")
	case permanent(err):
		b.metrics.Errors.WithLabelValues("slack_call").Inc()
		l.reschedule(e.ID, func(*store.OutboxEntry) string { return err.Error() })
	default:
		b.metrics.Errors.WithLabelValues("slack_call").Inc()
		retryAt := now.Add(backoff(e.Attempts + 1))
		if !e.ExpiresAt.IsZero() && retryAt.After(e.ExpiresAt) {
			l.drop(e, "it would expire before the next attempt ("+err.Error()+")")
			return
		}
		log.WithError(err).WithField("retry_at", retryAt).Warn("Slack call failed; will retry")
		l.reschedule(e.ID, func(s *store.OutboxEntry) string {
			s.Attempts++
			s.LastError = err.Error()
			if now.Sub(s.WindowStart()) >= maxAge {
				return fmt.Sprintf("not delivered within %s (%d attempts); last error: %v", maxAge, s.Attempts, err)
			}
			s.NotBefore = retryAt
			return ""
		})
	}
}

// limitTarget is the target a 429 on e blocks: its channel for posts.
func limitTarget(e store.OutboxEntry) uint64 {
	if e.Kind == store.OutboxPost {
		return store.TargetKey(e.Target())
	}
	return 0
}

// reschedule applies update to the stored entry in one transaction; if
// update returns a reason, the entry goes to the dead letters with it.
func (l *lane) reschedule(id uint64, update func(*store.OutboxEntry) (giveUp string)) {
	b := l.bot
	var reason string
	err := b.st.Update(func(tx *store.Tx) error {
		reason = ""
		if _, err := tx.UpdateOutbox(id, func(s *store.OutboxEntry) { reason = update(s) }); err != nil {
			return err
		}
		if reason == "" {
			return nil
		}
		return tx.GiveUp(id, reason)
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		// Dropped by a forget or retention while it was being sent.
	case err != nil:
		b.metrics.Errors.WithLabelValues("outbox").Inc()
		b.log.WithError(err).WithField("outbox_id", id).Error("cannot save an outbox entry's retry; leaving it alone for a moment")
		l.held[id] = b.clock.Now().Add(holdAfterSaveFailure)
	case reason != "":
		b.metrics.Errors.WithLabelValues("gave_up").Inc()
		b.log.WithFields(logrus.Fields{"outbox_id": id, "reason": reason}).
			Error("giving up on a Slack call; kept in the dead-letter outbox (see `flywheel outbox --dead`)")
	}
}

// drop removes expiring work that can no longer be done, with a log line:
// a modal opened a minute late would only confuse.
func (l *lane) drop(e store.OutboxEntry, why string) {
	b := l.bot
	b.metrics.Errors.WithLabelValues("expired").Inc()
	b.log.WithFields(logrus.Fields{"outbox_id": e.ID, "kind": e.Kind}).Warn("dropping an outbox entry: " + why)
	if err := b.st.Update(func(tx *store.Tx) error { return tx.Done(e.ID) }); err != nil {
		b.log.WithError(err).WithField("outbox_id", e.ID).Error("cannot drop an outbox entry")
		l.held[e.ID] = b.clock.Now().Add(holdAfterSaveFailure)
	}
}

// triggerGone says Slack refused a trigger_id: expired, unknown, or
// already used (an earlier attempt whose answer was lost opened the modal).
func triggerGone(err error) bool {
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) {
		return false
	}
	switch se.Err {
	case "expired_trigger_id", "invalid_trigger_id", "exchanged_trigger_id":
		return true
	}
	return false
}

// permanent says whether retrying err can never help: Slack answered with
// an error of the request itself (channel_not_found, invalid_blocks,
// not_in_channel...). Network errors, timeouts, 5xx, unreadable answers and
// the errors Slack documents as passing (transientSlackErrors) are
// transient.
func permanent(err error) bool {
	var se slack.SlackErrorResponse
	return errors.As(err, &se) && !transientSlackErrors[se.Err]
}

// transientSlackErrors are the {"ok":false} errors chat.postMessage and its
// siblings document that a later attempt can get past: being posted too
// fast (rate_limited, with no Retry-After), the workspace's message limit,
// a migration, and Slack's own failures. Source:
// https://docs.slack.dev/reference/methods/chat.postMessage (errors).
var transientSlackErrors = map[string]bool{
	"ratelimited": true, "rate_limited": true, "message_limit_exceeded": true,
	"internal_error": true, "fatal_error": true, "service_unavailable": true,
	"request_timeout": true, "team_added_to_org": true,
}

// maybeApplied are the transient errors Slack documents as "it's possible
// some aspect of the operation succeeded before the error was raised": a
// post answered with one may have been made.
var maybeApplied = map[string]bool{"internal_error": true, "fatal_error": true}
