package bot

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/sirupsen/logrus"
	"github.com/slack-go/slack"

	"flywheel/digest"
	"flywheel/store"
)

// The buttons of the `/flywheel forget` prompt. The confirm button's value
// is the user ID to forget.
const (
	actionForgetConfirm = "forget_confirm"
	actionForgetCancel  = "forget_cancel"
)

var (
	// mentionRE is a user mention as Slack escapes it in a command's text:
	// <@U123|name> or <@U123>.
	mentionRE = regexp.MustCompile(`^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$`)
	memberRE  = regexp.MustCompile(`^[UW][A-Z0-9]+$`)
)

const forgetHelp = "`/flywheel forget me` erases what Flywheel holds about you: your wins and questions are deleted, " +
	"and your answers to colleagues stay counted without your name. I'll ask you to confirm first.\n" +
	"Admins can do it for someone else: `/flywheel forget @someone` (or their member ID)."

// forgetCommand answers `/flywheel forget me` (anyone) and `/flywheel
// forget @someone` (admins) with a prompt to confirm. Nothing is deleted
// here: this runs off the write path, and only the confirm click erases.
func (b *Bot) forgetCommand(cmd slack.SlashCommand) slackMsg {
	args := strings.Fields(cmd.Text) // not lower-cased: user IDs are upper case
	if len(args) != 2 {
		return ephemeral(forgetHelp)
	}
	target, ok := forgetTarget(args[1], cmd.UserID)
	if !ok {
		return ephemeral(fmt.Sprintf("I couldn't tell who “%s” is. Pick them from the @ menu, or paste their member ID "+
			"(profile > More > Copy member ID).\n\n%s", echo(args[1]), forgetHelp))
	}
	cfg := b.Config()
	if target != cmd.UserID && !cfg.IsAdmin(cmd.UserID) {
		return ephemeral("Sorry, only Flywheel admins can erase someone else's records. " +
			"You can erase your own with `/flywheel forget me`; for anyone else, ask an admin: " + mentions(cfg.Admins))
	}
	var fp store.Footprint
	err := b.st.View(func(tx *store.Tx) (err error) {
		fp, err = tx.Footprint(target)
		return err
	})
	if err != nil {
		b.log.WithError(err).Error("forget: could not count records")
		return ephemeral(":warning: I couldn't look up those records just now; please try again in a minute.")
	}
	return forgetPrompt(target, target == cmd.UserID, fp)
}

// forgetTarget reads "me", a mention or a member ID.
func forgetTarget(arg, caller string) (string, bool) {
	if strings.EqualFold(arg, "me") {
		return caller, true
	}
	if m := mentionRE.FindStringSubmatch(arg); m != nil {
		return m[1], true
	}
	if memberRE.MatchString(arg) {
		return arg, true
	}
	return "", false
}

// forgetPrompt is the private "are you sure?" with Forget and Cancel buttons.
func forgetPrompt(target string, self bool, fp store.Footprint) slackMsg {
	who, whose, their := "you", "your", "you gave"
	if !self {
		who, whose, their = "<@"+target+">", "their", "they gave"
	}
	text := fmt.Sprintf(":warning: *Erase everything Flywheel holds about %s?*\n"+
		"This permanently deletes %s %s and %s, and takes %s name off %s %s to colleagues "+
		"(they still count for the people helped) and off any cheers and nominations. It can't be undone. "+
		"Messages already posted in Slack stay where they are.",
		who, whose, plural(fp.Wins, "win"), plural(fp.Questions, "question"), whose, plural(fp.Answers, "answer"), their)
	confirm := slack.NewButtonBlockElement(actionForgetConfirm, target, slack.NewTextBlockObject(slack.PlainTextType, "Erase", false, false))
	confirm.Style = slack.StyleDanger
	cancel := slack.NewButtonBlockElement(actionForgetCancel, target, slack.NewTextBlockObject(slack.PlainTextType, "Cancel", false, false))
	msg := ephemeral(text)
	msg.Blocks = []slack.Block{
		slack.NewSectionBlock(md(text), nil, nil),
		slack.NewActionBlock("forget", confirm, cancel),
	}
	return msg
}

// forgetConfirm handles the Erase click, inside the commit transaction. The
// clicker is checked again: a button can be clicked by anyone who sees it,
// and its value can be forged.
func (b *Bot) forgetConfirm(tx *store.Tx, cb slack.InteractionCallback, act slack.BlockAction) error {
	clicker, target := cb.User.ID, act.Value
	log := b.log.WithFields(logrus.Fields{"clicker": clicker, "target": target})
	if clicker == "" {
		return nil
	}
	if !memberRE.MatchString(target) {
		log.Warn("forget: confirm click without a user ID; ignored")
		return b.dm(tx, clicker, ":warning: That button didn't say whose records to erase, so nothing was deleted. Run `/flywheel forget me` again.")
	}
	if clicker != target && !b.Config().IsAdmin(clicker) {
		log.Warn("forget: refused a confirm click by someone who is neither the person nor an admin")
		return b.dm(tx, clicker, fmt.Sprintf("Sorry, only <@%s> or a Flywheel admin can erase those records. Nothing was deleted.", target))
	}
	st, err := tx.Forget(target)
	if err != nil {
		return err
	}
	if err := digest.RecountAfterForget(tx, b.Config()); err != nil {
		return err
	}
	log.WithFields(logrus.Fields{"wins": st.Wins, "reactions": st.Reactions, "questions": st.Questions,
		"answers": st.Answers, "mentions": st.Mentions}).Info("forgot a user at their or an admin's request")
	whom, whose := "you", "your"
	if clicker != target {
		whom, whose = "<@"+target+">", "their"
	}
	return b.dm(tx, clicker, fmt.Sprintf(":white_check_mark: Done: Flywheel no longer holds anything about %s. "+
		"I deleted %s and %s, and took %s name off %s and %d other records (cheers, nominations and the like).",
		whom, plural(st.Wins, "win"), plural(st.Questions, "question"), whose, plural(st.Answers, "answer"), st.Mentions))
}

// forgetCancel handles the Cancel click.
func (b *Bot) forgetCancel(tx *store.Tx, cb slack.InteractionCallback) error {
	if cb.User.ID == "" {
		return nil
	}
	return b.dm(tx, cb.User.ID, "OK, nothing was erased.")
}

// dm queues a direct message. A DM, not an ephemeral: the prompt may have
// come from a channel the bot is not in, where chat.postEphemeral fails.
func (b *Bot) dm(tx *store.Tx, user, text string) error {
	_, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPost, Channel: user, Text: text})
	return err
}

// plural renders "1 win", "3 wins", "no wins".
func plural(n int, noun string) string {
	switch n {
	case 0:
		return "no " + noun + "s"
	case 1:
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
