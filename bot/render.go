package bot

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"flywheel/digest"
	"flywheel/store"
)

// escape makes user text safe to repeat in a message: Slack reads <...> as
// mentions and links, so "<!channel>" typed in a win must not ping anyone
// when the bot amplifies it. Slack's docs ask for exactly these three.
func escape(s string) string { return slackEscaper.Replace(s) }

// slackEscaper is built once: building a Replacer costs more than using it,
// and escape runs for every win inside the committer's transaction.
var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// truncate cuts s to at most n runes, marking the cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// winPost is the wins-channel message for a win: text for notifications and
// screen readers, blocks for the channel.
func winPost(w store.Win) (string, []slack.Block) {
	var head string
	if w.Nominator != "" {
		head = fmt.Sprintf(":trophy: <@%s> nominated a win by <@%s>", w.Nominator, w.Author)
	} else {
		head = fmt.Sprintf(":trophy: Win from <@%s>", w.Author)
	}
	body := escape(truncate(w.Text, 2500))
	var facts []string
	if w.MinutesSaved > 0 {
		facts = append(facts, fmt.Sprintf(":stopwatch: saved about *%s*", digest.FormatMinutes(w.MinutesSaved)))
	}
	if len(w.Tools) > 0 {
		facts = append(facts, ":hammer_and_wrench: "+escape(strings.Join(w.Tools, ", ")))
	}
	if w.InspiredBy != 0 {
		facts = append(facts, ":link: inspired by a colleague's win")
	}
	facts = append(facts, "React to cheer it on")
	text := head + "\n>" + strings.ReplaceAll(body, "\n", "\n>")
	blocks := []slack.Block{
		slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, head+"\n>"+strings.ReplaceAll(body, "\n", "\n>"), false, false), nil, nil),
		slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, strings.Join(facts, "  ·  "), false, false)),
		slack.NewActionBlock("spread", slack.NewButtonBlockElement(actionTryThis, strconv.FormatUint(w.ID, 10),
			slack.NewTextBlockObject(slack.PlainTextType, "I'll try this", false, false))),
	}
	return text, blocks
}

// winConfirmation is what the author sees privately after sharing a win.
func winConfirmation(w store.Win, winsChannel string) string {
	var b strings.Builder
	b.WriteString(":tada: Win recorded")
	if winsChannel != "" {
		fmt.Fprintf(&b, " and on its way to <#%s>", winsChannel)
	}
	b.WriteString(".\n")
	if w.MinutesSaved > 0 {
		fmt.Fprintf(&b, "I read it as *%s saved*", digest.FormatMinutes(w.MinutesSaved))
	} else {
		b.WriteString("I couldn't tell how much time it saved. Next time add it like _\"in 30 minutes instead of 3 hours\"_ or _\"saved 2h\"_ (or run `/win` alone for a form)")
	}
	if len(w.Tools) > 0 {
		fmt.Fprintf(&b, " with %s", escape(strings.Join(w.Tools, ", ")))
	}
	b.WriteString(".")
	return b.String()
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
