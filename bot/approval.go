package bot

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"flywheel/bot/guard"
	"flywheel/bot/slacktext"
	"flywheel/store"
)

// The buttons of the DM asking an author to approve a nomination.
const (
	actionApproveNomination = "nomination_approve"
	actionDeclineNomination = "nomination_decline"
)

// nominateForApproval keeps a colleague's nomination of a message from a
// private conversation (a DM, a group DM, a private channel) until its
// author decides: the win is stored awaiting approval (posted nowhere,
// counted nowhere) and the author gets a DM with the words that would be
// shared and Approve / Decline buttons. Words only the people in that
// conversation saw are never made public by someone else alone.
//
// w may be new (a shortcut's nomination) or already stored (a reaction
// nomination whose text has just been fetched). The guardrails run first,
// so the DM shows, and the store keeps, the text without what looked
// sensitive.
func (b *Bot) nominateForApproval(tx *store.Tx, w *store.Win) error {
	found := b.guardWin(w, nil)
	w.Held = false // the author sees the redacted text and approves exactly that
	w.AwaitingApproval = true
	if w.ID == 0 {
		if err := tx.AddWin(w); err != nil {
			return err
		}
		b.countWin(tx, w.Source)
	} else if err := tx.UpdateWin(w); err != nil {
		return err
	}
	if err := b.askApproval(tx, *w, found); err != nil {
		return err
	}
	return b.dm(tx, w.Nominator, fmt.Sprintf(":tada: Thanks for nominating <@%s>'s message as an AI win. "+
		"It's from a private conversation, so I've asked them to approve it before anything is shared.", w.Author))
}

// askApproval DMs the author the nomination and the two buttons.
func (b *Bot) askApproval(tx *store.Tx, w store.Win, found []guard.Finding) error {
	where := "with the team"
	if ch := b.postChannel(w); ch != "" {
		where = fmt.Sprintf("in <#%s>", ch)
	}
	head := fmt.Sprintf(":wave: <@%s> would like to share your message from a private conversation as an AI %s %s. "+
		"Nothing is shared unless you approve. It would read:", w.Nominator, kindNoun(w), where)
	text := head + "\n" + slacktext.Quote(w.Text)
	blocks := []slack.Block{section(text)}
	if w.Note != "" {
		blocks = append(blocks, contextBlock("nomination_note", fmt.Sprintf(":speech_balloon: <@%s> adds: %s", w.Nominator, slacktext.Escape(w.Note))))
	}
	if len(found) > 0 {
		blocks = append(blocks, contextBlock("nomination_redacted", ":lock: I've removed what looked like "+
			slacktext.Escape(strings.Join(guard.Kinds(found), ", "))+"."))
	}
	value := strconv.FormatUint(w.ID, 10)
	approve := slack.NewButtonBlockElement(actionApproveNomination, value, plain("Approve and share", slacktext.ButtonText))
	approve.Style = slack.StylePrimary
	decline := slack.NewButtonBlockElement(actionDeclineNomination, value, plain("Decline", slacktext.ButtonText))
	blocks = append(blocks, slack.NewActionBlock("nomination_approval", approve, decline))
	raw, err := json.Marshal(blocks)
	if err != nil {
		return fmt.Errorf("encode approval prompt: %w", err)
	}
	_, err = tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPost, Channel: w.Author,
		Text: slacktext.Cut(text, slacktext.MessageText), Blocks: raw})
	return err
}

// approvalDecision handles the author's click on the approval DM. Only the
// author decides, once, and only while the nomination waits: anyone
// else's click, or a second click, changes nothing. The prompt is
// replaced by the outcome, so its buttons are gone.
func (b *Bot) approvalDecision(tx *store.Tx, cb slack.InteractionCallback, action, value string) error {
	id, err := strconv.ParseUint(value, 10, 64)
	if err != nil {
		return nil
	}
	user := cb.User.ID
	w, err := tx.Win(id)
	if errors.Is(err, store.ErrNotFound) {
		return b.replacePrompt(tx, cb, "That nomination was withdrawn, so nothing will be shared.")
	}
	if err != nil || w.Author != user || !w.AwaitingApproval || w.Pending {
		return err
	}
	if action == actionDeclineNomination {
		if err := tx.DeleteWin(w.ID); err != nil {
			return err
		}
		if err := tx.DeclineMessage(w.SourceChannel, w.SourceTS); err != nil {
			return err
		}
		if err := b.replacePrompt(tx, cb, "OK, nothing was shared, and it won't count anywhere. I won't ask about that message again."); err != nil {
			return err
		}
		return b.dm(tx, w.Nominator, fmt.Sprintf("<@%s> preferred to keep that message private, so it wasn't shared. Thanks for thinking of them!", w.Author))
	}
	w.AwaitingApproval = false
	if err := tx.UpdateWin(&w); err != nil {
		return err
	}
	if err := b.publishWin(tx, w, nil); err != nil {
		return err
	}
	if err := b.replacePrompt(tx, cb, ":white_check_mark: Thanks! It's on its way to the wins channel."); err != nil {
		return err
	}
	return b.dm(tx, w.Nominator, fmt.Sprintf(":tada: <@%s> approved your nomination; it's on its way to the wins channel.", w.Author))
}
