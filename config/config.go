// Package config holds Flywheel's configuration: the YAML file that describes
// channels, teams, the tool registry and schedules, plus the secrets and
// addresses that come only from the environment.
//
// Load and LoadFile are strict (an unknown key is an error, so a typo never
// silently turns a feature off) and every error is one line that starts with
// the key it is about, e.g. `digest.schedule: invalid cron spec "every day": ...`.
package config

import (
	"strings"
	"time"

	// The bot ships as a static binary in a scratch image with no
	// /usr/share/zoneinfo; embedding the database keeps digest.timezone working.
	_ "time/tzdata"

	"gopkg.in/yaml.v3"
)

// ToolStatus is whether people may use a tool: the answer to "can I use X?".
type ToolStatus string

// The three answers the registry can give.
const (
	StatusApproved    ToolStatus = "approved"
	StatusRestricted  ToolStatus = "restricted"
	StatusNotApproved ToolStatus = "not_approved"
)

// Tool is one entry of the tool registry.
type Tool struct {
	Name        string     `yaml:"name"`
	Aliases     []string   `yaml:"aliases"`
	Status      ToolStatus `yaml:"status"`
	HowTo       string     `yaml:"how_to"`
	Alternative string     `yaml:"alternative"` // name or alias of another registry tool; only for not_approved/restricted tools
	Restriction string     `yaml:"restriction"` // plain-words restriction for restricted tools, e.g. "no customer data"
	// UseFor says in plain words what the tool may be used for ("drafting
	// and summarising internal documents"); answers to questions about
	// data quote it after the guidelines. Optional.
	UseFor string `yaml:"use_for"`
}

// Team is a group of people whose wins are counted together in the digest.
//
// Enrolled defaults to true when the key is omitted from YAML: listing a team
// is normally how you enroll it, and `enrolled: false` is the explicit
// opt-out (e.g. a team that is listed only so its members are recognised).
// A Team built in Go code gets the zero value, false, like any bool.
type Team struct {
	Name      string   `yaml:"name"`
	Channel   string   `yaml:"channel"`   // optional channel ID for the team's digest slice
	Members   []string `yaml:"members"`   // Slack user IDs
	Enrolled  bool     `yaml:"enrolled"`  // true when omitted from YAML, see above
	Usergroup string   `yaml:"usergroup"` // optional Slack user group ID (S...)
	// Site is where the team works ("St. Louis plant"); optional. The
	// rollout plan enrols whole sites when none of their teams is in yet.
	Site string `yaml:"site"`
}

// UnmarshalYAML decodes a team with Enrolled defaulting to true, which a
// plain bool field cannot express.
func (t *Team) UnmarshalYAML(n *yaml.Node) error {
	type plain Team // no methods, so Decode doesn't recurse into this one
	p := plain{Enrolled: true}
	if err := n.Decode(&p); err != nil {
		return err
	}
	*t = Team(p)
	return nil
}

// Digest says when and where the weekly digest is posted.
type Digest struct {
	Schedule string   `yaml:"schedule"` // cron spec (5 fields or a descriptor like @weekly)
	Timezone string   `yaml:"timezone"` // IANA name; the schedule is read in this zone
	Channels []string `yaml:"channels"` // channel IDs that get the public digest
	// LeadChannel gets the lead digest (names, rollout, unanswered
	// questions, wins by tool and team); unset, each admin gets it by DM.
	LeadChannel string `yaml:"lead_channel"`
}

// Wins holds the rules for captured wins.
type Wins struct {
	// MaxMinutesPerWin caps the time one win can claim to save, so one
	// "saved 10000 minutes" typo can't dominate a digest. Default 480 (a day).
	MaxMinutesPerWin int `yaml:"max_minutes_per_win"`
	// AnonymousMinTeam is how many people a team needs before a win shared
	// without a name says which team it came from ("A colleague in Sales");
	// in a smaller team the team would all but name the person, so it says
	// "A colleague". Default 5.
	AnonymousMinTeam int `yaml:"anonymous_min_team"`
	// AllowAnonymous and AllowTeamOnly offer "Without my name" and "My team
	// only" when sharing a win. Default on (nil); see AnonymousAllowed.
	AllowAnonymous *bool `yaml:"allow_anonymous"`
	AllowTeamOnly  *bool `yaml:"allow_team_only"`
}

