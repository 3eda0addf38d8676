package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/sirupsen/logrus"
	"github.com/slack-go/slack"

	"flywheel/bot/slacktext"
	"flywheel/digest"
	"flywheel/store"
)

// The buttons of the DM telling an author a colleague nominated their
// message: the author keeps the last word on what is shared as theirs.
const (
	actionNomineeKeep   = "nominee_keep"
	actionNomineeRemove = "nominee_remove"
)

// askNominee DMs the author of a nominated (and posted) win: who
// nominated which message, how it was read, and Looks right / Not an AI
// win, remove it.
func (b *Bot) askNominee(tx *store.Tx, w store.Win) error {
	text := nomineeText(w, b.postChannel(w))
	value := strconv.FormatUint(w.ID, 10)
	keep := slack.NewButtonBlockElement(actionNomineeKeep, value, plain("Looks right", slacktext.ButtonText))
	keep.Style = slack.StylePrimary
	remove := slack.NewButtonBlockElement(actionNomineeRemove, value, plain("Not an AI "+kindNoun(w)+", remove it", slacktext.ButtonText))
	blocks := []slack.Block{section(text), slack.NewActionBlock("nominee_consent", keep, remove)}
	raw, err := json.Marshal(blocks)
	if err != nil {
		return fmt.Errorf("encode nominee prompt: %w", err)
	}
	_, err = tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPost, Channel: w.Author,
		Text: slacktext.Cut(text, slacktext.MessageText), Blocks: raw})
	return err
}

// nomineeText tells an author a colleague shared their message as a win,
// with a link to the message.
func nomineeText(w store.Win, winsChannel string) string {
	msg := "your message"
	if w.SourceTS != "" {
		msg = fmt.Sprintf("<%s|your message>", messageLink(w.SourceChannel, w.SourceTS))
	}
	where := "with the team"
	if winsChannel != "" {
		where = fmt.Sprintf("in <#%s>", winsChannel)
	}
	text := fmt.Sprintf(":tada: <@%s> nominated %s as an AI %s and I've shared it %s.", w.Nominator, msg, kindNoun(w), where)
	if w.MinutesSaved > 0 {
		text += fmt.Sprintf(" I read it as *%s saved*.", digest.FormatMinutes(w.MinutesSaved))
	}
	return text + fmt.Sprintf(" Is that right? If it isn't an AI %s, I'll take the post down and it won't count.", kindNoun(w))
}

// nomineeDecision handles the author's click on that DM. Only the author
// decides; a click after the win is gone just says so.
func (b *Bot) nomineeDecision(tx *store.Tx, cb slack.InteractionCallback, action, value string) error {
	id, err := strconv.ParseUint(value, 10, 64)
	if err != nil {
		return nil
	}
	w, err := tx.Win(id)
	if errors.Is(err, store.ErrNotFound) {
		return b.replacePrompt(tx, cb, "That win has already been removed, so there's nothing left to do.")
	} else if err != nil {
		return err
	}
	if w.Author != cb.User.ID {
		return nil
	}
	if action == actionNomineeKeep {
		return b.replacePrompt(tx, cb, nomineeText(w, b.postChannel(w))+"\n:white_check_mark: Thanks for confirming: it stays up.")
	}
	if err := b.withdraw(tx, w, true); err != nil {
		return err
	}
	if err := b.replacePrompt(tx, cb, ":wastebasket: Done: I've taken the post down and it no longer counts anywhere. "+
		"I won't share that message as a win again."); err != nil {
		return err
	}
	return b.dm(tx, w.Nominator, fmt.Sprintf("<@%s> says their message isn't an AI %s, so I've taken it down. Thanks for cheering them on all the same!", w.Author, kindNoun(w)))
}

// withdraw makes a win as if it never was: the record and its cheers go
// (store.WithdrawWin), its wins-channel post is deleted, and the author's
// Home tab is refreshed. declined also keeps the message from being
// nominated again: its author said no.
func (b *Bot) withdraw(tx *store.Tx, w store.Win, declined bool) error {
	if _, err := tx.WithdrawWin(w.ID); err != nil {
		return err
	}
	// The weeks' cached rollups would still count it: recount them, as
	// after a forget.
	if err := digest.RecountAfterForget(tx, b.Config()); err != nil {
		return err
	}
	if declined {
		if err := tx.DeclineMessage(w.SourceChannel, w.SourceTS); err != nil {
			return err
		}
	}
	if w.PostTS != "" {
		if _, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxDelete, Channel: w.PostChannel, TS: w.PostTS}); err != nil {
			return err
		}
	}
	_, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPublishHome, User: w.Author})
	return err
}

