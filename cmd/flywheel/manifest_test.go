package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
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

// apiScopes are the bot-token scopes Slack documents for each Web API
// method the bot calls (docs.slack.dev/reference/methods/<method>, "Bot
// token" scopes), keyed by the slack-go function that calls it, for the
// conversation types the bot uses: history and replies are read in public
// and private channels, DMs and group DMs (a nominated message);
// conversations.info is asked only about C… channels, users.conversations
// only for public and private channels.
var apiScopes = map[string][]string{
	"AuthTestContext":                nil,                              // auth.test
	"PostMessageContext":             {"chat:write"},                   // chat.postMessage
	"PostEphemeralContext":           {"chat:write"},                   // chat.postEphemeral
	"UpdateMessageContext":           {"chat:write"},                   // chat.update
	"DeleteMessageContext":           {"chat:write"},                   // chat.delete: the bot's own posts only
	"GetPermalinkContext":            nil,                              // chat.getPermalink
	"OpenViewContext":                nil,                              // views.open
	"PublishViewContext":             nil,                              // views.publish
	"OpenConversationContext":        {"im:write"},                     // conversations.open, a DM
	"GetConversationInfoContext":     {"channels:read", "groups:read"}, // conversations.info
	"GetConversationsForUserContext": {"channels:read", "groups:read"}, // users.conversations
	"GetUserGroupMembersContext":     {"usergroups:read"},              // usergroups.users.list
	"UploadFileContext":              {"files:write"},                  // files.getUploadURLExternal + files.completeUploadExternal
	"GetConversationHistoryContext":  {"channels:history", "groups:history", "im:history", "mpim:history"},
	"GetConversationRepliesContext":  {"channels:history", "groups:history", "im:history", "mpim:history"},
}

// TestManifestScopesCoverEveryCall reads every Web API call in the bot's
// code and checks the manifest asks for the scopes Slack requires for it:
// a method called without its scope fails in production with
// missing_scope, which the fake (which checks no scopes) would never show.
func TestManifestScopesCoverEveryCall(t *testing.T) {
	raw, err := os.ReadFile("../../manifest.yml")
	require.NoError(t, err)
	var m struct {
		OAuth struct {
			Scopes struct {
				Bot []string `yaml:"bot"`
			} `yaml:"scopes"`
		} `yaml:"oauth_config"`
	}
	require.NoError(t, yaml.Unmarshal(raw, &m))
	files, err := filepath.Glob("../../bot/*.go")
	require.NoError(t, err)
	call := regexp.MustCompile(`\bapi\.([A-Z][A-Za-z]*Context)\(`)
	called := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, c := range call.FindAllStringSubmatch(string(src), -1) {
			called[c[1]] = true
		}
	}
	require.NotEmpty(t, called)
	for fn := range called {
		scopes, known := apiScopes[fn]
		if !assert.True(t, known, "the bot calls %s: add its Slack method's scopes to apiScopes (and the manifest)", fn) {
			continue
		}
		assert.Subset(t, m.OAuth.Scopes.Bot, scopes, "%s needs these scopes", fn)
	}
}
