package main

import (
	"fmt"
	"time"

	"flywheel/bot/slackfake"
	"flywheel/config"
	"flywheel/digest"
	"flywheel/store"
)

// The second half of the demo workspace: a help channel, the champions, and
// Lena from Legal, a team not yet in the rollout.
const (
	demoLena             = "U0DEMOLEN"
	demoHelp, demoChamps = "C0DEMOHELP", "C0DEMOCHAMP"
)

// playQuestions shows "can I use X?" answered in seconds, an unknown
// question routed to the champions and answered, and a colleague clicking
// "I'll try this" on a win.
func playQuestions(fake *slackfake.Server, tr *transcript) error {
	bot := 0
	waitBot := func(channel string, n int) error {
		_, err := fake.WaitBotMessages(channel, n, demoWait)
		return err
	}
	ask := func(user, text string) (string, error) {
		tr.say("\n%s asks in #ai-help: %s\n", tr.name(user), text)
		ts, env := fake.PostAsUser(demoHelp, user, text, "")
		if _, err := fake.WaitAck(env, demoWait); err != nil {
			return "", err
		}
		bot++
		return ts, waitBot(demoHelp, bot)
	}
	if _, err := ask(demoLena, "Can I use ChatGPT to summarize customer calls?"); err != nil {
		return err
	}
	if _, err := ask(demoLena, "is it ok to paste contracts into DeepSeek?"); err != nil {
		return err
	}
	ts, err := ask(demoChloe, "how do I build an agent that updates our CRM from call notes?")
	if err != nil {
		return err
	}
	if err := waitBot(demoChamps, 1); err != nil {
		return fmt.Errorf("question routed to champions: %w", err)
	}
	reply := "I built one with Copilot last month, happy to pair on it"
	tr.say("\n%s replies in the thread: %s\n  (recorded as an answer: who, their team, time to first answer)\n", tr.name(demoDev), reply)
	_, env := fake.PostAsUser(demoHelp, demoDev, reply, ts)
	if _, err := fake.WaitAck(env, demoWait); err != nil {
		return err
	}

	posts := fake.BotMessages(demoWins)
	if len(posts) == 0 {
		return fmt.Errorf("no win post to try")
	}
	tr.say("\n%s clicks \"I'll try this\" on %s's win\n", tr.name(demoLena), tr.name(demoAna))
	if _, err := fake.WaitAck(fake.SendBlockAction(demoLena, demoWins, posts[0].TS, "try_this", "1"), demoWait); err != nil {
		return err
	}
	return waitFor(func() bool { return len(fake.Ephemerals(demoLena)) > 0 })
}

// playRollout has Ana, an admin, ask for the rollout plan: Legal's site is
// pulling (Lena asked for access twice and tried Ana's win).
func playRollout(fake *slackfake.Server, tr *transcript) error {
	tr.user(demoAna, demoSales, "/flywheel rollout")
	_, err := fake.WaitAck(fake.SendSlashCommand(demoAna, demoSales, "/flywheel", "rollout"), demoWait)
	return err
}

// digest prints the coming weekly digest, its week so far, as the digest
// channel would receive it: the week App Home and `/flywheel digest
// preview` show too (digest.WeekEnd), not the 7 days before now.
func (t *transcript) digest(st *store.Store, cfg *config.Config) error {
	end := digest.WeekEnd(cfg, time.Now())
	in, err := digest.Load(st, end)
	if err != nil {
		return fmt.Errorf("demo digest: %w", err)
	}
	d := digest.Build(in, cfg, end)
	public, lead := digest.RenderMessage(d, digest.RenderOptions{}), digest.RenderMessage(d, digest.RenderOptions{Lead: true})
	t.say("\nThe weekly digest so far, as the digest channel would receive it at its next firing (cron: %s, %s); its notification reads:\n  %s\n\n%s",
		cfg.Digest.Schedule, end.In(cfg.Location()).Format("Mon 2 Jan 15:04 MST"), t.readable(public.Text), indent(t.readable(public.Transcript), "  "))
	t.say("\nThe lead digest, as digest.lead_channel (or each admin, by DM) would receive it:\n%s", indent(t.readable(lead.Transcript), "  "))
	return nil
}
