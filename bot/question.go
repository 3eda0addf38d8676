package bot

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack/slackevents"

	"flywheel/bot/slacktext"
	"flywheel/bot/textparse"
	"flywheel/config"
	"flywheel/store"
)

// quoteBudget bounds a person's words quoted in a text-only post (a
// champions post, a relayed answer): far under Slack's 40,000, so the post
// stays readable.
const quoteBudget = 3000

// messageEvent is what Flywheel needs of a `message` event.
type messageEvent struct {
	subtype  string
	user     string
	botID    string
	channel  string
	text     string
	ts       string
	threadTS string
	// edits and deletions
	deletedTS string
}

// newMessageEvent reads a message event. Its text is decoded here, once:
// the rest of the bot sees plain text (see slacktext).
func newMessageEvent(e *slackevents.MessageEvent) messageEvent {
	m := messageEvent{subtype: e.SubType, user: e.User, botID: e.BotID, channel: e.Channel, text: slacktext.Decode(e.Text),
		ts: e.TimeStamp, threadTS: e.ThreadTimeStamp, deletedTS: e.DeletedTimeStamp}
	if e.SubType == "message_changed" && e.Message != nil {
		// The edited message is nested; the outer event has no user or text.
		m.user, m.text, m.ts, m.threadTS, m.botID = e.Message.User, slacktext.Decode(e.Message.Text), e.Message.Timestamp, e.Message.ThreadTimestamp, e.Message.BotID
	}
	if e.SubType == "message_deleted" && m.deletedTS == "" && e.PreviousMessage != nil {
		m.deletedTS = e.PreviousMessage.Timestamp
	}
	return m
}

// draftMessage reads a help-channel question before its envelope reaches
// the writer (see questionDraft); nil for any other message.
func (b *Bot) draftMessage(m messageEvent) *questionDraft {
	if m.botID != "" || m.subtype != "" && m.subtype != "thread_broadcast" && m.subtype != "file_share" ||
		m.threadTS != "" && m.threadTS != m.ts || !b.Config().IsHelpChannel(m.channel) {
		return nil
	}
	r := textparse.Read(m.text, b.tools.Load())
	if !r.IsQuestion || !aiQuestion(r, m.text) {
		return nil // "is the printer on floor 3 broken?" is not the champions' to answer, nor a number to count
	}
	return b.draftQuestion(m.user, r)
}

// recordMessage handles messages in channels the bot is in: questions in
// help channels, answers in their threads, edits and deletions of both.
// d is the question as read before the writer (nil: read it here).
func (b *Bot) recordMessage(tx *store.Tx, m messageEvent, d *questionDraft) error {
	if m.botID != "" || m.user == b.botUserID || m.subtype == "bot_message" {
		return nil // the bot's own posts and other bots' never count
	}
	switch m.subtype {
	case "", "thread_broadcast", "file_share":
	case "message_changed":
		return b.questionEdited(tx, m)
	case "message_deleted":
		return b.questionDeleted(tx, m)
	default:
		return nil // joins, topic changes...
	}
	if m.user == "" || m.ts == "" {
		return nil
	}
	if m.threadTS != "" && m.threadTS != m.ts {
		return b.recordAnswer(tx, m)
	}
	cfg := b.Config()
	if !cfg.IsHelpChannel(m.channel) {
		return nil
	}
	if d == nil {
		// The config changed since the draft: read it now.
		if d = b.draftMessage(m); d == nil {
			return nil
		}
	}
	q := b.newQuestion(m.user, m.text, d.reading, store.SourceHelpChannel)
	q.Channel, q.TS = m.channel, m.ts
	if err := tx.AddQuestion(&q); err != nil {
		return err
	}
	return b.respond(tx, &q, d, func(text string) error {
		_, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPost, Channel: m.channel, ThreadTS: m.ts, Text: text})
		return err
	})
}

// aiQuestion reports whether a question is about AI: it names a registry
// tool, or it reads as a question of some stage and uses an AI word or
// names a known AI product (textparse.MentionsAI). Only those are routed
// to the champions and counted; "my laptop won't connect to VPN" is an
// access question, but not one for the AI rollout.
func aiQuestion(r textparse.Reading, text string) bool {
	return len(r.Tools) > 0 || (r.Stage != textparse.StageNone && textparse.MentionsAI(text))
}