// withdrawnByEmoji withdraws a nomination when its nominator takes their
// win emoji off the message and nobody else (but its author) holds it
// there or on the post: the only person who said "this is a win" changed
// their mind.
func (b *Bot) withdrawnByEmoji(tx *store.Tx, w store.Win, r reactionEvent) error {
	if r.added || r.emoji != b.Config().WinEmoji || w.Source != store.SourceNomination || r.user != w.Nominator {
		return nil
	}
	holders, err := tx.ReactorsWith(w.ID, r.emoji)
	if err != nil {
		return err
	}
	for _, u := range holders {
		if u != w.Author {
			return nil
		}
	}
	if err := b.withdraw(tx, w, false); err != nil {
		return err
	}
	if !w.Pending { // the author heard about it: tell them it's off
		if err := b.dm(tx, w.Author, fmt.Sprintf("<@%s> took back their nomination of your message, so I've removed it: nothing is shared and it doesn't count.", w.Nominator)); err != nil {
			return err
		}
	}
	return b.dm(tx, w.Nominator, "You removed your :"+r.emoji+":, so I've withdrawn that nomination and taken its post down.")
}

// replacePrompt replaces the message whose button was clicked (a DM, or
// an ephemeral reply) through the click's response_url, so its buttons
// can't be clicked again. A click with no response_url (the Home tab) gets
// a DM instead.
func (b *Bot) replacePrompt(tx *store.Tx, cb slack.InteractionCallback, text string) error {
	_, err := b.replacePromptID(tx, cb, text)
	return err
}

// replacePromptID is replacePrompt, returning the queued entry's ID (0 when
// nothing was queued).
func (b *Bot) replacePromptID(tx *store.Tx, cb slack.InteractionCallback, text string) (uint64, error) {
	if cb.ResponseURL == "" {
		if cb.Container.Type == "view" {
			return 0, nil // the Home tab is republished instead
		}
		return tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPost, Channel: cb.User.ID, Text: text})
	}
	return b.respondWith(tx, cb.ResponseURL, text, []slack.Block{section(text)})
}

// respondWith queues a reply replacing the message behind responseURL.
func (b *Bot) respondWith(tx *store.Tx, responseURL, text string, blocks []slack.Block) (uint64, error) {
	raw, err := json.Marshal(blocks)
	if err != nil {
		return 0, fmt.Errorf("encode reply: %w", err)
	}
	return tx.Enqueue(store.OutboxEntry{Kind: store.OutboxRespond, ResponseURL: responseURL,
		Text: slacktext.Cut(text, slacktext.MessageText), Blocks: raw})
}

// deliverChange sends a delete, an update or a response_url reply.
func (b *Bot) deliverChange(ctx context.Context, e store.OutboxEntry) error {
	log := b.log.WithFields(logrus.Fields{"outbox_id": e.ID, "kind": e.Kind, "channel": e.Channel})
	switch e.Kind {
	case store.OutboxDelete:
		_, _, err := b.api.DeleteMessageContext(ctx, e.Channel, e.TS)
		var se slack.SlackErrorResponse
		if errors.As(err, &se) && se.Err == "message_not_found" {
			log.Info("the post to delete is already gone")
			return nil
		}
		return err
	case store.OutboxUpdate:
		if ok, err := b.renderWinPost(&e); err != nil || !ok {
			return err // a win gone since: its post is being deleted
		}
		opts := []slack.MsgOption{slack.MsgOptionText(e.Text, false)}
		if len(e.Blocks) > 0 {
			var blocks slack.Blocks
			if err := json.Unmarshal(e.Blocks, &blocks); err != nil {
				return fmt.Errorf("decode blocks: %w", err)
			}
			opts = append(opts, slack.MsgOptionBlocks(blocks.BlockSet...))
		}
		_, _, _, err := b.api.UpdateMessageContext(ctx, e.Channel, e.TS, opts...)
		return err
	case store.OutboxRespond:
		msg := &slack.WebhookMessage{Text: e.Text, ReplaceOriginal: true}
		if len(e.Blocks) > 0 {
			var blocks slack.Blocks
			if err := json.Unmarshal(e.Blocks, &blocks); err != nil {
				return fmt.Errorf("decode blocks: %w", err)
			}
			msg.Blocks = &blocks
		}
		client := &http.Client{Timeout: b.opts.CallTimeout}
		err := slack.PostWebhookCustomHTTPContext(ctx, e.ResponseURL, client, msg)
		var sc slack.StatusCodeError
		if errors.As(err, &sc) && sc.Code >= 400 && sc.Code < 500 {
			// A response_url lives 30 minutes and takes 5 replies; past
			// that the prompt simply stays as it was.
			log.WithField("status", sc.Code).Info("the clicked message can no longer be replaced")
			return nil
		}
		return err
	}
	return nil
}

// winGoneWhilePosting handles a win post made just as its win was
// withdrawn or forgotten: the post is deleted rather than left naming a
// win that no longer counts.
func (b *Bot) winGoneWhilePosting(tx *store.Tx, e store.OutboxEntry, channel, ts string) error {
	b.log.WithFields(logrus.Fields{"outbox_id": e.ID, "win_id": e.WinID}).Info("win withdrawn while it was being posted; deleting the post")
	if _, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxDelete, Channel: channel, TS: ts}); err != nil {
		return err
	}
	return tx.Done(e.ID)
}
