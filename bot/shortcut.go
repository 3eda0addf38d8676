package bot

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"flywheel/digest"
	"flywheel/store"
)

const (
	// shortcutShareAsWin is the "Share as a win" message shortcut.
	shortcutShareAsWin = "share_as_win"
	// shareDoneModalID is the note shown when the message already is a win.
	shareDoneModalID = "share_as_win_done"
	// maxPrefill: Slack's plain_text_input holds at most 3,000 characters.
	maxPrefill = 2900
)

// shareOrigin is the message a win is shared from with the shortcut. It
// rides in the /win modal's private_metadata, next to winModal's own keys,
// so the submission can credit the message's author.
type shareOrigin struct {
	Author  string `json:"share_author,omitempty"`
	Channel string `json:"share_channel,omitempty"`
	TS      string `json:"share_ts,omitempty"`
}

// shareAsWin handles the "Share as a win" message shortcut: it opens the
// /win form prefilled with the message's text. Someone else's message
// becomes their win, nominated by the clicker; a bot's message or the
// clicker's own is the clicker's win. A message that already is a win
// gets a note instead of a second win.
func (b *Bot) shareAsWin(tx *store.Tx, cb slack.InteractionCallback) error {
	clicker := cb.User.ID
	if err := tx.NoteInteraction(clicker); err != nil {
		return err
	}
	channel, ts := cb.Channel.ID, cmp.Or(cb.MessageTs, cb.Message.Timestamp)
	if channel == "" || ts == "" || cb.TriggerID == "" {
		return nil
	}
	if w, found, err := winForMessage(tx, channel, ts); err != nil {
		return err
	} else if found {
		return queueView(tx, cb.TriggerID, alreadyWinModal(w))
	}
	author := cb.Message.User
	if author == "" || author == b.botUserID || cb.Message.BotID != "" {
		author = clicker
	}
	view := winModal(winModalInput{Channel: channel, Text: prefill(cb.Message.Text)})
	meta, err := shareOrigin{Author: author, Channel: channel, TS: ts}.into(view.PrivateMetadata)
	if err != nil {
		return err
	}
	view.PrivateMetadata = meta
	if author != clicker {
		view.Title = slack.NewTextBlockObject(slack.PlainTextType, "Nominate a win", false, false)
		note := slack.NewContextBlock("share_note", slack.NewTextBlockObject(slack.MarkdownType, fmt.Sprintf(
			"This will be <@%s>'s win, nominated by you. Say what they did, with which tool, and the time it saved.", author), false, false))
		view.Blocks.BlockSet = append([]slack.Block{note}, view.Blocks.BlockSet...)
	}
	return queueView(tx, cb.TriggerID, view)
}

// into adds o to a modal's private_metadata (a JSON object), keeping the
// keys already there.
func (o shareOrigin) into(meta string) (string, error) {
	fields := map[string]any{}
	if meta != "" {
		_ = json.Unmarshal([]byte(meta), &fields) // not ours to judge: start afresh if unreadable
	}
	fields["share_author"], fields["share_channel"], fields["share_ts"] = o.Author, o.Channel, o.TS
	raw, err := json.Marshal(fields)
	if err != nil {
		return "", fmt.Errorf("encode modal metadata: %w", err)
	}
	return string(raw), nil
}

// shareOriginOf reads the origin back from a submitted /win modal (empty
// for a modal not opened by the shortcut).
func shareOriginOf(cb slack.InteractionCallback) shareOrigin {
	var o shareOrigin
	_ = json.Unmarshal([]byte(cb.View.PrivateMetadata), &o)
	return o
}

// shareCheck reads a submitted /win modal's origin and, if its message
// became a win while the form was open, says so in errs.
func (b *Bot) shareCheck(tx *store.Tx, cb slack.InteractionCallback, errs map[string]string) (shareOrigin, error) {
	o := shareOriginOf(cb)
	if o.TS == "" {
		return o, nil
	}
	if _, found, err := winForMessage(tx, o.Channel, o.TS); err != nil {
		return o, err
	} else if found {
		errs[blockWhat] = "Someone shared this message as a win while you were writing, so it's already counted. Cheer it on in the wins channel!"
	}
	return o, nil
}

