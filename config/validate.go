package config

import (
	"fmt"
	"math"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Error is one configuration problem. Key is where it is: a YAML key path
// ("digest.schedule", "teams[1].members") or an environment variable
// ("SLACK_BOT_TOKEN"); Msg says what is wrong and how to fix it.
type Error struct {
	Key string
	Msg string
}

// Error returns "KEY: MSG" on one line. Anything shaped like a Slack token
// is redacted here, whoever built the message, so a token pasted into the
// wrong field can't leak through an error into logs.
func (e *Error) Error() string {
	s := strings.Join(strings.Fields(e.Key+": "+e.Msg), " ")
	return redactTokens(s)
}

var (
	channelIDRE   = regexp.MustCompile(`^[CGD][A-Z0-9]+$`)
	userIDRE      = regexp.MustCompile(`^[UW][A-Z0-9]+$`)
	usergroupIDRE = regexp.MustCompile(`^S[A-Z0-9]+$`)
	emojiRE       = regexp.MustCompile(`^[a-z0-9_+'-]+$`)
	tokenRE       = regexp.MustCompile(`(xox[a-z]|xapp)-[A-Za-z0-9][A-Za-z0-9-]*`)

	scheduleParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
)

// ParseSchedule parses a cron spec the way Validate does (5 fields, or a
// descriptor like "@weekly" or "@every 5s"), so the scheduler accepts
// exactly what validation accepted.
func ParseSchedule(spec string) (cron.Schedule, error) {
	return scheduleParser.Parse(spec)
}

// redactTokens replaces every Slack-token-shaped substring of s.
func redactTokens(s string) string {
	return tokenRE.ReplaceAllString(s, "$1-…(redacted)")
}

// checker keeps the first problem found; later ones are ignored, because
// one clear line is more useful than a wall of follow-on errors.
type checker struct{ err error }

func (v *checker) fail(key, format string, args ...any) {
	if v.err == nil {
		v.err = &Error{Key: key, Msg: fmt.Sprintf(format, args...)}
	}
}

func (v *checker) channel(key, id string) {
	if id != "" && !channelIDRE.MatchString(id) {
		v.fail(key, "%q is not a channel ID (right-click the channel > Copy link; the ID starts with C)", id)
	}
}

func (v *checker) user(key, id string) {
	if !userIDRE.MatchString(id) {
		v.fail(key, "%q is not a Slack user ID (open the profile > More > Copy member ID; it starts with U or W)", id)
	}
}

func (v *checker) schedule(key, spec string) {
	if _, err := ParseSchedule(spec); err != nil {
		v.fail(key, "invalid cron spec %q: %v (want e.g. \"0 9 * * MON\" or \"@weekly\")", spec, err)
	}
}

// Validate checks everything that doesn't need Slack: it returns the first
// problem as an *Error whose text is one line starting with the key path.
// wins_channel and the tokens are not required here, so `flywheel demo` and
// `flywheel explain` run without them; see ValidateForRun.
func (c *Config) Validate() error {
	v := &checker{}
	v.channel("wins_channel", c.WinsChannel)
	switch emoji := strings.Trim(c.WinEmoji, ":"); {
	case emoji == "":
		v.fail("win_emoji", "required (an emoji name like \"trophy\")")
	case !emojiRE.MatchString(emoji):
		v.fail("win_emoji", "%q is not an emoji name (want lower-case letters, digits, _ + - or ', e.g. \"trophy\")", c.WinEmoji)
	}
	for i, ch := range c.HelpChannels {
		v.channel(fmt.Sprintf("help_channels[%d]", i), ch)
	}
	v.channel("champions_channel", c.ChampionsChannel)
	for i, u := range c.Admins {
		v.user(fmt.Sprintf("admins[%d]", i), u)
	}
	c.validateDigest(v)
	c.validateTeams(v)
	c.validateTools(v)
	c.validateText(v)
	c.validateLimits(v)
	c.validateSharing(v)
	c.validateEnv(v)
	return v.err
}

// ValidateForRun is Validate plus what talking to Slack needs: both tokens
// and wins_channel. Its errors never contain a token's value.
func (c *Config) ValidateForRun() error {
	if err := c.Validate(); err != nil {
		return err
	}
	v := &checker{}
	v.token("SLACK_BOT_TOKEN", c.BotToken, "xoxb-", "xapp-", "the bot token")
	v.token("SLACK_APP_TOKEN", c.AppToken, "xapp-", "xoxb-", "the app-level token")
	if c.WinsChannel == "" {
		v.fail("wins_channel", "required (the channel ID where wins are posted, e.g. C0123456789)")
	}
	return v.err
}

// token checks a token's prefix only; it never puts the value in a message.
func (v *checker) token(env, tok, prefix, otherPrefix, what string) {
	switch {
	case tok == "":
		v.fail(env, "missing (set it to %s, %s...)", what, prefix)
	case strings.HasPrefix(tok, otherPrefix):
		v.fail(env, "malformed: must start with %q (this one starts with %q: are SLACK_BOT_TOKEN and SLACK_APP_TOKEN swapped?)", prefix, otherPrefix)
	case !strings.HasPrefix(tok, prefix):
		v.fail(env, "malformed: must start with %q", prefix)
	}
}

func (c *Config) validateDigest(v *checker) {
	if c.Digest.Schedule == "" {
		v.fail("digest.schedule", "required (a cron spec like %q)", DefaultSchedule)
	} else {
		v.schedule("digest.schedule", c.Digest.Schedule)
	}
	if _, err := time.LoadLocation(c.Digest.Timezone); err != nil {
		v.fail("digest.timezone", "unknown time zone %q (want an IANA name like \"Europe/Berlin\" or \"UTC\")", c.Digest.Timezone)
	}
	for i, ch := range c.Digest.Channels {
		v.channel(fmt.Sprintf("digest.channels[%d]", i), ch)
		if ch != "" && ch == c.Digest.LeadChannel {
			v.fail("digest.lead_channel", "%s is also in digest.channels: the lead digest names people asking for access, so give it a channel of its own (or leave it unset to DM the admins)", ch)
		}
	}
	v.channel("digest.lead_channel", c.Digest.LeadChannel)
}

func (c *Config) validateTeams(v *checker) {
	teamAt := map[string]int{}   // folded name -> index
	memberOf := map[string]int{} // user ID -> team index
	siteAt := map[string]int{}   // folded site -> first team index naming it
	for i, t := range c.Teams {
		key := fmt.Sprintf("teams[%d]", i)
		if t.Site != "" {
			// One site, one spelling: the plan groups teams by the name.
			switch j, seen := siteAt[fold(t.Site)]; {
			case strings.TrimSpace(t.Site) == "":
				v.fail(key+".site", "empty (name the site, e.g. \"St. Louis plant\", or remove the key)")
			case seen && c.Teams[j].Site != t.Site:
				v.fail(key+".site", "%q is spelt differently in teams[%d] (%q); use one spelling", t.Site, j, c.Teams[j].Site)
			case !seen:
				siteAt[fold(t.Site)] = i
			}
		}
		if name := fold(t.Name); name == "" {
			v.fail(key+".name", "required")
		} else if j, dup := teamAt[name]; dup {
			v.fail(key+".name", "team %q is listed twice (also teams[%d])", t.Name, j)
		} else {
			teamAt[name] = i
		}
		v.channel(key+".channel", t.Channel)
		if t.Usergroup != "" && !usergroupIDRE.MatchString(t.Usergroup) {
			v.fail(key+".usergroup", "%q is not a user group ID (it starts with S; copy it from the group's link)", t.Usergroup)
		}
		for k, u := range t.Members {
			v.user(fmt.Sprintf("%s.members[%d]", key, k), u)
			switch j, dup := memberOf[u]; {
			case dup && j == i:
				v.fail(key+".members", "user %s is listed twice", u)
			case dup:
				v.fail(key+".members", "user %s is already in team %q", u, c.Teams[j].Name)
			default:
				memberOf[u] = i
			}
		}
	}
}

func (c *Config) validateTools(v *checker) {
	owner := map[string]int{} // folded name or alias -> tool index
	for i, t := range c.Tools {
		key := fmt.Sprintf("tools[%d]", i)
		name := fold(t.Name)
		switch j, taken := owner[name]; {
		case name == "":
			v.fail(key+".name", "required")
		case taken && fold(c.Tools[j].Name) == name:
			v.fail(key+".name", "tool %q is listed twice (also tools[%d])", t.Name, j)
		case taken:
			v.fail(key+".name", "%q is already an alias of tool %q", t.Name, c.Tools[j].Name)
		default:
			owner[name] = i
		}
		for k, a := range t.Aliases {
			switch j, taken := owner[fold(a)]; {
			case fold(a) == "":
				v.fail(fmt.Sprintf("%s.aliases[%d]", key, k), "empty alias")
			case taken && j != i:
				v.fail(key+".aliases", "alias %q is already used by tool %q", a, c.Tools[j].Name)
			default:
				owner[fold(a)] = i
			}
		}
		v.toolStatus(key, t)
	}
	// Alternatives last: they may point at a tool further down the list.
	for i, t := range c.Tools {
		if t.Alternative == "" {
			continue
		}
		key := fmt.Sprintf("tools[%d].alternative", i)
		alt, ok := c.Tool(t.Alternative)
		switch {
		case !ok:
			v.fail(key, "%q is not a tool in the registry (add it to tools or fix the name)", t.Alternative)
		case fold(alt.Name) == fold(t.Name):
			v.fail(key, "%q is this tool itself; name a different, approved tool", t.Alternative)
		case alt.Status == StatusNotApproved:
			v.fail(key, "%q is not_approved too; name an approved tool", t.Alternative)
		}
	}
}

// toolStatus checks the status and the fields that only make sense with it,
// so the bot's answer is never a bare "no" and never hides a restriction.
func (v *checker) toolStatus(key string, t Tool) {
	switch t.Status {
	case StatusApproved:
		if t.Alternative != "" {
			v.fail(key+".alternative", "only used for restricted or not_approved tools (this one is approved)")
		}
	case StatusRestricted:
		if strings.TrimSpace(t.Restriction) == "" {
			v.fail(key+".restriction", "required for a restricted tool: say the restriction in plain words, e.g. \"no customer data\"")
		}
	case StatusNotApproved:
		if t.Alternative == "" && strings.TrimSpace(t.HowTo) == "" {
			v.fail(key+".alternative", "a not_approved tool needs an alternative or how_to so the answer is never just \"no\"")
		}
	case "":
		v.fail(key+".status", "required (want approved, restricted or not_approved)")
	default:
		v.fail(key+".status", "unknown status %q (want approved, restricted or not_approved)", t.Status)
	}
	if t.Restriction != "" && t.Status != StatusRestricted && t.Status != "" {
		v.fail(key+".restriction", "only used for restricted tools (this one is %s)", t.Status)
	}
}

func (c *Config) validateLimits(v *checker) {
	if n := c.Wins.MaxMinutesPerWin; n <= 0 {
		v.fail("wins.max_minutes_per_win", "must be more than 0 (got %d)", n)
	}
	if d := c.Questions.FollowUpAfter; d <= 0 {
		v.fail("questions.follow_up_after", "must be more than 0 (got %s)", d)
	}
	if d := c.Questions.NudgeAfter; d <= 0 {
		v.fail("questions.nudge_after", "must be more than 0 (got %s)", d)
	}
	if l := c.Guidelines.Link; l != "" && !isWebURL(l) {
		v.fail("guidelines.link", "%q is not a web link (want https://...)", l)
	}
	for i, term := range c.Guardrails.BlockTerms {
		if strings.TrimSpace(term) == "" {
			v.fail(fmt.Sprintf("guardrails.block_terms[%d]", i), "empty term (it would block every message)")
		}
	}
	b := c.Backup
	switch {
	case b.Schedule != "":
		v.schedule("backup.schedule", b.Schedule)
		if b.Dir == "" {
			v.fail("backup.dir", "required when backup.schedule is set (the directory for the copies)")
		}
		if b.Keep < 1 {
			v.fail("backup.keep", "must be at least 1 (got %d)", b.Keep)
		}
	case b.Dir != "":
		v.fail("backup.schedule", "required when backup.dir is set (e.g. \"@daily\"), or remove backup.dir")
	}
	if d := c.Retention.Days; d < 0 || (d > 0 && d < MinRetentionDays) {
		v.fail("retention.days", "must be 0 (keep forever) or at least %d, the 12 weeks the digest and its trends read (got %d)", MinRetentionDays, d)
	}
	if n := c.Rollout.SitesPerMonth; n < 1 || n > 100 {
		v.fail("rollout.sites_per_month", "must be from 1 to 100 (got %d; the plan suggests this many sites or teams a month)", n)
	}
	if n := c.Socket.Connections; n < 1 || n > 10 {
		v.fail("socket.connections", "must be from 1 to 10 (got %d; Slack allows at most 10 per app)", n)
	}
	// YAML reads .nan and .inf as floats: a pace of NaN would hold every
	// post forever.
	if p := c.Posting.PerSecond; !(p > 0) || math.IsInf(p, 0) {
		v.fail("posting.per_second", "must be a number more than 0 (got %g; Slack's pace is %d)", p, DefaultPostsPerSecond)
	}
	if n := c.Posting.Burst; n < 1 {
		v.fail("posting.burst", "must be at least 1 (got %d)", n)
	}
}

func (c *Config) validateEnv(v *checker) {
	if c.APIURL != "" && !isWebURL(c.APIURL) {
		v.fail("SLACK_API_URL", "%q is not an http(s) URL", c.APIURL)
	}
	if c.HTTPAddr != "" {
		if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
			v.fail("FLYWHEEL_HTTP_ADDR", "%q is not host:port (e.g. %s)", c.HTTPAddr, DefaultHTTPAddr)
		}
	}
}

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
