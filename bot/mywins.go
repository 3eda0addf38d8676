package bot

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"flywheel/bot/guard"
	"flywheel/bot/slacktext"
	"flywheel/digest"
	"flywheel/store"
)

// An author's own wins are theirs to correct or take back: `/flywheel my
// wins` and the Home tab list them with these buttons (the value is the
// win's ID; the clicker is checked against its author every time).
const (
	actionWinEdit   = "win_edit"
	actionWinRemove = "win_remove"
	// showOwnWins is how many of their latest wins the list shows.
	showOwnWins     = 10
	showOwnWinsHome = 5
	// Slack's limits on a confirmation dialog (composition-objects/
	// confirmation-dialog-object): title 100, text 300, buttons 30.
	confirmTitle, confirmText, confirmButton = 100, 300, 30
)

// ownWins are user's latest wins, newest first: the ones shared or
// counted (a nomination still awaiting their approval is in their DMs).
func ownWins(tx *store.Tx, user string, n int) ([]store.Win, error) {
	wins, err := tx.WinsByUser(user)
	if err != nil {
		return nil, err
	}
	var out []store.Win
	for _, w := range slices.Backward(wins) {
		if w.AwaitingApproval || w.Pending || w.IsTip() {
			continue // tips are listed with tips
		}
		if out = append(out, w); len(out) == n {
			break
		}
	}
	return out, nil
}

// ownWinBlocks lists wins, each with Edit and Remove.
func ownWinBlocks(wins []store.Win) []slack.Block {
	var blocks []slack.Block
	for _, w := range wins {
		line := "“" + slacktext.Fit(firstLine(w.Text), 120) + "”"
		var facts []string
		if w.MinutesSaved > 0 {
			facts = append(facts, digest.FormatMinutes(w.MinutesSaved)+" saved")
		} else {
			facts = append(facts, "no time saved given")
		}
		switch {
		case w.Held:
			facts = append(facts, "waiting for your decision (see my DM)")
		case w.Private:
			facts = append(facts, "kept private")
		case w.PostTS != "":
			facts = append(facts, fmt.Sprintf("<%s|see the post>", messageLink(w.PostChannel, w.PostTS)))
		}
		if w.Nominator != "" {
			facts = append(facts, fmt.Sprintf("nominated by <@%s>", w.Nominator))
		}
		value := strconv.FormatUint(w.ID, 10)
		edit := slack.NewButtonBlockElement(actionWinEdit, value, plain("Edit", slacktext.ButtonText))
		remove := slack.NewButtonBlockElement(actionWinRemove, value, plain("Remove", slacktext.ButtonText))
		remove.Style = slack.StyleDanger
		remove.Confirm = slack.NewConfirmationBlockObject(plain("Remove this win?", confirmTitle),
			plain("I'll delete its post in the wins channel and it will stop counting. This can't be undone.", confirmText),
			plain("Remove", confirmButton), plain("Keep it", confirmButton))
		blocks = append(blocks, section(line+"\n"+strings.Join(facts, " · ")),
			slack.NewActionBlock("own_win_"+value, edit, remove))
	}
	return blocks
}

// myWinsMessage is `/flywheel my wins`: the list, or what to do first.
func myWinsMessage(wins []store.Win, note string) slackMsg {
	head := "*Your latest wins.* Edit one to fix its words or time saved; remove one that shouldn't count."
	if note != "" {
		head = note + "\n" + head
	}
	if len(wins) == 0 {
		text := "You have no wins yet. Share one with `/win`: what you did, with which tool, how much time it saved."
		if note != "" {
			text = note + "\n" + text
		}
		return ephemeral(text)
	}
	msg := ephemeral(head)
	msg.Blocks = append([]slack.Block{section(head)}, ownWinBlocks(wins)...)
	return msg
}

// myWinsCommand answers `/flywheel my wins` from a read snapshot.
func (b *Bot) myWinsCommand(cmd slack.SlashCommand) slackMsg {
	var wins []store.Win
	err := b.st.View(func(tx *store.Tx) (err error) {
		wins, err = ownWins(tx, cmd.UserID, showOwnWins)
		return err
	})
	if err != nil {
		b.log.WithError(err).Error("my wins failed")
		return ephemeral(":warning: I couldn't read your wins just now; please try again in a minute.")
	}
	return myWinsMessage(wins, "")
}

