package bot

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"flywheel/bot/guard"
	"flywheel/bot/slacktext"
	"flywheel/bot/textparse"
	"flywheel/store"
)

// triggerLifetime is how long Slack accepts a trigger_id for views.open.
const triggerLifetime = 3 * time.Second

// winCommand handles `/win [text]`. It records the win and queues its
// wins-channel post in the caller's transaction; the returned private reply
// goes back in the ack, so the author sees it at once.
func (b *Bot) winCommand(tx *store.Tx, cmd slack.SlashCommand, draft *winDraft) (any, error) {
	if err := tx.NoteInteraction(cmd.UserID); err != nil {
		return nil, err
	}
	text := strings.TrimSpace(cmd.Text)
	switch strings.ToLower(text) {
	case "":
		var recent []store.Win
		if draft != nil {
			recent = draft.recent
		}
		return nil, b.queueWinModal(tx, cmd.TriggerID, winModalInput{Channel: cmd.ChannelID, Recent: recent})
	case "help", "?":
		return ephemeral(winHelp + b.visibilityHelp()), nil
	}
	vis, text, flagged := visibilityFlag(text)
	if flagged && text == "" {
		return ephemeral("Add what happened after the flag, e.g. `/win --anon Drafted the quarterly report with Claude in 1 hour instead of 4`." + b.visibilityHelp()), nil
	}
	if why := b.refuseVisibility(cmd.UserID, vis); why != "" {
		return ephemeral(":warning: " + why + " Nothing was recorded."), nil
	}
	if n := utf8.RuneCountInString(text); len(text) > store.MaxWinText {
		return ephemeral(fmt.Sprintf(":warning: That win is %d characters long; I keep wins under %d. "+
			"Please share a short summary (what you did, with which tool, how much time it saved) and a link to the details. Nothing was recorded.",
			n, store.MaxWinText)), nil
	}
	var w store.Win
	var scanned *[]guard.Finding
	if draft != nil {
		w, scanned = draft.win, &draft.findings // a copy: this may run twice if its batch is retried
	} else {
		w = b.newWin(cmd.UserID, text, store.SourceCommand)
	}
	b.setVisibility(&w, vis)
	if tooShort(w) {
		// "/win test": asked before anything is posted (the buttons keep
		// the words as typed, flag included).
		return shortWinPrompt(strings.TrimSpace(cmd.Text), text), nil
	}
	if err := b.addWinScanned(tx, &w, scanned); err != nil {
		return nil, err
	}
	return b.confirmationMsg(w), nil
}

// winDraft is a /win read and scanned before it reaches the writer; for
// `/win` alone, the recent wins its form offers.
type winDraft struct {
	win      store.Win
	findings []guard.Finding
	recent   []store.Win
}

// draftWin reads a /win's text (minutes, tools, sensitive data) before the
// envelope reaches the group-commit writer, so that work runs on the read
// loop's goroutine instead of inside the single write transaction every
// envelope waits for. For `/win` alone it reads the form's recent wins;
// nil when the command records no win (help, text too long).
func (b *Bot) draftWin(cmd slack.SlashCommand) *winDraft {
	text := strings.TrimSpace(cmd.Text)
	switch strings.ToLower(text) {
	case "":
		return &winDraft{recent: b.recentWins()}
	case "help", "?":
		return nil
	}
	_, text, _ = visibilityFlag(text)
	if len(text) > store.MaxWinText || text == "" {
		return nil
	}
	w := b.newWin(cmd.UserID, text, store.SourceCommand)
	return &winDraft{win: w, findings: guard.Scan(w.Text, b.Config().Guardrails.BlockTerms)}
}

// newWin reads minutes saved and tools from the text. (Not textparse.Read:
// a win needs neither its question stage nor whether it asks permission,
// and those rules are half of Read's cost on every /win.)
func (b *Bot) newWin(author, text string, src store.WinSource) store.Win {
	team, _ := b.teamOf(author)
	return store.Win{
		Author:       author,
		Team:         team.Name,
		Text:         text,
		Tools:        b.tools.Load().Find(text),
		MinutesSaved: textparse.MinutesSaved(text),
		Source:       src,
	}
}

// addWin stores a win and queues its wins-channel post.
func (b *Bot) addWin(tx *store.Tx, w *store.Win) error { return b.addWinScanned(tx, w, nil) }

