package config

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidateSharing(t *testing.T) {
	for _, tt := range []struct {
		name   string
		modify func(c *Config)
		want   string // whole error; "" = valid
	}{
		{"OK", func(c *Config) {}, ""},
		{"OKTipsChannel", func(c *Config) { c.TipsChannel = "C0TIPS" }, ""},
		{"OKTipEmojiWithColons", func(c *Config) { c.TipEmoji = ":bulb:" }, ""},
		{"ErrTipsChannelName", func(c *Config) { c.TipsChannel = "#tips" },
			`tips_channel: "#tips" is not a channel ID (right-click the channel > Copy link; the ID starts with C)`},
		{"ErrTipEmojiEmpty", func(c *Config) { c.TipEmoji = "" }, `tip_emoji: required (an emoji name like "bulb")`},
		{"ErrTipEmojiBad", func(c *Config) { c.TipEmoji = "Light Bulb" },
			`tip_emoji: "Light Bulb" is not an emoji name (want lower-case letters, digits, _ + - or ', e.g. "bulb")`},
		{"ErrTipEmojiIsWinEmoji", func(c *Config) { c.TipEmoji = ":trophy:" },
			`tip_emoji: ":trophy:" is win_emoji too; pick a different emoji so a reaction says whether it nominates a win or a tip`},
		{"ErrAnonymousMinTeam", func(c *Config) { c.Wins.AnonymousMinTeam = 0 },
			`wins.anonymous_min_team: must be at least 1 (got 0; a win shared without a name shows its team only when the team has this many people)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig()
			tt.modify(c)
			err := c.ValidateForRun()
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

func TestSharingDefaults(t *testing.T) {
	t.Run("Defaults", func(t *testing.T) {
		c, err := Load(strings.NewReader(""))
		require.NoError(t, err)
		assert.True(t, c.Wins.AnonymousAllowed())
		assert.True(t, c.Wins.TeamOnlyAllowed())
		assert.Equal(t, 5, c.Wins.MinTeamForAnonymous())
		assert.Equal(t, "bulb", c.TipEmoji)
		c.WinsChannel = "C0WINS"
		assert.Equal(t, "C0WINS", c.TipsPostChannel(), "tips fall back to the wins channel")
		c.TipsChannel = "C0TIPS"
		assert.Equal(t, "C0TIPS", c.TipsPostChannel())
	})
	t.Run("TurnedOff", func(t *testing.T) {
		c, err := Load(strings.NewReader("wins:\n  allow_anonymous: false\n  allow_team_only: false\n  anonymous_min_team: 8\ntip_emoji: \":light_bulb:\"\n"))
		require.NoError(t, err)
		assert.False(t, c.Wins.AnonymousAllowed())
		assert.False(t, c.Wins.TeamOnlyAllowed())
		assert.Equal(t, 8, c.Wins.MinTeamForAnonymous())
		assert.Equal(t, "light_bulb", c.TipEmoji, "colons stripped like win_emoji's")
	})
	t.Run("OnlyOneOff", func(t *testing.T) {
		c, err := Load(strings.NewReader("wins:\n  allow_team_only: false\n"))
		require.NoError(t, err)
		assert.True(t, c.Wins.AnonymousAllowed())
		assert.False(t, c.Wins.TeamOnlyAllowed())
		assert.Equal(t, 480, c.Wins.MaxMinutesPerWin, "other wins keys keep their defaults")
	})
	t.Run("ErrNotABool", func(t *testing.T) {
		_, err := Load(strings.NewReader("wins:\n  allow_anonymous: sometimes\n"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "wins.allow_anonymous:")
	})
	t.Run("GoBuiltConfigAllowsBoth", func(t *testing.T) {
		var w Wins
		assert.True(t, w.AnonymousAllowed(), "nil means the default, on")
		assert.True(t, w.TeamOnlyAllowed())
		assert.Equal(t, DefaultAnonymousMinTeam, w.MinTeamForAnonymous())
	})
}