// newQuestion fills in who asked, their team and what stage the question is.
func (b *Bot) newQuestion(asker, text string, r textparse.Reading, src store.QuestionSource) store.Question {
	team, inTeam := b.teamOf(asker)
	q := store.Question{Asker: asker, Team: team.Name, Enrolled: inTeam && team.Enrolled, Source: src,
		Text: slacktext.CutPlain(text, store.MaxQuestionText/4), Stage: string(r.Stage), Tools: r.Tools, Permission: r.IsPermission}
	// An access question from a team not yet in the rollout is the strongest
	// signal there is: adoption spreading where nobody pushed it.
	q.AccessRequest = inTeam && !team.Enrolled && r.Stage == textparse.StageAccess
	return q
}

// respond answers from the registry when it can, else routes the question
// to the champions. reply delivers text to the asker (a thread reply, or
// the /ask ack). It also schedules the follow-up or the nudge.
func (b *Bot) respond(tx *store.Tx, q *store.Question, d *questionDraft, reply func(string) error) error {
	// Asking (in a help channel or with /ask) is a first touch with Flywheel.
	if err := tx.NoteInteraction(q.Asker); err != nil {
		return err
	}
	cfg := b.Config()
	if r := d.reading; answerable(r) {
		text, yes := b.registryAnswer(d, r.Tools)
		q.BotAnswered = true
		if yes {
			if err := tx.Schedule(store.Due{At: tx.Now().Add(time.Duration(cfg.Questions.FollowUpAfter)), Kind: store.DueFollowUp, QuestionID: q.ID}); err != nil {
				return err
			}
		}
		if err := tx.UpdateQuestion(q); err != nil {
			return err
		}
		return reply(text)
	}
	meanwhile := ""
	if r := d.reading; len(r.Tools) == 0 && (r.IsPermission || r.Stage == textparse.StageAccess) {
		// A tool the registry doesn't know: say what is approved today.
		meanwhile = approvedAlternatives(cfg)
	}
	if textparse.MentionsData(d.reading.Text, cfg.Guidelines.Data) {
		// "Can I paste customer emails into an AI tool?" waits for a
		// champion; the guidelines answer the data part now, first.
		inner := reply
		reply = func(text string) error { return inner(guidelinesFirst(cfg) + "\n\n" + text) }
	}
	if cfg.ChampionsChannel == "" {
		if q.Source == store.SourceAsk {
			// Nobody reads /ask questions without a champions channel:
			// saying someone will reply would be a promise nobody keeps.
			return reply("I don't have a ready answer for this one, and no champions channel is set up, so nobody else will see your question. " +
				"Ask in a help channel, or ask an admin to set `champions_channel`: " + mentions(cfg.Admins) + "." + meanwhile)
		}
		return reply("Thanks for asking! I don't have a ready answer for this one; a colleague who knows may reply here in the thread." + meanwhile)
	}
	if err := b.routeToChampions(tx, q, ""); err != nil {
		return err
	}
	if err := tx.Schedule(store.Due{At: tx.Now().Add(time.Duration(cfg.Questions.NudgeAfter)), Kind: store.DueNudge, QuestionID: q.ID}); err != nil {
		return err
	}
	where := "here in the thread"
	if q.Source == store.SourceAsk {
		where = "and I'll DM you their answer"
	}
	return reply(fmt.Sprintf(":raising_hand: Good question. I've asked our AI champions in <#%s>; someone will reply %s.", cfg.ChampionsChannel, where) + meanwhile)
}

// approvedAlternatives names the approved tools, for a question about a
// tool the registry doesn't list (with a leading space), or "".
func approvedAlternatives(cfg *config.Config) string {
	var names []string
	for _, t := range cfg.Tools {
		if t.Status == config.StatusApproved {
			names = append(names, "*"+slacktext.Escape(t.Name)+"*")
		}
	}
	if len(names) == 0 {
		return ""
	}
	const show = 6
	list := strings.Join(names[:min(len(names), show)], ", ")
	if len(names) > show {
		list += fmt.Sprintf(" and %d more", len(names)-show)
	}
	return " That tool isn't in our approved list yet; meanwhile these are approved: " + list + " (`/flywheel tools` says how to start with each)."
}

