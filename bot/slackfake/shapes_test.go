package slackfake

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPayloadShapesMatchSlackDocs reads the raw frames the fake writes on the
// wire and checks that every key of Slack's documented example (in
// testdata/slack) is there, with the same JSON type.
func TestPayloadShapesMatchSlackDocs(t *testing.T) {
	f := newFake(t)
	api := newAPI(f)
	read := rawSocket(t, f)

	hello := read()
	check(t, "socket_hello.json", hello)

	f.SendSlashCommand(ana, winsCh, "/win", "")
	check(t, "socket_slash_command.json", read())

	btn := slack.NewButtonBlockElement("WaXA", "click_me_123", slack.NewTextBlockObject("plain_text", "View", false, false))
	_, ts, err := api.PostMessage(winsCh, slack.MsgOptionText("Who if I cried out", false), slack.MsgOptionBlocks(slack.NewActionBlock("=qXel", btn)))
	require.NoError(t, err)
	f.SendBlockAction(ana, winsCh, ts, "WaXA", "click_me_123")
	// The docs' example comes from a legacy attachment; a Block Kit message's
	// container has neither attachment_id nor is_app_unfurl.
	check(t, "socket_block_actions.json", read(), "payload.container.attachment_id", "payload.container.is_app_unfurl")

	f.SendViewSubmission(ana, "modal-with-inputs", "shhh-its-secret", map[string]map[string]string{"multi-line": {"ml-value": "Archaic torso of Apollo"}})
	check(t, "socket_view_submission.json", read())

	var mention map[string]any
	require.NoError(t, json.Unmarshal(fixture(t, "socket_events_api_app_mention.json"), &mention))
	f.SendEvent(mention["payload"].(map[string]any)["event"].(map[string]any))
	check(t, "socket_events_api_app_mention.json", read())

	_, _ = f.PostAsUser(winsCh, ana, "Live long and prospect.", "")
	check(t, "event_message_channels.json", read()["payload"].(map[string]any))

	f.SendReaction(true, ana, "thumbsup", winsCh, ts, "")
	check(t, "event_reaction_added.json", read()["payload"].(map[string]any))

	f.Disconnect("refresh_requested")
	check(t, "socket_disconnect.json", read())
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "slack", name))
	require.NoError(t, err)
	return b
}

// check compares got with the documented example in testdata/slack/name.
func check(t *testing.T, name string, got map[string]any, ignore ...string) {
	t.Helper()
	var doc any
	require.NoError(t, json.Unmarshal(fixture(t, name), &doc))
	skip := map[string]bool{}
	for _, p := range ignore {
		skip[p] = true
	}
	diffs := shapeDiff("", doc, got, skip)
	sort.Strings(diffs)
	assert.Empty(t, diffs, "%s: the fake's frame lacks parts of Slack's example", name)
}

// shapeDiff lists the paths where got lacks a key of doc or has another JSON
// type. Arrays are compared by their first element; a null in doc matches
// anything.
func shapeDiff(path string, doc, got any, skip map[string]bool) []string {
	if skip[path] || doc == nil {
		return nil
	}
	switch d := doc.(type) {
	case map[string]any:
		g, isObj := got.(map[string]any)
		if !isObj {
			return []string{fmt.Sprintf("%s: want an object, got %T", path, got)}
		}
		var out []string
		for k, dv := range d {
			p := k
			if path != "" {
				p = path + "." + k
			}
			gv, has := g[k]
			if !has {
				if !skip[p] {
					out = append(out, p+": missing")
				}
				continue
			}
			out = append(out, shapeDiff(p, dv, gv, skip)...)
		}
		return out
	case []any:
		g, isArr := got.([]any)
		if !isArr {
			return []string{fmt.Sprintf("%s: want an array, got %T", path, got)}
		}
		if len(d) > 0 && len(g) > 0 {
			return shapeDiff(path+"[0]", d[0], g[0], skip)
		}
		return nil
	}
	if reflect.TypeOf(doc) != reflect.TypeOf(got) {
		return []string{fmt.Sprintf("%s: want %T, got %T", path, doc, got)}
	}
	return nil
}
