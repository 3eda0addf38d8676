package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"flywheel/bot/slacktext"
	"flywheel/bot/textparse"
	"flywheel/config"
	"flywheel/store"
)

// readTimeout bounds read-only commands so their ack stays inside Slack's 3 s.
const readTimeout = 2 * time.Second

// askCommand handles `/ask <question>` from any channel: the answer comes
// back privately in the ack, or the question goes to the champions and
// their answer comes back as a DM. d is the question as read before the
// writer (draftAsk).
func (b *Bot) askCommand(tx *store.Tx, cmd slack.SlashCommand, d *questionDraft) (any, error) {
	text := strings.TrimSpace(cmd.Text)
	if text == "" || strings.EqualFold(text, "help") {
		return ephemeral("Ask anything about AI tools: `/ask can I use ChatGPT to summarize customer calls?` I answer from the approved-tools list, or pass it to our AI champions."), nil
	}
	if len(text) > store.MaxQuestionText {
		return ephemeral(fmt.Sprintf(":warning: That question is %d characters long; please keep it under %d. Nothing was recorded.", len(text), store.MaxQuestionText)), nil
	}
	if d == nil {
		d = b.draftAsk(cmd)
	}
	if len(d.reading.Tools) == 0 && !textparse.MentionsAI(text) {
		// Not recorded, not counted, not routed: the champions answer
		// about AI, and a VPN question is no sign of AI demand.
		return ephemeral("That doesn't look like a question about AI tools, so I haven't passed it on. " +
			"If it is, name the tool or what you'd like AI to do, e.g. `/ask can I use ChatGPT to summarize meeting notes?`"), nil
	}
	q := b.newQuestion(cmd.UserID, text, d.reading, store.SourceAsk)
	q.Channel = cmd.ChannelID
	if err := tx.AddQuestion(&q); err != nil {
		return nil, err
	}
	var reply string
	err := b.respond(tx, &q, d, func(s string) error { reply = s; return nil })
	return ephemeral(reply), err
}

// draftAsk reads an /ask before its envelope reaches the writer.
func (b *Bot) draftAsk(cmd slack.SlashCommand) *questionDraft {
	text := strings.TrimSpace(cmd.Text)
	r := textparse.Read(text, b.tools.Load())
	if !r.IsQuestion {
		r.IsQuestion = true // /ask says it is a question
		r.Stage = textparse.Read(text+"?", b.tools.Load()).Stage
	}
	return b.draftQuestion(cmd.UserID, r)
}

// flywheelWrite handles the /flywheel subcommands that write: none yet
// beyond what the read path covers, so unknown ones get help.
func (b *Bot) flywheelHelp(cfg *config.Config) string {
	help := "*Flywheel commands*\n" +
		"• `/win <what happened>`: share a win with AI (`/win` alone opens a form)\n" +
		"• `/tip <trick>`: teach colleagues a prompt, a shortcut or a setting\n" +
		"• `/ask <question>`: can I use X for Y? Answered from the approved-tools list, or by a champion\n" +
		"• `/flywheel tools`: the approved-tools registry\n" +
		"• `/flywheel champions [week|month|quarter]`: the people answering questions and inspiring others\n" +
		"• `/flywheel spread`: who started using AI because of a colleague's win this week\n" +
		"• `/flywheel tips [tool or words]`: the best tips colleagues shared\n" +
		"• `/flywheel my wins`: your latest wins, to edit or remove one\n" +
		"• `/flywheel forget me`: erase your wins and questions (after you confirm)\n" +
		"• `/flywheel help`: this list\n" +
		"Admins: `/flywheel digest preview` (the coming weekly digest), `/flywheel rollout` (which teams and sites to enrol next, who to give access first), `/flywheel export` (this quarter's wins and tips as CSVs, by DM), `/flywheel reload` (re-read the config), `/flywheel forget @someone`\n" +
		"React with :" + cfg.WinEmoji + ": on a colleague's message, or use its *Share as a win* shortcut, to nominate it as their win; " +
		"with :" + cfg.TipEmoji + ": to share it as their tip."
	return help + guidelinesLine(cfg)
}

// flywheelSub is a /flywheel command's subcommand and its arguments.
func flywheelSub(text string) (string, []string) {
	args := strings.Fields(strings.ToLower(text))
	if len(args) == 0 {
		return "", nil
	}
	return args[0], args
}

// flywheelCommand answers read-only /flywheel subcommands. It runs outside
// the write path, on a snapshot of the store. (`export`, `digest` and
// `rollout`, which may queue work, are routed by onSlashCommand.)
func (b *Bot) flywheelCommand(cmd slack.SlashCommand) slackMsg {
	cfg := b.Config()
	sub, args := flywheelSub(cmd.Text)
	switch sub {
	case "", "help":
		return ephemeral(b.flywheelHelp(cfg))
	case "tools":
		return ephemeral(toolsList(cfg))
	case "champions":
		window := "month"
		if len(args) > 1 {
			window = args[1]
		}
		text, err := b.championsReport(window)
		if err != nil {
			b.log.WithError(err).Error("champions report failed")
			return ephemeral(":warning: I couldn't build the champions list just now; please try again in a minute.")
		}
		return ephemeral(text)
	case "spread":
		return b.spreadReport()
	case "tips":
		return b.tipsReport(cmd)
	case "reload":
		if !cfg.IsAdmin(cmd.UserID) {
			return ephemeral("Sorry, only Flywheel admins can reload the configuration. Ask one of them: " + mentions(cfg.Admins))
		}
		return ephemeral(b.reload())
	case "forget":
		return b.forgetCommand(cmd)
	case "my", "mine":
		if len(args) == 1 || args[1] == "wins" {
			return b.myWinsCommand(cmd)
		}
	}
	return ephemeral(fmt.Sprintf("I don't know `/flywheel %s`.\n\n%s", echo(sub), b.flywheelHelp(cfg)))
}

