package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/slack-go/slack"

	"flywheel/store"
)

// deliver makes one entry's Slack calls and commits what they produced
// with the entry's removal. e is the sender's copy: what deliver changes on
// it (a rendered text) is never saved back, and what must be saved (that a
// post is being sent) is written to the stored entry.
func (b *Bot) deliver(ctx context.Context, e *store.OutboxEntry) error {
	cctx, cancel := context.WithTimeout(ctx, b.opts.CallTimeout)
	defer cancel()
	switch e.Kind {
	case store.OutboxPost:
		return b.deliverPost(ctx, e)
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
		return b.completeNomination(cctx, *e)
	case store.OutboxPublishHome:
		if err := b.publishHome(cctx, *e); err != nil {
			return err
		}
	case store.OutboxDelete, store.OutboxUpdate, store.OutboxRespond:
		if err := b.deliverChange(cctx, *e); err != nil {
			return err
		}
	case store.OutboxExport:
		// Four calls, one carrying the file: sendExport times each itself.
		if err := b.sendExport(ctx, *e); err != nil {
			return err
		}
	default:
		b.log.WithField("kind", e.Kind).Error("unknown outbox entry kind")
		return slack.SlackErrorResponse{Err: "unknown_outbox_kind"}
	}
	return b.st.Update(func(tx *store.Tx) error { return tx.Done(e.ID) })
}

// deliverPost posts a message once and records its ts where it matters: on
// the win (so reactions count as cheers) or the question (so replies count
// as answers).
func (b *Bot) deliverPost(ctx context.Context, e *store.OutboxEntry) error {
	if ok, err := b.renderWinPost(e); err != nil {
		return err
	} else if !ok {
		b.log.WithFields(logrus.Fields{"outbox_id": e.ID, "win_id": e.WinID}).Info("win no longer exists (forgotten or past retention); not posting it")
		return b.st.Update(func(tx *store.Tx) error { return tx.Done(e.ID) })
	}
	if e.LinkTS != "" && strings.Contains(e.Text, store.PermalinkPlaceholder) {
		cctx, cancel := context.WithTimeout(ctx, b.opts.CallTimeout)
		link, err := b.api.GetPermalinkContext(cctx, &slack.PermalinkParameters{Channel: e.LinkChannel, Ts: e.LinkTS})
		cancel()
		if err != nil {
			return fmt.Errorf("chat.getPermalink: %w", err)
		}
		e.Text = strings.ReplaceAll(e.Text, store.PermalinkPlaceholder, link)
	}
	if err := b.attachChart(ctx, e); err != nil {
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
	channel, ts, err := b.postOnce(ctx, e, opts)
	if err != nil && chartRefused(*e, err) {
		// Slack would not show the chart: post the message without it
		// rather than not at all (its text states the same numbers).
		b.log.WithError(err).WithField("outbox_id", e.ID).Warn("Slack refused the chart; posting without it")
		e.Blocks = withoutChart(e.Blocks)
		return b.deliverPost(ctx, e)
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
			if errors.Is(err, store.ErrNotFound) {
				return b.winGoneWhilePosting(tx, *e, channel, ts)
			} else if err != nil {
				return err
			}
			w.PostChannel, w.PostTS = channel, ts
			if err := tx.UpdateWin(&w); err != nil {
				return err
			}
		}
		return tx.Done(e.ID)
	})
}

// outboxMetadataType tags the bot's posts with their outbox entry, so a post
// whose outcome is unknown can be found instead of made twice.
const outboxMetadataType = "flywheel_outbox"

// postOnce posts e at most once. Before the first attempt it commits
// Sending on the stored entry. If Sending was already set, an earlier
// attempt may have reached Slack (its answer lost to a timeout, or the bot
// stopped mid-call), so it first looks for a post carrying this entry's
// metadata and adopts it.
func (b *Bot) postOnce(ctx context.Context, e *store.OutboxEntry, opts []slack.MsgOption) (string, string, error) {
	if e.Sending {
		channel, ts, err := b.findPosted(ctx, *e)
		if err != nil {
			return "", "", err
		}
		if ts != "" {
			b.log.WithFields(logrus.Fields{"outbox_id": e.ID, "ts": ts}).Info("found an earlier attempt's post; not posting again")
			return channel, ts, nil
		}
	} else {
		now := b.clock.Now()
		err := b.st.Update(func(tx *store.Tx) error {
			_, err := tx.UpdateOutbox(e.ID, func(s *store.OutboxEntry) { s.Sending, s.SendingAt = true, now })
			return err
		})
		if err != nil {
			return "", "", fmt.Errorf("mark sending: %w", err)
		}
		e.Sending, e.SendingAt = true, now
	}
	opts = append(opts, slack.MsgOptionMetadata(slack.SlackMetadata{
		EventType: outboxMetadataType, EventPayload: map[string]any{"outbox_id": e.ID, "queued": queuedStamp(*e)}}))
	cctx, cancel := context.WithTimeout(ctx, b.opts.CallTimeout)
	defer cancel()
	channel, ts, err := b.api.PostMessageContext(cctx, e.Channel, opts...)
	if err != nil && notPosted(err) {
		// Slack answered, so nothing was posted: the next attempt need not
		// look for this one.
		_ = b.st.Update(func(tx *store.Tx) error {
			_, err := tx.UpdateOutbox(e.ID, func(s *store.OutboxEntry) { s.Sending = false })
			return err
		})
	}
	return channel, ts, err
}

