package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/slack-go/slack"

	"flywheel/bot/slacktext"
	"flywheel/config"
	"flywheel/store"
)

// actionFollowUpWin is the follow-up DM's "Share a win" button.
const actionFollowUpWin = "followup_win"

// runDue does scheduled work (nudges, follow-ups) when it falls due. It only
// writes records and outbox entries; the sender talks to Slack.
func (b *Bot) runDue(ctx context.Context) {
	every := b.opts.DueInterval
	if every <= 0 {
		every = 30 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := b.doDue(b.st.Now()); err != nil {
				b.metrics.Errors.WithLabelValues("due").Inc()
				b.log.WithError(err).Error("scheduled follow-ups and nudges failed; will retry")
			}
		}
	}
}

func (b *Bot) doDue(now time.Time) error {
	due, err := b.st.DueBy(now, 100)
	if err != nil || len(due) == 0 {
		return err
	}
	err = b.st.Update(func(tx *store.Tx) error {
		for _, d := range due {
			if err := b.doOneSafely(tx, d); err != nil {
				return err
			}
			if err := tx.Unschedule(d); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		b.send.wake()
	}
	return err
}

// doOneSafely is doOne with a panic turned into a log line: a question
// whose nudge or follow-up panics (a bug, or a record nobody foresaw) loses
// that one item, which is unscheduled, never the process, nor the other
// items due with it, every 30 seconds forever.
func (b *Bot) doOneSafely(tx *store.Tx, d store.Due) (err error) {
	defer func() {
		if r := recover(); r != nil {
			b.metrics.Errors.WithLabelValues("panic").Inc()
			b.log.WithFields(logrus.Fields{"question_id": d.QuestionID, "kind": d.Kind, "panic": firstLine(fmt.Sprint(r))}).
				Error("a scheduled follow-up or nudge panicked; dropping it")
			err = nil
		}
	}()
	if f := b.opts.Fault; f != nil {
		f("due", fmt.Sprint(d.QuestionID))
	}
	return b.doOne(tx, d)
}

func (b *Bot) doOne(tx *store.Tx, d store.Due) error {
	q, err := tx.Question(d.QuestionID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	if q.Deleted {
		return nil
	}
	cfg := b.Config()
	switch d.Kind {
	case store.DueNudge:
		// Re-raised once, so support responds in hours, not weeks.
		if q.Answers > 0 || q.Nudged || cfg.ChampionsChannel == "" {
			return nil
		}
		q.Nudged = true
		prefix := fmt.Sprintf(":alarm_clock: Still unanswered after %s: a question", config.Duration(tx.Now().Sub(q.At).Round(time.Minute)))
		return b.routeToChampions(tx, &q, prefix)
	case store.DueFollowUp:
		if q.FollowedUp {
			return nil
		}
		q.FollowedUp = true
		if err := tx.UpdateQuestion(&q); err != nil {
			return err
		}
		text, blocks, err := followUp(q, cfg)
		if err != nil {
			return err
		}
		_, err = tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPost, Channel: q.Asker, Text: text, Blocks: blocks})
		return err
	}
	return nil
}

// followUp is the one DM asking whether the "Yes" worked, with a button that
// opens the /win form prefilled with the tool.
func followUp(q store.Question, cfg *config.Config) (string, json.RawMessage, error) {
	tool := ""
	for _, name := range q.Tools {
		if t, ok := cfg.Tool(name); ok && t.Status == config.StatusApproved {
			tool = t.Name
			break
		}
	}
	about := "the AI tool you asked about"
	if tool != "" {
		about = tool
	}
	text := fmt.Sprintf(":wave: A few days ago you asked about %s. Did it work out? If it saved you time, share it: a colleague's result is what gets others to try.", slacktext.Escape(about))
	btn := slack.NewButtonBlockElement(actionFollowUpWin, tool, slack.NewTextBlockObject(slack.PlainTextType, "Share a win", false, false))
	btn.Style = slack.StylePrimary
	blocks := []slack.Block{
		section(text),
		slack.NewActionBlock("followup", btn),
	}
	raw, err := json.Marshal(blocks)
	if err != nil {
		return "", nil, fmt.Errorf("encode follow-up: %w", err)
	}
	return text, raw, nil
}
