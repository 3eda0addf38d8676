package bot_test

import (
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

// questions returns every stored question.
func (h *harness) questions() []store.Question {
	h.t.Helper()
	var qs []store.Question
	require.NoError(h.t, h.st.View(func(tx *store.Tx) error {
		var err error
		qs, err = tx.QuestionsBetween(time.Unix(0, 0), time.Now().Add(time.Hour))
		return err
	}))
	return qs
}

// threadReplies waits for n bot replies in the thread of channel/ts.
func (h *harness) threadReplies(channel, ts string, n int) []slackfake.Message {
	h.t.Helper()
	var out []slackfake.Message
	eventually(h.t, func() bool {
		out = out[:0]
		for _, m := range h.fake.BotMessages(channel) {
			if m.ThreadTS == ts {
				out = append(out, m)
			}
		}
		return len(out) >= n
	}, "bot replies in the thread")
	return out
}

// ask posts a question in the help channel and waits for it to be acked.
func (h *harness) ask(user, text string) string {
	h.t.Helper()
	ts, env := h.fake.PostAsUser(helpCh, user, text, "")
	h.ack(env)
	return ts
}

func TestRegistryAnswers(t *testing.T) {
	cases := []struct {
		name, text string
		want       []string
		stage      string
	}{
		{"Approved", "Can I use ChatGPT to summarize meeting notes?",
			[]string{"Yes, you can use ChatGPT", "Sign in at chat.example.com with SSO.", "wiki.example.com/ai"}, "access"},
		{"NotApproved", "is it ok to use DeepSeek for the roadmap?",
			[]string{"No, DeepSeek isn't approved, but try Claude instead", "Ask IT for a seat.", "wiki.example.com/ai"}, "access"},
		{"Restricted", "can we use midjourney for the spring campaign?",
			[]string{"Midjourney is allowed with a restriction:* marketing drafts only, no customer logos", "wiki.example.com/ai"}, "access"},
		{"Mixed", "can i use chatgpt or deepseek for meeting notes?",
			[]string{"Yes, you can use ChatGPT", "No, DeepSeek isn't approved"}, "access"},
		{"AccessHowTo", "how do I get access to Copilot?", []string{"Yes, you can use Copilot", "Request a seat"}, "access"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := start(t)
			ts := h.ask(ana, c.text)
			reply := h.threadReplies(helpCh, ts, 1)[0]
			for _, w := range c.want {
				assert.Contains(t, reply.Text, w)
			}
			qs := h.questions()
			require.Len(t, qs, 1)
			q := qs[0]
			assert.Equal(t, ana, q.Asker)
			assert.Equal(t, "Sales", q.Team)
			assert.Equal(t, helpCh, q.Channel)
			assert.Equal(t, ts, q.TS)
			assert.Equal(t, c.stage, q.Stage)
			assert.True(t, q.BotAnswered)
			assert.Empty(t, h.fake.BotMessages(champsCh), "answered questions don't bother the champions")
		})
	}
}

// TestDataQuestionsLeadWithTheGuidelines: a question about data (customer
// calls, contracts, or a company's own guidelines.data words) gets the
// guidelines first and what the approved tool may be used for, never a
// bare "Yes" or a "No, but try X" that reads as leave to paste.
func TestDataQuestionsLeadWithTheGuidelines(t *testing.T) {
	const rule = "Never paste customer personal data or contract terms into an AI tool."
	cases := []struct {
		name, text string
		want       []string
		never      string
	}{
		{"ApprovedTool", "Can I use ChatGPT to summarize customer calls?",
			[]string{"*ChatGPT is approved* for drafting internal documents, within the guidelines above.", "Sign in at chat.example.com"},
			"Yes, you can use ChatGPT"},
		{"NotApprovedTool", "is it ok to paste contracts into DeepSeek?",
			[]string{"No, DeepSeek isn't approved.", "The approved alternative is *Claude*, within the guidelines above: an approved tool doesn't make it fine"},
			"but try Claude instead"},
		{"CompanyDataWord", "can I use Claude on the shipment manifests?",
			[]string{"*Claude is approved*, within the guidelines above.", "Ask IT for a seat."}, "Yes, you can use Claude"},
		// No registry tool: it waits for a champion, the guidelines come now.
		{"ToTheChampions", "can I paste customer emails into an AI chatbot?",
			[]string{"I've asked our AI champions"}, "Yes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := startWith(t, func(cfg *config.Config) {
				cfg.Guidelines.Text = rule
				cfg.Guidelines.Data = []string{"shipment manifest"}
				cfg.Tools[0].UseFor = "drafting internal documents"
			}, bot.Options{})
			ts := h.ask(ana, c.text)
			reply := h.threadReplies(helpCh, ts, 1)[0].Text
			require.True(t, strings.HasPrefix(reply, ":books: *First, our AI guidelines on data:* _"+rule+"_"), "leads with the guidelines: %s", reply)
			for _, w := range c.want {
				assert.Contains(t, reply, w)
			}
			assert.NotContains(t, reply, c.never)
			assert.Equal(t, 1, strings.Count(reply, rule), "quoted once")
		})
	}
}

