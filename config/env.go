package config

import (
	"fmt"
	"strings"
)

// FromEnv builds the config the way `flywheel run` does: the YAML file named
// by FLYWHEEL_CONFIG (optional: unset means defaults), then SLACK_API_URL,
// FLYWHEEL_DB and FLYWHEEL_HTTP_ADDR override it when set, and the tokens come
// from SLACK_BOT_TOKEN and SLACK_APP_TOKEN. getenv is injected (os.Getenv in
// main, a map in tests) so tests never depend on the real environment.
//
// It calls Validate but not ValidateForRun: the caller decides whether it
// needs Slack.
func FromEnv(getenv func(string) string) (*Config, error) {
	c := Default()
	if path := strings.TrimSpace(getenv("FLYWHEEL_CONFIG")); path != "" {
		var err error
		if c, err = LoadFile(path); err != nil {
			return nil, err
		}
	}
	set := func(dst *string, name string) {
		// Trimmed because a value pasted into an env file or a secret
		// store often carries a trailing newline.
		if v := strings.TrimSpace(getenv(name)); v != "" {
			*dst = v
		}
	}
	set(&c.APIURL, "SLACK_API_URL")
	set(&c.DBPath, "FLYWHEEL_DB")
	set(&c.HTTPAddr, "FLYWHEEL_HTTP_ADDR")
	set(&c.BotToken, "SLACK_BOT_TOKEN")
	set(&c.AppToken, "SLACK_APP_TOKEN")
	c.normalize()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// String is a multi-line summary that is safe to log: tokens show only
// their well-known prefix, e.g. "xoxb-…(redacted)".
//
// It has a value receiver (unlike the other methods) so that printing a
// Config value, not just a pointer, with %v also goes through here rather
// than dumping the token fields.
func (c Config) String() string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("wins_channel: %s (win emoji :%s:)", orNone(c.WinsChannel), strings.Trim(c.WinEmoji, ":"))
	line("help_channels: %s", list(c.HelpChannels))
	line("champions_channel: %s", orNone(c.ChampionsChannel))
	line("admins: %s", list(c.Admins))
	line("digest: %q in %s to %s", c.Digest.Schedule, c.Location(), list(c.Digest.Channels))
	teams := make([]string, 0, len(c.Teams))
	for _, t := range c.Teams {
		s := fmt.Sprintf("%s (%d members", t.Name, len(t.Members))
		if !t.Enrolled {
			s += ", not enrolled"
		}
		teams = append(teams, s+")")
	}
	line("teams: %s", list(teams))
	count := map[ToolStatus]int{}
	for _, t := range c.Tools {
		count[t.Status]++
	}
	line("tools: %d (%d approved, %d restricted, %d not_approved)", len(c.Tools),
		count[StatusApproved], count[StatusRestricted], count[StatusNotApproved])
	line("wins: max %d minutes per win", c.Wins.MaxMinutesPerWin)
	line("questions: nudge after %s, follow up after %s", c.Questions.NudgeAfter, c.Questions.FollowUpAfter)
	line("guidelines: %s", orNone(c.Guidelines.Link))
	// The terms themselves are sensitive (that's why they are blocked).
	line("guardrails: %d block terms", len(c.Guardrails.BlockTerms))
	if c.Backup.Schedule == "" {
		line("backup: off")
	} else {
		line("backup: %q to %s, keep %d", c.Backup.Schedule, c.Backup.Dir, c.Backup.Keep)
	}
	if c.Retention.Days == 0 {
		line("retention: forever")
	} else {
		line("retention: %d days", c.Retention.Days)
	}
	line("socket: %d connections", c.Socket.Connections)
	line("SLACK_BOT_TOKEN: %s", redactToken(c.BotToken))
	line("SLACK_APP_TOKEN: %s", redactToken(c.AppToken))
	line("SLACK_API_URL: %s", c.APIURL)
	line("FLYWHEEL_DB: %s", c.DBPath)
	line("FLYWHEEL_HTTP_ADDR: %s", c.HTTPAddr)
	return redactTokens(b.String())
}

// GoString makes %#v as safe as %v.
func (c Config) GoString() string { return c.String() }

// redactToken shows only a token's type prefix, and nothing at all of a
// value that doesn't start with a known prefix.
func redactToken(tok string) string {
	if tok == "" {
		return "(not set)"
	}
	for _, p := range []string{"xoxb-", "xapp-", "xoxp-"} {
		if strings.HasPrefix(tok, p) {
			return p + "…(redacted)"
		}
	}
	return "(redacted)"
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func list(items []string) string {
	if len(items) == 0 {
		return "(none)"
	}
	return strings.Join(items, ", ")
}
