package bot

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"flywheel/bot/guard"
	"flywheel/bot/slacktext"
	"flywheel/config"
	"flywheel/store"
)

// Tips: a prompt, a shortcut, a setting, a trick, too small to call a win.
// A tip is shared with `/tip <text>`, or a colleague's message becomes
// their tip when a peer reacts with the tip emoji, exactly as the win
// emoji nominates a win (nominate.go: the message's own words only, the
// same guardrails and approval). It is a store.Win of KindTip, posted in
// the tips channel with "I'll try this" and "Save"; it never counts as a
// win.

// The buttons on a tip's post.
const (
	actionTipTry  = "tip_try"
	actionTipSave = "tip_save"
)

// tipDraft is a /tip read and scanned before it reaches the writer, as
// winDraft is for /win.
type tipDraft struct {
	tip      store.Win
	findings []guard.Finding
}

// draftTip reads a /tip's tools and scans it off the write path; nil when
// the command records no tip (help, empty, too long).
func (b *Bot) draftTip(cmd slack.SlashCommand) *tipDraft {
	text := strings.TrimSpace(cmd.Text)
	if tipHelpWord(text) || len(text) > store.MaxWinText {
		return nil
	}
	w := b.newTip(cmd.UserID, text, store.SourceCommand)
	return &tipDraft{tip: w, findings: guard.Scan(w.Text, b.Config().Guardrails.BlockTerms)}
}

func tipHelpWord(text string) bool {
	switch strings.ToLower(text) {
	case "", "help", "?":
		return true
	}
	return false
}

// newTip reads a tip's tools like a win's (newWin). A tip claims no time.
func (b *Bot) newTip(author, text string, src store.WinSource) store.Win {
	w := b.newWin(author, text, src)
	w.Kind, w.MinutesSaved = store.KindTip, 0
	return w
}

// tipCommand handles `/tip <text>`: the tip is stored and its post queued
// in the caller's transaction, by the same code as a win's.
func (b *Bot) tipCommand(tx *store.Tx, cmd slack.SlashCommand, draft *tipDraft) (any, error) {
	if err := tx.NoteInteraction(cmd.UserID); err != nil {
		return nil, err
	}
	text := strings.TrimSpace(cmd.Text)
	if tipHelpWord(text) {
		return ephemeral(tipHelp(b.Config())), nil
	}
	if len(text) > store.MaxWinText {
		return ephemeral(fmt.Sprintf(":warning: That tip is %d characters long; I keep tips under %d. "+
			"Please share the trick itself in a few lines and link to the details. Nothing was recorded.",
			utf8.RuneCountInString(text), store.MaxWinText)), nil
	}
	var w store.Win
	var scanned *[]guard.Finding
	if draft != nil {
		w, scanned = draft.tip, &draft.findings // a copy: this may run twice if its batch is retried
	} else {
		w = b.newTip(cmd.UserID, text, store.SourceCommand)
	}
	if err := b.addWinScanned(tx, &w, scanned); err != nil {
		return nil, err
	}
	if w.Held {
		return ephemeral(":lock: Tip recorded, but I haven't shared it: it seems to contain something sensitive. I've sent you a DM to choose what to do."), nil
	}
	msg := ":bulb: Thanks for teaching your colleagues!"
	if ch := b.postChannel(w); ch != "" {
		msg += fmt.Sprintf(" Your tip is on its way to <#%s>.", ch)
	}
	if len(w.Tools) > 0 {
		msg += " It's filed under " + escapeJoin(w.Tools) + ", so people asking about it will find it."
	}
	return ephemeral(msg), nil
}

// tipHelp explains /tip and the tip emoji.
func tipHelp(cfg *config.Config) string {
	return "*Share a tip* :bulb: a prompt, a shortcut, a setting, a trick: no time saved needed.\n" +
		"• `/tip In Claude, ask for a table instead of prose when comparing vendors` shares it with everyone.\n" +
		"• React with :" + cfg.TipEmoji + ": on a colleague's message to share it as their tip.\n" +
		"• `/flywheel tips [tool or words]` lists the best tips, by saves and colleagues trying them."
}