// author is who a submitted win is credited to.
func (o shareOrigin) author(clicker string) string { return cmp.Or(o.Author, clicker) }

// credit marks w as shared from the origin's message; it is a nomination
// when its author is not the clicker.
func (o shareOrigin) credit(w *store.Win, clicker string) {
	if o.TS == "" {
		return
	}
	w.SourceChannel, w.SourceTS = o.Channel, o.TS
	if w.Author != clicker {
		w.Nominator, w.Source = clicker, store.SourceNomination
	}
}

// nominationNotes thanks the nominator and tells the author, as an emoji
// nomination does. A held win's author got the guardrail DM instead.
func (b *Bot) nominationNotes(tx *store.Tx, w store.Win) error {
	held := false
	if saved, err := tx.Win(w.ID); err == nil {
		held = saved.Held
	}
	thanks := fmt.Sprintf(":tada: Thanks for nominating <@%s>'s message as an AI win.", w.Author)
	switch ch := b.Config().WinsChannel; {
	case held:
		thanks += " It may contain something sensitive, so I've asked them to check it before it's shared."
	case ch != "":
		thanks += fmt.Sprintf(" It's on its way to <#%s>.", ch)
	}
	if err := b.dm(tx, w.Nominator, thanks); err != nil || held {
		return err
	}
	note := fmt.Sprintf(":tada: <@%s> nominated your message as an AI win and shared it with the team.", w.Nominator)
	if w.MinutesSaved > 0 {
		note += fmt.Sprintf(" I read it as *%s saved*.", digest.FormatMinutes(w.MinutesSaved))
	}
	return b.dm(tx, w.Author, note)
}

// winForMessage finds the win a message already is: a nominated or shared
// message, or a wins-channel post.
func winForMessage(tx *store.Tx, channel, ts string) (store.Win, bool, error) {
	for _, find := range []func(string, string) (store.Win, error){tx.WinBySource, tx.WinByPost} {
		w, err := find(channel, ts)
		if err == nil {
			return w, true, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return store.Win{}, false, err
		}
	}
	return store.Win{}, false, nil
}

// alreadyWinModal tells the clicker the message is already a win.
func alreadyWinModal(w store.Win) slack.ModalViewRequest {
	text := fmt.Sprintf(":trophy: This message is already a win by <@%s>, so there's nothing to add.", w.Author)
	if w.PostTS != "" && !w.Held && !w.Private {
		text += fmt.Sprintf(" <%s|See it in the wins channel> and react to cheer it on.", messageLink(w.PostChannel, w.PostTS))
	}
	return slack.ModalViewRequest{
		Type:       slack.VTModal,
		CallbackID: shareDoneModalID,
		Title:      slack.NewTextBlockObject(slack.PlainTextType, "Share a win", false, false),
		Close:      slack.NewTextBlockObject(slack.PlainTextType, "Close", false, false),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil),
		}},
	}
}

// queueView queues views.open for a modal; like queueWinModal, the entry
// expires with the trigger_id.
func queueView(tx *store.Tx, triggerID string, view slack.ModalViewRequest) error {
	raw, err := json.Marshal(view)
	if err != nil {
		return fmt.Errorf("encode modal: %w", err)
	}
	_, err = tx.Enqueue(store.OutboxEntry{Kind: store.OutboxOpenView, TriggerID: triggerID, View: raw,
		ExpiresAt: tx.Now().Add(triggerLifetime)})
	return err
}

// prefill turns a message's text into the form's starting text: Slack
// escapes &, < and > in message text, and the input shows it verbatim.
func prefill(text string) string {
	text = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(strings.TrimSpace(text))
	return truncate(text, maxPrefill)
}