// queuedStamp tells this database's entry from an entry of the same ID in
// another (a restored backup, a reinstall) posting to the same channel.
func queuedStamp(e store.OutboxEntry) string { return fmt.Sprint(e.CreatedAt.UnixNano()) }

// notPosted says Slack answered a chat.postMessage with a refusal, which
// proves nothing was posted. A timeout, a dropped connection, a 5xx, or an
// internal_error or fatal_error (which Slack says may have half-succeeded)
// proves nothing either way.
func notPosted(err error) bool {
	var rl *slack.RateLimitedError
	var se slack.SlackErrorResponse
	return errors.As(err, &rl) || (errors.As(err, &se) && !maybeApplied[se.Err])
}

// lookBack is how long before an entry was first sent the search for its
// post starts, for clocks that disagree with Slack's.
const lookBack = 5 * time.Minute

// findPosted looks for the bot's post of entry e since it was first sent,
// and returns its channel and ts ("" if there is none). A DM queued by user
// ID is found in the DM's history (conversations.open gives its ID); a
// thread reply in its thread (conversations.replies); metadata comes back
// only when asked for with include_all_metadata.
func (b *Bot) findPosted(ctx context.Context, e store.OutboxEntry) (string, string, error) {
	cctx, cancel := context.WithTimeout(ctx, b.opts.CallTimeout)
	defer cancel()
	channel := e.Channel
	if strings.HasPrefix(channel, "U") || strings.HasPrefix(channel, "W") {
		dm, _, _, err := b.api.OpenConversationContext(cctx, &slack.OpenConversationParameters{Users: []string{channel}})
		if err != nil {
			return "", "", fmt.Errorf("look for an earlier post: conversations.open: %w", err)
		}
		channel = dm.ID
	}
	since := e.SendingAt
	if since.IsZero() {
		since = e.CreatedAt
	}
	oldest := fmt.Sprintf("%d.000000", since.Add(-lookBack).Unix())
	cursor := ""
	for range 20 {
		var msgs []slack.Message
		var more bool
		var err error
		if e.ThreadTS != "" {
			msgs, more, cursor, err = b.api.GetConversationRepliesContext(cctx, &slack.GetConversationRepliesParameters{
				ChannelID: channel, Timestamp: e.ThreadTS, Oldest: oldest, Cursor: cursor, Limit: 200, IncludeAllMetadata: true})
		} else {
			var hist *slack.GetConversationHistoryResponse
			hist, err = b.api.GetConversationHistoryContext(cctx, &slack.GetConversationHistoryParameters{
				ChannelID: channel, Oldest: oldest, Cursor: cursor, Limit: 200, IncludeAllMetadata: true})
			if hist != nil {
				msgs, more, cursor = hist.Messages, hist.HasMore, hist.ResponseMetaData.NextCursor
			}
		}
		if err != nil {
			return "", "", fmt.Errorf("look for an earlier post: %w", err)
		}
		for _, m := range msgs {
			if m.BotID != "" && m.Metadata.EventType == outboxMetadataType && carries(m.Metadata.EventPayload, e) {
				return channel, m.Timestamp, nil
			}
		}
		if !more || cursor == "" {
			break
		}
	}
	return "", "", nil
}

// carries says a post's metadata names entry e. A post made before posts
// carried their queue stamp is matched by ID alone: it was made after e was
// first sent, by this database's sender.
func carries(payload map[string]any, e store.OutboxEntry) bool {
	id, ok := payload["outbox_id"].(float64)
	if !ok || uint64(id) != e.ID {
		return false
	}
	stamp, stamped := payload["queued"]
	return !stamped || stamp == queuedStamp(e)
}
