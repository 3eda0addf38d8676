package bot

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/slack-go/slack"

	"flywheel/bot/slacktext"
	"flywheel/config"
	"flywheel/digest"
	"flywheel/store"
)

// The /win modal's callback and block IDs (each input's action_id equals its
// block_id, which keeps reading state values simple).
const (
	winModalID = "win_modal"
	blockWhat  = "what"
	blockTool  = "tool"
	blockSaved = "saved"
	// blockInspired picks the colleague's win that inspired this one.
	blockInspired = "inspired"
	// maxToolInput bounds the tool field: a tool's name, as long as a
	// registry name may be.
	maxToolInput = config.MaxNameLen
)

// winModalInput prefills the modal.
type winModalInput struct {
	Channel string `json:"channel,omitempty"`
	// EditWin is the author's win the form saves over (0: a new win).
	EditWin uint64 `json:"edit_win,omitempty"`
	Text    string `json:"-"`
	Tool    string `json:"-"`
	Saved   string `json:"-"`
	// Title replaces "Share a win" (editing: "Edit your win").
	Title string `json:"-"`
	// Recent are the wins offered in the optional "inspired by" field.
	Recent []store.Win `json:"-"`
	// Choices are the "Who sees it" options (visibility.go).
	Choices []store.Visibility `json:"-"`
}

// winModal is the /win form: what happened, the tool, the time saved.
func winModal(in winModalInput) slack.ModalViewRequest {
	meta, _ := json.Marshal(in)
	what := slack.NewPlainTextInputBlockElement(slack.NewTextBlockObject(slack.PlainTextType, "Used ChatGPT to draft 40 cold emails…", false, false), blockWhat)
	what.Multiline, what.MaxLength = true, slacktext.InputValue
	what.InitialValue = slacktext.CutPlain(in.Text, slacktext.InputValue)
	tool := slack.NewPlainTextInputBlockElement(slack.NewTextBlockObject(slack.PlainTextType, "ChatGPT, Copilot, Claude…", false, false), blockTool)
	tool.MaxLength = maxToolInput
	tool.InitialValue = slacktext.CutPlain(in.Tool, maxToolInput)
	saved := slack.NewPlainTextInputBlockElement(slack.NewTextBlockObject(slack.PlainTextType, "2h, 30 min, half a day", false, false), blockSaved)
	saved.InitialValue = slacktext.CutPlain(in.Saved, 50)
	toolBlock := slack.NewInputBlock(blockTool, slack.NewTextBlockObject(slack.PlainTextType, "Tool used", false, false), nil, tool)
	toolBlock.Optional = true
	savedBlock := slack.NewInputBlock(blockSaved, slack.NewTextBlockObject(slack.PlainTextType, "Time saved", false, false),
		slack.NewTextBlockObject(slack.PlainTextType, "Roughly how long it would have taken without AI, minus how long it took.", false, false), saved)
	savedBlock.Optional = true
	blocks := []slack.Block{
		slack.NewInputBlock(blockWhat, slack.NewTextBlockObject(slack.PlainTextType, "What happened?", false, false), nil, what),
		toolBlock,
		savedBlock,
	}
	if vb := visibilityInput(in.Choices); vb != nil {
		blocks = append(blocks, vb)
	}
	if opts := inspiredOptions(in.Recent); len(opts) > 0 {
		sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic,
			slack.NewTextBlockObject(slack.PlainTextType, "A colleague's win you tried", false, false), blockInspired, opts...)
		ib := slack.NewInputBlock(blockInspired, slack.NewTextBlockObject(slack.PlainTextType, "Inspired by", false, false), nil, sel)
		ib.Optional = true
		blocks = append(blocks, ib)
	}
	title, submit := "Share a win", "Share"
	if in.EditWin != 0 {
		title, submit = cmp.Or(in.Title, "Edit your win"), "Save"
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      winModalID,
		Title:           plain(title, slacktext.ModalTitle),
		Submit:          plain(submit, slacktext.ModalTitle),
		Close:           slack.NewTextBlockObject(slack.PlainTextType, "Cancel", false, false),
		PrivateMetadata: string(meta),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

// queueWinModal queues views.open. The trigger_id expires after 3 seconds,
// so the entry expires with it rather than retrying uselessly. in.Recent
// is read before the writer (recentWins): no history is read here.
func (b *Bot) queueWinModal(tx *store.Tx, triggerID string, in winModalInput) error {
	if triggerID == "" {
		return nil
	}
	if in.EditWin == 0 { // an edit keeps who sees the win
		in.Choices = b.visibilityChoices()
	}
	raw, err := json.Marshal(winModal(in))
	if err != nil {
		return fmt.Errorf("encode modal: %w", err)
	}
	_, err = tx.Enqueue(store.OutboxEntry{Kind: store.OutboxOpenView, TriggerID: triggerID, View: raw,
		ExpiresAt: tx.Now().Add(triggerLifetime)})
	return err
}

// Slack allows 100 options; a short list is easier to pick from.
const (
	maxInspiredOptions = 25
	inspiredWindow     = 14 * 24 * time.Hour
)

// offered says a win may be offered as "Inspired by": shared publicly,
// with everyone (a team-only win's words stay in its team).
func offered(w store.Win) bool {
	return w.PostTS != "" && !w.Held && !w.Private && !w.Pending && !w.AwaitingApproval && !w.TeamOnly() && !w.IsTip()
}

// recentWins reads the wins the /win form offers, oldest first, from a
// snapshot of the store before the envelope reaches the writer: newest
// first through the window, stopping at the list's length.
func (b *Bot) recentWins() []store.Win {
	now := b.clock.Now()
	var recent []store.Win
	err := b.st.View(func(tx *store.Tx) error {
		return tx.EachRecentWin(now.Add(-inspiredWindow), now.Add(time.Second), func(w store.Win) bool {
			if offered(w) {
				recent = append(recent, w)
			}
			return len(recent) < maxInspiredOptions
		})
	})
	if err != nil {
		b.log.WithError(err).Warn("cannot read recent wins for the form; opening it without them")
	}
	slices.Reverse(recent)
	return recent
}

// inspiredOptions offers the most recent shared wins.
func inspiredOptions(wins []store.Win) []*slack.OptionBlockObject {
	var opts []*slack.OptionBlockObject
	for i := len(wins) - 1; i >= 0 && len(opts) < maxInspiredOptions; i-- {
		w := wins[i]
		if !offered(w) {
			continue
		}
		label := firstLine(w.Text)
		if w.MinutesSaved > 0 {
			label = slacktext.CutPlain(label, 50) + " (" + digest.FormatMinutes(w.MinutesSaved) + ")"
		}
		opts = append(opts, slack.NewOptionBlockObject(strconv.FormatUint(w.ID, 10), plain(label, slacktext.OptionText), nil))
	}
	return opts
}
