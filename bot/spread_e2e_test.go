package bot_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSpread: ben and dev click "I'll try this" on ana's win; ben then
// shares his own first win. Worked out by hand:
//   - ben gets the ChatGPT how-to privately; his win links to ana's;
//   - new adopters inspired by a peer: 1 (ben) of 2 people with a win
//     (ana, ben) → spread ratio 0.50;
//   - ana's win inspired 2 people (ben, dev); chain Sales → Ops (1).
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
	assert.Contains(t, benPost.Text+string(benPost.Blocks), "inspired by a colleague's win")
	assert.Equal(t, h.wins()[0].ID, h.wins()[1].InspiredBy)

	a := h.ack(h.fake.SendSlashCommand(chloe, salesCh, "/flywheel", "spread"))
	var reply struct{ Text string }
	require.NoError(t, json.Unmarshal(a.Payload, &reply))
	assert.Contains(t, reply.Text, "*New adopters inspired by a peer*: 1 of 2 people with a win · spread ratio 0.50 (last week 0.00)")
	assert.Contains(t, reply.Text, "<@"+ben+"> after <@"+ana+">'s win")
	assert.Contains(t, reply.Text, "inspired 2 people")
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
