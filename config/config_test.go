package config

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

const examplePath = "../testdata/config.example.yml"

func TestDefault(t *testing.T) {
	c := Default()
	require.NoError(t, c.Validate())
	assert.Equal(t, "0 9 * * MON", c.Digest.Schedule)
	assert.Equal(t, "UTC", c.Digest.Timezone)
	assert.Equal(t, "trophy", c.WinEmoji)
	assert.Equal(t, 480, c.Wins.MaxMinutesPerWin)
	assert.Equal(t, Duration(72*time.Hour), c.Questions.FollowUpAfter)
	assert.Equal(t, Duration(4*time.Hour), c.Questions.NudgeAfter)
	assert.Equal(t, 7, c.Backup.Keep)
	assert.Equal(t, 0, c.Retention.Days)
	assert.Equal(t, 2, c.Socket.Connections)
	assert.Equal(t, 3, c.Rollout.SitesPerMonth)
	assert.Equal(t, "https://slack.com/api/", c.APIURL)
	assert.Equal(t, "flywheel.db", c.DBPath)
	assert.Equal(t, "127.0.0.1:8080", c.HTTPAddr)
	assert.Empty(t, c.BotToken)
	assert.Empty(t, c.AppToken)
	assert.NotSame(t, Default(), Default(), "each call must return a fresh copy")
}

func TestLoad(t *testing.T) {
	for _, tt := range []struct {
		name  string
		yaml  string
		check func(t *testing.T, c *Config)
	}{
		{"OKEmpty", "", func(t *testing.T, c *Config) {
			assert.Equal(t, Default(), c)
		}},
		{"OKCommentsOnly", "# nothing yet\n", func(t *testing.T, c *Config) {
			assert.Equal(t, Default(), c)
		}},
		{"OKNullSectionsKeepDefaults", "wins:\nquestions:\nsocket:\n", func(t *testing.T, c *Config) {
			assert.Equal(t, Default(), c)
		}},
		{"OKPartialSectionKeepsOtherDefaults", "questions: {nudge_after: 30m}\n", func(t *testing.T, c *Config) {
			assert.Equal(t, Duration(30*time.Minute), c.Questions.NudgeAfter)
			assert.Equal(t, DefaultFollowUpAfter, c.Questions.FollowUpAfter)
		}},
		{"OKEmojiColonsStripped", "win_emoji: \":raised_hands:\"\n", func(t *testing.T, c *Config) {
			assert.Equal(t, "raised_hands", c.WinEmoji)
		}},
		{"OKEnrolledDefaultsTrue", "teams:\n- name: A\n- name: B\n  enrolled: false\n- name: C\n  enrolled: true\n", func(t *testing.T, c *Config) {
			require.Len(t, c.Teams, 3)
			assert.True(t, c.Teams[0].Enrolled, "omitted")
			assert.False(t, c.Teams[1].Enrolled, "explicit false")
			assert.True(t, c.Teams[2].Enrolled, "explicit true")
		}},
		{"OKDayDuration", "questions: {follow_up_after: 3d}\n", func(t *testing.T, c *Config) {
			assert.Equal(t, Duration(72*time.Hour), c.Questions.FollowUpAfter)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(strings.NewReader(tt.yaml))
			require.NoError(t, err)
			tt.check(t, c)
		})
	}
}

func TestLoadMergeKey(t *testing.T) {
	// Anchors and "<<" merges are plain YAML; the unknown-key check must
	// follow them instead of flagging "<<".
	const in = `
tools:
  - &approved
    name: Claude
    status: approved
  - <<: *approved
    name: ChatGPT
`
	c, err := Load(strings.NewReader(in))
	require.NoError(t, err)
	require.Len(t, c.Tools, 2)
	assert.Equal(t, StatusApproved, c.Tools[1].Status)
}