// echo repeats a word of a /flywheel command back to its user: the text
// came as Slack sends it, so it is decoded, then escaped and cut.
func echo(arg string) string { return slacktext.Fit(slacktext.Decode(arg), 100) }

// reload re-reads the config (tools, teams, channels) without a restart.
func (b *Bot) reload() string {
	if b.opts.Reload == nil {
		return "Reloading isn't available in this deployment."
	}
	cfg, err := b.opts.Reload()
	if err != nil {
		b.log.WithError(err).Warn("config reload refused")
		return ":warning: The new configuration has a problem, so I kept the old one:\n`" + slacktext.Escape(err.Error()) + "`"
	}
	b.SetConfig(cfg)
	b.log.WithFields(map[string]any{"tools": len(cfg.Tools), "teams": len(cfg.Teams)}).Info("configuration reloaded")
	return fmt.Sprintf(":white_check_mark: Configuration reloaded: %s, %s.", countOf(len(cfg.Tools), "tool"), countOf(len(cfg.Teams), "team"))
}

func mentions(users []string) string {
	if len(users) == 0 {
		return "(no admins are configured)"
	}
	var out []string
	for _, u := range users {
		out = append(out, "<@"+u+">")
	}
	return strings.Join(out, ", ")
}

func toolsList(cfg *config.Config) string {
	if len(cfg.Tools) == 0 {
		return "No tools are in the registry yet. Ask an admin to add them to the config."
	}
	groups := map[config.ToolStatus][]string{}
	for _, t := range cfg.Tools {
		line := "• *" + slacktext.Escape(t.Name) + "*"
		switch t.Status {
		case config.StatusRestricted:
			line += ": " + slacktext.Escape(t.Restriction)
		case config.StatusNotApproved:
			if t.Alternative != "" {
				line += ": try " + slacktext.Escape(t.Alternative) + " instead"
			}
		}
		if t.HowTo != "" && t.Status != config.StatusNotApproved {
			line += ". " + slacktext.Escape(t.HowTo)
		}
		groups[t.Status] = append(groups[t.Status], line)
	}
	var b strings.Builder
	for _, g := range []struct {
		status config.ToolStatus
		title  string
	}{{config.StatusApproved, ":white_check_mark: *Approved*"}, {config.StatusRestricted, ":warning: *Allowed with restrictions*"}, {config.StatusNotApproved, ":no_entry: *Not approved*"}} {
		if lines := groups[g.status]; len(lines) > 0 {
			sort.Strings(lines)
			fmt.Fprintf(&b, "%s\n%s\n", g.title, strings.Join(lines, "\n"))
		}
	}
	return strings.TrimSpace(b.String()) + guidelinesLine(cfg)
}

// answer is a read-only reply, and the work it queues, if any.
type answer struct {
	msg slackMsg
	// queue, when set, queues outbox work (a preview too long for an ack
	// goes by DM). It is committed through the writer under the envelope's
	// dedupe key, so a redelivered envelope queues nothing twice.
	queue func(*store.Tx) error
}

// reply answers a request off the read loop: it builds the answer in its
// own goroutine (bounded by readTimeout) and acks with it, after
// committing what it queues. A build that panics costs this reply only.
func (c *connection) reply(ctx context.Context, req *socketmode.Request, key string, build func() answer) {
	b := c.bot
	received := time.Now()
	b.inflight.Go(func() {
		done := make(chan answer, 1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					b.metrics.Errors.WithLabelValues("panic").Inc()
					b.log.WithFields(logrus.Fields{"envelope_id": req.EnvelopeID, "panic": firstLine(fmt.Sprint(r))}).Error("building a reply panicked")
					done <- answer{msg: ephemeral(":warning: Something went wrong on my side and it has been logged. Please try again later.")}
				}
			}()
			if f := b.opts.Fault; f != nil {
				f("reply", req.EnvelopeID)
			}
			done <- build()
		}()
		var a answer
		select {
		case a = <-done:
		case <-time.After(readTimeout):
			a = answer{msg: ephemeral("That took too long; please try again in a minute.")}
		}
		if a.queue != nil {
			c.process(ctx, req, key, func(tx *store.Tx) (any, error) { return a.msg, a.queue(tx) })
			return
		}
		payload, _ := json.Marshal(a.msg)
		c.ack(context.WithoutCancel(ctx), req.EnvelopeID, received, payload)
	})
}
