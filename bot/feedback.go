package bot

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"flywheel/bot/slacktext"
	"flywheel/digest"
	"flywheel/store"
)

// The buttons of a /win's private feedback.
const (
	// actionAddTime opens the win's form to add the time it saved.
	actionAddTime = "win_add_time"
	// actionPostShort posts a very short /win after all; its value is the
	// text. actionShortForm opens the form with it instead.
	actionPostShort = "win_post_short"
	actionShortForm = "win_short_form"
	// shortWinWords: a /win of fewer words, naming no tool and no time, is
	// checked with its author before it is posted ("/win test").
	shortWinWords = 4
)

// winConfirmation is what the author sees privately after sharing a win:
// how it was read, and what would make it count for more.
func winConfirmation(w store.Win, channel string, capped int) string {
	var b strings.Builder
	b.WriteString(":tada: Win recorded")
	if channel != "" {
		fmt.Fprintf(&b, " and on its way to <#%s>", channel)
	}
	b.WriteString(".\n")
	b.WriteString(winReading(w))
	if w.MinutesSaved > capped {
		fmt.Fprintf(&b, "\nWins over %s count as %s until two colleagues cheer them.", digest.FormatMinutes(capped), digest.FormatMinutes(capped))
	}
	return b.String()
}

// winReading says how a win was read: its time and tools, or what is
// missing.
func winReading(w store.Win) string {
	tools := ""
	if len(w.Tools) > 0 {
		tools = " with " + escapeJoin(w.Tools)
	}
	if w.MinutesSaved > 0 {
		return fmt.Sprintf("I read it as *%s saved*%s.", digest.FormatMinutes(w.MinutesSaved), tools)
	}
	return fmt.Sprintf("I read it as a win%s, but couldn't tell how much time it saved, so it counts no hours yet. "+
		"Add it with *Add time saved*, or next time write it like _\"saved 2h\"_ or _\"in 30 minutes instead of 3 hours\"_.", tools)
}

// confirmationBlocks are the confirmation with, when no time was read, an
// Add time saved button.
func confirmationBlocks(w store.Win, text string) []slack.Block {
	blocks := []slack.Block{section(text)}
	if w.MinutesSaved == 0 && !w.Held {
		add := slack.NewButtonBlockElement(actionAddTime, strconv.FormatUint(w.ID, 10), plain("Add time saved", slacktext.ButtonText))
		add.Style = slack.StylePrimary
		blocks = append(blocks, slack.NewActionBlock("win_feedback", add))
	}
	return blocks
}

// confirmationMsg is the private reply to a /win: how it was read, and
// who sees it.
func (b *Bot) confirmationMsg(w store.Win) slackMsg {
	if w.Held {
		return ephemeral(heldConfirmation(w))
	}
	msg := ephemeral(winConfirmation(w, b.postChannel(w), digest.MaxMinutes(b.Config())) + visibilityNote(w))
	msg.Blocks = confirmationBlocks(w, msg.Text)
	return msg
}

// dmConfirmation DMs the confirmation (after a form: the modal has closed).
func (b *Bot) dmConfirmation(tx *store.Tx, w store.Win) error {
	msg := b.confirmationMsg(w)
	if len(msg.Blocks) == 0 {
		return b.dm(tx, w.Author, msg.Text)
	}
	raw, err := json.Marshal(msg.Blocks)
	if err != nil {
		return fmt.Errorf("encode confirmation: %w", err)
	}
	_, err = tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPost, Channel: w.Author, Text: msg.Text, Blocks: raw})
	return err
}

// tooShort says a /win is too short to be sure it is one: a few words,
// naming no tool and no time.
func tooShort(w store.Win) bool {
	return w.MinutesSaved == 0 && len(w.Tools) == 0 && len(strings.Fields(w.Text)) < shortWinWords
}

// shortWinPrompt asks before posting a very short /win. typed is the
// command's text as typed (a visibility flag included), which the buttons
// carry; text is the win's words.
func shortWinPrompt(typed, text string) slackMsg {
	body := fmt.Sprintf(":thinking_face: Before I share “%s” in the wins channel: colleagues learn most from what you did, "+
		"with which tool, and how much time it saved, e.g. `/win Used ChatGPT to draft the release notes in 20 minutes instead of 2 hours`. "+
		"Nothing is posted yet.", slacktext.Fit(text, 200))
	post := slack.NewButtonBlockElement(actionPostShort, slacktext.CutPlain(typed, slacktext.ButtonValue), plain("Post it as it is", slacktext.ButtonText))
	form := slack.NewButtonBlockElement(actionShortForm, slacktext.CutPlain(text, slacktext.ButtonValue), plain("Add details in the form", slacktext.ButtonText))
	form.Style = slack.StylePrimary
	msg := ephemeral(body)
	msg.Blocks = []slack.Block{section(body), slack.NewActionBlock("win_short", form, post)}
	return msg
}

// postShortWin handles "Post it as it is": the clicker's win, in the
// words they typed, then the prompt is replaced by the confirmation.
func (b *Bot) postShortWin(tx *store.Tx, cb slack.InteractionCallback, typed string) error {
	vis, text, _ := visibilityFlag(strings.TrimSpace(typed))
	if text == "" || len(text) > store.MaxWinText {
		return nil
	}
	if why := b.refuseVisibility(cb.User.ID, vis); why != "" {
		return b.replacePrompt(tx, cb, ":warning: "+why+" Nothing was recorded.")
	}
	w := b.newWin(cb.User.ID, text, store.SourceCommand)
	b.setVisibility(&w, vis)
	if err := b.addWin(tx, &w); err != nil {
		return err
	}
	return b.replaceWith(tx, cb, b.confirmationMsg(w))
}
