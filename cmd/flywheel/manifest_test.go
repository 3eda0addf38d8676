package main

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// TestManifest checks the Slack app manifest asks for what the bot uses:
// Socket Mode, its commands, its events, interactivity.
func TestManifest(t *testing.T) {
	raw, err := os.ReadFile("../../manifest.yml")
	require.NoError(t, err)
	var m struct {
		Features struct {
			SlashCommands []struct {
				Command string `yaml:"command"`
			} `yaml:"slash_commands"`
		} `yaml:"features"`
		OAuth struct {
			Scopes struct {
				Bot []string `yaml:"bot"`
			} `yaml:"scopes"`
		} `yaml:"oauth_config"`
		Settings struct {
			Events struct {
				BotEvents []string `yaml:"bot_events"`
			} `yaml:"event_subscriptions"`
			Interactivity struct {
				Enabled bool `yaml:"is_enabled"`
			} `yaml:"interactivity"`
			SocketMode bool `yaml:"socket_mode_enabled"`
		} `yaml:"settings"`
	}
	require.NoError(t, yaml.Unmarshal(raw, &m))
	var cmds []string
	for _, c := range m.Features.SlashCommands {
		cmds = append(cmds, c.Command)
	}
	assert.ElementsMatch(t, []string{"/win", "/tip", "/ask", "/flywheel"}, cmds)
	assert.True(t, m.Settings.SocketMode)
	assert.True(t, m.Settings.Interactivity.Enabled)
	assert.Subset(t, m.Settings.Events.BotEvents, []string{"reaction_added", "reaction_removed", "message.channels"})
	assert.Subset(t, m.OAuth.Scopes.Bot, []string{"commands", "chat:write", "reactions:read", "channels:history", "usergroups:read",
		"channels:read", "groups:read"}) // conversations.info and users.conversations
}