func TestYesCitesColleaguesWins(t *testing.T) {
	h := start(t)
	h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", "ChatGPT drafted the QBR deck, saved 3h"))
	post := h.winPosts(1)[0]
	eventually(t, func() bool { return h.wins()[0].PostTS != "" }, "post recorded")
	ts := h.ask(ana, "can I use ChatGPT for the renewal emails?")
	reply := h.threadReplies(helpCh, ts, 1)[0]
	assert.Contains(t, reply.Text, "Colleagues who did it recently")
	assert.Contains(t, reply.Text, "<@"+ben+">")
	assert.Contains(t, reply.Text, "saved 3h")
	assert.Contains(t, reply.Text, "https://slack.com/archives/"+winsCh+"/p"+strings.ReplaceAll(post.TS, ".", ""))
}

func TestUnknownQuestionGoesToChampionsAndAnswersAreTracked(t *testing.T) {
	h := start(t)
	ts := h.ask(ana, "how do I build an agent that files my expense reports?")
	routed, err := h.fake.WaitBotMessages(champsCh, 1, wait)
	require.NoError(t, err)
	assert.Contains(t, routed[0].Text, "<@"+ana+">")
	assert.Contains(t, routed[0].Text, "expense reports")
	assert.Contains(t, routed[0].Text, "https://", "the champions get a permalink")
	assert.Len(t, h.fake.Calls("chat.getPermalink"), 1)
	reply := h.threadReplies(helpCh, ts, 1)[0]
	assert.Contains(t, reply.Text, "asked our AI champions")
	q := h.questions()[0]
	assert.Equal(t, "build", q.Stage)
	assert.True(t, q.Routed)

	// The asker's own follow-up is not an answer; the bot's isn't either.
	_, env := h.fake.PostAsUser(helpCh, ana, "to be clear, the SAP ones", ts)
	h.ack(env)
	_, env = h.fake.PostAsUser(helpCh, dev, "Use the Copilot expense template, I'll show you", ts)
	h.ack(env)
	_, env = h.fake.PostAsUser(helpCh, chloe, "+1, it works", ts)
	h.ack(env)
	q = h.questions()[0]
	assert.Equal(t, 2, q.Answers)
	assert.Equal(t, dev, q.FirstAnswerer)
	var answers []store.Answer
	require.NoError(t, h.st.View(func(tx *store.Tx) error {
		answers, err = tx.AnswersBetween(time.Unix(0, 0), time.Now().Add(time.Hour))
		return err
	}))
	require.Len(t, answers, 2)
	assert.Equal(t, "Ops", answers[0].Team)
	assert.Equal(t, "Sales", answers[0].AskerTeam)
	assert.Greater(t, answers[0].Latency, time.Duration(0))
}

func TestAskCommand(t *testing.T) {
	h := start(t)
	a := h.ack(h.fake.SendSlashCommand(ben, salesCh, "/ask", "can I use claude for meeting notes?"))
	assert.Contains(t, string(a.Payload), "Yes, you can use Claude")
	assert.Contains(t, string(a.Payload), "ephemeral")

	// Unknown: to the champions; their answer in that thread comes back as a DM.
	h.ack(h.fake.SendSlashCommand(lena, salesCh, "/ask", "what is a vector database and do we have one?"))
	routed, err := h.fake.WaitBotMessages(champsCh, 1, wait)
	require.NoError(t, err)
	eventually(t, func() bool {
		return h.st.View(func(tx *store.Tx) error { _, err := tx.QuestionByMessage(champsCh, routed[0].TS); return err }) == nil
	}, "the champions post leads back to the question")
	_, env := h.fake.PostAsUser(champsCh, dev, "We use pgvector; ask #data for access", routed[0].TS)
	h.ack(env)
	dm, err := h.fake.WaitBotMessages(h.fake.DMChannel(lena), 1, wait)
	require.NoError(t, err)
	assert.Contains(t, dm[0].Text, "pgvector")
	assert.Contains(t, dm[0].Text, "<@"+dev+">")
}

