package slackfake

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTypedTextArrivesInSlacksWireFormat reads the frames the fake writes
// and checks that what a person types arrives encoded as Slack encodes it:
// &, < and > as entities everywhere, markup for mentions and links in
// messages, and in slash commands only when the command escapes them.
func TestTypedTextArrivesInSlacksWireFormat(t *testing.T) {
	f := newFake(t)
	read := rawSocket(t, f)
	read() // hello
	const typed = "R&D notes -> summary <3 with @ben in #sales, see https://x.io/a?b=1&c=2 and [the doc](https://x.io/d) @here"

	ts, _ := f.PostAsUser(salesCh, ana, typed, "")
	ev := read()["payload"].(map[string]any)["event"].(map[string]any)
	want := "R&amp;D notes -&gt; summary &lt;3 with <@" + ben + "> in <#" + salesCh + "|sales>, see <https://x.io/a?b=1&amp;c=2> and <https://x.io/d|the doc> <!here>"
	assert.Equal(t, want, ev["text"], "message event")
	assert.Equal(t, want, f.MessageText(typed))
	assert.Equal(t, want, f.Messages(salesCh)[0].Text, "conversations.history returns the same")
	blocks, _ := json.Marshal(ev["blocks"])
	assert.Contains(t, string(blocks), `"text":"R\u0026D notes -\u003e summary \u003c3 with "`, "rich_text elements carry the text unencoded")
	assert.Contains(t, string(blocks), `{"type":"user","user_id":"`+ben+`"}`)

	f.SendMessageShortcut(ben, salesCh, ts, "share_as_win")
	p := read()["payload"].(map[string]any)
	assert.Equal(t, want, p["message"].(map[string]any)["text"], "a shortcut's message")

	f.SendSlashCommand(ana, salesCh, "/win", typed)
	p = read()["payload"].(map[string]any)
	assert.Equal(t, "R&amp;D notes -&gt; summary &lt;3 with @ben in #sales, see https://x.io/a?b=1&amp;c=2 and [the doc](https://x.io/d) @here",
		p["text"], "/win does not escape mentions and links: only &, < and >")

	f.SendSlashCommand(ana, salesCh, "/flywheel", "forget @ben & #sales")
	p = read()["payload"].(map[string]any)
	assert.Equal(t, "forget <@"+ben+"|ben> &amp; <#"+salesCh+"|sales>", p["text"], "/flywheel escapes them")
	assert.Equal(t, p["text"], f.CommandText("/flywheel", "forget @ben & #sales"))

	f.SetCommandEscape("/win", true)
	assert.Equal(t, "hi <@"+ben+"|ben>", f.CommandText("/win", "hi @ben"))

	f.SendViewSubmission(ana, "win_modal", "", map[string]map[string]string{"what": {"what": typed}})
	p = read()["payload"].(map[string]any)
	state := p["view"].(map[string]any)["state"].(map[string]any)["values"].(map[string]any)
	assert.Equal(t, typed, state["what"].(map[string]any)["what"].(map[string]any)["value"], "modal values arrive raw")

	require.NotEmpty(t, f.EditAsUser(salesCh, ts, "now it's Q&A"))
	ev = read()["payload"].(map[string]any)["event"].(map[string]any)
	assert.Equal(t, "message_changed", ev["subtype"])
	assert.Equal(t, "now it's Q&amp;A", ev["message"].(map[string]any)["text"])
	assert.Equal(t, want, ev["previous_message"].(map[string]any)["text"])
}

func TestUnknownNamesStayText(t *testing.T) {
	f := newFake(t)
	assert.Equal(t, "mail ana@example.com, ping @nobody in #nowhere", f.MessageText("mail ana@example.com, ping @nobody in #nowhere"))
	assert.Equal(t, "thanks <@"+ana+">.", f.MessageText("thanks @ana."), "a full stop ends the name")
}

func TestPings(t *testing.T) {
	f := newFake(t)
	cases := []struct {
		name string
		m    Message
		want []string
	}{
		{"Markup", Message{Text: "hi <@" + ana + "> <!here> <!subteam^S1|@devs>"}, []string{ana, "here", "subteam^S1"}},
		{"EscapedIsInert", Message{Text: "&lt;!channel&gt; @here"}, nil},
		{"AutoParsedInBlocks", Message{Blocks: json.RawMessage(`[{"type":"section","text":{"type":"mrkdwn","text":"@channel and @ben"}}]`)}, []string{"channel", ben}},
		{"VerbatimIsInert", Message{Blocks: json.RawMessage(`[{"type":"section","text":{"type":"mrkdwn","text":"@channel","verbatim":true}}]`)}, nil},
		{"PlainTextIsInert", Message{Blocks: json.RawMessage(`[{"type":"header","text":{"type":"plain_text","text":"<!here> @here"}}]`)}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.ElementsMatch(t, c.want, f.Pings(c.m))
		})
	}
}
