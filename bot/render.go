package bot

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"flywheel/bot/slacktext"
	"flywheel/digest"
	"flywheel/store"
)

// md is a mrkdwn text object for text the bot composed (people's words in
// it already escaped). verbatim is set so Slack's automatic parsing never
// turns a typed "@here" into a mention.
func md(text string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, text, false, true)
}

// plain is a plain_text object cut to n characters.
func plain(text string, n int) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, slacktext.CutPlain(text, n), false, false)
}

// section is a section block of composed mrkdwn, cut to Slack's limit.
func section(text string) *slack.SectionBlock {
	return slack.NewSectionBlock(md(slacktext.Cut(text, slacktext.SectionText)), nil, nil)
}

// contextBlock is a context block of composed mrkdwn, cut to its budget.
func contextBlock(blockID, text string) *slack.ContextBlock {
	return slack.NewContextBlock(blockID, md(slacktext.Cut(text, slacktext.ContextText)))
}

// escapeJoin escapes names (tools, teams) and joins them.
func escapeJoin(names []string) string {
	return slacktext.Escape(strings.Join(names, ", "))
}

// winPost is the wins-channel message for a win: text for notifications and
// screen readers, blocks for the channel.
func winPost(w store.Win) (string, []slack.Block) { return winPostFrom(w, nil) }

// winPostFrom is winPost naming and linking the colleague's win that
// inspired w (src, nil when unknown).
func winPostFrom(w store.Win, src *store.Win) (string, []slack.Block) {
	body := winHead(w) + "\n" + slacktext.Quote(w.Text)
	var facts []string
	if w.MinutesSaved > 0 {
		facts = append(facts, fmt.Sprintf(":stopwatch: saved about *%s*", digest.FormatMinutes(w.MinutesSaved)))
	}
	if len(w.Tools) > 0 {
		facts = append(facts, ":hammer_and_wrench: "+escapeJoin(w.Tools))
	}
	if w.InspiredBy != 0 {
		facts = append(facts, ":link: "+inspiredBy(src))
	}
	facts = append(facts, "React to cheer it on")
	blocks := []slack.Block{section(body)}
	if w.Note != "" {
		// The nominator's own words, shown as theirs and apart from the win.
		blocks = append(blocks, contextBlock("nominator_note", fmt.Sprintf(":speech_balloon: <@%s> adds: %s", w.Nominator, slacktext.Escape(w.Note))))
	}
	blocks = append(blocks,
		contextBlock("", strings.Join(facts, "  ·  ")),
		slack.NewActionBlock("spread", slack.NewButtonBlockElement(actionTryThis, strconv.FormatUint(w.ID, 10),
			slack.NewTextBlockObject(slack.PlainTextType, "I'll try this", false, false))),
	)
	return slacktext.Cut(body, slacktext.MessageText), blocks
}

// winHelp explains /win.
const winHelp = "*Share a win with AI* :trophy:\n" +
	"• `/win Used ChatGPT to draft 40 cold emails in 30 minutes instead of 3 hours` records it and shares it with the team.\n" +
	"• `/win` on its own opens a form.\n" +
	"• React with the win emoji on a colleague's message to nominate it as their win.\n" +
	"Say how much time it saved (\"saved 2h\", \"from 4 hours to 20 min\", \"half a day\") so it counts in the weekly digest."

// slackMsg is a Socket Mode ack payload that Slack shows to the user who ran
// a slash command, visible only to them.
type slackMsg struct {
	ResponseType string        `json:"response_type,omitempty"`
	Text         string        `json:"text"`
	Blocks       []slack.Block `json:"blocks,omitempty"`
}

func ephemeral(text string) slackMsg { return slackMsg{ResponseType: "ephemeral", Text: text} }

// heldConfirmation tells the author their win was recorded but held back.
func heldConfirmation(w store.Win) string {
	msg := ":lock: Win recorded, but I haven't shared it: it seems to contain something sensitive. I've sent you a DM to choose what to do."
	if w.MinutesSaved > 0 {
		msg += fmt.Sprintf(" (I read it as *%s saved*.)", digest.FormatMinutes(w.MinutesSaved))
	}
	return msg
}

// inspiredBy names the colleague whose win inspired this one and links
// that win's post; a win since forgotten, kept private or never posted is
// named without its words.
func inspiredBy(src *store.Win) string {
	switch {
	case src == nil || store.IsForgotten(src.Author) || src.TeamOnly():
		return "inspired by a colleague's win"
	case src.Anonymous() && src.PostTS != "":
		return fmt.Sprintf("inspired by a colleague's <%s|win>", messageLink(src.PostChannel, src.PostTS))
	case src.Anonymous():
		return "inspired by a colleague's win"
	case src.PostTS == "" || src.Held || src.Private || src.AwaitingApproval:
		return fmt.Sprintf("inspired by <@%s>'s win", src.Author)
	}
	return fmt.Sprintf("inspired by <@%s>'s <%s|win>", src.Author, messageLink(src.PostChannel, src.PostTS))
}
