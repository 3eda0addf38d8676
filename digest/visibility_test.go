package digest

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/store"
)

// TestVisibilityInTheDigest: USAM's win shared without a name is counted
// (company and Sales) but never names him: not in top wins, spread or
// champions, though Ops people cheered it; USARA's team-only win is
// counted everywhere, its words only in the Sales slice.
func TestVisibilityInTheDigest(t *testing.T) {
	cfg := testConfig()
	anon := WinFacts{Win: store.Win{ID: 1, At: nov(17, 10, 0), Author: "USAM", Team: "Sales", Text: "Deck in an hour", MinutesSaved: 120,
		Source: store.SourceCommand, Visibility: store.VisibleAnonymous, ShownTeam: "Sales", PostChannel: "C0WINS", PostTS: "1.000001"},
		Amplifiers: []string{"UOLGA", "UOMAR"}}
	team := WinFacts{Win: store.Win{ID: 2, At: nov(18, 10, 0), Author: "USARA", Team: "Sales", Text: "Pipeline notes", MinutesSaved: 60,
		Source: store.SourceCommand, Visibility: store.VisibleToTeam, PostChannel: "C0SALES", PostTS: "1.000002"}}
	adopter := WinFacts{Win: store.Win{ID: 3, At: nov(19, 10, 0), Author: "UEVA", Team: "Eng", Text: "Tried it", MinutesSaved: 30,
		Source: store.SourceCommand, InspiredBy: 1, Visibility: store.VisibleAnonymous}}
	in := Input{End: end, Wins: []WinFacts{anon, team, adopter},
		FirstWin:  map[string]time.Time{"USAM": nov(17, 10, 0), "USARA": nov(18, 10, 0), "UEVA": nov(19, 10, 0)},
		Inspiring: map[uint64]store.Win{1: anon.Win}, Inspirations: []store.Inspiration{{At: nov(17, 12, 0), WinID: 1, User: "UOMAR"}}}
	d := Build(in, cfg, end)
	assert.Equal(t, Count{3, 0}, d.Headline.Wins, "every win counts")
	assert.Equal(t, 210, d.Headline.MinutesSaved.Now)
	assert.Equal(t, 3, d.Headline.Sharers.Now)
	require.Len(t, d.TopWins, 3)
	assert.Equal(t, TopWin{ID: 1, Colleague: "a colleague in Sales", Team: "Sales", Excerpt: "Deck in an hour", Minutes: 120, Amplifiers: 2,
		Link: "https://slack.com/archives/C0WINS/p1000001"}, d.TopWins[0])
	assert.True(t, d.TopWins[1].Withheld, "team-only words stay out of the company digest")
	assert.Equal(t, "USARA", d.TopWins[1].Author, "its author is named: only its words are the team's")
	assert.Empty(t, d.Bridges, "Ops cheering an anonymous win makes no one a champion")
	require.NotNil(t, d.Spread)
	require.Len(t, d.Spread.Inspiring, 1)
	assert.Equal(t, InspiringWin{WinID: 1, Colleague: "a colleague in Sales", Excerpt: "Deck in an hour", People: 2, Clicked: 1, Followed: 1}, d.Spread.Inspiring[0])
	require.Len(t, d.Spread.NewAdopters, 1, "counted")
	assert.Equal(t, Adopter{Team: "Eng", InspiredByTeam: "Sales", Colleague: "a colleague"}, d.Spread.NewAdopters[0])

	public, lead := RenderMessage(d, RenderOptions{}), RenderMessage(d, RenderOptions{Lead: true})
	for _, m := range []Message{public, lead} {
		raw, err := BuilderJSON(m.Blocks)
		require.NoError(t, err)
		for _, s := range []string{m.Text, m.Transcript, string(raw)} {
			assert.NotContains(t, s, "USAM")
			assert.NotContains(t, s, "UEVA")
			assert.NotContains(t, s, "Pipeline notes")
		}
	}
	if d.TopWins[0].Amplifiers > 0 {
		assert.Contains(t, public.Transcript, "1. a colleague in Sales “Deck in an hour”")
	}
	assert.Contains(t, lead.Transcript, "• a colleague in Sales “Deck in an hour”: 1 person clicked I'll try this, 1 person shared a win after it")

	sales := BuildTeam(in, cfg, end, "Sales")
	var excerpts []string
	for _, w := range sales.TopWins {
		excerpts = append(excerpts, w.Excerpt)
	}
	assert.Contains(t, strings.Join(excerpts, "|"), "Pipeline notes", "its team's slice shows it")
}
