package bot_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot"
	"flywheel/config"
)

// TestRolloutPlan drives a week in which Lena (Legal, not enrolled) pulls,
// then asks for the plan. Worked out by hand, all in this week (full
// weight):
//   - Legal's pull: access question 3 + build question 2 + "I'll try this"
//     on Ana's Sales win 2 + a cheer on it 1 + Ben's answer 1 = 9;
//   - access first: Lena 5 = build question 2 + tried a colleague's win 2
//   - cheered Ana of Sales 1; the two biggest parts are the reason;
//   - Ben (Ops) answered Legal's question: 2, a champion, so Ops has one;
//     Ana's only score is Lena's cheer (1): Sales has no champion and Ana
//     is its best candidate;
//   - Sales and Ops were active this week: nothing is stalled.
func TestRolloutPlan(t *testing.T) {
	h := start(t)
	h.legalPulls()

	refused := h.ack(h.fake.SendSlashCommand(ben, salesCh, "/flywheel", "rollout"))
	assert.Contains(t, string(refused.Payload), "only Flywheel admins can see the rollout plan")
	assert.NotContains(t, string(refused.Payload), "Legal")

	a := h.ack(h.fake.SendSlashCommand(ana, salesCh, "/flywheel", "rollout"))
	var reply struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
	}
	require.NoError(t, json.Unmarshal(a.Payload, &reply))
	assert.Equal(t, "ephemeral", reply.ResponseType, "the plan is for the admin who asked")
	for _, want := range []string{
		"1. *Legal* · pull 9.0\n",
		"    1 person asked for access in 1 week; 1 person asked how to use or build with AI; 1 clicked I'll try this on wins from Sales; 1 cheered across teams; got 1 answer from colleagues\n",
		"    Give access first to: <@" + lena + "> (asked 1 how-to question, tried 1 colleague's win)\n",
		"*Next month* (3 sites or teams a month): *Legal*\n",
		"• *Sales*: best candidates <@" + ana + "> (wins cheered by 1 person in other teams)\n",
	} {
		assert.Contains(t, reply.Text, want)
	}
	assert.NotContains(t, reply.Text, "Stalled")
	assert.NotContains(t, reply.Text, "• *Ops*", "Ben's answer to Legal makes him Ops' champion")
	assert.Empty(t, h.fake.BotMessages(salesCh), "nothing is posted in the channel")
}

// legalPulls plays the week of TestRolloutPlan: Ana's win, and Lena of
// Legal asking for access, trying and cheering Ana's win, and asking a
// build question that Ben of Ops answers.
func (h *harness) legalPulls() {
	h.t.Helper()
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "Used ChatGPT to draft 40 cold emails in 30 minutes instead of 3 hours"))
	post := h.winPosts(1)[0]
	eventually(h.t, func() bool { return h.wins()[0].PostTS != "" }, "post recorded")
	id := strconv.FormatUint(h.wins()[0].ID, 10)

	h.ask(lena, "how do I get access to Copilot?")
	h.ack(h.fake.SendBlockAction(lena, winsCh, post.TS, "try_this", id))
	h.ack(h.fake.SendReaction(true, lena, "fire", winsCh, post.TS, "UBOT0FLYWHL"))
	ts := h.ask(lena, "how do I build an agent that drafts contract summaries?")
	_, env := h.fake.PostAsUser(helpCh, ben, "I built one last month, happy to pair", ts)
	h.ack(env)
}

// TestDigestGivesAccessFirst: after the same week, the company digest names
// Lena to enable first in Legal's line (one access question: the build
// question is not an access request; her score, 5, is worked out in
// TestRolloutPlan) and names Ana as the closest to a champion; the Sales
// slice has neither.
func TestDigestGivesAccessFirst(t *testing.T) {
	const digestCh, salesDigestCh = "CDIGEST01", "CSALESDG2"
	h := startWith(t, func(c *config.Config) {
		c.Digest.Channels = []string{digestCh}
		c.Teams[0].Channel = salesDigestCh
	}, bot.Options{})
	h.fake.AddChannel(digestCh, "ai-digest")
	h.fake.AddChannel(salesDigestCh, "sales")
	h.legalPulls()

	next := *h.bot.Config()
	next.Digest.Schedule = "@every 1s"
	h.bot.SetConfig(&next)

	posts, err := h.fake.WaitBotMessages(digestCh, 1, wait)
	require.NoError(t, err)
	d := posts[0].Text
	assert.Contains(t, d, "• *Legal* (not enrolled yet): 1 person, 1 question about Copilot: <@"+lena+">\n    Give access first to: <@"+lena+">\n")
	assert.Contains(t, d, "• 9 more champions: closest are <@"+ana+">")
	assert.Contains(t, string(posts[0].Blocks), `Give access first to: \u003c@`+lena+`\u003e`, "in the Block Kit section too")

	team, err := h.fake.WaitBotMessages(salesDigestCh, 1, wait)
	require.NoError(t, err)
	assert.NotContains(t, team[0].Text, "Give access first")
	assert.NotContains(t, team[0].Text, "closest are")
}
