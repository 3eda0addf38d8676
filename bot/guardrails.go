package bot

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"flywheel/bot/guard"
	"flywheel/store"
)

// Guardrail buttons on the "held" DM.
const (
	actionGuardRedact  = "guard_redact"
	actionGuardPrivate = "guard_private"
)

// holdIfSensitive checks a win before it goes public. On a hit it marks the
// win held and asks the author privately what to do; it reports whether it
// held the win. Guardrails, not bans: the win still counts.
// scanned, when not nil, is the result of scanning w.Text already (a /win
// is scanned before it reaches the group-commit writer).
func (b *Bot) holdIfSensitive(tx *store.Tx, w *store.Win, scanned *[]guard.Finding) (bool, error) {
	var findings []guard.Finding
	if scanned != nil {
		findings = *scanned
	} else {
		findings = guard.Scan(w.Text, b.Config().Guardrails.BlockTerms)
	}
	if len(findings) == 0 {
		return false, nil
	}
	w.Held = true
	if err := tx.UpdateWin(w); err != nil {
		return false, err
	}
	what := strings.Join(guard.Kinds(findings), ", ")
	preview := guard.Redact(w.Text, findings)
	text := fmt.Sprintf(":lock: Before I share your win in <#%s>: it seems to contain %s, which shouldn't go in a public channel. Nothing has been posted.\nWith those removed it would read:\n>%s",
		b.Config().WinsChannel, what, strings.ReplaceAll(escape(truncate(preview, 2000)), "\n", "\n>"))
	value := strconv.FormatUint(w.ID, 10)
	redact := slack.NewButtonBlockElement(actionGuardRedact, value, slack.NewTextBlockObject(slack.PlainTextType, "Post with these redacted", false, false))
	redact.Style = slack.StylePrimary
	private := slack.NewButtonBlockElement(actionGuardPrivate, value, slack.NewTextBlockObject(slack.PlainTextType, "Keep it private", false, false))
	blocks := []slack.Block{
		slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil),
		slack.NewActionBlock("guardrail", redact, private),
	}
	if g := guidelinesLine(b.Config()); g != "" {
		blocks = append(blocks, slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, strings.TrimPrefix(g, "\n"), false, false)))
	}
	raw, err := json.Marshal(blocks)
	if err != nil {
		return false, fmt.Errorf("encode guardrail prompt: %w", err)
	}
	_, err = tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPost, Channel: w.Author, Text: text, Blocks: raw})
	return true, err
}

// guardDecision handles the author's choice on a held win. Only the author
// decides; anyone else's click changes nothing.
func (b *Bot) guardDecision(tx *store.Tx, user, action, value string) error {
	id, err := strconv.ParseUint(value, 10, 64)
	if err != nil {
		return nil
	}
	w, err := tx.Win(id)
	if err != nil || w.Author != user || !w.Held {
		return nil
	}
	var note string
	switch action {
	case actionGuardRedact:
		w.Text = guard.Redact(w.Text, guard.Scan(w.Text, b.Config().Guardrails.BlockTerms))
		w.Held = false
		if err := tx.UpdateWin(&w); err != nil {
			return err
		}
		if err := b.queueWinPost(tx, w); err != nil {
			return err
		}
		note = ":white_check_mark: Shared with the sensitive parts removed."
	case actionGuardPrivate:
		w.Private = true
		if err := tx.UpdateWin(&w); err != nil {
			return err
		}
		note = ":lock: Kept private. It still counts in your time saved; nobody else sees the text."
	default:
		return nil
	}
	_, err = tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPost, Channel: user, Text: note})
	return err
}