func TestAccessRequestFromTeamNotInRollout(t *testing.T) {
	h := start(t)
	h.ask(lena, "how do I get access to Copilot? our team would love it")
	h.ask(ana, "how do I get access to Copilot?")
	qs := h.questions()
	require.Len(t, qs, 2)
	assert.True(t, qs[0].AccessRequest, "Legal is not enrolled: its access questions are the signal")
	assert.Equal(t, "Legal", qs[0].Team)
	assert.False(t, qs[0].Enrolled)
	assert.False(t, qs[1].AccessRequest, "Sales is already in the rollout")
}

func TestMessagesThatAreNotQuestions(t *testing.T) {
	h := start(t)
	h.ask(ana, "I used ChatGPT today, it was great")
	h.ack(h.fake.SendEvent(map[string]any{"type": "message", "subtype": "bot_message", "bot_id": "BOTHER001",
		"channel": helpCh, "text": "Can I use ChatGPT?", "ts": "1795601000.000100"}))
	h.ack(h.fake.SendEvent(map[string]any{"type": "message", "subtype": "channel_join", "user": ben,
		"channel": helpCh, "text": "<@" + ben + "> has joined the channel", "ts": "1795601000.000200"}))
	_, env := h.fake.PostAsUser(salesCh, ana, "can I use ChatGPT?", "") // not a help channel
	h.ack(env)
	assert.Empty(t, h.questions())
}

func TestQuestionEditsAndDeletions(t *testing.T) {
	h := start(t)
	ts := h.ask(ana, "what is copilot?")
	require.Equal(t, "what", h.questions()[0].Stage)
	// Shape from Slack's message_changed docs.
	h.ack(h.fake.EditAsUser(helpCh, ts, "how do I build a bot that uses copilot?"))
	q := h.questions()[0]
	assert.Equal(t, "build", q.Stage)
	assert.Contains(t, q.Text, "build a bot")
	h.ack(h.fake.SendEvent(map[string]any{"type": "message", "subtype": "message_deleted", "hidden": true,
		"channel": helpCh, "ts": "1795609999.000002", "deleted_ts": ts, "event_ts": "1795609999.000002"}))
	assert.True(t, h.questions()[0].Deleted)
}

func TestNudgeAndFollowUpHappenOnce(t *testing.T) {
	h := startWith(t, func(c *config.Config) {
		c.Questions.NudgeAfter = config.Duration(300 * time.Millisecond)
		c.Questions.FollowUpAfter = config.Duration(300 * time.Millisecond)
	}, bot.Options{DueInterval: 50 * time.Millisecond})

	h.ask(ana, "how do I build an AI workflow that drafts release notes?")
	eventually(t, func() bool { return len(h.fake.BotMessages(champsCh)) == 2 }, "question routed, then re-raised")
	assert.Contains(t, h.fake.BotMessages(champsCh)[1].Text, "Still unanswered")

	h.ask(ben, "can I use ChatGPT for release notes?")
	dms, err := h.fake.WaitBotMessages(h.fake.DMChannel(ben), 1, wait)
	require.NoError(t, err, "a Yes earns one follow-up DM")
	assert.Contains(t, dms[0].Text, "Did it work out?")
	assert.Contains(t, string(dms[0].Blocks), "followup_win")

	// Both are done once: nothing is left scheduled and the flags are set.
	eventually(t, func() bool { due, _ := h.st.DueBy(time.Now().Add(time.Hour), 10); return len(due) == 0 }, "schedule empty")
	for _, q := range h.questions() {
		if q.Asker == ana {
			assert.True(t, q.Nudged)
		} else {
			assert.True(t, q.FollowedUp)
		}
	}
	assert.Len(t, h.fake.BotMessages(champsCh), 2)

	// The button opens the /win form with the tool filled in.
	h.ack(h.fake.SendBlockAction(ben, h.fake.DMChannel(ben), dms[0].TS, "followup_win", "ChatGPT"))
	eventually(t, func() bool { return len(h.fake.OpenedViews()) == 1 }, "modal opened")
	assert.Contains(t, string(h.fake.OpenedViews()[0].View), `"initial_value":"ChatGPT"`)
}

func TestFlywheelCommands(t *testing.T) {
	reloaded := testConfigForReload()
	h := startWith(t, nil, bot.Options{Reload: func() (*config.Config, error) { return reloaded(), nil }})
	cases := []struct{ user, text, want string }{
		{ben, "help", "/flywheel champions"},
		{ben, "", "/ask"},
		{ben, "tools", "Not approved"},
		{ben, "champions", "Natural champions, the last 4 digest weeks"},
		{ben, "champions quarter", "the last 13 digest weeks"},
		{ben, "champions decade", "Pick a window"},
		{ben, "reload", "only Flywheel admins"},
		{ana, "frobnicate", "I don't know"},
	}
	for _, c := range cases {
		a := h.ack(h.fake.SendSlashCommand(c.user, salesCh, "/flywheel", c.text))
		assert.Contains(t, string(a.Payload), c.want, "/flywheel %s", c.text)
	}
	a := h.ack(h.fake.SendSlashCommand(ana, salesCh, "/flywheel", "reload"))
	assert.Contains(t, string(a.Payload), "Configuration reloaded: 1 tool")
	a = h.ack(h.fake.SendSlashCommand(ana, salesCh, "/flywheel", "tools"))
	assert.Contains(t, string(a.Payload), "Gemini")
	assert.NotContains(t, string(a.Payload), "DeepSeek")
}

