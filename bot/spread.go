package bot

import (
	"fmt"
	"strconv"
	"time"

	"github.com/slack-go/slack"

	"flywheel/bot/slacktext"
	"flywheel/config"
	"flywheel/digest"
	"flywheel/store"
)

// actionTryThis is the "I'll try this" button on every win post.
const actionTryThis = "try_this"

// inspirationWindow: a win within this long of clicking "I'll try this" is
// linked to the win that inspired it.
const inspirationWindow = 30 * 24 * time.Hour

// tryThis records that the clicker was inspired by a win (once per person
// per win) and tells them privately how to start with the same tool.
func (b *Bot) tryThis(tx *store.Tx, cb slack.InteractionCallback, value string) error {
	id, err := strconv.ParseUint(value, 10, 64)
	if err != nil {
		return nil
	}
	w, err := tx.Win(id)
	if err != nil {
		return nil // a post from before a forget or prune
	}
	if w.IsTip() {
		return b.markTip(tx, cb, value, store.MarkTry)
	}
	user := cb.User.ID
	var text string
	if user == w.Author {
		text = "That's your own win :slightly_smiling_face: Colleagues who click *I'll try this* get the how-to, and their next win links back to yours."
	} else {
		if _, err := tx.AddInspiration(w.ID, user); err != nil {
			return err
		}
		text = tryThisAnswer(w, b.Config())
	}
	channel := cb.Channel.ID
	if channel == "" {
		channel = cb.Container.ChannelID
	}
	_, err = tx.Enqueue(store.OutboxEntry{Kind: store.OutboxEphemeral, Channel: channel, User: user, Text: text})
	return err
}

// tryThisAnswer is the private how-to for someone inspired by w.
func tryThisAnswer(w store.Win, cfg *config.Config) string {
	for _, name := range w.Tools {
		if t, ok := cfg.Tool(name); ok {
			msg := fmt.Sprintf(":rocket: Great! %s used *%s* for this.", who(w), slacktext.Escape(t.Name))
			switch {
			case t.Status == config.StatusNotApproved:
				if alt, ok := cfg.Tool(t.Alternative); ok && t.Alternative != "" {
					msg += fmt.Sprintf(" It isn't approved here, but *%s* does the same job: %s", slacktext.Escape(alt.Name), slacktext.Escape(alt.HowTo))
				}
			case t.HowTo != "":
				msg += " Here's how to start: " + slacktext.Escape(t.HowTo)
			}
			if t.Status == config.StatusRestricted && t.Restriction != "" {
				msg += " (Allowed for: " + slacktext.Escape(t.Restriction) + ".)"
			}
			return msg + "\nWhen it works for you, share it with `/win`: your win will link back to theirs."
		}
	}
	ask := fmt.Sprintf("Ask %s how they did it, or", who(w))
	if w.Anonymous() {
		ask = "Ask"
	}
	return fmt.Sprintf(":rocket: Great! %s `/ask` which tool fits. When it works, share it with `/win`: your win will link back to theirs.", ask)
}

// linkInspiration connects a new win to the colleague's win its author last
// said they'd try, within inspirationWindow.
func linkInspiration(tx *store.Tx, w *store.Win) {
	if w.InspiredBy != 0 {
		return
	}
	if w.IsTip() {
		return // a tip is taught, not inspired by a win
	}
	id := tx.LatestInspiration(w.Author, tx.Now().Add(-inspirationWindow))
	if id == 0 {
		return
	}
	if src, err := tx.Win(id); err == nil && src.Author != w.Author && !src.IsTip() {
		w.InspiredBy = id
	}
}

// spreadReport is `/flywheel spread`: peer-to-peer adoption in the digest
// week so far, the numbers its spread section will show.
func (b *Bot) spreadReport() slackMsg {
	cfg := b.Config()
	end := digest.WeekEnd(cfg, b.st.Now())
	in, err := digest.Load(b.st, end)
	if err != nil {
		b.log.WithError(err).Error("spread report failed")
		return ephemeral(":warning: I couldn't read the numbers just now; please try again in a minute.")
	}
	d := digest.Build(in, cfg, end)
	return ephemeral(digest.SpreadText(d.Spread))
}
