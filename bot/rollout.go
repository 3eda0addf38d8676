package bot

import (
	"encoding/json"

	"github.com/slack-go/slack"

	"flywheel/digest"
	"flywheel/store"
)

// rolloutPlan is `/flywheel rollout` (admins): the rollout plan, the same
// as `flywheel rollout` prints, shown only to the admin who asked.
func (b *Bot) rolloutPlan(cmd slack.SlashCommand) slackMsg {
	cfg := b.Config()
	if !cfg.IsAdmin(cmd.UserID) {
		return ephemeral("Sorry, only Flywheel admins can see the rollout plan. Ask one of them: " + mentions(cfg.Admins))
	}
	now := b.st.Now()
	in, err := digest.LoadPlan(b.st, now)
	if err != nil {
		b.log.WithError(err).Error("rollout plan failed")
		return ephemeral(":warning: I couldn't build the rollout plan just now; please try again in a minute.")
	}
	msg := ephemeral(digest.PlanText(digest.BuildPlan(in, cfg, now)))
	if raw, err := json.Marshal(msg); err == nil && len(raw) <= maxAckPayload {
		return msg
	}
	// Too big for an ack: a DM through the outbox, which only they see.
	err = b.st.Update(func(tx *store.Tx) error {
		_, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPost, Channel: cmd.UserID, Text: msg.Text})
		return err
	})
	if err != nil {
		b.log.WithError(err).Error("queueing the rollout plan as a DM failed")
		return ephemeral(":warning: The plan is too long to show here and I couldn't DM it to you; try `flywheel rollout`.")
	}
	b.send.wake()
	return ephemeral("The rollout plan is long, so I've sent it to you as a DM.")
}
