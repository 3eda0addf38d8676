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

// TestRenderGolden renders a representative week as the public digest and
// as the lead digest, a team slice, an empty week (both digests) and a
// huge week (both), and compares the message's text with its transcript,
// and its Block Kit JSON, with testdata/digest (refresh with
// `go test ./digest -update`).
func TestRenderGolden(t *testing.T) {
	in := loadFixture(t)
	cfg := testConfig()
	huge := Build(hugeInput(3000, 600), hugeConfig(), end)
	cases := []struct {
		name string
		d    Digest
		opts RenderOptions
	}{
		{"representative", Build(in, cfg, end), RenderOptions{}},
		{"representative_lead", Build(in, cfg, end), RenderOptions{Lead: true}},
		{"team_sales", BuildTeam(in, cfg, end, "Sales"), RenderOptions{}},
		{"empty", Build(Input{}, cfg, end), RenderOptions{}},
		{"empty_lead", Build(Input{}, cfg, end), RenderOptions{Lead: true}},
		{"huge", huge, RenderOptions{}},
		{"huge_lead", huge, RenderOptions{Lead: true}},
		{"representative_trend", Build(in, cfg, end), RenderOptions{Trend: goldenTrend(), Chart: true}},
		{"representative_trend_lead", Build(in, cfg, end), RenderOptions{Trend: goldenTrend(), Chart: true, Lead: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := RenderMessage(c.d, c.opts)
			checkLimits(t, m.Blocks)
			raw, err := BuilderJSON(m.Blocks)
			require.NoError(t, err)
			checkRoundTrip(t, raw, m.Blocks)
			golden(t, c.name+".txt", []byte("text: "+m.Text+"\n\n"+m.Transcript))
			golden(t, c.name+".json", raw)
		})
	}
}

// goldenTrend is four weeks that grow, ending with the representative
// week's figures.
func goldenTrend() *Trend {
	t := &Trend{Claims: []string{"Wins grew 3 weeks in a row"}}
	for i, wins := range []int{1, 3, 4, 7} {
		e := end.AddDate(0, 0, -7*(3-i))
		t.Weeks = append(t.Weeks, TrendWeek{Start: e.AddDate(0, 0, -7), End: e, Wins: wins, Minutes: wins * 240,
			PeerMinutes: wins * 200, Sharers: wins, Questions: wins + 1, Answered: wins})
	}
	return t
}

// TestPublicDigest: the public digest is one sentence (also its text), at
// most four figures, the top three cheered wins with words, the champions'
// thank-you and one nudge, and it never names people asking for access.
func TestPublicDigest(t *testing.T) {
	d := Build(loadFixture(t), testConfig(), end)
	m := RenderMessage(d, RenderOptions{})
	assert.Equal(t, "7 wins saved 28 hours this week (+3), from 6 people, 2 of them new.", m.Text)
	assert.Contains(t, m.Transcript, "*"+m.Text+"*", "the sentence opens the message")
	var fields int
	for _, b := range m.Blocks {
		if s, ok := b.(*slack.SectionBlock); ok {
			fields += len(s.Fields)
		}
	}
	assert.LessOrEqual(t, fields, 4, "at most four figures")
	assert.Contains(t, m.Transcript, "*Cheered by colleagues*: 27h 15m  (+25h 45m)")
	assert.Contains(t, m.Transcript, "<@USAM> “Used ChatGPT to draft 40 cold emails")
	assert.Contains(t, m.Transcript, "3. <@UEVA>", "hidden-text and 0-cheer wins are skipped, three are shown")
	assert.NotContains(t, m.Transcript, "4. ")
	assert.NotContains(t, m.Transcript, "text not shown")
	assert.NotContains(t, m.Transcript, "0 cheers")
	for _, asking := range []string{"ULENA", "ULUKE", "UFRED"} {
		assert.NotContains(t, m.Transcript, asking, "people asking for access are named only in the lead digest")
	}
	assert.NotContains(t, m.Transcript, "Teams asking for access")
	assert.Contains(t, m.Transcript, ":star2: *Thanks* to <@UOLGA>, <@USAM>, <@USARA> and 1 more for answering colleagues' questions, and to <@UOLGA>, <@USAM> and <@UEVA>, whose wins were cheered across teams.")
	assert.Equal(t, 1, strings.Count(m.Transcript, ":bulb:"), "one nudge")
	assert.NotContains(t, m.Transcript, "amplif")
}

func TestRenderEscapesAndLinks(t *testing.T) {
	d := Build(loadFixture(t), testConfig(), end)
	public := RenderMessage(d, RenderOptions{}).Transcript
	lead := RenderMessage(d, RenderOptions{Lead: true})
	text := lead.Transcript
	assert.Contains(t, public, "<@USAM>", "people are mentions of their user ID")
	assert.Contains(t, public, "&lt;!channel&gt; &amp; compared prices &gt;", "user text is escaped")
	for _, s := range []string{public, text} {
		assert.NotContains(t, s, "<!channel>")
		assert.NotContains(t, s, "Project Falcon", "guardrail terms are never echoed")
	}
	assert.Contains(t, public, "<https://slack.com/archives/C0WINS/p1794909600000100|see the post>")
	assert.NotContains(t, public, "claimed", "the capped wins are for the lead only")
	assert.Contains(t, text, "<@USARA> claimed 10h, counted 8h (1 cheer)")
	assert.Contains(t, text, "• *Legal* (not enrolled yet): 2 people, 2 questions about ChatGPT, Claude: <@ULENA>, <@ULUKE>")
	assert.True(t, strings.HasPrefix(lead.Text, "Lead digest · 7 wins saved 28 hours this week (+3)"), lead.Text)
	// Access requests come before the figures in the lead digest.
	assert.Less(t, strings.Index(text, "Teams asking for access"), strings.Index(text, "This week"))
}

// TestQuietWeek: an empty week is one friendly line in both digests.
func TestQuietWeek(t *testing.T) {
	d := Build(Input{}, testConfig(), end)
	m := RenderMessage(d, RenderOptions{})
	require.Len(t, m.Blocks, 1)
	assert.Contains(t, m.Text, "A quiet week")
	lead := RenderMessage(d, RenderOptions{Lead: true})
	assert.LessOrEqual(t, len(lead.Blocks), 2, "a header and one line")
	assert.NotContains(t, lead.Transcript, "0  (")
}

// TestFormatLargeTotals: large totals read as whole hours.
func TestFormatLargeTotals(t *testing.T) {
	for m, want := range map[int]string{45: "45 min", 120: "2h", 150: "2h 30m", 99*60 + 59: "99h 59m", 17105*60 + 24: "17,105 h", 1_000_000 * 60: "1,000,000 h"} {
		assert.Equal(t, want, FormatMinutes(m), m)
	}
	assert.Equal(t, "17,105 hours", hoursInWords(17105*60+24))
	assert.Equal(t, "28 hours", hoursInWords(28*60+5))
	assert.Equal(t, "1 hour", hoursInWords(70))
	assert.Equal(t, "45 minutes", hoursInWords(45))
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
			// A section needs a text, fields, or both.
			assert.True(t, b.Text != nil || len(b.Fields) > 0, "block %d", i)
			if b.Text != nil {
				assert.NoError(t, b.Text.Validate(), "block %d", i)
			}
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
		{"MoreThanListed", []string{"a"}, 5, 3000, "…and 2,999 more wins_"},
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