// addWinScanned is addWin with the text already scanned (nil: scan now).
// The text is checked before it is stored (guardWin); w.Held tells the
// caller the win was held for its author's decision.
func (b *Bot) addWinScanned(tx *store.Tx, w *store.Win, scanned *[]guard.Finding) error {
	linkInspiration(tx, w)
	found := b.guardWin(w, scanned)
	if err := tx.AddWin(w); err != nil {
		return err
	}
	b.countWin(tx, w.Source)
	return b.publishWin(tx, *w, found)
}

// countWin counts a win once its transaction commits: a batch rolled back
// and run again, or a failed commit, counts nothing twice or at all.
func (b *Bot) countWin(tx *store.Tx, src store.WinSource) {
	tx.OnCommit(b.metrics.Wins.WithLabelValues(string(src)).Inc)
}

// publishWin queues a stored win's wins-channel post or, for a win held by
// the guardrails (found: what they found), the DM asking its author.
//
// The post's entry names the win and carries no text: the sender renders
// it from the stored win when it delivers it (renderWinPost), so rendering
// and encoding blocks stay out of the write transaction every envelope in a
// burst waits for, and the post shows the win as it is when posted.
func (b *Bot) publishWin(tx *store.Tx, w store.Win, found []guard.Finding) error {
	ch := b.postChannel(w) // the wins channel, the team's, or the tips channel
	if ch == "" {
		return nil
	}
	if w.Held {
		return b.askAboutHeld(tx, w, found)
	}
	_, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPost, Channel: ch, WinID: w.ID, WinPost: true})
	return err
}

