package config

import (
	"slices"
	"strings"
	"time"
)

// IsAdmin reports whether user (a Slack user ID) is listed in admins.
func (c *Config) IsAdmin(user string) bool {
	return user != "" && slices.Contains(c.Admins, user)
}

// TeamOf returns the team that lists user among its members. Validate makes
// sure a user is in at most one team, so the answer is unambiguous.
func (c *Config) TeamOf(user string) (Team, bool) {
	if user == "" {
		return Team{}, false
	}
	for _, t := range c.Teams {
		if slices.Contains(t.Members, user) {
			return t, true
		}
	}
	return Team{}, false
}

// Tool finds a registry tool by name or alias, ignoring case and surrounding
// spaces, because people type "chatgpt", "ChatGPT" and "GPT" interchangeably.
// Validate makes sure no two tools share a name or alias.
func (c *Config) Tool(name string) (Tool, bool) {
	key := fold(name)
	if key == "" {
		return Tool{}, false
	}
	for _, t := range c.Tools {
		if fold(t.Name) == key {
			return t, true
		}
		for _, a := range t.Aliases {
			if fold(a) == key {
				return t, true
			}
		}
	}
	return Tool{}, false
}

// Location returns the digest's time zone: UTC when digest.timezone is empty
// or (in a config that skipped Validate) unknown.
func (c *Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.Digest.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// IsHelpChannel reports whether ch (a channel ID) is one of help_channels,
// where the bot answers "can I use X?" questions.
func (c *Config) IsHelpChannel(ch string) bool {
	return ch != "" && slices.Contains(c.HelpChannels, ch)
}

// fold is the case-insensitive key used for tool and team names.
func fold(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}
