package bot

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"flywheel/bot/slacktext"
	"flywheel/digest"
	"flywheel/store"
)

// Who sees a win: everyone (the wins channel, with the author's name), the
// author's team only (their team's channel), or everyone without the
// author's name. The choice is the form's "Who sees it" field, or a
// leading flag on a typed /win. Counting never depends on it.

// blockVisibility is the /win form's "Who sees it" field.
const blockVisibility = "visibility"

// The option values of "Who sees it" (store.Visibility, "everyone" for "").
const (
	choiceEveryone  = "everyone"
	choiceTeam      = "team"
	choiceAnonymous = "anonymous"
)

// visibilityFlag reads a leading --anon or --team off a typed /win. Phones
// and some keyboards turn "--" into a dash, so "—anon" works too. ok is
// false when the text starts with no flag.
func visibilityFlag(text string) (vis store.Visibility, rest string, ok bool) {
	word, after, _ := strings.Cut(strings.TrimSpace(text), " ")
	flag := strings.ToLower(strings.TrimLeft(word, "-—–"))
	if flag == strings.ToLower(word) {
		return store.VisibleToEveryone, text, false // no dashes: not a flag
	}
	switch flag {
	case "anon", "anonymous", "noname", "no-name":
		return store.VisibleAnonymous, strings.TrimSpace(after), true
	case "team", "team-only", "teamonly":
		return store.VisibleToTeam, strings.TrimSpace(after), true
	case "everyone", "public":
		return store.VisibleToEveryone, strings.TrimSpace(after), true
	}
	return store.VisibleToEveryone, text, false
}

// visibilityChoices are the options the form offers, in order: Everyone
// always, then what the config allows.
func (b *Bot) visibilityChoices() []store.Visibility {
	cfg := b.Config()
	out := []store.Visibility{store.VisibleToEveryone}
	if cfg.Wins.TeamOnlyAllowed() {
		out = append(out, store.VisibleToTeam)
	}
	if cfg.Wins.AnonymousAllowed() {
		out = append(out, store.VisibleAnonymous)
	}
	return out
}

func choiceValue(v store.Visibility) string {
	switch v {
	case store.VisibleToTeam:
		return choiceTeam
	case store.VisibleAnonymous:
		return choiceAnonymous
	}
	return choiceEveryone
}

func choiceLabel(v store.Visibility) string {
	switch v {
	case store.VisibleToTeam:
		return "My team only"
	case store.VisibleAnonymous:
		return "Without my name"
	}
	return "Everyone"
}

// visibilityOf reads a submitted "Who sees it" value; ok is false for a
// value the form never offers.
func visibilityOf(value string) (store.Visibility, bool) {
	switch value {
	case "", choiceEveryone:
		return store.VisibleToEveryone, true
	case choiceTeam:
		return store.VisibleToTeam, true
	case choiceAnonymous:
		return store.VisibleAnonymous, true
	}
	return store.VisibleToEveryone, false
}

// visibilityInput is the form's "Who sees it" field, nil when only
// Everyone is allowed.
func visibilityInput(choices []store.Visibility) slack.Block {
	if len(choices) < 2 {
		return nil
	}
	var opts []*slack.OptionBlockObject
	for _, v := range choices {
		opts = append(opts, slack.NewOptionBlockObject(choiceValue(v), plain(choiceLabel(v), slacktext.OptionText), nil))
	}
	sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Who sees it", slacktext.Placeholder), blockVisibility, opts...)
	sel.InitialOption = opts[0]
	hint := "Everyone: the wins channel, with your name. My team only: your team's channel. " +
		"Without my name: the wins channel as \"a colleague\". It counts the same either way."
	return slack.NewInputBlock(blockVisibility, plain("Who sees it", slacktext.InputLabel), plain(hint, slacktext.InputHint), sel)
}

// refuseVisibility says why author can't share with vis now, or "".
func (b *Bot) refuseVisibility(author string, vis store.Visibility) string {
	cfg := b.Config()
	switch vis {
	case store.VisibleToTeam:
		team, ok := b.teamOf(author)
		switch {
		case !cfg.Wins.TeamOnlyAllowed():
			return "Sharing with your team only is turned off here. Choose another option."
		case !ok:
			return "You're not in a team Flywheel knows, so there's no team channel to share it in. Ask an admin to add you to a team, or choose another option."
		case team.Channel == "":
			return fmt.Sprintf("%s has no team channel set up, so I can't share it with your team only. Ask an admin to set one, or choose another option.", team.Name)
		}
	case store.VisibleAnonymous:
		if !cfg.Wins.AnonymousAllowed() {
			return "Sharing without your name is turned off here. Choose another option."
		}
	}
	return ""
}

