package bot

import (
	"encoding/json"

	"github.com/slack-go/slack"

	"flywheel/digest"
	"flywheel/store"
)

// rolloutPlan is `/flywheel rollout` (admins): the rollout plan, the same
// as `flywheel rollout` prints, shown only to the admin who asked. It is
// built off the write path; a plan too long for an ack is queued as a DM
// under the envelope's dedupe mark (see reply), so a redelivered command
// sends it once.
func (b *Bot) rolloutPlan(cmd slack.SlashCommand) answer {
	cfg := b.Config()
	if !cfg.IsAdmin(cmd.UserID) {
		return answer{msg: ephemeral("Sorry, only Flywheel admins can see the rollout plan. Ask one of them: " + mentions(cfg.Admins))}
	}
	now := b.st.Now()
	in, err := digest.LoadPlan(b.st, now)
	if err != nil {
		b.log.WithError(err).Error("rollout plan failed")
		return answer{msg: ephemeral(":warning: I couldn't build the rollout plan just now; please try again in a minute.")}
	}
	msg := ephemeral(digest.PlanText(digest.BuildPlan(in, cfg, now)))
	if raw, err := json.Marshal(msg); err == nil && len(raw) <= maxAckPayload {
		return answer{msg: msg}
	}
	// Too big for an ack: a DM through the outbox, which only they see.
	return answer{
		msg: ephemeral("The rollout plan is long, so I've sent it to you as a DM."),
		queue: func(tx *store.Tx) error {
			_, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPost, Channel: cmd.UserID, Text: msg.Text})
			return err
		},
	}
}