// routeToChampions posts the question in the champions channel, linking the
// original message; replies in that post's thread count as answers too.
func (b *Bot) routeToChampions(tx *store.Tx, q *store.Question, prefix string) error {
	cfg := b.Config()
	team := q.Team
	if team == "" {
		team = "no team yet"
	}
	if prefix == "" {
		prefix = ":raising_hand: New question"
	}
	text := fmt.Sprintf("%s from <@%s> (%s, %s):\n%s", prefix, q.Asker, slacktext.Escape(team), stageName(q.Stage),
		slacktext.Cut(slacktext.Quote(q.Text), quoteBudget))
	e := store.OutboxEntry{Kind: store.OutboxPost, Channel: cfg.ChampionsChannel, QuestionID: q.ID, QuestionPost: true}
	if q.TS != "" {
		text += "\n<" + store.PermalinkPlaceholder + "|Open the question> and answer in its thread, or reply here."
		e.LinkChannel, e.LinkTS = q.Channel, q.TS
	} else {
		text += "\nAsked privately with /ask: reply in this thread and I'll pass the answer on."
	}
	e.Text = text
	q.Routed = true
	if err := tx.UpdateQuestion(q); err != nil {
		return err
	}
	_, err := tx.Enqueue(e)
	return err
}

// stageName says in words what a question is after, for the champions:
// what a stage means, not the digest's shorthand for it.
func stageName(s string) string {
	switch s {
	case "what":
		return "wants to know what a tool is or does"
	case "access":
		return "asks how to get access"
	case "how":
		return "asks how to do something with AI"
	case "build":
		return "wants to build something with AI"
	}
	return "a question about AI"
}

// recordAnswer records a thread reply to a tracked question by anyone but
// the asker: who answered, their team, how long it took.
func (b *Bot) recordAnswer(tx *store.Tx, m messageEvent) error {
	q, err := tx.QuestionByMessage(m.channel, m.threadTS)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	if m.user == q.Asker || q.Deleted {
		return nil
	}
	answerer, _ := b.teamOf(m.user)
	a := store.Answer{QuestionID: q.ID, Answerer: m.user, Team: answerer.Name, AskerTeam: q.Team,
		Channel: m.channel, TS: m.ts, Latency: tx.Now().Sub(q.At)}
	if err := tx.AddAnswer(&a); errors.Is(err, store.ErrDuplicate) {
		return nil
	} else if err != nil {
		return err
	}
	if q.Answers == 0 {
		q.FirstAnswerAt, q.FirstAnswerer = a.At, m.user
	}
	q.Answers++
	if err := tx.UpdateQuestion(&q); err != nil {
		return err
	}
	// An answer given in the champions channel is passed on to the asker.
	if m.channel == b.Config().ChampionsChannel && m.channel != q.Channel {
		relay := fmt.Sprintf(":bulb: <@%s> answered your question:\n%s", m.user, slacktext.Cut(slacktext.Quote(m.text), quoteBudget))
		e := store.OutboxEntry{Kind: store.OutboxPost, Channel: q.Asker, Text: relay}
		if q.TS != "" {
			e.Channel, e.ThreadTS = q.Channel, q.TS
		}
		_, err := tx.Enqueue(e)
		return err
	}
	return nil
}

func (b *Bot) questionEdited(tx *store.Tx, m messageEvent) error {
	q, err := tx.QuestionByMessage(m.channel, m.ts)
	if errors.Is(err, store.ErrNotFound) || (err == nil && q.TS != m.ts) {
		return nil
	} else if err != nil {
		return err
	}
	r := textparse.Read(m.text, b.tools.Load())
	q.Text, q.Tools, q.Permission = slacktext.CutPlain(m.text, store.MaxQuestionText/4), r.Tools, r.IsPermission
	if r.Stage != textparse.StageNone {
		q.Stage = string(r.Stage)
	}
	team, inTeam := b.teamOf(q.Asker)
	q.AccessRequest = inTeam && !team.Enrolled && q.Stage == string(textparse.StageAccess)
	return tx.UpdateQuestion(&q)
}

func (b *Bot) questionDeleted(tx *store.Tx, m messageEvent) error {
	q, err := tx.QuestionByMessage(m.channel, m.deletedTS)
	if errors.Is(err, store.ErrNotFound) || (err == nil && q.TS != m.deletedTS) {
		return nil
	} else if err != nil {
		return err
	}
	q.Deleted = true
	return tx.UpdateQuestion(&q)
}
