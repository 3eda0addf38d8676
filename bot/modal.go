package bot

import (
	"encoding/json"
	"fmt"

	"github.com/slack-go/slack"

	"flywheel/store"
)

// The /win modal's callback and block IDs (each input's action_id equals its
// block_id, which keeps reading state values simple).
const (
	winModalID = "win_modal"
	blockWhat  = "what"
	blockTool  = "tool"
	blockSaved = "saved"
)

// winModalInput prefills the modal.
type winModalInput struct {
	Channel string `json:"channel,omitempty"`
	Text    string `json:"-"`
	Tool    string `json:"-"`
}

// winModal is the /win form: what happened, the tool, the time saved.
func winModal(in winModalInput) slack.ModalViewRequest {
	meta, _ := json.Marshal(in)
	what := slack.NewPlainTextInputBlockElement(slack.NewTextBlockObject(slack.PlainTextType, "Used ChatGPT to draft 40 cold emails…", false, false), blockWhat)
	what.Multiline = true
	what.InitialValue = in.Text
	tool := slack.NewPlainTextInputBlockElement(slack.NewTextBlockObject(slack.PlainTextType, "ChatGPT, Copilot, Claude…", false, false), blockTool)
	tool.InitialValue = in.Tool
	saved := slack.NewPlainTextInputBlockElement(slack.NewTextBlockObject(slack.PlainTextType, "2h, 30 min, half a day", false, false), blockSaved)
	toolBlock := slack.NewInputBlock(blockTool, slack.NewTextBlockObject(slack.PlainTextType, "Tool used", false, false), nil, tool)
	toolBlock.Optional = true
	savedBlock := slack.NewInputBlock(blockSaved, slack.NewTextBlockObject(slack.PlainTextType, "Time saved", false, false),
		slack.NewTextBlockObject(slack.PlainTextType, "Roughly how long it would have taken without AI, minus how long it took.", false, false), saved)
	savedBlock.Optional = true
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      winModalID,
		Title:           slack.NewTextBlockObject(slack.PlainTextType, "Share a win", false, false),
		Submit:          slack.NewTextBlockObject(slack.PlainTextType, "Share", false, false),
		Close:           slack.NewTextBlockObject(slack.PlainTextType, "Cancel", false, false),
		PrivateMetadata: string(meta),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewInputBlock(blockWhat, slack.NewTextBlockObject(slack.PlainTextType, "What happened?", false, false), nil, what),
			toolBlock,
			savedBlock,
		}},
	}
}

// queueWinModal queues views.open. The trigger_id expires after 3 seconds,
// so the entry expires with it rather than retrying uselessly.
func (b *Bot) queueWinModal(tx *store.Tx, triggerID string, in winModalInput) error {
	if triggerID == "" {
		return nil
	}
	raw, err := json.Marshal(winModal(in))
	if err != nil {
		return fmt.Errorf("encode modal: %w", err)
	}
	_, err = tx.Enqueue(store.OutboxEntry{Kind: store.OutboxOpenView, TriggerID: triggerID, View: raw,
		ExpiresAt: tx.Now().Add(triggerLifetime)})
	return err
}
