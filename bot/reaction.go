package bot

import (
	"errors"
	"fmt"

	"github.com/slack-go/slack/slackevents"

	"flywheel/store"
)

// reactionEvent is what Flywheel needs of reaction_added / reaction_removed.
type reactionEvent struct {
	added    bool
	user     string // who reacted
	emoji    string
	itemUser string // author of the message reacted to
	channel  string
	ts       string
	eventTS  string
	itemType string
}

func reaction(e slackevents.ReactionAddedEvent) reactionEvent {
	return reactionEvent{user: e.User, emoji: e.Reaction, itemUser: e.ItemUser, channel: e.Item.Channel,
		ts: e.Item.Timestamp, eventTS: e.EventTimestamp, itemType: e.Item.Type}
}

// recordReaction turns a reaction into amplification or a nomination:
//   - any reaction on a win post by someone other than the win's author is
//     peer amplification, counted once per person;
//   - the win emoji on anyone else's message nominates it as their win;
//   - the win emoji again on an already nominated message is amplification;
//   - the nominator taking the win emoji back, when nobody else holds it,
//     withdraws the nomination;
//   - a message whose author said it isn't an AI win is never nominated
//     again.
func (b *Bot) recordReaction(tx *store.Tx, r reactionEvent) error {
	if r.itemType != "message" || r.user == "" || r.user == b.botUserID || r.channel == "" || r.ts == "" {
		return nil
	}
	if w, err := tx.WinByPost(r.channel, r.ts); err == nil {
		return b.amplify(tx, w, r)
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if _, ok := b.nominationKind(r.emoji); !ok {
		return nil // only the win and tip emojis nominate
	}
	if w, err := tx.WinBySource(r.channel, r.ts); err == nil {
		if err := b.amplify(tx, w, r); err != nil {
			return err
		}
		return b.withdrawnByEmoji(tx, w, r)
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if !r.added || r.itemUser == "" || r.itemUser == r.user || r.itemUser == b.botUserID {
		return nil // self-nominations and the bot's own messages do nothing
	}
	if tx.Declined(r.channel, r.ts) {
		return nil // its author said it isn't an AI win
	}
	return b.nominate(tx, r)
}

func (b *Bot) amplify(tx *store.Tx, w store.Win, r reactionEvent) error {
	if r.user == w.Author || w.IsTip() {
		return nil // cheering your own win is not amplification; tips rank by saves and tries
	}
	changed, err := tx.SetReaction(w.ID, r.user, r.emoji, r.added, r.eventTS)
	if err != nil {
		return fmt.Errorf("amplify win %d: %w", w.ID, err)
	}
	if changed && r.added {
		tx.OnCommit(b.metrics.Amplifications.Inc)
	}
	return nil
}
