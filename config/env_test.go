package config

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mapEnv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestFromEnv(t *testing.T) {
	t.Run("OKDefaults", func(t *testing.T) {
		c, err := FromEnv(mapEnv(nil))
		require.NoError(t, err)
		assert.Equal(t, Default(), c)
	})
	t.Run("OKOverrides", func(t *testing.T) {
		c, err := FromEnv(mapEnv(map[string]string{
			"FLYWHEEL_CONFIG":    examplePath,
			"SLACK_API_URL":      "http://127.0.0.1:9999/api",
			"FLYWHEEL_DB":        "/data/fw.db",
			"FLYWHEEL_HTTP_ADDR": ":9090",
			"SLACK_BOT_TOKEN":    "xoxb-1-2-secretbot\n",
			"SLACK_APP_TOKEN":    " xapp-1-A-3-secretapp",
		}))
		require.NoError(t, err)
		assert.Equal(t, "C05WINS0001", c.WinsChannel, "from the file")
		assert.Equal(t, "http://127.0.0.1:9999/api/", c.APIURL, "trailing slash added")
		assert.Equal(t, "/data/fw.db", c.DBPath)
		assert.Equal(t, ":9090", c.HTTPAddr)
		assert.Equal(t, "xoxb-1-2-secretbot", c.BotToken, "trimmed")
		assert.Equal(t, "xapp-1-A-3-secretapp", c.AppToken, "trimmed")
		assert.NoError(t, c.ValidateForRun())
	})
	t.Run("ErrConfigFile", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "missing.yml")
		_, err := FromEnv(mapEnv(map[string]string{"FLYWHEEL_CONFIG": path}))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "config file "+path+": ")
	})
	t.Run("ErrBadOverride", func(t *testing.T) {
		_, err := FromEnv(mapEnv(map[string]string{"FLYWHEEL_HTTP_ADDR": "localhost"}))
		require.Error(t, err)
		assert.Equal(t, `FLYWHEEL_HTTP_ADDR: "localhost" is not host:port (e.g. 127.0.0.1:8080)`, err.Error())
	})
	t.Run("ErrTokensNeverInErrors", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "c.yml")
		require.NoError(t, os.WriteFile(path, []byte("socket: {connections: 99}\n"), 0o600))
		_, err := FromEnv(mapEnv(map[string]string{
			"FLYWHEEL_CONFIG": path,
			"SLACK_BOT_TOKEN": "xoxb-1-2-secretbot",
			"SLACK_APP_TOKEN": "xapp-1-A-3-secretapp",
		}))
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "secret")
	})
}

func TestString(t *testing.T) {
	c := validConfig()
	s := c.String()
	assert.Contains(t, s, "SLACK_BOT_TOKEN: xoxb-…(redacted)")
	assert.Contains(t, s, "SLACK_APP_TOKEN: xapp-…(redacted)")
	assert.Contains(t, s, "wins_channel: C0WINS (win emoji :trophy:)")
	assert.Contains(t, s, "tools: 4 (1 approved, 1 restricted, 2 not_approved)")
	assert.Contains(t, s, "digest: \"0 9 * * MON\" in Europe/Berlin to C0WINS")
	assert.NotContains(t, s, "Project Falcon", "block terms are sensitive themselves")

	c.BotToken, c.AppToken = "", "not-a-real-prefix-secret"
	s = c.String()
	assert.Contains(t, s, "SLACK_BOT_TOKEN: (not set)")
	assert.Contains(t, s, "SLACK_APP_TOKEN: (redacted)")
}

// TestTokensNeverPrinted covers every way a Config might end up in a log.
func TestTokensNeverPrinted(t *testing.T) {
	c := validConfig()
	c.BotToken, c.AppToken = "xoxb-1-2-secretbot", "xapp-1-A-3-secretapp"
	for name, s := range map[string]string{
		"String":      c.String(),
		"%v pointer":  fmt.Sprintf("%v", c),
		"%v value":    fmt.Sprintf("%v", *c),
		"%+v pointer": fmt.Sprintf("%+v", c),
		"%+v value":   fmt.Sprintf("%+v", *c),
		"%#v pointer": fmt.Sprintf("%#v", c),
		"%#v value":   fmt.Sprintf("%#v", *c),
		"%s":          fmt.Sprintf("%s", c),
	} {
		assert.NotContains(t, s, "secret", name)
	}
}
