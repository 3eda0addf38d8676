package bot

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/slack-go/slack"

	"flywheel/bot/slacktext"
	"flywheel/digest"
	"flywheel/store"
)

// The buttons of the `/flywheel forget` prompt. The confirm button's value
// is the user ID to forget.
const (
	actionForgetConfirm = "forget_confirm"
	actionForgetCancel  = "forget_cancel"
	// actionForgetWithPosts also deletes the person's win posts in the
	// wins channel.
	actionForgetWithPosts = "forget_confirm_posts"
)

var (
	// mentionRE is a user mention as Slack escapes it in a command's text:
	// <@U123|name> or <@U123>.
	mentionRE = regexp.MustCompile(`^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$`)
	memberRE  = regexp.MustCompile(`^[UW][A-Z0-9]+$`)
)

const forgetHelp = "`/flywheel forget me` erases what I hold about you: the words of your wins and questions, " +
	"and your name everywhere; your wins, questions, answers and cheers stay counted in the weekly numbers without your name. " +
	"I'll ask you to confirm first.\n" +
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
	return forgetPrompt(target, target == cmd.UserID, fp, b.Config().WinsChannel)
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

// forgetPrompt is the private "are you sure?" with Erase, Erase and delete
// the wins-channel posts (when there are wins), and Cancel. With no wins,
// questions or answers stored it says so first.
func forgetPrompt(target string, self bool, fp store.Footprint, winsChannel string) slackMsg {
	who, whose, their := "you", "your", "you gave"
	if !self {
		who, whose, their = "<@"+target+">", "their", "they gave"
	}
	var text string
	if fp == (store.Footprint{}) {
		text = fmt.Sprintf(":information_source: I hold no wins, questions or answers from %s: there are no words to erase. "+
			"%s name may still be on cheers or nominations %s; *Erase* takes it off those too, and they keep counting without a name.",
			who, capitalize(whose), their)
	} else {
		text = fmt.Sprintf(":warning: *Erase everything I hold about %s?*\n"+
			"This permanently deletes the words of %s %s and %s, and takes %s name off them, off %s %s to colleagues "+
			"and off any cheers and nominations. They still count, without a name, in the weekly numbers "+
			"(so past digests keep their totals). Posts still waiting to be sent that name %s or quote %s are dropped, "+
			"and the database file and its backups are rewritten without them. It can't be undone. "+
			"Messages already posted in Slack stay where they are, unless you choose to delete %s posts in the wins channel too.",
			who, whose, sharedCount(fp), plural(fp.Questions, "question"), whose, plural(fp.Answers, "answer"), their, who, who, whose)
	}
	confirm := slack.NewButtonBlockElement(actionForgetConfirm, target, plain("Erase", slacktext.ButtonText))
	confirm.Style = slack.StyleDanger
	buttons := []slack.BlockElement{confirm}
	if fp.Wins > 0 && winsChannel != "" {
		buttons = append(buttons, slack.NewButtonBlockElement(actionForgetWithPosts, target,
			plain("Erase and delete "+whose+" wins-channel posts", slacktext.ButtonText)))
	}
	buttons = append(buttons, slack.NewButtonBlockElement(actionForgetCancel, target, plain("Cancel", slacktext.ButtonText)))
	msg := ephemeral(text)
	msg.Blocks = []slack.Block{
		section(text),
		slack.NewActionBlock("forget", buttons...),
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
	cfg := b.Config()
	var posts []store.Win // the wins-channel posts to delete, read before the forget
	if act.ActionID == actionForgetWithPosts {
		wins, err := tx.WinsByUser(target)
		if err != nil {
			return err
		}
		for _, w := range wins {
			if w.PostTS != "" {
				posts = append(posts, w)
			}
		}
	}
	team, _ := cfg.TeamOf(target) // the team the digest counts them in
	st, err := tx.Forget(target, team.Name)
	if err != nil {
		return err
	}
	if err := digest.RecountAfterForget(tx, cfg); err != nil {
		return err
	}
	for _, w := range posts {
		if _, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxDelete, Channel: w.PostChannel, TS: w.PostTS}); err != nil {
			return err
		}
	}
	log.WithFields(logrus.Fields{"wins": st.Wins, "reactions": st.Reactions, "questions": st.Questions, "answers": st.Answers,
		"mentions": st.Mentions, "dropped_posts": st.Dropped, "blanked_replies": st.Replies}).Info("forgot a user at their or an admin's request")
	copies, err := store.CopiesOf(b.st.Path(), cfg.Backup.Dir)
	if err != nil {
		log.WithError(err).Error("forget: could not list the backups to rewrite")
	}
	whom, whose := "you", "your"
	if clicker != target {
		whom, whose = "<@"+target+">", "their"
	}
	deleted := ""
	if len(posts) > 0 {
		deleted = fmt.Sprintf(" I'm deleting %s in the wins channel.", plural(len(posts), "post"))
	}
	done, err := b.replacePromptID(tx, cb, fmt.Sprintf(":white_check_mark: Done: I no longer hold the words or the name of %s. "+
		"The words of %s %s and %s are deleted; they, %s %s and %s (cheers, nominations and the like) "+
		"still count in the weekly numbers without a name. %s%s "+
		"The database file%s %s being rewritten without %s now, so nothing is left in them either.",
		whom, whose, plural(st.Wins, "win"), plural(st.Questions, "question"), whose, plural(st.Answers, "answer"), plural(st.Mentions, "other record"),
		droppedLine(st), deleted, copiesLine(len(copies)), map[bool]string{true: "is", false: "are"}[len(copies) == 0], whom))
	if err != nil {
		return err
	}
	b.scrubFiles(target, team.Name, st.Placeholder, copies, done)
	return nil
}

