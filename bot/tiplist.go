package bot

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"flywheel/bot/slacktext"
	"flywheel/config"
	"flywheel/digest"
	"flywheel/store"
)

// The tips library: `/flywheel tips [tool or words]`, App Home's "Tips for
// the tools you use" and the top tip in a registry "Yes" answer. Every one
// ranks tips by digest.BestTips.

// Library sizes: a short list is read; a long one is scrolled past.
const (
	showTips      = 5
	showHomeTips  = 3
	tipQuoteRunes = 160
)

// tipLine is one tip in a list: who taught it, its first line, its tools
// and how many colleagues saved it and are trying it.
func tipLine(f digest.TipFacts) string {
	line := fmt.Sprintf("• <@%s>: “%s”", f.Author, slacktext.Fit(firstLine(f.Text), tipQuoteRunes))
	if len(f.Tools) > 0 {
		line += " (" + escapeJoin(f.Tools) + ")"
	}
	var counts []string
	if n := len(f.Savers); n > 0 {
		counts = append(counts, plural(n, "save"))
	}
	if n := len(f.Triers); n > 0 {
		counts = append(counts, fmt.Sprintf("%d trying it", n))
	}
	if len(counts) > 0 {
		line += " · " + strings.Join(counts, " · ")
	}
	if f.PostTS != "" {
		line += fmt.Sprintf(" · <%s|see it>", messageLink(f.PostChannel, f.PostTS))
	}
	return line
}

// tipsReport is `/flywheel tips [tool or words]`: the best tips, privately.
// The query comes as Slack sent it (/flywheel is escaped), so it is decoded.
func (b *Bot) tipsReport(cmd slack.SlashCommand) slackMsg {
	cfg := b.Config()
	_, query, _ := strings.Cut(strings.TrimSpace(cmd.Text), " ")
	query = strings.TrimSpace(slacktext.Decode(query))
	var tips []digest.TipFacts
	err := b.st.View(func(tx *store.Tx) (err error) {
		tips, err = digest.BestTips(tx, digest.TipQuery(cfg, query), showTips)
		return err
	})
	if err != nil {
		b.log.WithError(err).Error("tips report failed")
		return ephemeral(":warning: I couldn't read the tips just now; please try again in a minute.")
	}
	what := "the best tips colleagues shared"
	if query != "" {
		what = "the best tips for “" + slacktext.Fit(query, 100) + "”"
	}
	if len(tips) == 0 {
		none := ":bulb: No tips yet"
		if query != "" {
			none += " for “" + slacktext.Fit(query, 100) + "”"
		}
		return ephemeral(none + ". Know a trick? `/tip <your trick>` shares it, or react with :" + cfg.TipEmoji + ": on a colleague's message.")
	}
	lines := []string{":bulb: *Tips library*: " + what + ", by saves and colleagues trying them"}
	for _, f := range tips {
		lines = append(lines, tipLine(f))
	}
	lines = append(lines, "_Share yours with `/tip`._")
	return ephemeral(slacktext.Cut(strings.Join(lines, "\n"), slacktext.SectionText))
}

// topTip is topTipLine read from a snapshot of the store, before the
// writer (draftQuestion); a failed read answers without it.
func (b *Bot) topTip(tool, asker string) string {
	var line string
	err := b.st.View(func(tx *store.Tx) (err error) {
		line, err = topTipLine(tx, tool, asker)
		return err
	})
	if err != nil {
		b.log.WithError(err).Warn("cannot read the top tip for an answer; answering without it")
	}
	return line
}

// topTipLine is the line a registry "Yes, here's how" adds: the best tip
// naming tool by someone other than asker, or "".
func topTipLine(tx *store.Tx, tool, asker string) (string, error) {
	tips, err := digest.BestTips(tx, func(w store.Win) bool { return w.Author != asker && hasTool(w.Tools, tool) }, 1)
	if err != nil || len(tips) == 0 {
		return "", err
	}
	f := tips[0]
	return fmt.Sprintf("\n:bulb: Top tip for %s from <@%s>: “%s”", slacktext.Escape(tool), f.Author,
		slacktext.Fit(firstLine(f.Text), tipQuoteRunes)), nil
}

// homeTips are the tips on someone's Home tab.
type homeTips struct {
	// Tools are the tools they shared wins with; ForTools the best tips
	// for them (the best tips of all when they have none yet).
	Tools    []string
	ForTools []digest.TipFacts
	// Saved are the tips they saved, newest first.
	Saved []digest.TipFacts
}

// gatherHomeTips reads user's tips for the Home tab.
func gatherHomeTips(tx *store.Tx, user string) (homeTips, error) {
	var h homeTips
	wins, err := tx.WinsByUser(user)
	if err != nil {
		return h, err
	}
	seen := map[string]bool{}
	for _, w := range wins {
		for _, t := range w.Tools {
			if k := strings.ToLower(t); !seen[k] {
				seen[k] = true
				h.Tools = append(h.Tools, t)
			}
		}
	}
	mine := func(w store.Win) bool { return w.Author == user }
	if h.ForTools, err = digest.BestTips(tx, func(w store.Win) bool {
		if mine(w) {
			return false
		}
		if len(h.Tools) == 0 {
			return true
		}
		for _, t := range h.Tools {
			if hasTool(w.Tools, t) {
				return true
			}
		}
		return false
	}, showHomeTips); err != nil {
		return h, err
	}
	saved, err := tx.TipsMarkedBy(user, store.MarkSave)
	if err != nil {
		return h, err
	}
	for _, m := range saved {
		if len(h.Saved) == showHomeTips {
			break
		}
		w, err := tx.Win(m.TipID)
		if err != nil || !digest.Listable(w) {
			continue // pruned, forgotten or withheld since
		}
		f, err := digest.TipFactsOf(tx, w)
		if err != nil {
			return h, err
		}
		h.Saved = append(h.Saved, f)
	}
	return h, nil
}

// homeTipBlocks are the Home tab's tips sections.
func homeTipBlocks(cfg *config.Config, h homeTips) []slack.Block {
	title := ":bulb: *Tips for the tools you use*"
	if len(h.Tools) == 0 {
		title = ":bulb: *Tips colleagues are trying*"
	}
	text := title
	if len(h.ForTools) == 0 {
		text += "\nNo tips for them yet. Know a trick? `/tip` shares it, or react with :" + cfg.TipEmoji + ": on a colleague's message."
	}
	for _, f := range h.ForTools {
		text += "\n" + tipLine(f)
	}
	blocks := []slack.Block{section(text)}
	if len(h.Saved) > 0 {
		saved := ":bookmark: *Your saved tips*"
		for _, f := range h.Saved {
			saved += "\n" + tipLine(f)
		}
		blocks = append(blocks, section(saved))
	}
	return blocks
}
