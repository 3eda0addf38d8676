package config

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// validConfig is a small config that passes ValidateForRun; each test case
// breaks one thing.
func validConfig() *Config {
	c := Default()
	c.WinsChannel = "C0WINS"
	c.HelpChannels = []string{"C0HELP"}
	c.ChampionsChannel = "G0CHAMPS"
	c.Admins = []string{"U0ADMIN"}
	c.Digest.Timezone = "Europe/Berlin"
	c.Digest.Channels = []string{"C0WINS"}
	c.Teams = []Team{
		{Name: "Sales", Members: []string{"U0SALES1", "W0SALES2"}, Enrolled: true, Channel: "C0SALES", Usergroup: "S0SALES"},
		{Name: "Ops", Members: []string{"U0OPS1"}, Enrolled: true},
	}
	c.Tools = []Tool{
		{Name: "ChatGPT", Aliases: []string{"gpt", "gpt-4", "chatgpt"}, Status: StatusApproved},
		{Name: "DeepSeek", Status: StatusNotApproved, Alternative: "gpt"},
		{Name: "Midjourney", Status: StatusRestricted, Restriction: "no customer logos", Alternative: "ChatGPT"},
		{Name: "Grok", Status: StatusNotApproved, HowTo: "Not covered by our DPA; ask #ai-help."},
	}
	c.Guidelines = Guidelines{Text: "Be careful.", Link: "https://wiki.example/ai"}
	c.Guardrails.BlockTerms = []string{"Project Falcon"}
	c.Backup = Backup{Schedule: "@daily", Dir: "/backups", Keep: 7}
	c.BotToken = "xoxb-1111-2222-secretbot"
	c.AppToken = "xapp-1-A111-3333-secretapp"
	return c
}

