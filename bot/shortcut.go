package bot

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"flywheel/bot/slacktext"
	"flywheel/store"
)

const (
	// shortcutShareAsWin is the "Share as a win" message shortcut.
	shortcutShareAsWin = "share_as_win"
	// shareDoneModalID is the note shown when the message already is a win.
	shareDoneModalID = "share_as_win_done"
	// nominateModalID is the form for nominating a colleague's message:
	// their words as they wrote them, and an optional note of one's own.
	nominateModalID = "nominate_modal"
	blockNote       = "note"
	// maxNote bounds the nominator's note.
	maxNote = 500
)

// shareOrigin is the message a win is shared from with the shortcut. It
// rides in the modal's private_metadata (which Slack returns unchanged and
// nobody can edit), next to winModal's own keys.
type shareOrigin struct {
	Author  string `json:"share_author,omitempty"`
	Channel string `json:"share_channel,omitempty"`
	TS      string `json:"share_ts,omitempty"`
	// Text is a colleague's message as Slack sent it in the shortcut
	// payload, decoded: the words a nomination publishes.
	Text string `json:"share_text,omitempty"`
	// Private: the message is in a DM, a group DM or a private channel,
	// so its author approves before anything is posted.
	Private bool `json:"share_private,omitempty"`
}

// shareAsWin handles the "Share as a win" message shortcut. On the
// clicker's own message (or a bot's) it opens the /win form prefilled with
// the text: their own win, in their own words. On a colleague's message it
// opens the nomination form, which shows the message as they wrote it and
// takes only a note in the nominator's own name: a nomination publishes the
// author's words, never words put in their mouth. A message that already is
// a win gets a note instead of a second win.
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
		return queueView(tx, cb.TriggerID, infoModal(alreadyWinText(w)))
	}
	author := cb.Message.User
	if author == "" || author == b.botUserID || cb.Message.BotID != "" {
		author = clicker
	}
	origin := shareOrigin{Author: author, Channel: channel, TS: ts}
	text := strings.TrimSpace(slacktext.Decode(cb.Message.Text))
	if author == clicker {
		view := winModal(winModalInput{Channel: channel, Text: text, Choices: b.visibilityChoices()})
		meta, err := origin.into(view.PrivateMetadata)
		if err != nil {
			return err
		}
		view.PrivateMetadata = meta
		return queueView(tx, cb.TriggerID, view)
	}
	if tx.Declined(channel, ts) {
		return queueView(tx, cb.TriggerID, infoModal(fmt.Sprintf(
			"<@%s> said this message isn't an AI win, so I won't share it as one. Cheer them on another way!", author)))
	}
	if text == "" {
		return queueView(tx, cb.TriggerID, infoModal(fmt.Sprintf(
			"This message by <@%s> has no text I can share as a win. Try `/win` and tell the story yourself, or react to cheer it on.", author)))
	}
	origin.Text, origin.Private = fitStored(text), privateConversation(cb.Channel)
	view, err := nominateModal(origin)
	if err != nil {
		return err
	}
	return queueView(tx, cb.TriggerID, view)
}

// privateConversation says whether a shortcut's channel is a DM, a group
// DM or a private channel. Payloads name those "directmessage",
// "mpdm-…" and "privategroup" whatever their ID (today's private channels
// have C… IDs); D… and G… IDs are private too.
func privateConversation(c slack.Channel) bool {
	switch {
	case c.Name == "directmessage" || c.Name == "privategroup" || strings.HasPrefix(c.Name, "mpdm-"):
		return true
	case strings.HasPrefix(c.ID, "D") || strings.HasPrefix(c.ID, "G"):
		return true
	}
	return c.IsPrivate || c.IsIM || c.IsMpIM
}

// nominateModal is the nomination form: the author's message, read-only,
// and an optional note in the nominator's own name.
func nominateModal(o shareOrigin) (slack.ModalViewRequest, error) {
	intro := fmt.Sprintf("This will be <@%s>'s win, nominated by you, with their message as they wrote it:", o.Author)
	blocks := []slack.Block{contextBlock("nominate_intro", intro), section(slacktext.Quote(o.Text))}
	if o.Private {
		blocks = append(blocks, contextBlock("nominate_private", fmt.Sprintf(
			":lock: It's from a private conversation, so I'll ask <@%s> to approve it before anything is shared.", o.Author)))
	}
	note := slack.NewPlainTextInputBlockElement(plain("Why it impressed you, in your own words", slacktext.Placeholder), blockNote)
	note.Multiline, note.MaxLength = true, maxNote
	input := slack.NewInputBlock(blockNote, plain("Your note (optional, shown as yours)", slacktext.InputLabel), nil, note)
	input.Optional = true
	blocks = append(blocks, input)
	meta, err := o.metadata()
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      nominateModalID,
		Title:           plain("Nominate a win", slacktext.ModalTitle),
		Submit:          plain("Nominate", slacktext.ModalTitle),
		Close:           plain("Cancel", slacktext.ModalTitle),
		PrivateMetadata: meta,
		Blocks:          slack.Blocks{BlockSet: blocks},
	}, nil
}

