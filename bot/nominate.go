package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sirupsen/logrus"
	"github.com/slack-go/slack"

	"flywheel/bot/slacktext"
	"flywheel/store"
)

// nominate records the win now (so the ack can follow the commit) and queues
// the fetch of the message's text; the post follows once the text is in.
// Until then the win awaits approval and counts nowhere: a reaction does
// not say whether its channel is private, and a message from a private
// conversation is shared (and counted) only once its author approves.
func (b *Bot) nominate(tx *store.Tx, r reactionEvent) error {
	team, _ := b.teamOf(r.itemUser)
	kind, _ := b.nominationKind(r.emoji) // the tip emoji nominates a tip, by the same rules
	w := store.Win{Author: r.itemUser, Nominator: r.user, Team: team.Name, Source: store.SourceNomination,
		SourceChannel: r.channel, SourceTS: r.ts, Pending: true, AwaitingApproval: true, Kind: kind}
	if err := tx.AddWin(&w); err != nil {
		return err
	}
	b.countWin(tx, w.Source)
	// The nominator's win emoji is the first peer reaction on the win (a
	// tip is ranked by saves and tries, not reactions).
	if !w.IsTip() {
		if _, err := tx.SetReaction(w.ID, r.user, r.emoji, true, r.eventTS); err != nil {
			return err
		}
	}
	_, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxNominate, Channel: r.channel, TS: r.ts, WinID: w.ID})
	return err
}

// completeNomination fetches the nominated message's text and learns
// whether its conversation is private, then, in one transaction with the
// entry's removal, either queues the post and asks the author whether it
// is right, or (from a private conversation) asks the author to approve
// it first (nominateForApproval, the "Share as a win" shortcut's flow).
func (b *Bot) completeNomination(ctx context.Context, e store.OutboxEntry) error {
	msg, err := b.fetchMessage(ctx, e.Channel, e.TS)
	if permanent(err) {
		return b.nominationUnreadable(e, err)
	} else if err != nil {
		return err
	}
	private, err := b.isPrivate(ctx, e.Channel)
	if err != nil {
		return err
	}
	return b.st.Update(func(tx *store.Tx) error {
		w, err := tx.Win(e.WinID)
		if errors.Is(err, store.ErrNotFound) {
			return tx.Done(e.ID) // withdrawn while its text was fetched
		} else if err != nil {
			return err
		}
		// The text is decoded here, where it enters (see slacktext).
		text := fitStored(strings.TrimSpace(slacktext.Decode(msg.Text)))
		read := b.newWin(w.Author, text, w.Source)
		w.Text, w.Tools, w.MinutesSaved, w.Pending = text, read.Tools, read.MinutesSaved, false
		if private {
			if err := b.nominateForApproval(tx, &w); err != nil {
				return err
			}
			return tx.Done(e.ID)
		}
		w.AwaitingApproval = false
		found := b.guardWin(&w, nil) // redacted before it is stored
		if err := tx.UpdateWin(&w); err != nil {
			return err
		}
		if err := b.publishWin(tx, w, found); err != nil {
			return err
		}
		if !w.Held { // a held win's author got the guardrail DM instead
			if err := b.askNominee(tx, w); err != nil {
				return err
			}
		}
		return tx.Done(e.ID)
	})
}

// nominationUnreadable drops a nomination whose message Slack will not
// give (deleted since, or a conversation the bot may not read): it was
// counted nowhere, and left waiting it would keep every later emoji on
// that message from nominating it. The nominator is told.
func (b *Bot) nominationUnreadable(e store.OutboxEntry, cause error) error {
	var se slack.SlackErrorResponse
	errors.As(cause, &se)
	log := b.log.WithFields(logrus.Fields{"outbox_id": e.ID, "channel": e.Channel, "error": se.Err})
	if se.Err == "missing_scope" {
		log.Warn("cannot read a nominated message: reinstall the app from manifest.yml for the history scopes (im:history, mpim:history)")
	} else {
		log.Info("cannot read a nominated message; the nomination is dropped")
	}
	return b.st.Update(func(tx *store.Tx) error {
		w, err := tx.Win(e.WinID)
		if errors.Is(err, store.ErrNotFound) {
			return tx.Done(e.ID) // withdrawn meanwhile
		} else if err != nil {
			return err
		}
		if _, err := tx.WithdrawWin(w.ID); err != nil {
			return err
		}
		if err := b.dm(tx, w.Nominator, fmt.Sprintf("I couldn't read <@%s>'s message to share it as an AI %s (Slack answered `%s`: it may have been deleted), so nothing was shared.",
			w.Author, kindNoun(w), slacktext.Escape(se.Err))); err != nil {
			return err
		}
		return tx.Done(e.ID)
	})
}

// isPrivate says whether a conversation is a DM, a group DM or a private
// channel. D… and G… IDs are; today's private channels have C… IDs like
// public ones, so conversations.info is asked. When Slack refuses to say
// (an install without channels:read and groups:read), it is treated as
// private: the author is asked before anything is shared.
func (b *Bot) isPrivate(ctx context.Context, channel string) (bool, error) {
	if strings.HasPrefix(channel, "D") || strings.HasPrefix(channel, "G") {
		return true, nil
	}
	info, err := b.api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: channel})
	var se slack.SlackErrorResponse
	if errors.As(err, &se) && permanent(err) {
		b.log.WithField("channel", channel).WithField("error", se.Err).
			Warn("conversations.info refused; asking the author before sharing the nomination (reinstall the app for channels:read and groups:read)")
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("conversations.info: %w", err)
	}
	return info.IsPrivate || info.IsIM || info.IsMpIM, nil
}

// fetchMessage reads one message by ts: conversations.history finds
// top-level messages, conversations.replies finds thread replies.
func (b *Bot) fetchMessage(ctx context.Context, channel, ts string) (slack.Message, error) {
	api := b.api
	hist, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
		ChannelID: channel, Latest: ts, Oldest: ts, Inclusive: true, Limit: 1})
	if err != nil {
		return slack.Message{}, err
	}
	for _, m := range hist.Messages {
		if m.Timestamp == ts {
			return m, nil
		}
	}
	// Given a reply's ts, conversations.replies returns the thread it is in.
	cursor := ""
	for range 10 {
		replies, more, next, err := api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
			ChannelID: channel, Timestamp: ts, Cursor: cursor, Limit: 200})
		if err != nil {
			return slack.Message{}, err
		}
		for _, m := range replies {
			if m.Timestamp == ts {
				return m, nil
			}
		}
		if !more || next == "" {
			break
		}
		cursor = next
	}
	return slack.Message{}, slack.SlackErrorResponse{Err: "message_not_found"}
}