// ownWin reads the win a button names, if the clicker is its author.
func ownWin(tx *store.Tx, clicker, value string) (store.Win, bool, error) {
	id, err := strconv.ParseUint(value, 10, 64)
	if err != nil {
		return store.Win{}, false, nil
	}
	w, err := tx.Win(id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Win{}, false, nil
	}
	if err != nil || w.Author != clicker || w.AwaitingApproval {
		return store.Win{}, false, err
	}
	return w, true, nil
}

// removeOwnWin handles Remove: the win is withdrawn (its post deleted, its
// numbers gone) and, when it was a colleague's nomination, its message is
// never nominated again. The list is shown again without it.
func (b *Bot) removeOwnWin(tx *store.Tx, cb slack.InteractionCallback, value string) error {
	w, ok, err := ownWin(tx, cb.User.ID, value)
	if err != nil || !ok {
		return err
	}
	if err := b.withdraw(tx, w, w.Source == store.SourceNomination); err != nil {
		return err
	}
	note := ":wastebasket: Removed “" + slacktext.Fit(firstLine(w.Text), 80) + "”: its post is deleted and it no longer counts."
	if cb.Container.Type == "view" {
		return nil // the Home tab is republished by withdraw
	}
	wins, err := ownWins(tx, w.Author, showOwnWins)
	if err != nil {
		return err
	}
	return b.replaceWith(tx, cb, myWinsMessage(wins, note))
}

// editOwnWin handles Edit (and "Add time saved"): the /win form, filled in
// with the win, saves over it.
func (b *Bot) editOwnWin(tx *store.Tx, cb slack.InteractionCallback, value, title string) error {
	w, ok, err := ownWin(tx, cb.User.ID, value)
	if err != nil || !ok {
		return err
	}
	in := winModalInput{EditWin: w.ID, Text: w.Text, Title: title, Recent: []store.Win{}}
	if len(w.Tools) > 0 {
		in.Tool = w.Tools[0]
	}
	if w.MinutesSaved > 0 {
		in.Saved = digest.FormatMinutes(w.MinutesSaved)
	}
	return b.queueWinModal(tx, cb.TriggerID, in)
}

// saveOwnWin saves an edited win: new words are read again for tools and
// time, checked by the guardrails (a sensitive edit is refused in the
// form, so a shared post never shows it), and its post is updated.
func (b *Bot) saveOwnWin(tx *store.Tx, cb slack.InteractionCallback, id uint64, text, tool string, minutes int) (any, error) {
	w, ok, err := ownWin(tx, cb.User.ID, strconv.FormatUint(id, 10))
	if err != nil || !ok {
		return nil, err
	}
	if found := guard.Scan(text, b.Config().Guardrails.BlockTerms); len(found) > 0 {
		return map[string]any{"response_action": "errors", "errors": map[string]string{blockWhat: "That looks like it contains " +
			strings.Join(guard.Kinds(found), ", ") + ", which shouldn't be shared. Please take it out and save again."}}, nil
	}
	read := b.newWin(w.Author, text, w.Source)
	w.Text, w.Tools, w.MinutesSaved = text, read.Tools, read.MinutesSaved
	b.applyForm(&w, tool, minutes)
	wasHeld := w.Held
	w.Held = false // the guardrails found nothing in the new words
	if err := tx.UpdateWin(&w); err != nil {
		return nil, err
	}
	// New minutes or tools change the win's week: recount the cached rollups.
	if err := digest.RecountAfterForget(tx, b.Config()); err != nil {
		return nil, err
	}
	switch {
	case wasHeld && !w.Private:
		if err := b.publishWin(tx, w, nil); err != nil {
			return nil, err
		}
	case w.PostTS != "":
		if _, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxUpdate, Channel: w.PostChannel, TS: w.PostTS,
			WinID: w.ID, WinPost: true}); err != nil {
			return nil, err
		}
	}
	if _, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPublishHome, User: w.Author}); err != nil {
		return nil, err
	}
	return nil, b.dm(tx, w.Author, ":pencil2: Saved. "+winReading(w))
}

// replaceWith replaces the clicked message with msg (through the click's
// response_url), or DMs its text when there is none.
func (b *Bot) replaceWith(tx *store.Tx, cb slack.InteractionCallback, msg slackMsg) error {
	if cb.ResponseURL == "" {
		return b.dm(tx, cb.User.ID, msg.Text)
	}
	_, err := b.respondWith(tx, cb.ResponseURL, msg.Text, msg.Blocks)
	return err
}