// renderWinPost fills in a win post queued without its text (see
// publishWin) from the stored win. ok is false when the win is
// gone (forgotten or pruned since): there is nothing to post.
func (b *Bot) renderWinPost(e *store.OutboxEntry) (ok bool, err error) {
	if !e.WinPost || e.WinID == 0 || e.Text != "" || len(e.Blocks) > 0 {
		return true, nil
	}
	var w store.Win
	var src *store.Win
	err = b.st.View(func(tx *store.Tx) (err error) {
		if w, err = tx.Win(e.WinID); err != nil || w.InspiredBy == 0 {
			return err
		}
		if s, err := tx.Win(w.InspiredBy); err == nil {
			src = &s
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read win %d to post it: %w", e.WinID, err)
	}
	text, blocks := sharedPost(w, src)
	raw, err := json.Marshal(blocks)
	if err != nil {
		return false, fmt.Errorf("encode win post: %w", err)
	}
	e.Text, e.Blocks = text, raw
	return true, nil
}

// winSubmission handles the /win modal. Validation errors go back in the
// ack as response_action "errors", which Slack shows under the fields.
func (b *Bot) winSubmission(tx *store.Tx, cb slack.InteractionCallback) (any, error) {
	values := cb.View.State.Values
	get := func(block string) string {
		if v, ok := values[block][block]; ok {
			return strings.TrimSpace(v.Value)
		}
		return ""
	}
	text, tool, saved := get(blockWhat), get(blockTool), get(blockSaved)
	errs := map[string]string{}
	if text == "" {
		errs[blockWhat] = "Tell me what happened: what you did, and with which tool."
	} else if len(text) > store.MaxWinText {
		errs[blockWhat] = fmt.Sprintf("Please keep it under %d characters; a summary and a link work best.", store.MaxWinText)
	}
	if n := slacktext.Len(tool); n > maxToolInput {
		errs[blockTool] = fmt.Sprintf("Please keep the tool's name under %d characters.", maxToolInput)
	}
	minutes := 0
	if saved != "" {
		// The field is a bare duration ("2h"); read it as a saving.
		if minutes = textparse.MinutesSaved("saved " + saved); minutes == 0 {
			errs[blockSaved] = fmt.Sprintf("I couldn't read a time from %q. Try \"2h\", \"30 min\" or \"half a day\".", saved)
		}
	}
	var form winModalInput
	_ = json.Unmarshal([]byte(cb.View.PrivateMetadata), &form) // a form Flywheel didn't open edits nothing
	if form.EditWin != 0 {
		// Editing keeps who sees the win; the form has no such field.
		if len(errs) > 0 {
			return map[string]any{"response_action": "errors", "errors": errs}, nil
		}
		return b.saveOwnWin(tx, cb, form.EditWin, text, tool, minutes)
	}
	vis, ok := visibilityOf(values[blockVisibility][blockVisibility].SelectedOption.Value)
	if !ok {
		errs[blockVisibility] = "Choose who sees it."
	} else if why := b.refuseVisibility(cb.User.ID, vis); why != "" {
		errs[blockVisibility] = why
	}
	// A form opened by the "Share as a win" shortcut on one's own message
	// remembers the message, so a trophy on it later cheers this win.
	origin, err := ownShareCheck(tx, cb, errs)
	if err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return map[string]any{"response_action": "errors", "errors": errs}, nil
	}
	w := b.newWin(cb.User.ID, text, store.SourceModal)
	b.setVisibility(&w, vis)
	origin.credit(&w)
	if v := values[blockInspired][blockInspired]; v.SelectedOption.Value != "" {
		if id, err := strconv.ParseUint(v.SelectedOption.Value, 10, 64); err == nil {
			if src, err := tx.Win(id); err == nil && src.Author != w.Author {
				w.InspiredBy = id
				if _, err := tx.AddInspiration(id, w.Author); err != nil {
					return nil, err
				}
			}
		}
	}
	b.applyForm(&w, tool, minutes)
	if err := b.addWin(tx, &w); err != nil {
		return nil, err
	}
	// A DM to the author: the modal has closed, and an ephemeral message
	// needs a channel the bot is in.
	return nil, b.dmConfirmation(tx, w)
}

// applyForm puts what the /win form says over what the text reads: its
// time saved (when given) and its tool first (by its registry name).
func (b *Bot) applyForm(w *store.Win, tool string, minutes int) {
	if minutes > 0 {
		w.MinutesSaved = minutes
	}
	if tool != "" {
		if t, ok := b.Config().Tool(tool); ok {
			tool = t.Name
		}
		w.Tools = prepend(tool, w.Tools)
	}
}

func prepend(s string, list []string) []string {
	out := []string{s}
	for _, x := range list {
		if !strings.EqualFold(x, s) {
			out = append(out, x)
		}
	}
	return out
}

// blockAction handles button clicks. The follow-up DM's "Share a win" opens
// the /win form with the tool filled in; the Home tab's opens it empty.
// recent are the wins the form offers as "Inspired by", read before the
// writer (recentWins).
func (b *Bot) blockAction(tx *store.Tx, cb slack.InteractionCallback, act slack.BlockAction, recent []store.Win) error {
	if err := tx.NoteInteraction(cb.User.ID); err != nil {
		return err
	}
	switch act.ActionID {
	case actionHomeShareWin:
		return b.queueWinModal(tx, cb.TriggerID, winModalInput{Recent: recent})
	case actionTryThis:
		return b.tryThis(tx, cb, act.Value)
	case actionTipTry, actionTipSave:
		return b.markTip(tx, cb, act.Value, map[string]store.TipMarkKind{actionTipTry: store.MarkTry, actionTipSave: store.MarkSave}[act.ActionID])
	case actionGuardRedact, actionGuardPrivate:
		return b.guardDecision(tx, cb.User.ID, act.ActionID, act.Value)
	case actionApproveNomination, actionDeclineNomination:
		return b.approvalDecision(tx, cb, act.ActionID, act.Value)
	case actionNomineeKeep, actionNomineeRemove:
		return b.nomineeDecision(tx, cb, act.ActionID, act.Value)
	case actionWinEdit:
		return b.editOwnWin(tx, cb, act.Value, "Edit your win")
	case actionWinRemove:
		return b.removeOwnWin(tx, cb, act.Value)
	case actionAddTime:
		return b.editOwnWin(tx, cb, act.Value, "Add time saved")
	case actionPostShort:
		return b.postShortWin(tx, cb, act.Value)
	case actionShortForm:
		return b.queueWinModal(tx, cb.TriggerID, winModalInput{Text: act.Value})
	case actionFollowUpWin:
		return b.queueWinModal(tx, cb.TriggerID, winModalInput{Tool: act.Value, Recent: recent})
	case actionForgetConfirm, actionForgetWithPosts:
		return b.forgetConfirm(tx, cb, act)
	case actionForgetCancel:
		return b.forgetCancel(tx, cb)
	}
	return nil
}