func testConfigForReload() func() *config.Config {
	return func() *config.Config {
		c := config.Default()
		c.WinsChannel = winsCh
		c.Tools = []config.Tool{{Name: "Gemini", Status: config.StatusApproved}}
		return c
	}
}

func TestChampionsRanking(t *testing.T) {
	h := start(t)
	// dev (Ops) answers a Sales question and a Legal one; chloe (Sales) answers Sales.
	for _, asker := range []string{ana, lena} {
		ts := h.ask(asker, "how do I build a dashboard bot?")
		_, env := h.fake.PostAsUser(helpCh, dev, "happy to pair on it", ts)
		h.ack(env)
	}
	ts := h.ask(ana, "how do I build a slack workflow with AI?")
	_, env := h.fake.PostAsUser(helpCh, chloe, "see the wiki", ts)
	h.ack(env)
	a := h.ack(h.fake.SendSlashCommand(ben, salesCh, "/flywheel", "champions week"))
	text := string(a.Payload)
	iDev, iChloe := strings.Index(text, dev), strings.Index(text, chloe)
	require.True(t, iDev >= 0 && iChloe >= 0, text)
	assert.Less(t, iDev, iChloe, "cross-team answers rank higher")
	assert.Contains(t, text, "2 answers (2 to other teams)")
	assert.Contains(t, text, "1 answer (0 to other teams)")
	// One answer in your own team scores 1: listed, but no champion yet
	// (the digest's rule, ChampionMinScore).
	assert.Contains(t, text, "Teams with no champion yet*: Sales, Legal")
}

func TestTeamsFromSlackUsergroups(t *testing.T) {
	const sam = "USAM00006"
	var cfg *config.Config
	h := startWith(t, func(c *config.Config) {
		c.Teams = append(c.Teams, config.Team{Name: "Support", Usergroup: "S0SUPPORT", Enrolled: false})
		cfg = c
	}, bot.Options{Reload: func() (*config.Config, error) { return cfg, nil }})
	h.fake.AddUsergroup("S0SUPPORT", sam)
	// A reload re-reads the user groups at once (they also refresh every 10 minutes).
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/flywheel", "reload"))
	eventually(t, func() bool { team, _ := h.bot.TeamOf(sam); return team.Name == "Support" }, "user group re-read")
	h.ask(sam, "how do I get access to ChatGPT?")
	q := h.questions()[0]
	assert.Equal(t, "Support", q.Team)
	assert.True(t, q.AccessRequest)

	h.ask(dev, "how do I get access to Claude?") // config members still win
	assert.Equal(t, "Ops", h.questions()[1].Team)
	h.ask("UNOBODY07", "what is ChatGPT?")
	assert.Equal(t, "", h.questions()[2].Team, "a user in no team is unassigned, never dropped")
}

func TestMentionsInQuestionsNeverPing(t *testing.T) {
	h := start(t)
	ts := h.ask(ana, "@channel @everyone <!here> how do I build a bot for #sales like @chloe did?")
	routed, err := h.fake.WaitBotMessages(champsCh, 1, wait)
	require.NoError(t, err)
	for _, bad := range []string{"<!channel>", "<!everyone>", "<!here>", "<#CSALES002", "<@UCHLOE003>"} {
		assert.NotContains(t, routed[0].Text, bad)
	}
	assertPingsOnly(t, h.fake, routed[0], ana)
	assert.Contains(t, routed[0].Text, "@channel @everyone &lt;!here&gt; how do I build a bot for #sales like @UCHLOE003")
	eventually(t, func() bool {
		return h.st.View(func(tx *store.Tx) error { _, err := tx.QuestionByMessage(champsCh, routed[0].TS); return err }) == nil
	}, "indexed")
	_, env := h.fake.PostAsUser(champsCh, dev, "@here use the bot template", routed[0].TS)
	h.ack(env)
	relay := h.threadReplies(helpCh, ts, 2)[1]
	assert.NotContains(t, relay.Text, "<!here>")
	assertPingsOnly(t, h.fake, relay, dev)
	assert.Contains(t, relay.Text, "@here use the bot template")
}
