package bot

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"flywheel/bot/guard"
	"flywheel/bot/slacktext"
	"flywheel/store"
)

// Guardrail buttons on the "held" DM.
const (
	actionGuardRedact  = "guard_redact"
	actionGuardPrivate = "guard_private"
)

// guardWin checks a win's text before it is stored. On a hit the text is
// redacted, so the secret never reaches the database (the author's DM shows
// the redacted version too), and the win is held for its author's
// decision. Guardrails, not bans: a held win still counts. scanned, when
// not nil, is the result of scanning w.Text already (a /win is scanned
// before it reaches the group-commit writer). It returns what was found.
func (b *Bot) guardWin(w *store.Win, scanned *[]guard.Finding) []guard.Finding {
	var findings []guard.Finding
	if scanned != nil {
		findings = *scanned
	} else {
		findings = guard.Scan(w.Text, b.Config().Guardrails.BlockTerms)
	}
	if len(findings) == 0 {
		return nil
	}
	w.Text = fitStored(guard.Redact(w.Text, findings))
	w.Held = true
	return findings
}

// fitStored bounds plain text to the store's limit on a win's text (in
// bytes), on a rune boundary: redaction can make a text longer.
func fitStored(s string) string {
	if len(s) <= store.MaxWinText {
		return s
	}
	cut := store.MaxWinText - len(slacktext.Ellipsis)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + slacktext.Ellipsis
}

// askAboutHeld DMs the author of a held win: what was found, the win as it
// would read without it, and the buttons to post it so or keep it private.
func (b *Bot) askAboutHeld(tx *store.Tx, w store.Win, findings []guard.Finding) error {
	what := strings.Join(guard.Kinds(findings), ", ")
	if what == "" {
		what = "something sensitive"
	}
	text := fmt.Sprintf(":lock: Before I share your %s in <#%s>: it seems to contain %s, which shouldn't go in a public channel. Nothing has been posted.\nWith those removed it would read:\n%s",
		kindNoun(w), b.postChannel(w), slacktext.Escape(what), slacktext.Quote(w.Text))
	value := strconv.FormatUint(w.ID, 10)
	redact := slack.NewButtonBlockElement(actionGuardRedact, value, slack.NewTextBlockObject(slack.PlainTextType, "Post with these redacted", false, false))
	redact.Style = slack.StylePrimary
	private := slack.NewButtonBlockElement(actionGuardPrivate, value, slack.NewTextBlockObject(slack.PlainTextType, "Keep it private", false, false))
	blocks := []slack.Block{section(text), slack.NewActionBlock("guardrail", redact, private)}
	if g := guidelinesLine(b.Config()); g != "" {
		blocks = append(blocks, contextBlock("", strings.TrimPrefix(g, "\n")))
	}
	raw, err := json.Marshal(blocks)
	if err != nil {
		return fmt.Errorf("encode guardrail prompt: %w", err)
	}
	_, err = tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPost, Channel: w.Author,
		Text: slacktext.Cut(text, slacktext.MessageText), Blocks: raw})
	return err
}

// guardDecision handles the author's choice on a held win. Only the author
// decides, once: anyone else's click, and any click after the choice
// (a win kept private stays private), changes nothing.
func (b *Bot) guardDecision(tx *store.Tx, user, action, value string) error {
	id, err := strconv.ParseUint(value, 10, 64)
	if err != nil {
		return nil
	}
	w, err := tx.Win(id)
	if err != nil || w.Author != user || !w.Held || w.Private {
		return nil
	}
	var note string
	switch action {
	case actionGuardRedact:
		// Held wins are stored redacted; this also covers wins held before that.
		w.Text = fitStored(guard.Redact(w.Text, guard.Scan(w.Text, b.Config().Guardrails.BlockTerms)))
		w.Held = false
		if err := tx.UpdateWin(&w); err != nil {
			return err
		}
		if err := b.publishWin(tx, w, nil); err != nil {
			return err
		}
		note = ":white_check_mark: Shared with the sensitive parts removed."
	case actionGuardPrivate:
		w.Private, w.Held = true, false
		if err := tx.UpdateWin(&w); err != nil {
			return err
		}
		note = ":lock: Kept private. It still counts in your time saved; nobody else sees the text."
	default:
		return nil
	}
	return b.dm(tx, user, note)
}