// copiesLine names the backups rewritten after a forget.
func copiesLine(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return " and its backup"
	}
	return fmt.Sprintf(" and its %d backups", n)
}

// droppedLine says what forget took out of the outbox.
func droppedLine(st store.ForgetStats) string {
	if st.Dropped == 0 {
		return "No post waiting to be sent named them."
	}
	return fmt.Sprintf("%s waiting to be sent (or kept after failing) named or quoted them and will never be sent.", plural(st.Dropped, "post"))
}

// scrubFiles makes a forget reach the disk: it compacts the database into
// a fresh file, so the deleted words are not left readable in bbolt's free
// pages, then rewrites each backup copy the same way. It runs beside the
// writer: Compact waits for the transaction holding the forget to commit,
// and pauses every other transaction while it swaps the file.
//
// The confirmation (outbox entry done) names the person: it goes to them,
// or names them to the admin who asked. Once it is delivered its entry is
// deleted, and would stay readable in a free page, so the database is
// compacted once more after that (see compactAfterConfirmation).
func (b *Bot) scrubFiles(user, team, placeholder string, copies []string, done uint64) {
	log := b.log.WithField("placeholder", placeholder)
	b.inflight.Go(func() {
		if err := b.st.Compact(); err != nil {
			b.metrics.Errors.WithLabelValues("forget").Inc()
			log.WithError(err).Error("forget: compacting the database failed; deleted words may stay in free pages until reused")
		}
		// Rewrite the backups only once the forget is in the database: a
		// failed commit is retried by Slack, and forgets then.
		var fp store.Footprint
		err := b.st.View(func(tx *store.Tx) (err error) { fp, err = tx.Footprint(user); return err })
		if err != nil || fp != (store.Footprint{}) {
			log.WithError(err).Warn("forget: the erase did not commit; backups left as they are")
			return
		}
		for _, path := range copies {
			if err := store.ForgetInCopy(path, user, team, placeholder); err != nil {
				b.metrics.Errors.WithLabelValues("forget").Inc()
				log.WithError(err).WithField("copy", path).Error("forget: rewriting a backup failed; run /flywheel forget again to retry")
			}
		}
		log.WithField("copies", len(copies)).Info("forget: database and backups rewritten")
		b.compactAfterConfirmation(log, done)
	})
}

// confirmationWait bounds how long a forget waits for its confirmation to
// be delivered before the last compaction: Slack may be down for longer.
const confirmationWait = 10 * time.Minute

// compactAfterConfirmation waits until the forget's confirmation (outbox
// entry id) has left the outbox, then compacts the database again, so the
// delivered entry, which holds the person's user ID, is not left in a free
// page. A confirmation Slack refused for good is dropped from the dead
// letters first: it would keep the ID, and its failure is logged already.
func (b *Bot) compactAfterConfirmation(log *logrus.Entry, id uint64) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	giveUp := time.After(confirmationWait)
	for {
		queued, err := b.queued(id)
		if err != nil {
			log.WithError(err).Error("forget: cannot read the outbox; the confirmation may stay in a free page until reused")
			return
		}
		if !queued {
			break
		}
		select {
		case <-tick.C:
			continue
		case <-b.stopping:
		case <-giveUp:
		}
		log.Warn("forget: the confirmation is still waiting to be sent; once sent it may stay in a free page until reused")
		return
	}
	dropped := 0
	err := b.st.Update(func(tx *store.Tx) (err error) {
		dropped, err = tx.ScrubOutbox(func(e store.OutboxEntry, _ []byte) bool { return e.ID == id })
		return err
	})
	if err == nil {
		err = b.st.Compact()
	}
	if err != nil {
		b.metrics.Errors.WithLabelValues("forget").Inc()
		log.WithError(err).Error("forget: compacting after the confirmation failed; it may stay in a free page until reused")
		return
	}
	if dropped > 0 {
		log.Info("forget: confirmation undeliverable, dropped; database compacted again")
		return
	}
	log.Info("forget: confirmation delivered; database compacted again")
}

// queued says whether outbox entry id is still waiting to be sent.
func (b *Bot) queued(id uint64) (bool, error) {
	err := b.st.View(func(tx *store.Tx) error { _, err := tx.OutboxEntry(id); return err })
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// forgetCancel handles the Cancel click.
func (b *Bot) forgetCancel(tx *store.Tx, cb slack.InteractionCallback) error {
	if cb.User.ID == "" {
		return nil
	}
	return b.replacePrompt(tx, cb, "OK, nothing was erased.")
}

// dm queues a direct message. A DM, not an ephemeral: the prompt may have
// come from a channel the bot is not in, where chat.postEphemeral fails.
func (b *Bot) dm(tx *store.Tx, user, text string) error {
	_, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPost, Channel: user, Text: text})
	return err
}

// countOf renders "1 team", "3 teams", "0 teams": a count that reads as one.
func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
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
