package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"flywheel/bot/slackfake"
	"flywheel/config"
)

// The second half of the demo workspace: a help channel, the champions, and
// Lena from Legal, a team not yet in the rollout.
const (
	demoLena             = "U0DEMOLEN"
	demoHelp, demoChamps = "C0DEMOHELP", "C0DEMOCHAMP"
	demoDigest           = "C0DEMODIGST"
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
	before := tr.seen("ephemeral", demoLena)
	if _, err := fake.WaitAck(fake.SendBlockAction(demoLena, demoWins, posts[0].TS, "try_this", "1"), demoWait); err != nil {
		return err
	}
	// Its answer is printed under this step, before the next one begins.
	if err := tr.waitShown("ephemeral", demoLena, before); err != nil {
		return fmt.Errorf("I'll try this answer: %w", err)
	}
	return nil
}

// playRollout has Ana, an admin, ask for the rollout plan: Legal's site is
// pulling (Lena asked for access twice and tried Ana's win).
func playRollout(fake *slackfake.Server, tr *transcript) error {
	tr.user(demoAna, demoSales, "/flywheel rollout")
	_, err := fake.WaitAck(fake.SendSlashCommand(demoAna, demoSales, "/flywheel", "rollout"), demoWait)
	return err
}

// digest prints the coming weekly digest, its week so far (the week App
// Home and `/flywheel digest preview` show too, digest.WeekEnd), as the bot
// posted it to the digest channel, and writes its chart (the PNG the bot
// uploaded) where it can be opened.
func (t *transcript) digest(cfg *config.Config, end time.Time) error {
	posts := t.fake.BotMessages(demoDigest)
	if len(posts) == 0 {
		return fmt.Errorf("demo: the digest was not posted")
	}
	post := posts[len(posts)-1]
	t.say("\nThe weekly digest so far, as the digest channel would receive it at its next firing (cron: %s, %s); its notification reads:\n  %s\n\n%s",
		cfg.Digest.Schedule, end.In(cfg.Location()).Format("Mon 2 Jan 15:04 MST"), t.readable(post.Text), indent(t.readable(blocksTranscript(post.Blocks)), "  "))
	var blocks []struct {
		Type      string `json:"type"`
		AltText   string `json:"alt_text"`
		SlackFile struct {
			ID string `json:"id"`
		} `json:"slack_file"`
	}
	if err := json.Unmarshal(post.Blocks, &blocks); err != nil {
		return fmt.Errorf("demo: digest blocks: %w", err)
	}
	for _, b := range blocks {
		if b.Type != "image" {
			continue
		}
		png, _, ok := t.fake.UploadedFile(b.SlackFile.ID)
		if !ok {
			return fmt.Errorf("demo: the digest's chart %s was not uploaded", b.SlackFile.ID)
		}
		path := filepath.Join(os.TempDir(), "flywheel-demo-chart.png")
		if err := os.WriteFile(path, png, 0o644); err != nil {
			return fmt.Errorf("demo: write chart: %w", err)
		}
		t.say("\n  [chart, uploaded as %s and shown in the digest] %s\n  alt text: %s\n", b.SlackFile.ID, path, b.AltText)
	}
	for _, m := range t.fake.BotMessages(t.fake.DMChannel(demoAna)) {
		if strings.HasPrefix(m.Text, "Lead digest") {
			t.say("\nThe lead digest, as each admin gets it by DM (or digest.lead_channel, when set):\n%s",
				indent(t.readable(blocksTranscript(m.Blocks)), "  "))
		}
	}
	return nil
}

// blocksTranscript is a message's blocks as a reader sees them, in order:
// headers in bold, sections with their fields ("name: value"), context
// lines, and a note where an image is.
func blocksTranscript(raw []byte) string {
	var blocks []struct {
		Type string `json:"type"`
		Text struct {
			Text string `json:"text"`
		} `json:"text"`
		Fields []struct {
			Text string `json:"text"`
		} `json:"fields"`
		Elements []struct {
			Text string `json:"text"`
		} `json:"elements"`
		Title struct {
			Text string `json:"text"`
		} `json:"title"`
	}
	if err := json.Unmarshal(raw, &blocks); err != nil {
		return "(unreadable blocks: " + err.Error() + ")"
	}
	var parts []string
	for _, b := range blocks {
		var lines []string
		switch b.Type {
		case "header":
			lines = append(lines, "*"+b.Text.Text+"*")
		case "section":
			if b.Text.Text != "" {
				lines = append(lines, b.Text.Text)
			}
			for _, f := range b.Fields {
				lines = append(lines, strings.Replace(f.Text, "\n", ": ", 1))
			}
		case "context":
			for _, e := range b.Elements {
				lines = append(lines, e.Text)
			}
		case "image":
			lines = append(lines, "(chart: "+b.Title.Text+")")
		}
		if len(lines) > 0 {
			parts = append(parts, strings.Join(lines, "\n"))
		}
	}
	return strings.Join(parts, "\n\n") + "\n"
}
