package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"flywheel/bot/slacktext"
	"flywheel/config"
	"flywheel/digest"
	"flywheel/store"
)

// actionHomeShareWin is the Home tab's "Share a win" button.
const actionHomeShareWin = "home_share_win"

// homeOpened handles app_home_opened: it notes the person's first
// interaction and queues their Home tab. The tab is built when the sender
// publishes it, not here: the ack waits only for a small commit.
func (b *Bot) homeOpened(tx *store.Tx, e *slackevents.AppHomeOpenedEvent) error {
	if e.User == "" || e.User == b.botUserID {
		return nil
	}
	if err := tx.NoteInteraction(e.User); err != nil {
		return err
	}
	if e.Tab == "messages" {
		return nil // the DM with the bot: nothing to publish
	}
	_, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxPublishHome, User: e.User})
	return err
}

// publishHome builds user's Home tab from a read snapshot, then publishes
// it: no transaction is held while Slack is called.
func (b *Bot) publishHome(ctx context.Context, e store.OutboxEntry) error {
	view, err := b.HomeView(e.User)
	if err != nil {
		return err
	}
	_, err = b.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: e.User, View: view})
	return err
}

// HomeView builds user's Home tab from the store; admins also get the
// programme view (see programmeBlocks).
func (b *Bot) HomeView(user string) (slack.HomeTabViewRequest, error) {
	cfg := b.Config()
	team, _ := b.teamOf(user)
	var st homeStats
	var now time.Time
	err := b.st.View(func(tx *store.Tx) (err error) {
		now = tx.Now()
		st, err = gatherHome(tx, cfg, user, team.Name, now)
		return err
	})
	if err != nil {
		return slack.HomeTabViewRequest{}, fmt.Errorf("build home tab: %w", err)
	}
	view := homeView(cfg, st)
	if cfg.IsAdmin(user) {
		p, err := gatherProgramme(b.st, cfg, now)
		if err != nil {
			return view, fmt.Errorf("build programme view: %w", err)
		}
		view.Blocks.BlockSet = append(view.Blocks.BlockSet, programmeBlocks(p)...)
	}
	return view, nil
}

// homeStats are the numbers on one person's Home tab.
type homeStats struct {
	digest.Contribution
	Team string
	// ThisWeek and LastWeek are their team's wins in the digest's weeks:
	// the week the next digest reports, and the one before.
	ThisWeek, LastWeek weekTotals
	// Own are their latest wins, to edit or remove.
	Own []store.Win
	// Tips are the tips for the tools they use, and those they saved.
	Tips homeTips
}

type weekTotals struct{ Wins, Minutes int }

// gatherHome reads user's numbers and their team's two digest weeks, by
// the digest's own rules (digest.ContributionOf, digest.TeamWeekOf).
func gatherHome(tx *store.Tx, cfg *config.Config, user, team string, now time.Time) (homeStats, error) {
	st := homeStats{Team: team}
	var err error
	if st.Contribution, err = digest.ContributionOf(tx, cfg, user); err != nil {
		return st, err
	}
	if st.Own, err = ownWins(tx, user, showOwnWinsHome); err != nil {
		return st, err
	}
	if st.Tips, err = gatherHomeTips(tx, user); err != nil {
		return st, err
	}
	if team == "" {
		return st, nil
	}
	tw, err := digest.TeamWeekOf(tx, cfg, team, digest.WeekEnd(cfg, now))
	if err != nil {
		return st, err
	}
	st.ThisWeek = weekTotals{tw.Wins.Now, tw.Minutes.Now}
	st.LastWeek = weekTotals{tw.Wins.Prev, tw.Minutes.Prev}
	return st, nil
}

// homeView is the Home tab: the person's own numbers, their team's week,
// a way to share a win, the approved tools and the guidelines.
func homeView(cfg *config.Config, st homeStats) slack.HomeTabViewRequest {
	blocks := []slack.Block{slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, "Your AI wins", true, false))}
	if st.Wins == 0 {
		blocks = append(blocks, section("You haven't shared a win yet. Saved time with AI this week? Share it: a colleague's result is what makes others try."))
	} else {
		line := fmt.Sprintf(":trophy: *%s* shared  ·  :stopwatch: *%s* saved", plural(st.Wins, "win"), digest.FormatMinutes(st.Minutes))
		line += fmt.Sprintf("\n:seedling: Your wins inspired *%s*  ·  :raised_hands: cheered by *%s*",
			plural(st.Inspired, "colleague"), plural(st.Cheered, "colleague"))
		blocks = append(blocks, section(line))
	}
	if st.Team != "" {
		line := fmt.Sprintf("*%s* this week: *%s*, *%s* saved (last week: %s, %s) %s", slacktext.Escape(st.Team),
			plural(st.ThisWeek.Wins, "win"), digest.FormatMinutes(st.ThisWeek.Minutes),
			plural(st.LastWeek.Wins, "win"), digest.FormatMinutes(st.LastWeek.Minutes), trend(st.ThisWeek.Wins, st.LastWeek.Wins))
		blocks = append(blocks, section(strings.TrimSpace(line)))
	}
	share := slack.NewButtonBlockElement(actionHomeShareWin, "home", slack.NewTextBlockObject(slack.PlainTextType, "Share a win", true, false))
	share.Style = slack.StylePrimary
	blocks = append(blocks, slack.NewActionBlock("home_actions", share))
	if len(st.Own) > 0 {
		blocks = append(blocks, section("*Your latest wins*: fix one's words or time saved, or remove one that shouldn't count."))
		blocks = append(blocks, ownWinBlocks(st.Own)...)
	}
	blocks = append(blocks, slack.NewDividerBlock())
	blocks = append(blocks, homeTipBlocks(cfg, st.Tips)...)
	if tools := approvedTools(cfg); tools != "" {
		blocks = append(blocks, section(tools))
	}
	if g := strings.TrimPrefix(guidelinesLine(cfg), "\n"); g != "" {
		blocks = append(blocks, contextBlock("home_guidelines", ":books: "+g))
	}
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
}

// approvedTools lists the approved tools and how to start with each, as
// many as fit one section; `/flywheel tools` has them all.
func approvedTools(cfg *config.Config) string {
	const head, foot = ":white_check_mark: *Approved tools*", "\n_`/flywheel tools` lists the rest._"
	text := head
	for _, t := range cfg.Tools {
		if t.Status != config.StatusApproved {
			continue
		}
		line := "• *" + slacktext.Escape(t.Name) + "*"
		if t.HowTo != "" {
			line += ": " + slacktext.Escape(t.HowTo)
		}
		line = slacktext.Cut(line, slacktext.SectionText/4)
		if slacktext.Len(text)+1+slacktext.Len(line)+slacktext.Len(foot) > slacktext.SectionText {
			break
		}
		text += "\n" + line
	}
	if text == head {
		return ""
	}
	return text + foot
}

func trend(now, prev int) string {
	switch {
	case now > prev:
		return ":arrow_upper_right:"
	case now < prev:
		return ":arrow_lower_right:"
	}
	return ""
}