// AnonymousAllowed says whether wins may be shared without a name
// (wins.allow_anonymous, on unless set to false).
func (w Wins) AnonymousAllowed() bool { return w.AllowAnonymous == nil || *w.AllowAnonymous }

// TeamOnlyAllowed says whether wins may be shared with one's team only
// (wins.allow_team_only, on unless set to false).
func (w Wins) TeamOnlyAllowed() bool { return w.AllowTeamOnly == nil || *w.AllowTeamOnly }

// MinTeamForAnonymous is wins.anonymous_min_team, or its default when unset.
func (w Wins) MinTeamForAnonymous() int {
	if w.AnonymousMinTeam > 0 {
		return w.AnonymousMinTeam
	}
	return DefaultAnonymousMinTeam
}

// Questions holds the timings of the "can I use X?" follow-ups.
type Questions struct {
	FollowUpAfter Duration `yaml:"follow_up_after"` // ask the asker whether it worked; default 72h
	NudgeAfter    Duration `yaml:"nudge_after"`     // nudge champions about an unanswered question; default 4h
}

// Guidelines is the company's AI usage policy, quoted by the bot in answers.
type Guidelines struct {
	Text string `yaml:"text"`
	Link string `yaml:"link"`
	// Data are words that make a question about data (beyond the built-in
	// paste, upload, customer, client, contract, personal, patient,
	// salary…): an answer to one leads with the guidelines.
	Data []string `yaml:"data"`
}

// Guardrails lists terms that must never be posted back to Slack (client
// names, project code names): a message containing one is not echoed.
type Guardrails struct {
	BlockTerms []string `yaml:"block_terms"`
}

// Backup configures periodic copies of the database. It is off unless
// Schedule is set; then Dir is required and Keep (default 7) copies are kept.
type Backup struct {
	Schedule string `yaml:"schedule"`
	Dir      string `yaml:"dir"`
	Keep     int    `yaml:"keep"`
}

// Retention says how long records are kept. Days 0 (the default) keeps
// them forever; otherwise at least MinRetentionDays.
type Retention struct {
	Days int `yaml:"days"`
}

// Rollout paces the rollout plan (`flywheel rollout`).
type Rollout struct {
	// SitesPerMonth is how many sites (or teams, where no site is set)
	// the plan suggests enrolling next month. Default 3.
	SitesPerMonth int `yaml:"sites_per_month"`
}

// Socket configures the Socket Mode connection.
type Socket struct {
	// Connections is how many Socket Mode connections to hold open (Slack
	// allows up to 10 per app); more than one keeps events flowing while
	// Slack rotates a connection. Default 2.
	Connections int `yaml:"connections"`
}

// Posting paces the bot's messages per channel. Slack allows about one a
// second per channel, with short bursts; a test workspace may allow more.
type Posting struct {
	PerSecond float64 `yaml:"per_second"` // default 1
	Burst     int     `yaml:"burst"`      // default 3
}

