package main

import (
	"encoding/json"
	"fmt"
	"time"

	"flywheel/bot/slackfake"
	"flywheel/store"
)

// The demo's tips channel.
const demoTips = "C0DEMOTIPS"

// playSharing shows sharing made safe and small: Chloe shares a win
// without her name, Ana one with her team only, and Ben turns Dev's
// message into Dev's tip with the tip emoji, which Chloe saves and tries.
func playSharing(fake *slackfake.Server, tr *transcript) error {
	// win runs /win and waits for its post in postedIn.
	win := func(user, text, postedIn string) error {
		tr.user(user, demoSales, "/win "+text)
		before := len(fake.BotMessages(postedIn))
		if _, err := fake.WaitAck(fake.SendSlashCommand(user, demoSales, "/win", text), demoWait); err != nil {
			return err
		}
		_, err := fake.WaitBotMessages(postedIn, before+1, demoWait)
		return err
	}
	if err := win(demoChloe, "--anon Drafted the QBR deck with Claude in 1 hour instead of 4 hours", demoWins); err != nil {
		return fmt.Errorf("anonymous win: %w", err)
	}
	tr.say("  (Sales has fewer people than wins.anonymous_min_team, so the post says \"a colleague\", not \"a colleague in Sales\".)\n")
	if err := win(demoAna, "--team Pipeline review notes drafted by ChatGPT, saved 1h", demoSales); err != nil {
		return fmt.Errorf("team-only win: %w", err)
	}
	tr.say("  (Posted in #sales only: not in #wins, and its words stay out of the company digest. It counts like any win.)\n")

	tr.say("\n%s posts in #ops\n", tr.name(demoDev))
	text := "In Copilot, select a legacy script and type /explain: it walks through it line by line"
	ts, _ := fake.PostAsUser(demoOps, demoDev, text, "")
	tr.say("  %s: %s\n", tr.name(demoDev), text)
	tr.say("\n%s reacts :bulb: to %s's message in #ops\n", tr.name(demoBen), tr.name(demoDev))
	if _, err := fake.WaitAck(fake.SendReaction(true, demoBen, "bulb", demoOps, ts, demoDev), demoWait); err != nil {
		return err
	}
	tips, err := fake.WaitBotMessages(demoTips, 1, demoWait)
	if err != nil {
		return fmt.Errorf("tip post: %w", err)
	}
	dms := len(fake.BotMessages(fake.DMChannel(demoDev)))
	if _, err := fake.WaitBotMessages(fake.DMChannel(demoDev), dms+1, demoWait); err != nil {
		return fmt.Errorf("tip nomination note: %w", err)
	}
	for i, action := range []string{"tip_try", "tip_save"} {
		label := map[string]string{"tip_try": "I'll try this", "tip_save": "Save"}[action]
		tr.say("\n%s clicks \"%s\" on %s's tip\n", tr.name(demoChloe), label, tr.name(demoDev))
		seen := tr.seen("ephemeral", demoChloe)
		if _, err := fake.WaitAck(fake.SendBlockAction(demoChloe, demoTips, tips[0].TS, action, tipID(tips[0])), demoWait); err != nil {
			return err
		}
		if err := tr.waitShown("ephemeral", demoChloe, seen); err != nil {
			return fmt.Errorf("tip answer %d: %w", i+1, err)
		}
	}
	tr.user(demoLena, demoHelp, "/flywheel tips copilot")
	_, err = fake.WaitAck(fake.SendSlashCommand(demoLena, demoHelp, "/flywheel", "tips copilot"), demoWait)
	return err
}

// tipID is the value of a tip post's buttons: the tip's ID.
func tipID(m slackfake.Message) string {
	var blocks []struct {
		Elements []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	}
	_ = json.Unmarshal(m.Blocks, &blocks)
	for _, b := range blocks {
		for _, e := range b.Elements {
			if e.ActionID == "tip_try" {
				return e.Value
			}
		}
	}
	return ""
}

// tipsSummary adds the tips to what the store holds.
func (t *transcript) tipsSummary(tx *store.Tx) error {
	tips, err := tx.TipsBetween(time.Unix(0, 0), time.Now().Add(time.Hour))
	if err != nil {
		return err
	}
	for _, w := range tips {
		marks, err := tx.TipMarks(w.ID)
		if err != nil {
			return err
		}
		saves, tries := 0, 0
		for _, m := range marks {
			if m.Kind == store.MarkSave {
				saves++
			} else {
				tries++
			}
		}
		how := "shared with /tip"
		if w.Nominator != "" {
			how = "nominated by " + t.name(w.Nominator)
		}
		t.say("  tip #%d  %-7s %-6s saves %d, trying it %d  (%s)\n", w.ID, t.name(w.Author), w.Team, saves, tries, how)
	}
	return nil
}