// metadata encodes o for private_metadata (at most 3,000 characters),
// cutting the message's text if it does not fit. HTML escaping is off:
// json.Marshal's \u003c would make a text full of "<" six times longer.
func (o shareOrigin) metadata() (string, error) {
	for {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(o); err != nil {
			return "", fmt.Errorf("encode modal metadata: %w", err)
		}
		meta := strings.TrimSpace(buf.String())
		over := slacktext.Len(meta) - slacktext.PrivateMetadata
		if over <= 0 {
			return meta, nil
		}
		if o.Text == "" {
			return "", errors.New("encode modal metadata: too long without any text")
		}
		// JSON may spend two characters on one of the text's: cut at
		// least that much, and the loop checks again.
		o.Text = slacktext.CutPlain(o.Text, max(0, slacktext.Len(o.Text)-over/2-over%2-1))
	}
}

// into adds o's message (not its text) to a /win modal's private_metadata
// (a JSON object), keeping the keys already there.
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

// shareOriginOf reads the origin back from a submitted modal (empty for a
// modal not opened by the shortcut).
func shareOriginOf(cb slack.InteractionCallback) shareOrigin {
	var o shareOrigin
	_ = json.Unmarshal([]byte(cb.View.PrivateMetadata), &o)
	return o
}

// ownShareCheck reads a submitted /win modal's origin and checks it in
// errs: a /win form only ever shares the clicker's own message (a form
// naming someone else, opened before nominations got their own form, is
// refused, so it can never publish edited words as a colleague's), and
// the message may have become a win while the form was open.
func ownShareCheck(tx *store.Tx, cb slack.InteractionCallback, errs map[string]string) (shareOrigin, error) {
	o := shareOriginOf(cb)
	if o.TS == "" {
		return o, nil
	}
	if o.Author != "" && o.Author != cb.User.ID {
		errs[blockWhat] = "This form is out of date. Use *Share as a win* on the message again to nominate it."
		return o, nil
	}
	return o, alreadyShared(tx, o, errs, blockWhat)
}

// alreadyShared says in errs[block] when the origin's message became a win
// while its form was open.
func alreadyShared(tx *store.Tx, o shareOrigin, errs map[string]string, block string) error {
	if _, found, err := winForMessage(tx, o.Channel, o.TS); err != nil {
		return err
	} else if found {
		errs[block] = "Someone shared this message as a win while you were writing, so it's already counted. Cheer it on in the wins channel!"
	}
	return nil
}

// nominationSubmission handles the nomination form: the win is the
// author's, in the words of their message as Slack sent it with the
// shortcut; the nominator adds at most a note, shown as theirs. From a
// private conversation it waits for the author's approval.
func (b *Bot) nominationSubmission(tx *store.Tx, cb slack.InteractionCallback) (any, error) {
	clicker := cb.User.ID
	o := shareOriginOf(cb)
	if o.TS == "" || o.Author == "" || o.Author == clicker || strings.TrimSpace(o.Text) == "" {
		return nil, nil // not a nomination form Flywheel opened
	}
	errs := map[string]string{}
	if err := alreadyShared(tx, o, errs, blockNote); err != nil {
		return nil, err
	}
	note := ""
	if v, ok := cb.View.State.Values[blockNote][blockNote]; ok {
		note = strings.TrimSpace(v.Value)
	}
	if n := slacktext.Len(note); n > maxNote {
		errs[blockNote] = fmt.Sprintf("Please keep your note under %d characters (it has %d).", maxNote, n)
	}
	if len(errs) > 0 {
		return map[string]any{"response_action": "errors", "errors": errs}, nil
	}
	w := b.newWin(o.Author, fitStored(o.Text), store.SourceNomination)
	w.Nominator, w.Note, w.SourceChannel, w.SourceTS = clicker, note, o.Channel, o.TS
	if o.Private {
		return nil, b.nominateForApproval(tx, &w)
	}
	if err := b.addWin(tx, &w); err != nil {
		return nil, err
	}
	return nil, b.nominationNotes(tx, w)
}

// credit marks w as shared from the origin's message (the clicker's own).
func (o shareOrigin) credit(w *store.Win) {
	if o.TS != "" {
		w.SourceChannel, w.SourceTS = o.Channel, o.TS
	}
}

// nominationNotes thanks the nominator and tells the author, as an emoji
// nomination does. A held win's author got the guardrail DM instead.
func (b *Bot) nominationNotes(tx *store.Tx, w store.Win) error {
	thanks := fmt.Sprintf(":tada: Thanks for nominating <@%s>'s message as an AI win.", w.Author)
	switch ch := b.Config().WinsChannel; {
	case w.Held:
		thanks += " It may contain something sensitive, so I've asked them to check it before it's shared."
	case ch != "":
		thanks += fmt.Sprintf(" It's on its way to <#%s>.", ch)
	}
	if err := b.dm(tx, w.Nominator, thanks); err != nil || w.Held {
		return err
	}
	return b.askNominee(tx, w)
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

// alreadyWinText tells the clicker the message is already a win.
func alreadyWinText(w store.Win) string {
	if w.Anonymous() || w.IsTip() {
		return alreadySharedText(w)
	}
	text := fmt.Sprintf(":trophy: This message is already a win by <@%s>, so there's nothing to add.", w.Author)
	if w.PostTS != "" && !w.Held && !w.Private && !w.TeamOnly() {
		text += fmt.Sprintf(" <%s|See it in the wins channel> and react to cheer it on.", messageLink(w.PostChannel, w.PostTS))
	}
	return text
}

// infoModal is a modal that only tells the clicker something.
func infoModal(text string) slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type:       slack.VTModal,
		CallbackID: shareDoneModalID,
		Title:      plain("Share a win", slacktext.ModalTitle),
		Close:      plain("Close", slacktext.ModalTitle),
		Blocks:     slack.Blocks{BlockSet: []slack.Block{section(text)}},
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
