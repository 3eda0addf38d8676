package digest

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/digest")

const goldenDir = "../testdata/digest"

// TestRenderGolden renders a representative week, its admin variant, a
// team slice, an empty week and a huge week, and compares text and Block
// Kit JSON with testdata/digest (refresh with `go test ./digest -update`).
func TestRenderGolden(t *testing.T) {
	in := loadFixture(t)
	cfg := testConfig()
	cases := []struct {
		name string
		d    Digest
		opts RenderOptions
	}{
		{"representative", Build(in, cfg, end), RenderOptions{}},
		{"representative_admin", Build(in, cfg, end), RenderOptions{Admin: true}},
		{"team_sales", BuildTeam(in, cfg, end, "Sales"), RenderOptions{}},
		{"empty", Build(Input{}, cfg, end), RenderOptions{}},
		{"huge", Build(hugeInput(3000, 600), hugeConfig(), end), RenderOptions{Admin: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text, blocks := Render(c.d, c.opts)
			checkLimits(t, blocks)
			raw, err := BuilderJSON(blocks)
			require.NoError(t, err)
			checkRoundTrip(t, raw, blocks)
			golden(t, c.name+".txt", []byte(text))
			golden(t, c.name+".json", raw)
		})
	}
}

func TestRenderEscapesAndLinks(t *testing.T) {
	d := Build(loadFixture(t), testConfig(), end)
	text, _ := Render(d, RenderOptions{})
	assert.Contains(t, text, "<@USAM>", "people are mentions of their user ID")
	assert.Contains(t, text, "&lt;!channel&gt; &amp; compared prices &gt;", "user text is escaped")
	assert.NotContains(t, text, "<!channel>")
	assert.NotContains(t, text, "Project Falcon", "guardrail terms are never echoed")
	assert.Contains(t, text, "<https://slack.com/archives/C0WINS/p1794909600000100|see the post>")
	assert.Contains(t, text, "…and 2 more wins")
	assert.NotContains(t, text, "Admin", "the capped wins are for admins only")
	admin, _ := Render(d, RenderOptions{Admin: true})
	assert.Contains(t, admin, "<@USARA> claimed 10h, counted 8h (1 cheer)")
	// Access requests come before the headline numbers.
	assert.Less(t, strings.Index(text, "Teams asking for access"), strings.Index(text, "This week"))
}

// checkLimits asserts Slack's limits on a message.
func checkLimits(t *testing.T, blocks []slack.Block) {
	t.Helper()
	assert.LessOrEqual(t, len(blocks), MaxBlocks)
	for i, b := range blocks {
		switch b := b.(type) {
		case *slack.HeaderBlock:
			assert.LessOrEqual(t, utf8.RuneCountInString(b.Text.Text), MaxHeaderText)
		case *slack.SectionBlock:
			assert.NoError(t, b.Text.Validate(), "block %d", i)
			assert.LessOrEqual(t, len(b.Fields), 10)
			for _, f := range b.Fields {
				assert.NoError(t, f.Validate())
				assert.LessOrEqual(t, utf8.RuneCountInString(f.Text), MaxFieldText)
			}
		case *slack.ContextBlock:
			for _, e := range b.ContextElements.Elements {
				assert.NoError(t, e.(*slack.TextBlockObject).Validate())
			}
		}
	}
}

// checkRoundTrip asserts the Block Kit JSON parses back into the same blocks.
func checkRoundTrip(t *testing.T, raw []byte, blocks []slack.Block) {
	t.Helper()
	var msg struct {
		Blocks slack.Blocks `json:"blocks"`
	}
	require.NoError(t, json.Unmarshal(raw, &msg))
	require.Len(t, msg.Blocks.BlockSet, len(blocks))
	want, err := json.Marshal(blocks)
	require.NoError(t, err)
	got, err := json.Marshal(msg.Blocks)
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(got))
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		require.NoError(t, os.MkdirAll(goldenDir, 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run `go test ./digest -update` to create it")
	assert.Equal(t, string(want), string(got), "%s differs; if the change is intended, run `go test ./digest -update`", path)
}

func TestFitLines(t *testing.T) {
	long := strings.Repeat("é", 700)
	cases := []struct {
		name     string
		lines    []string
		show     int
		total    int
		wantMore string
	}{
		{"AllFit", []string{"a", "b"}, 5, 2, ""},
		{"CutByCount", []string{"a", "b", "c"}, 2, 3, "…and 1 more win_"},
		{"CutByLength", []string{long, long, long, long, long}, 10, 5, "…and 1 more win_"},
		{"MoreThanListed", []string{"a"}, 5, 3000, "…and 2999 more wins_"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := fitLines("head", c.lines, c.show, c.total, [2]string{"win", "wins"})
			assert.LessOrEqual(t, utf8.RuneCountInString(got), MaxSectionText)
			if c.wantMore == "" {
				assert.NotContains(t, got, "more")
			} else {
				assert.True(t, strings.HasSuffix(got, c.wantMore), got[max(0, len(got)-40):])
			}
		})
	}
}
