package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sirupsen/logrus"
	"github.com/slack-go/slack"

	"flywheel/config"
	"flywheel/store"
)

// configuredChannel is a channel the config names, and the key naming it.
type configuredChannel struct{ ID, Key string }

// configuredChannels lists every channel the bot posts in or reads, once
// each, in config order.
func configuredChannels(cfg *config.Config) []configuredChannel {
	var out []configuredChannel
	seen := map[string]bool{}
	add := func(id, key string) {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, configuredChannel{id, key})
		}
	}
	add(cfg.WinsChannel, "wins_channel")
	add(cfg.TipsChannel, "tips_channel")
	for _, ch := range cfg.HelpChannels {
		add(ch, "help_channels")
	}
	add(cfg.ChampionsChannel, "champions_channel")
	for _, ch := range cfg.Digest.Channels {
		add(ch, "digest.channels")
	}
	add(cfg.Digest.LeadChannel, "digest.lead_channel")
	for _, t := range cfg.Teams {
		add(t.Channel, fmt.Sprintf("teams[%s].channel", t.Name))
	}
	return out
}

// memberChannels lists the channels the bot is a member of: Slack's
// users.conversations without a user lists the caller's own, public and
// private (those it was invited to), a page at a time.
func (b *Bot) memberChannels(ctx context.Context) (map[string]bool, error) {
	in := map[string]bool{}
	params := &slack.GetConversationsForUserParameters{Types: []string{"public_channel", "private_channel"}, Limit: 200, ExcludeArchived: true}
	for range 100 { // 20,000 channels: far more than any bot is in
		callCtx, cancel := context.WithTimeout(ctx, b.opts.CallTimeout)
		channels, next, err := b.api.GetConversationsForUserContext(callCtx, params)
		cancel()
		if err != nil {
			return nil, err
		}
		for _, c := range channels {
			in[c.ID] = true
		}
		if next == "" {
			return in, nil
		}
		params.Cursor = next
	}
	return in, nil
}

// checkChannels is the start-up check: the configured channels the bot is
// not in are logged and DMed to the admins, since Slack refuses the bot's
// posts there (not_in_channel) and sends it no events from them. It never
// stops the bot: a wrong channel costs that channel, not the rest.
func (b *Bot) checkChannels(ctx context.Context) {
	cfg := b.Config()
	want := configuredChannels(cfg)
	if len(want) == 0 {
		return
	}
	in, err := b.memberChannels(ctx)
	var se slack.SlackErrorResponse
	switch {
	case errors.As(err, &se) && se.Err == "missing_scope":
		b.log.Warn("cannot check which channels the bot is in: reinstall the app for the channels:read and groups:read scopes")
		return
	case err != nil:
		b.log.WithError(err).Warn("cannot check which channels the bot is in (users.conversations)")
		return
	}
	var missing []configuredChannel
	for _, c := range want {
		if !in[c.ID] {
			missing = append(missing, c)
		}
	}
	if len(missing) == 0 {
		b.log.WithField("channels", len(want)).Info("the bot is in every configured channel")
		return
	}
	var ids, lines []string
	for _, c := range missing {
		ids = append(ids, c.Key+"="+c.ID)
		lines = append(lines, fmt.Sprintf("• <#%s> (`%s`)", c.ID, c.Key))
	}
	b.log.WithFields(logrus.Fields{"missing": strings.Join(ids, " ")}).
		Warn("the bot is not in these configured channels: invite it (/invite @Flywheel), or fix the IDs in the config")
	text := fmt.Sprintf(":warning: I'm not in %s from my configuration, so I can't post or listen there:\n%s\n"+
		"Invite me in each (`/invite @Flywheel`), or check the channel IDs in the config. I check again when I restart.",
		plural(len(missing), "channel"), strings.Join(lines, "\n"))
	err = b.st.Update(func(tx *store.Tx) error {
		for _, admin := range cfg.Admins {
			if err := b.dm(tx, admin, text); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.log.WithError(err).Error("cannot queue the missing-channels DM to the admins")
		return
	}
	b.send.wake()
}
