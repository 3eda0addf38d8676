package bot_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSpread: ben and dev click "I'll try this" on ana's win; ben then
// shares his own first win. Worked out by hand:
//   - ben gets the ChatGPT how-to privately; his win links to ana's;
//   - 1 (ben) of 2 first-timers (ana, ben) started from a colleague's win;
//   - on ana's win 2 people (ben, dev) clicked I'll try this and 1 (ben)
//     shared a win after it; chain Sales → Ops (1).
func TestSpread(t *testing.T) {
	h := start(t)
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "Used ChatGPT to draft 40 cold emails in 30 minutes instead of 3 hours"))
	post := h.winPosts(1)[0]
	assert.Contains(t, string(post.Blocks), `"action_id":"try_this"`, "every win post carries I'll try this")
	eventually(t, func() bool { return h.wins()[0].PostTS != "" }, "post recorded")
	id := strconv.FormatUint(h.wins()[0].ID, 10)

	h.ack(h.fake.SendBlockAction(ben, winsCh, post.TS, "try_this", id))
	h.ack(h.fake.SendBlockAction(ben, winsCh, post.TS, "try_this", id)) // twice counts once
	h.ack(h.fake.SendBlockAction(dev, winsCh, post.TS, "try_this", id))
	eventually(t, func() bool { return len(h.fake.Ephemerals(ben)) >= 1 }, "ben gets the how-to")
	assert.Contains(t, h.fake.Ephemerals(ben)[0].Text, "Sign in at chat.example.com with SSO.")

	h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", "Tried it: ChatGPT cleaned up the ops runbook, saved 1h"))
	benPost := h.winPosts(2)[1]
	assert.Contains(t, string(benPost.Blocks), `inspired by \u003c@`+ana+`\u003e's \u003chttps://slack.com/archives/`+winsCh+`/p`+strings.ReplaceAll(post.TS, ".", "")+`|win\u003e`,
		"names and links the win that inspired it")
	assert.Equal(t, h.wins()[0].ID, h.wins()[1].InspiredBy)

	a := h.ack(h.fake.SendSlashCommand(chloe, salesCh, "/flywheel", "spread"))
	var reply struct{ Text string }
	require.NoError(t, json.Unmarshal(a.Payload, &reply))
	assert.Contains(t, reply.Text, "*1 of 2 first-timers started from a colleague's win*\n")
	assert.Contains(t, reply.Text, "<@"+ben+"> after <@"+ana+">'s win")
	assert.Contains(t, reply.Text, "2 people clicked I'll try this, 1 person shared a win after it")
	assert.Contains(t, reply.Text, "*Across teams*: Sales → Ops (1)")
}

// TestWinFormInspiredByField: the /win form offers recent wins; picking one
// links the new win to it and counts as inspiration.
func TestWinFormInspiredByField(t *testing.T) {
	h := start(t)
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "Claude turned the contract checklist into a form, saved 2h"))
	h.winPosts(1)
	eventually(t, func() bool { return h.wins()[0].PostTS != "" }, "post recorded")
	h.ack(h.fake.SendSlashCommand(dev, salesCh, "/win", ""))
	eventually(t, func() bool { return len(h.fake.OpenedViews()) == 1 }, "modal opened")
	assert.Contains(t, string(h.fake.OpenedViews()[0].View), `"block_id":"inspired"`)
	assert.Contains(t, string(h.fake.OpenedViews()[0].View), "contract checklist")
	id := strconv.FormatUint(h.wins()[0].ID, 10)
	h.ack(h.fake.SendViewSubmission(dev, "win_modal", "", map[string]map[string]string{
		"what": {"what": "Same trick for the ops checklist"}, "tool": {"tool": "claude"}, "saved": {"saved": "1h"},
		"inspired": {"inspired": "option:" + id}}))
	h.winPosts(2)
	assert.Equal(t, h.wins()[0].ID, h.wins()[1].InspiredBy)
}
