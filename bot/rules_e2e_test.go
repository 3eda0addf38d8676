package bot_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot"
	"flywheel/digest"
	"flywheel/store"
)

// TestOneRuleForEveryNumber: for the same store and week, /flywheel
// champions lists exactly the digest's champions with the digest's
// numbers, and App Home's numbers are the digest's for that person.
func TestOneRuleForEveryNumber(t *testing.T) {
	wednesday := time.Date(2030, 1, 9, 12, 0, 0, 0, time.UTC)
	clk := &testClock{t: wednesday}
	h := startSetup(t, setup{store: store.Options{Now: clk.now}, bot: bot.Options{}})

	// dev (Ops) replies six times in one thread of ana's (Sales): one
	// answer, across teams. chloe (Sales) answers someone in no team:
	// never "cross-team".
	ts := h.ask(ana, "how do I build a dashboard bot?")
	for i := range 6 {
		_, env := h.fake.PostAsUser(helpCh, dev, fmt.Sprintf("+1 (%d)", i), ts)
		h.ack(env)
	}
	ts = h.ask("UNOBODY07", "how do I build a slack workflow with AI?")
	_, env := h.fake.PostAsUser(helpCh, chloe, "see the wiki", ts)
	h.ack(env)
	// ben's (Ops) win cheered by two Sales people; ana's 10h win cheered
	// by ben alone, so it counts at the 8h cap.
	h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", "ChatGPT cleaned the CRM export, saved 3h"))
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "Claude rewrote the onboarding guide, saved 10 hours"))
	posts := h.winPosts(2)
	eventually(t, func() bool {
		ws, err := h.st.WinsBetween(wednesday.Add(-time.Hour), wednesday.Add(time.Hour))
		return err == nil && len(ws) == 2 && ws[0].PostTS != "" && ws[1].PostTS != ""
	}, "posts recorded")
	for _, r := range []struct{ who, post string }{{ana, posts[0].TS}, {chloe, posts[0].TS}, {ben, posts[1].TS}} {
		h.ack(h.fake.SendReaction(true, r.who, "fire", winsCh, r.post, ""))
	}
	eventually(t, func() bool { return len(amplifiers(t, h, 1)) == 2 && len(amplifiers(t, h, 2)) == 1 }, "cheers recorded")

	// The digest of this week, computed directly.
	cfg := h.bot.Config()
	end := digest.WeekEnd(cfg, clk.now())
	in, err := digest.Load(h.st, end)
	require.NoError(t, err)
	d := digest.Build(in, cfg, end)
	want := map[string]bool{}
	for _, c := range append(slices.Clone(d.Answerers), d.Bridges...) {
		want[c.User] = true
	}
	require.Equal(t, map[string]bool{dev: true, chloe: true, ben: true, ana: true}, want, "ana: ben, of Ops, cheered her win")

	a := h.ack(h.fake.SendSlashCommand(ben, salesCh, "/flywheel", "champions week"))
	var reply struct{ Text string }
	require.NoError(t, json.Unmarshal(a.Payload, &reply))
	listed := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\d+\. <@(\w+)>`).FindAllStringSubmatch(reply.Text, -1) {
		listed[m[1]] = true
	}
	assert.Equal(t, want, listed, reply.Text)
	for _, c := range d.Answerers {
		assert.Contains(t, reply.Text, fmt.Sprintf("<@%s> (%s): %d answer", c.User, c.Team, c.Answered))
		assert.Contains(t, reply.Text, fmt.Sprintf("(%d to other teams)", c.CrossTeamAnswers))
	}
	assert.Contains(t, reply.Text, "<@"+dev+"> (Ops): 1 answer (1 to other teams)", "six replies in one thread are one answer")
	assert.Contains(t, reply.Text, "<@"+chloe+"> (Sales): 1 answer (0 to other teams)", "an asker in no team is not another team")
	assert.Contains(t, reply.Text, "<@"+ben+"> (Ops): no answers (0 to other teams), wins cheered by 2 people from other teams")
	assert.Contains(t, reply.Text, "<@"+ana+"> (Sales): no answers (0 to other teams), wins cheered by 1 person from other teams")

	// App Home: ana's numbers are the digest's for her.
	minutes, cheered := 0, 0
	for _, w := range d.TopWins {
		if w.Author == ana {
			minutes += w.Minutes
			cheered += w.Amplifiers
		}
	}
	require.Equal(t, 480, minutes, "counted at the cap")
	home := h.homeTab(ana, 1)
	assert.Contains(t, home, fmt.Sprintf("*1 win* shared  ·  :stopwatch: *%s* saved", digest.FormatMinutes(minutes)))
	assert.Contains(t, home, fmt.Sprintf("cheered by *%d colleague", cheered))
	team := d.Headline
	var sales digest.Headline
	require.NoError(t, h.st.View(func(tx *store.Tx) error {
		in, err := digest.Gather(tx, end, 2)
		sales = digest.BuildTeam(in, cfg, end, "Sales").Headline // the Sales digest's own numbers
		return err
	}))
	assert.Contains(t, home, fmt.Sprintf("this week: *%d win*, *%s* saved", sales.Wins.Now, digest.FormatMinutes(sales.MinutesSaved.Now)))
	assert.Equal(t, 2, team.Wins.Now)
}