func TestExample(t *testing.T) {
	c, err := LoadFile(examplePath)
	require.NoError(t, err)
	require.NoError(t, c.Validate())

	assert.Equal(t, "C05WINS0001", c.WinsChannel)
	assert.Equal(t, "Europe/Berlin", c.Location().String())
	require.Len(t, c.Teams, 4)
	for _, want := range []struct {
		name     string
		enrolled bool
	}{{"Sales", true}, {"Ops", true}, {"Legal", false}, {"Finance", false}} {
		team, ok := c.TeamOf(c.Teams[indexOfTeam(c, want.name)].Members[0])
		if assert.True(t, ok, want.name) {
			assert.Equal(t, want.name, team.Name)
			assert.Equal(t, want.enrolled, team.Enrolled, want.name)
		}
	}
	for _, q := range []struct{ ask, want string }{
		{"gpt-4", "ChatGPT"}, {"OpenAI", "ChatGPT"}, {"github copilot", "Copilot"},
		{"claude", "Claude"}, {"DeepSeek", "DeepSeek"}, {"midjourney", "Midjourney"},
	} {
		tool, ok := c.Tool(q.ask)
		if assert.True(t, ok, q.ask) {
			assert.Equal(t, q.want, tool.Name, q.ask)
		}
	}
	assert.Equal(t, "St. Louis plant", c.Teams[indexOfTeam(c, "Finance")].Site)
	assert.Equal(t, "", c.Teams[indexOfTeam(c, "Legal")].Site)
	assert.Equal(t, 3, c.Rollout.SitesPerMonth)
	deepseek, _ := c.Tool("deepseek")
	assert.Equal(t, StatusNotApproved, deepseek.Status)
	assert.Equal(t, "Claude", deepseek.Alternative)
	mj, _ := c.Tool("midjourney")
	assert.Equal(t, StatusRestricted, mj.Status)
	assert.Equal(t, "marketing drafts only, no customer logos", mj.Restriction)
}

func indexOfTeam(c *Config, name string) int {
	for i, t := range c.Teams {
		if t.Name == name {
			return i
		}
	}
	return -1
}

// TestExampleUsesEveryKey keeps the example honest: a key added to Config
// without documenting it in the example fails here.
func TestExampleUsesEveryKey(t *testing.T) {
	data, err := os.ReadFile(examplePath)
	require.NoError(t, err)
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal(data, &doc))
	lines := map[int]string{}
	require.NoError(t, checkKeys(&doc, reflect.TypeFor[Config](), "", lines))
	index := regexp.MustCompile(`\[\d+\]`)
	used := map[string]bool{}
	for _, path := range lines {
		for p := index.ReplaceAllString(path, "[]"); p != ""; {
			used[p] = true
			i := strings.LastIndexAny(p, ".[")
			if i < 0 {
				break
			}
			p = p[:i]
		}
	}
	for _, key := range allKeys(reflect.TypeFor[Config](), "") {
		assert.True(t, used[key], "example doesn't use %s", key)
	}
}

// allKeys lists every YAML key path of t, with "[]" for list items.
func allKeys(t reflect.Type, prefix string) []string {
	var keys []string
	for name, f := range yamlFields(t) {
		key := join(prefix, name)
		keys = append(keys, key)
		ft := f.Type
		if ft.Kind() == reflect.Slice {
			key, ft = key+"[]", ft.Elem()
		}
		if ft.Kind() == reflect.Struct {
			keys = append(keys, allKeys(ft, key)...)
		}
	}
	return keys
}

func TestLookups(t *testing.T) {
	c := validConfig()

	assert.True(t, c.IsAdmin("U0ADMIN"))
	assert.False(t, c.IsAdmin("U0NOBODY"))
	assert.False(t, c.IsAdmin(""))

	team, ok := c.TeamOf("U0OPS1")
	require.True(t, ok)
	assert.Equal(t, "Ops", team.Name)
	_, ok = c.TeamOf("U0NOBODY")
	assert.False(t, ok)

	for _, name := range []string{"ChatGPT", "chatgpt", " GPT ", "Gpt-4"} {
		tool, ok := c.Tool(name)
		if assert.True(t, ok, name) {
			assert.Equal(t, "ChatGPT", tool.Name, name)
		}
	}
	_, ok = c.Tool("")
	assert.False(t, ok)
	_, ok = c.Tool("Gemini")
	assert.False(t, ok)

	assert.True(t, c.IsHelpChannel("C0HELP"))
	assert.False(t, c.IsHelpChannel("C0WINS"))
	assert.False(t, c.IsHelpChannel(""))

	assert.Equal(t, "Europe/Berlin", c.Location().String())
	c.Digest.Timezone = ""
	assert.Equal(t, time.UTC, c.Location())
	c.Digest.Timezone = "Mars/Base"
	assert.Equal(t, time.UTC, c.Location(), "unvalidated bad zone falls back to UTC")
}
