package bot

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/slack-go/slack"

	"flywheel/digest"
	"flywheel/store"
)

// maxAckPayload keeps an ack well under Slack's 20 KB Socket Mode limit;
// larger replies go by DM instead.
const maxAckPayload = 15 * 1024

// runDigests runs the weekly digest schedule until ctx is done, restarting
// it when a reload changes the schedule or time zone.
func (b *Bot) runDigests(ctx context.Context) {
	for {
		cfg := b.Config()
		s := digest.NewScheduler(b.st, b.Config, b.log, b.send.wake)
		if err := s.Start(ctx); err != nil {
			b.metrics.Errors.WithLabelValues("digest").Inc()
			b.log.WithError(err).Error("the digest schedule could not start")
		}
		for changed := false; !changed; {
			select {
			case <-ctx.Done():
				s.Stop()
				return
			case <-b.digestReload:
				next := b.Config()
				changed = next.Digest.Schedule != cfg.Digest.Schedule || next.Digest.Timezone != cfg.Digest.Timezone
			}
		}
		s.Stop()
		b.log.Info("digest schedule changed; restarted")
	}
}

// FireDigest posts the digest of the 7 days before t now, as a firing of
// digest.schedule at t would (once per channel): for the demo, and for
// running a firing by hand.
func (b *Bot) FireDigest(ctx context.Context, t time.Time) error {
	return digest.NewScheduler(b.st, b.Config, b.log, b.send.wake).FireAt(ctx, t)
}

// digestPreview is `/flywheel digest preview` (admins): the coming public
// digest, then the lead digest (names, the capped wins, unanswered
// questions…), as they stand so far. The digests are built off the write
// path; a preview too long for an ack is queued as DMs with the envelope's
// dedupe mark (see reply).
func (b *Bot) digestPreview(cmd slack.SlashCommand) answer {
	cfg := b.Config()
	if !cfg.IsAdmin(cmd.UserID) {
		return answer{msg: ephemeral("Sorry, only Flywheel admins can preview the digest. Ask one of them: " + mentions(cfg.Admins))}
	}
	// The digest's own week: the one its next firing reports, so far.
	end := digest.WeekEnd(cfg, b.st.Now())
	in, err := digest.Load(b.st, end)
	if err != nil {
		b.log.WithError(err).Error("digest preview failed")
		return answer{msg: ephemeral(":warning: I couldn't build the digest just now; please try again in a minute.")}
	}
	d := digest.Build(in, cfg, end)
	public, lead := digest.RenderMessage(d, digest.RenderOptions{}), digest.RenderMessage(d, digest.RenderOptions{Lead: true})
	blocks := append(append(slices.Clone(public.Blocks), slack.NewDividerBlock()), lead.Blocks...)
	msg := slackMsg{ResponseType: "ephemeral", Text: public.Text, Blocks: blocks}
	if raw, err := json.Marshal(msg); err == nil && len(raw) <= maxAckPayload && len(blocks) <= digest.MaxBlocks {
		return answer{msg: msg}
	}
	// Too big for an ack: send each digest as a DM through the outbox.
	var entries []store.OutboxEntry
	for _, m := range []digest.Message{public, lead} {
		raw, err := json.Marshal(m.Blocks)
		if err != nil {
			return answer{msg: ephemeral(":warning: The preview is too long to show here and I couldn't DM it to you; try `flywheel digest --dry-run`.")}
		}
		entries = append(entries, store.OutboxEntry{Kind: store.OutboxPost, Channel: cmd.UserID, Text: m.Text, Blocks: raw})
	}
	return answer{
		msg: ephemeral("The preview is long, so I've sent you the public digest and the lead digest as DMs."),
		queue: func(tx *store.Tx) error {
			for _, e := range entries {
				if _, err := tx.Enqueue(e); err != nil {
					return err
				}
			}
			return nil
		},
	}
}