// setVisibility gives w its visibility and, shared without a name, the
// team it may be said to come from: only a team of at least
// wins.anonymous_min_team people, or the team would all but name them.
func (b *Bot) setVisibility(w *store.Win, vis store.Visibility) {
	w.Visibility, w.ShownTeam = vis, ""
	if vis != store.VisibleAnonymous || w.Team == "" {
		return
	}
	if b.teamSize(w.Team) >= b.Config().Wins.MinTeamForAnonymous() {
		w.ShownTeam = w.Team
	}
}

// teamSize counts a team's people: its configured members and the members
// of its Slack user group.
func (b *Bot) teamSize(name string) int {
	people := map[string]bool{}
	for _, t := range b.Config().Teams {
		if t.Name == name {
			for _, m := range t.Members {
				people[m] = true
			}
		}
	}
	if groups := b.groupTeams.Load(); groups != nil {
		for u, team := range *groups {
			if team == name {
				people[u] = true
			}
		}
	}
	return len(people)
}

// postChannel is where a shared record is posted: tips in the tips
// channel, team-only wins in the team's channel ("" if it has none, and
// then nowhere: never in the wins channel), other wins in the wins channel.
func (b *Bot) postChannel(w store.Win) string {
	cfg := b.Config()
	switch {
	case w.IsTip():
		return cfg.TipsPostChannel()
	case w.TeamOnly():
		team, _ := b.teamOf(w.Author)
		if team.Name != w.Team {
			return "" // they moved team since: their old team's channel is not theirs now
		}
		return team.Channel
	}
	return cfg.WinsChannel
}

// winHead is the first line of a win's post: the author, or for a win
// shared without a name the colleague it comes from.
func winHead(w store.Win) string {
	switch {
	case w.Anonymous():
		return ":trophy: " + capitalize(slacktext.Escape(digest.Colleague(w))) + " shared a win"
	case w.Nominator != "":
		return fmt.Sprintf(":trophy: Win from <@%s> · nominated by <@%s>", w.Author, w.Nominator)
	case w.TeamOnly():
		return fmt.Sprintf(":trophy: Win from <@%s>, shared with %s only", w.Author, slacktext.Escape(w.Team))
	}
	return fmt.Sprintf(":trophy: Win from <@%s>", w.Author)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// visibilityNote tells the author, privately, how their win was shared.
func visibilityNote(w store.Win) string {
	switch {
	case w.Anonymous():
		return fmt.Sprintf("\n:bust_in_silhouette: Shared without your name, as “%s”. It counts in your numbers and your team's; only you see it as yours (in your App Home).",
			slacktext.Escape(digest.Colleague(w)))
	case w.TeamOnly():
		return fmt.Sprintf("\n:busts_in_silhouette: Shared with %s only. It counts in the company numbers as every win does; its words stay in your team's channel.",
			slacktext.Escape(w.Team))
	}
	return ""
}

// visibilityHelp is what `/win help` adds about who sees a win.
func (b *Bot) visibilityHelp() string {
	cfg := b.Config()
	var lines []string
	if cfg.Wins.AnonymousAllowed() {
		lines = append(lines, "• `/win --anon …` shares it without your name: \"a colleague in your team\" (the team is named only in a team of at least "+
			fmt.Sprint(cfg.Wins.MinTeamForAnonymous())+" people). Only you see it as yours.")
	}
	if cfg.Wins.TeamOnlyAllowed() {
		lines = append(lines, "• `/win --team …` shares it in your team's channel only.")
	}
	if len(lines) == 0 {
		return ""
	}
	return "\n*Who sees it* (it counts the same either way; the form has the same choice):\n" + strings.Join(lines, "\n")
}

// alreadySharedText tells someone using "Share as a win" on a message that
// is already an anonymous win or a tip: never who shared it anonymously.
func alreadySharedText(w store.Win) string {
	if w.IsTip() {
		return fmt.Sprintf(":bulb: This message is already a tip by <@%s>, so there's nothing to add. Save it or try it from the tip's post.", w.Author)
	}
	return ":trophy: This message has already been shared as a win, so there's nothing to add. React to the win to cheer it on."
}

// kindNoun is "win" or "tip".
func kindNoun(w store.Win) string {
	if w.IsTip() {
		return "tip"
	}
	return "win"
}

// who names a win's author for others: a mention, or for a win shared
// without a name "a colleague in Sales".
func who(w store.Win) string {
	if w.Anonymous() {
		return slacktext.Escape(digest.Colleague(w))
	}
	return "<@" + w.Author + ">"
}
