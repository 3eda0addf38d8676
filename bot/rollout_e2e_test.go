package bot_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot"
	"flywheel/bot/slackfake"
	"flywheel/config"
	"flywheel/store"
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

	// Access first is for the lead digest (ana, the admin, gets it by DM),
	// never the public one.
	posts, err := h.fake.WaitBotMessages(digestCh, 1, wait)
	require.NoError(t, err)
	assert.NotContains(t, string(posts[0].Blocks), "Give access first")
	h.dmContaining(ana, "Lead digest")
	var d string
	for _, m := range h.fake.BotMessages(h.fake.DMChannel(ana)) {
		if strings.HasPrefix(m.Text, "Lead digest") {
			d = blocksText(t, m.Blocks)
		}
	}
	assert.Contains(t, d, "• *Legal* (not enrolled yet): 1 person, 1 question about Copilot: <@"+lena+">\n    Give access first to: <@"+lena+">\n")
	assert.Contains(t, d, "• 9 more champions: closest are <@"+ana+">")

	team, err := h.fake.WaitBotMessages(salesDigestCh, 1, wait)
	require.NoError(t, err)
	assert.NotContains(t, team[0].Text, "Give access first")
	assert.NotContains(t, team[0].Text, "closest are")
}

// TestRolloutPlanStalled: Ops asked two questions five weeks ago (one about
// DeepSeek, which the registry refused, one nobody answered) and has done
// nothing since; Sales shared a win this week. Worked out by hand:
//   - Ops is enrolled with no activity in 4 weeks: stalled, last active 35
//     days (5 weeks) ago, with one question never answered (the registry's
//     answer counts as one) and DeepSeek asked about;
//   - Sales is active but nobody in it answered, asked how or cheered
//     across teams: no champion, nobody stands out;
//   - Legal did nothing in 8 weeks: pull 0, and no batch for next month.
func TestRolloutPlanStalled(t *testing.T) {
	clk := newFakeClock(time.Now())
	h := startSetup(t, setup{
		fakeOpts: []slackfake.Option{slackfake.WithClock(clk.Now)},
		bot:      bot.Options{Clock: clk},
		store:    store.Options{Now: clk.Now},
	})
	h.ask(ben, "is it ok to paste shift rosters into deepseek?")
	h.ask(dev, "anyone know a good way to plan shifts with ai?")
	h.outboxEmpty()
	clk.Advance(35 * 24 * time.Hour)
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "Used ChatGPT to draft 40 cold emails in 30 minutes instead of 3 hours"))
	clk.Advance(time.Minute) // the plan reads up to now; the win is a minute old

	a := h.ack(h.fake.SendSlashCommand(ana, salesCh, "/flywheel", "rollout"))
	var reply struct {
		Text string `json:"text"`
	}
	require.NoError(t, json.Unmarshal(a.Payload, &reply))
	for _, want := range []string{
		"1. *Legal* · pull 0.0\n    no sign of interest in the last 8 weeks\n",
		"*Next month* (3 sites or teams a month): nobody is asking yet.",
		":hourglass: *Stalled*: enrolled, no activity in 4 weeks\n" +
			"• *Ops*: last active 5 weeks ago; 1 question never answered; asked about tools that aren't approved: DeepSeek (not approved)\n",
		"*Enrolled teams without a champion*\n• *Sales*: nobody stands out yet\n",
	} {
		assert.Contains(t, reply.Text, want)
	}
	assert.NotContains(t, reply.Text, "• *Sales*: no activity", "Ana's win this week")
	assert.NotContains(t, reply.Text, "Give access first")
}

// TestLongRolloutPlanSentOnce: a plan too long for an ack (30 teams not
// enrolled and 30 quiet ones, their names full of "<" that mrkdwn escapes)
// goes to the admin by DM; Slack redelivers the command and the DM is still
// sent once, with the same answer.
func TestLongRolloutPlanSentOnce(t *testing.T) {
	h := startWith(t, func(c *config.Config) {
		for i := range 30 {
			c.Teams = append(c.Teams,
				config.Team{Name: fmt.Sprintf("Asking %02d %s", i, strings.Repeat("<", 60))},
				config.Team{Name: fmt.Sprintf("Quiet %02d %s", i, strings.Repeat("<", 60)), Enrolled: true})
		}
	}, bot.Options{})
	env := h.fake.SendSlashCommand(ana, salesCh, "/flywheel", "rollout")
	first := h.ack(env)
	assert.Contains(t, string(first.Payload), "sent it to you as a DM")
	again := h.ack(h.fake.Redeliver(env))
	assert.JSONEq(t, string(first.Payload), string(again.Payload), "the same answer both times")
	h.outboxEmpty()
	dms := h.fake.BotMessages(h.fake.DMChannel(ana))
	require.Len(t, dms, 1, "one DM for a redelivered command")
	// (Contains on the whole plan would print 20 KB on failure.)
	assert.True(t, strings.HasPrefix(dms[0].Text, ":world_map: *Rollout plan*"))
	assert.True(t, strings.Contains(dms[0].Text, "_…and 16 more_\n"), "15 of 31 candidates listed")
}
