package config

import "strings"

// Sharing settings: tips, and who sees a win (wins.allow_anonymous,
// wins.allow_team_only, wins.anonymous_min_team).

// TipsPostChannel is where tips are posted: tips_channel, else wins_channel.
func (c *Config) TipsPostChannel() string {
	if c.TipsChannel != "" {
		return c.TipsChannel
	}
	return c.WinsChannel
}

// validateSharing checks tips_channel, tip_emoji and the visibility keys.
func (c *Config) validateSharing(v *checker) {
	v.channel("tips_channel", c.TipsChannel)
	switch emoji := strings.Trim(c.TipEmoji, ":"); {
	case emoji == "":
		v.fail("tip_emoji", "required (an emoji name like %q)", DefaultTipEmoji)
	case !emojiRE.MatchString(emoji):
		v.fail("tip_emoji", "%q is not an emoji name (want lower-case letters, digits, _ + - or ', e.g. %q)", c.TipEmoji, DefaultTipEmoji)
	case emoji == strings.Trim(c.WinEmoji, ":"):
		v.fail("tip_emoji", "%q is win_emoji too; pick a different emoji so a reaction says whether it nominates a win or a tip", c.TipEmoji)
	}
	if n := c.Wins.AnonymousMinTeam; n < 1 {
		v.fail("wins.anonymous_min_team", "must be at least 1 (got %d; a win shared without a name shows its team only when the team has this many people)", n)
	}
}