func TestValidate(t *testing.T) {
	for _, tt := range []struct {
		name   string
		modify func(c *Config)
		want   string // whole error; "" = valid
	}{
		{"OK", func(c *Config) {}, ""},
		{"OKNoWinsChannel", func(c *Config) { c.WinsChannel = "" }, ""},
		{"OKDescriptor", func(c *Config) { c.Digest.Schedule = "@every 5s" }, ""},
		{"OKWeekly", func(c *Config) { c.Digest.Schedule = "@weekly" }, ""},
		{"OKEmptyTimezone", func(c *Config) { c.Digest.Timezone = "" }, ""},
		{"OKEmojiWithColons", func(c *Config) { c.WinEmoji = ":+1:" }, ""},
		{"OKBackupOff", func(c *Config) { c.Backup = Backup{} }, ""},
		{"OKSites", func(c *Config) { c.Teams[0].Site, c.Teams[1].Site = "St. Louis plant", "St. Louis plant" }, ""},
		{"ErrSiteSpelling", func(c *Config) { c.Teams[0].Site, c.Teams[1].Site = "St. Louis plant", "st. louis Plant" },
			`teams[1].site: "st. louis Plant" is spelt differently in teams[0] ("St. Louis plant"); use one spelling`},
		{"ErrSiteBlank", func(c *Config) { c.Teams[1].Site = "  " },
			`teams[1].site: empty (name the site, e.g. "St. Louis plant", or remove the key)`},
		{"ErrSitesPerMonthZero", func(c *Config) { c.Rollout.SitesPerMonth = 0 },
			`rollout.sites_per_month: must be from 1 to 100 (got 0; the plan suggests this many sites or teams a month)`},
		{"OKAliasOfItself", func(c *Config) { c.Tools[0].Aliases = append(c.Tools[0].Aliases, "CHATGPT") }, ""},

		{"ErrBadCron", func(c *Config) { c.Digest.Schedule = "every day" },
			`digest.schedule: invalid cron spec "every day": expected exactly 5 fields, found 2: [every day] (want e.g. "0 9 * * MON" or "@weekly")`},
		{"ErrNoSchedule", func(c *Config) { c.Digest.Schedule = "" },
			`digest.schedule: required (a cron spec like "0 9 * * MON")`},
		{"ErrSecondsField", func(c *Config) { c.Digest.Schedule = "0 0 9 * * MON" },
			`digest.schedule: invalid cron spec "0 0 9 * * MON": expected exactly 5 fields, found 6: [0 0 9 * * MON] (want e.g. "0 9 * * MON" or "@weekly")`},
		{"ErrBadTimezone", func(c *Config) { c.Digest.Timezone = "Mars/Base" },
			`digest.timezone: unknown time zone "Mars/Base" (want an IANA name like "Europe/Berlin" or "UTC")`},
		{"ErrDigestChannelName", func(c *Config) { c.Digest.Channels = []string{"C0WINS", "general"} },
			`digest.channels[1]: "general" is not a channel ID (right-click the channel > Copy link; the ID starts with C)`},

		{"ErrWinsChannelName", func(c *Config) { c.WinsChannel = "#wins" },
			`wins_channel: "#wins" is not a channel ID (right-click the channel > Copy link; the ID starts with C)`},
		{"ErrHelpChannelName", func(c *Config) { c.HelpChannels = []string{"#ai-help"} },
			`help_channels[0]: "#ai-help" is not a channel ID (right-click the channel > Copy link; the ID starts with C)`},
		{"ErrChampionsChannelLowercase", func(c *Config) { c.ChampionsChannel = "c0champs" },
			`champions_channel: "c0champs" is not a channel ID (right-click the channel > Copy link; the ID starts with C)`},
		{"ErrTeamChannelName", func(c *Config) { c.Teams[1].Channel = "ops" },
			`teams[1].channel: "ops" is not a channel ID (right-click the channel > Copy link; the ID starts with C)`},

		{"ErrEmojiEmpty", func(c *Config) { c.WinEmoji = "::" },
			`win_emoji: required (an emoji name like "trophy")`},
		{"ErrEmojiChars", func(c *Config) { c.WinEmoji = "🏆" },
			`win_emoji: "🏆" is not an emoji name (want lower-case letters, digits, _ + - or ', e.g. "trophy")`},
		{"ErrEmojiUppercase", func(c *Config) { c.WinEmoji = "Trophy" },
			`win_emoji: "Trophy" is not an emoji name (want lower-case letters, digits, _ + - or ', e.g. "trophy")`},

		{"ErrAdminNotID", func(c *Config) { c.Admins = []string{"U0ADMIN", "@ada"} },
			`admins[1]: "@ada" is not a Slack user ID (open the profile > More > Copy member ID; it starts with U or W)`},
		{"ErrMemberNotID", func(c *Config) { c.Teams[0].Members[1] = "sam@example.com" },
			`teams[0].members[1]: "sam@example.com" is not a Slack user ID (open the profile > More > Copy member ID; it starts with U or W)`},
		{"ErrMemberInTwoTeams", func(c *Config) { c.Teams[1].Members = append(c.Teams[1].Members, "U0SALES1") },
			`teams[1].members: user U0SALES1 is already in team "Sales"`},
		{"ErrMemberTwiceInTeam", func(c *Config) { c.Teams[1].Members = append(c.Teams[1].Members, "U0OPS1") },
			`teams[1].members: user U0OPS1 is listed twice`},
		{"ErrTeamNoName", func(c *Config) { c.Teams[1].Name = " " },
			`teams[1].name: required`},
		{"ErrTeamDuplicate", func(c *Config) { c.Teams[1].Name = "sales" },
			`teams[1].name: team "sales" is listed twice (also teams[0])`},
		{"ErrUsergroupName", func(c *Config) { c.Teams[0].Usergroup = "@sales" },
			`teams[0].usergroup: "@sales" is not a user group ID (it starts with S; copy it from the group's link)`},

		{"ErrToolNoName", func(c *Config) { c.Tools[3].Name = "" },
			`tools[3].name: required`},
		{"ErrToolDuplicate", func(c *Config) { c.Tools[3].Name = "CHATGPT" },
			`tools[3].name: tool "CHATGPT" is listed twice (also tools[0])`},
		{"ErrToolNameIsAlias", func(c *Config) { c.Tools[3].Name = "GPT" },
			`tools[3].name: "GPT" is already an alias of tool "ChatGPT"`},
		{"ErrAliasCollision", func(c *Config) { c.Tools[2].Aliases = []string{"mj", "gpt"} },
			`tools[2].aliases: alias "gpt" is already used by tool "ChatGPT"`},
		{"ErrAliasIsOtherName", func(c *Config) { c.Tools[0].Aliases = []string{"deepseek"} },
			`tools[1].name: "DeepSeek" is already an alias of tool "ChatGPT"`},
		{"ErrAliasEmpty", func(c *Config) { c.Tools[2].Aliases = []string{"mj", ""} },
			`tools[2].aliases[1]: empty alias`},
		{"ErrUnknownStatus", func(c *Config) { c.Tools[0].Status = "maybe" },
			`tools[0].status: unknown status "maybe" (want approved, restricted or not_approved)`},
		{"ErrStatusCase", func(c *Config) { c.Tools[0].Status = "Approved" },
			`tools[0].status: unknown status "Approved" (want approved, restricted or not_approved)`},
		{"ErrNoStatus", func(c *Config) { c.Tools[0].Status = "" },
			`tools[0].status: required (want approved, restricted or not_approved)`},
		{"ErrNotApprovedBareNo", func(c *Config) { c.Tools[3].HowTo = "" },
			`tools[3].alternative: a not_approved tool needs an alternative or how_to so the answer is never just "no"`},
		{"ErrAlternativeUnknown", func(c *Config) { c.Tools[1].Alternative = "Gemini" },
			`tools[1].alternative: "Gemini" is not a tool in the registry (add it to tools or fix the name)`},
		{"ErrAlternativeSelf", func(c *Config) { c.Tools[1].Alternative = "deepseek" },
			`tools[1].alternative: "deepseek" is this tool itself; name a different, approved tool`},
		{"ErrAlternativeNotApproved", func(c *Config) { c.Tools[1].Alternative = "Grok" },
			`tools[1].alternative: "Grok" is not_approved too; name an approved tool`},
		{"ErrAlternativeOnApproved", func(c *Config) { c.Tools[0].Alternative = "Midjourney" },
			`tools[0].alternative: only used for restricted or not_approved tools (this one is approved)`},
		{"ErrRestrictedNoRestriction", func(c *Config) { c.Tools[2].Restriction = "" },
			`tools[2].restriction: required for a restricted tool: say the restriction in plain words, e.g. "no customer data"`},
		{"ErrRestrictionOnApproved", func(c *Config) { c.Tools[0].Restriction = "no PII" },
			`tools[0].restriction: only used for restricted tools (this one is approved)`},

		{"ErrMaxMinutes", func(c *Config) { c.Wins.MaxMinutesPerWin = 0 },
			`wins.max_minutes_per_win: must be more than 0 (got 0)`},
		{"ErrFollowUpZero", func(c *Config) { c.Questions.FollowUpAfter = 0 },
			`questions.follow_up_after: must be more than 0 (got 0s)`},
		{"ErrNudgeNegative", func(c *Config) { c.Questions.NudgeAfter = -DefaultNudgeAfter },
			`questions.nudge_after: must be more than 0 (got -4h)`},
		{"ErrGuidelinesLink", func(c *Config) { c.Guidelines.Link = "wiki/ai" },
			`guidelines.link: "wiki/ai" is not a web link (want https://...)`},
		{"ErrGuidelinesLinkMarkup", func(c *Config) { c.Guidelines.Link = "https://wiki.example/ai|<!channel>" },
			`guidelines.link: "https://wiki.example/ai|<!channel>" has a space or one of | < > (percent-encode them: %20, %7C, %3C, %3E)`},
		{"OKGuidelinesLinkQuery", func(c *Config) { c.Guidelines.Link = "https://wiki.example/ai?a=1&b=2" }, ""},
		{"OKMarkupInTextIsEscapedNotRefused", func(c *Config) { c.Tools[0].HowTo = "<!channel> R&D -> @here" }, ""},
		{"ErrToolNameTooLong", func(c *Config) { c.Tools[0].Name = strings.Repeat("x", MaxNameLen+1) },
			`tools[0].name: too long (76 characters; at most 75, so every message quoting it fits Slack's limits)`},
		{"ErrTeamNameTwoLines", func(c *Config) { c.Teams[1].Name = "Ops\nand more" },
			`teams[1].name: must be on one line`},
		{"ErrHowToTooLong", func(c *Config) { c.Tools[3].HowTo = strings.Repeat("é", MaxToolText+1) },
			`tools[3].how_to: too long (501 characters; at most 500, so every message quoting it fits Slack's limits)`},
		{"ErrGuidelinesTextTooLong", func(c *Config) { c.Guidelines.Text = strings.Repeat("a", MaxGuidelinesText+1) },
			`guidelines.text: too long (501 characters; at most 500, so every message quoting it fits Slack's limits)`},
		{"ErrUseForTooLong", func(c *Config) { c.Tools[0].UseFor = strings.Repeat("a", MaxToolText+1) },
			`tools[0].use_for: too long (501 characters; at most 500, so every message quoting it fits Slack's limits)`},
		{"ErrDataWordEmpty", func(c *Config) { c.Guidelines.Data = []string{"invoice", " "} },
			`guidelines.data[1]: empty (a word or phrase like "invoice" or "employee records")`},
		{"ErrDataWordTwoLines", func(c *Config) { c.Guidelines.Data = []string{"invoice\nrun"} },
			`guidelines.data[0]: must be on one line`},
		{"OKDataWords", func(c *Config) { c.Guidelines.Data = []string{"invoice", "employee records"} }, ""},
		{"ErrBlockTermEmpty", func(c *Config) { c.Guardrails.BlockTerms = []string{"Globex", "  "} },
			`guardrails.block_terms[1]: empty term (it would block every message)`},
		{"ErrLeadChannelName", func(c *Config) { c.Digest.LeadChannel = "#ai-leads" },
			`digest.lead_channel: "#ai-leads" is not a channel ID (right-click the channel > Copy link; the ID starts with C)`},
		{"ErrLeadChannelPublic", func(c *Config) { c.Digest.Channels = []string{"C0LEADS01"}; c.Digest.LeadChannel = "C0LEADS01" },
			`digest.lead_channel: C0LEADS01 is also in digest.channels: the lead digest names people asking for access, so give it a channel of its own (or leave it unset to DM the admins)`},
		{"OKLeadChannel", func(c *Config) { c.Digest.LeadChannel = "G0LEADS01" }, ""},
		{"ErrBackupCron", func(c *Config) { c.Backup.Schedule = "daily" },
			`backup.schedule: invalid cron spec "daily": expected exactly 5 fields, found 1: [daily] (want e.g. "0 9 * * MON" or "@weekly")`},
		{"ErrBackupNoDir", func(c *Config) { c.Backup.Dir = "" },
			`backup.dir: required when backup.schedule is set (the directory for the copies)`},
		{"ErrBackupKeep", func(c *Config) { c.Backup.Keep = 0 },
			`backup.keep: must be at least 1 (got 0)`},
		{"ErrBackupDirOnly", func(c *Config) { c.Backup.Schedule = "" },
			`backup.schedule: required when backup.dir is set (e.g. "@daily"), or remove backup.dir`},
		{"ErrRetentionNegative", func(c *Config) { c.Retention.Days = -1 },
			`retention.days: must be 0 (keep forever) or at least 84, the 12 weeks the digest and its trends read (got -1)`},
		// A week's retention wiped "the week before" every Monday.
		{"ErrRetentionWeek", func(c *Config) { c.Retention.Days = 7 },
			`retention.days: must be 0 (keep forever) or at least 84, the 12 weeks the digest and its trends read (got 7)`},
		{"ErrRetentionInsideTrends", func(c *Config) { c.Retention.Days = 83 },
			`retention.days: must be 0 (keep forever) or at least 84, the 12 weeks the digest and its trends read (got 83)`},
		{"ErrConnectionsZero", func(c *Config) { c.Socket.Connections = 0 },
			`socket.connections: must be from 1 to 10 (got 0; Slack allows at most 10 per app)`},
		{"ErrConnectionsTooMany", func(c *Config) { c.Socket.Connections = 11 },
			`socket.connections: must be from 1 to 10 (got 11; Slack allows at most 10 per app)`},
		{"ErrPostingRateZero", func(c *Config) { c.Posting.PerSecond = 0 },
			`posting.per_second: must be a number more than 0 (got 0; Slack's pace is 1)`},
		{"ErrPostingRateNaN", func(c *Config) { c.Posting.PerSecond = math.NaN() },
			`posting.per_second: must be a number more than 0 (got NaN; Slack's pace is 1)`},
		{"ErrPostingRateInf", func(c *Config) { c.Posting.PerSecond = math.Inf(1) },
			`posting.per_second: must be a number more than 0 (got +Inf; Slack's pace is 1)`},
		{"ErrPostingBurstZero", func(c *Config) { c.Posting.Burst = 0 },
			`posting.burst: must be at least 1 (got 0)`},

		{"ErrAPIURL", func(c *Config) { c.APIURL = "slack.com/api" },
			`SLACK_API_URL: "slack.com/api" is not an http(s) URL`},
		{"ErrHTTPAddr", func(c *Config) { c.HTTPAddr = "8080" },
			`FLYWHEEL_HTTP_ADDR: "8080" is not host:port (e.g. 127.0.0.1:8080)`},

		{"ErrFirstOnly", func(c *Config) { c.WinsChannel = "#wins"; c.Socket.Connections = 0 },
			`wins_channel: "#wins" is not a channel ID (right-click the channel > Copy link; the ID starts with C)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig()
			tt.modify(c)
			err := c.Validate()
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			assert.NotContains(t, err.Error(), "\n")
			var ce *Error
			if assert.True(t, errors.As(err, &ce)) {
				assert.True(t, strings.HasPrefix(tt.want, ce.Key+": "), "key %q", ce.Key)
			}
		})
	}
}

func TestValidateForRun(t *testing.T) {
	const bot, app = "xoxb-1111-2222-secretbot", "xapp-1-A111-3333-secretapp"
	for _, tt := range []struct {
		name   string
		modify func(c *Config)
		want   string
	}{
		{"OK", func(c *Config) {}, ""},
		{"ErrInvalid", func(c *Config) { c.Socket.Connections = 0 },
			`socket.connections: must be from 1 to 10 (got 0; Slack allows at most 10 per app)`},
		{"ErrNoBotToken", func(c *Config) { c.BotToken = "" },
			`SLACK_BOT_TOKEN: missing (set it to the bot token, xoxb-...)`},
		{"ErrBadBotToken", func(c *Config) { c.BotToken = "secret-bot-value" },
			`SLACK_BOT_TOKEN: malformed: must start with "xoxb-"`},
		{"ErrSwappedTokens", func(c *Config) { c.BotToken, c.AppToken = app, bot },
			`SLACK_BOT_TOKEN: malformed: must start with "xoxb-" (this one starts with "xapp-": are SLACK_BOT_TOKEN and SLACK_APP_TOKEN swapped?)`},
		{"ErrNoAppToken", func(c *Config) { c.AppToken = "" },
			`SLACK_APP_TOKEN: missing (set it to the app-level token, xapp-...)`},
		{"ErrBadAppToken", func(c *Config) { c.AppToken = "xoxp-user-secret" },
			`SLACK_APP_TOKEN: malformed: must start with "xapp-"`},
		{"ErrNoWinsChannel", func(c *Config) { c.WinsChannel = "" },
			`wins_channel: required (the channel ID where wins are posted, e.g. C0123456789)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig()
			tt.modify(c)
			err := c.ValidateForRun()
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			for _, secret := range []string{"secret", c.BotToken, c.AppToken} {
				if secret != "" {
					assert.NotContains(t, err.Error(), secret)
				}
			}
		})
	}
}

// TestErrorRedactsTokens: a token pasted into the wrong field must not come
// back out through the error message.
func TestErrorRedactsTokens(t *testing.T) {
	c := validConfig()
	c.WinsChannel = "xoxb-1111-2222-secretbot"
	err := c.Validate()
	require.Error(t, err)
	assert.Equal(t, `wins_channel: "xoxb-…(redacted)" is not a channel ID (right-click the channel > Copy link; the ID starts with C)`, err.Error())
}
