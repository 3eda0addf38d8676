package bot

import (
	"context"
	"time"

	"flywheel/config"
)

// usergroupRefresh is how often teams' Slack user groups are re-read.
const usergroupRefresh = 10 * time.Minute

// teamOf resolves a user's team: config members first, then the cached
// members of each team's Slack user group. A user in no team is
// "unassigned" (ok=false), never dropped.
func (b *Bot) teamOf(user string) (config.Team, bool) {
	cfg := b.Config()
	if t, ok := cfg.TeamOf(user); ok {
		return t, true
	}
	if groups := b.groupTeams.Load(); groups != nil {
		if name, ok := (*groups)[user]; ok {
			for _, t := range cfg.Teams {
				if t.Name == name {
					return t, true
				}
			}
		}
	}
	return config.Team{}, false
}

// refreshUsergroups keeps the user-group members cache fresh. A failed
// refresh keeps the previous cache and is logged; it never blocks events.
func (b *Bot) refreshUsergroups(ctx context.Context) {
	for {
		b.loadUsergroups(ctx)
		select {
		case <-ctx.Done():
			return
		case <-time.After(usergroupRefresh):
		case <-b.reloaded:
		}
	}
}

func (b *Bot) loadUsergroups(ctx context.Context) {
	cfg := b.Config()
	members := map[string]string{}
	any := false
	for _, t := range cfg.Teams {
		if t.Usergroup == "" {
			continue
		}
		any = true
		cctx, cancel := context.WithTimeout(ctx, b.opts.CallTimeout)
		users, err := b.api.GetUserGroupMembersContext(cctx, t.Usergroup)
		cancel()
		if err != nil {
			b.metrics.Errors.WithLabelValues("slack_call").Inc()
			b.log.WithError(err).WithField("usergroup", t.Usergroup).Warn("cannot read a team's user group; keeping the previous members")
			if old := b.groupTeams.Load(); old != nil {
				for u, team := range *old {
					if team == t.Name {
						members[u] = team
					}
				}
			}
			continue
		}
		for _, u := range users {
			if _, taken := members[u]; !taken {
				members[u] = t.Name
			}
		}
	}
	if any || b.groupTeams.Load() != nil {
		b.groupTeams.Store(&members)
	}
}

// TeamOf is the team a user belongs to (config members, then Slack user
// groups); ok is false for users in no team.
func (b *Bot) TeamOf(user string) (config.Team, bool) { return b.teamOf(user) }