// tipPost is a tip's message in the tips channel.
func tipPost(w store.Win) (string, []slack.Block) {
	head := fmt.Sprintf(":bulb: Tip from <@%s>", w.Author)
	if w.Nominator != "" {
		head = fmt.Sprintf(":bulb: <@%s> shared a tip by <@%s>", w.Nominator, w.Author)
	}
	body := head + "\n" + slacktext.Quote(w.Text)
	facts := []string{}
	if len(w.Tools) > 0 {
		facts = append(facts, ":hammer_and_wrench: "+escapeJoin(w.Tools))
	}
	facts = append(facts, "Save it for later, or say you'll try it")
	value := strconv.FormatUint(w.ID, 10)
	try := slack.NewButtonBlockElement(actionTipTry, value, plain("I'll try this", slacktext.ButtonText))
	try.Style = slack.StylePrimary
	save := slack.NewButtonBlockElement(actionTipSave, value, plain("Save", slacktext.ButtonText))
	blocks := []slack.Block{
		section(body),
		contextBlock("tip_facts", strings.Join(facts, "  ·  ")),
		slack.NewActionBlock("tip_actions", try, save),
	}
	return slacktext.Cut(body, slacktext.MessageText), blocks
}

// sharedPost is the post of a stored win or tip (renderWinPost); a win
// names the colleague's win that inspired it (inspiration, nil if none).
func sharedPost(w store.Win, inspiration *store.Win) (string, []slack.Block) {
	if w.IsTip() {
		return tipPost(w)
	}
	return winPostFrom(w, inspiration)
}

// markTip handles a tip's "Save" and "I'll try this": recorded once per
// person, answered privately. One's own tip is neither saved nor tried.
func (b *Bot) markTip(tx *store.Tx, cb slack.InteractionCallback, value string, kind store.TipMarkKind) error {
	id, err := strconv.ParseUint(value, 10, 64)
	if err != nil {
		return nil
	}
	w, err := tx.Win(id)
	if err != nil || !w.IsTip() {
		return nil // a post from before a forget or prune, or a forged value
	}
	user := cb.User.ID
	var text string
	switch {
	case user == w.Author:
		text = "That's your own tip :slightly_smiling_face: Colleagues who save it or try it show up in the weekly digest's *People teaching each other*."
	case kind == store.MarkSave:
		if _, err := tx.MarkTip(w.ID, user, kind); err != nil {
			return err
		}
		text = ":bookmark: Saved. Your saved tips are in your App Home, and `/flywheel tips` finds the best ones any time."
	default:
		if _, err := tx.MarkTip(w.ID, user, kind); err != nil {
			return err
		}
		text = tryTipAnswer(w, b.Config())
	}
	channel := cb.Channel.ID
	if channel == "" {
		channel = cb.Container.ChannelID
	}
	if channel == "" {
		return b.dm(tx, user, text)
	}
	_, err = tx.Enqueue(store.OutboxEntry{Kind: store.OutboxEphemeral, Channel: channel, User: user, Text: text})
	return err
}

// tryTipAnswer is the private how-to for someone trying a tip: how to
// start with the first registry tool it names.
func tryTipAnswer(w store.Win, cfg *config.Config) string {
	msg := fmt.Sprintf(":rocket: Great! <@%s> will be glad it helped.", w.Author)
	if t, ok := firstTool(cfg, w.Tools); ok {
		switch {
		case t.Status == config.StatusNotApproved:
			msg += fmt.Sprintf(" *%s* isn't approved here", slacktext.Escape(t.Name))
			if alt, ok := cfg.Tool(t.Alternative); ok && t.Alternative != "" {
				msg += fmt.Sprintf(", but the trick may work in *%s*: %s", slacktext.Escape(alt.Name), slacktext.Escape(alt.HowTo))
			}
			msg += "."
		case t.HowTo != "":
			msg += fmt.Sprintf(" New to *%s*? %s", slacktext.Escape(t.Name), slacktext.Escape(t.HowTo))
		}
		if t.Status == config.StatusRestricted && t.Restriction != "" {
			msg += " (Allowed for: " + slacktext.Escape(t.Restriction) + ".)"
		}
	}
	return msg + "\nIf it saves you time, share it with `/win`."
}

// firstTool is the first of names that is a registry tool.
func firstTool(cfg *config.Config, names []string) (config.Tool, bool) {
	for _, name := range names {
		if t, ok := cfg.Tool(name); ok {
			return t, true
		}
	}
	return config.Tool{}, false
}

// nominationKind says which kind of record a nomination emoji makes: the win
// emoji a win, the tip emoji a tip; ok is false for any other emoji.
func (b *Bot) nominationKind(emoji string) (kind store.Kind, ok bool) {
	cfg := b.Config()
	switch emoji {
	case cfg.WinEmoji:
		return store.KindWin, true
	case cfg.TipEmoji:
		return store.KindTip, true
	}
	return store.KindWin, false
}

// sharedCount is "2 wins", or "2 wins, 1 tip" when someone shared tips too
// (the forget prompt).
func sharedCount(fp store.Footprint) string {
	if fp.Tips == 0 {
		return plural(fp.Wins, "win")
	}
	return plural(fp.Wins, "win") + ", " + plural(fp.Tips, "tip")
}