// Config is the whole configuration of a Flywheel process.
type Config struct {
	WinsChannel      string     `yaml:"wins_channel"`
	WinEmoji         string     `yaml:"win_emoji"` // default "trophy"; Load strips surrounding colons
	HelpChannels     []string   `yaml:"help_channels"`
	ChampionsChannel string     `yaml:"champions_channel"`
	Admins           []string   `yaml:"admins"`
	Digest           Digest     `yaml:"digest"`
	Teams            []Team     `yaml:"teams"`
	Tools            []Tool     `yaml:"tools"`
	Wins             Wins       `yaml:"wins"`
	Questions        Questions  `yaml:"questions"`
	Guidelines       Guidelines `yaml:"guidelines"`
	Guardrails       Guardrails `yaml:"guardrails"`
	Backup           Backup     `yaml:"backup"`
	Retention        Retention  `yaml:"retention"`
	Rollout          Rollout    `yaml:"rollout"`
	Socket           Socket     `yaml:"socket"`
	Posting          Posting    `yaml:"posting"`

	// TipsChannel is where tips are posted; "" posts them in wins_channel.
	TipsChannel string `yaml:"tips_channel"`
	// TipEmoji on a colleague's message nominates it as their tip, as
	// win_emoji nominates a win. Default "bulb"; Load strips colons.
	TipEmoji string `yaml:"tip_emoji"`

	// From the environment only (never from YAML, never printed): secrets
	// don't belong in a file that gets committed and pasted into tickets.
	BotToken string `yaml:"-"` // SLACK_BOT_TOKEN
	AppToken string `yaml:"-"` // SLACK_APP_TOKEN
	APIURL   string `yaml:"-"` // SLACK_API_URL, default "https://slack.com/api/" (always ends in "/")
	DBPath   string `yaml:"-"` // FLYWHEEL_DB, default "flywheel.db"
	HTTPAddr string `yaml:"-"` // FLYWHEEL_HTTP_ADDR, default "127.0.0.1:8080"
}

// Defaults, named so tests and docs can refer to them.
const (
	DefaultSchedule         = "0 9 * * MON"
	DefaultTimezone         = "UTC"
	DefaultWinEmoji         = "trophy"
	DefaultTipEmoji         = "bulb"
	DefaultAnonymousMinTeam = 5
	DefaultMaxMinutesPerWin = 480
	DefaultFollowUpAfter    = Duration(72 * time.Hour)
	DefaultNudgeAfter       = Duration(4 * time.Hour)
	DefaultBackupKeep       = 7
	// MinRetentionDays is the shortest retention.days accepted: 12 weeks.
	// The digest reads 5 weeks back (the week, the one before, and 3 more
	// for "new champions"), and trends chart 12; pruning inside that reach
	// would change weeks already posted.
	MinRetentionDays      = 84
	DefaultConnections    = 2
	DefaultSitesPerMonth  = 3
	DefaultPostsPerSecond = 1
	DefaultPostBurst      = 3
	DefaultAPIURL         = "https://slack.com/api/"
	DefaultDBPath         = "flywheel.db"
	DefaultHTTPAddr       = "127.0.0.1:8080"
)

// Default returns a Config with every default filled in. It is valid but has
// no channels, teams or tools, so it only suits the demo and tests.
func Default() *Config {
	return &Config{
		WinEmoji:  DefaultWinEmoji,
		TipEmoji:  DefaultTipEmoji,
		Digest:    Digest{Schedule: DefaultSchedule, Timezone: DefaultTimezone},
		Wins:      Wins{MaxMinutesPerWin: DefaultMaxMinutesPerWin, AnonymousMinTeam: DefaultAnonymousMinTeam},
		Questions: Questions{FollowUpAfter: DefaultFollowUpAfter, NudgeAfter: DefaultNudgeAfter},
		Backup:    Backup{Keep: DefaultBackupKeep},
		Socket:    Socket{Connections: DefaultConnections},
		Posting:   Posting{PerSecond: DefaultPostsPerSecond, Burst: DefaultPostBurst},
		Rollout:   Rollout{SitesPerMonth: DefaultSitesPerMonth},
		APIURL:    DefaultAPIURL,
		DBPath:    DefaultDBPath,
		HTTPAddr:  DefaultHTTPAddr,
	}
}

// normalize fixes harmless spelling differences after loading, so the rest
// of the code sees one form.
func (c *Config) normalize() {
	c.WinEmoji = strings.Trim(strings.TrimSpace(c.WinEmoji), ":")
	c.TipEmoji = strings.Trim(strings.TrimSpace(c.TipEmoji), ":")
	for i := range c.Teams {
		c.Teams[i].Site = strings.TrimSpace(c.Teams[i].Site)
	}
	if c.APIURL != "" && !strings.HasSuffix(c.APIURL, "/") {
		// slack-go joins method names onto this URL; without the slash
		// "https://slack.com/api" + "chat.postMessage" is a 404.
		c.APIURL += "/"
	}
}
