package digest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/store"
)

// addTeamEdges writes the records that make a win's team hard to tell,
// in the week before end and the one before it: wins recorded without a
// team by people the config doesn't place (their team learned from
// another win, a question or an answer, or from nothing), a win recorded
// in a team other than its author's configured one, nominations awaiting
// approval and tips (which teach the roster nothing), claims over the cap
// with and without two cheers, a self-cheer, and a person forgotten.
func addTeamEdges(t *testing.T, st *store.Store) {
	t.Helper()
	day := func(d int, h int) time.Time { return end.AddDate(0, 0, -d).Add(time.Duration(h) * time.Hour) }
	require.NoError(t, st.Update(func(tx *store.Tx) error {
		wins := []store.Win{
			{At: day(2, 1), Author: "UNEW", MinutesSaved: 90},               // learned from a question: Research
			{At: day(10, 2), Author: "UNEW", MinutesSaved: 600},             // the week before, same person
			{At: day(3, 3), Author: "UWIN", MinutesSaved: 45},               // learned from their other win
			{At: day(15, 1), Author: "UWIN", Team: "Ops", MinutesSaved: 20}, // in the margin before the weeks: still teaches
			{At: day(4, 4), Author: "UANS", MinutesSaved: 700},              // learned from an answer: Legal
			{At: day(5, 5), Author: "UNONE", MinutesSaved: 30},              // nobody knows their team
			{At: day(6, 6), Author: "USAM", MinutesSaved: 25},               // teamless, but the config says Sales
			{At: day(1, 7), Author: "USARA", Team: "Ops", MinutesSaved: 35}, // recorded in another team
			{At: day(2, 8), Author: "UWAIT", Team: "Eng", MinutesSaved: 500, AwaitingApproval: true},
			{At: day(2, 9), Author: "UWAIT", MinutesSaved: 40},                     // their awaiting win teaches nothing
			{At: day(3, 10), Author: "UTIP", Team: "Support", Kind: store.KindTip}, // nor does a tip
			{At: day(3, 11), Author: "UTIP", MinutesSaved: 50},
			{At: day(8, 12), Author: "USVEN", Team: "Sales", MinutesSaved: 900}, // over the cap, two cheers lift it
			{At: day(9, 13), Author: "USVEN", Team: "Sales", MinutesSaved: 900}, // over the cap, a self-cheer and one peer
			{At: day(11, 3), Author: "UOMAR", Team: "Ops", MinutesSaved: 60},    // forgotten below
		}
		for i := range wins {
			w := &wins[i]
			w.Source, w.Text, w.Tools = store.SourceCommand, "win", []string{"Claude"}
			w.PostChannel, w.PostTS = "C0WINS", fmt.Sprintf("%d.%06d", w.At.Unix(), 900+i)
			if err := tx.AddWin(w); err != nil {
				return err
			}
		}
		for _, c := range []struct {
			win  int
			who  []string
			gone bool
		}{{12, []string{"UOLGA", "UENZO"}, false}, {13, []string{"USVEN", "UOLGA"}, false}, {0, []string{"USAM"}, true}} {
			for _, who := range c.who {
				if _, err := tx.SetReaction(wins[c.win].ID, who, "tada", true, wins[c.win].PostTS); err != nil {
					return err
				}
				if c.gone {
					if _, err := tx.SetReaction(wins[c.win].ID, who, "tada", false, wins[c.win].PostTS); err != nil {
						return err
					}
				}
			}
		}
		q := store.Question{At: day(5, 2), Asker: "UNEW", Team: "Research", Source: store.SourceAsk, Text: "q", Stage: "how"}
		if err := tx.AddQuestion(&q); err != nil {
			return err
		}
		q2 := store.Question{At: day(4, 1), Asker: "USUE", Team: "Support", Source: store.SourceHelpChannel, Channel: "C0HELP",
			TS: "1.000001", Text: "q", Stage: "how"}
		if err := tx.AddQuestion(&q2); err != nil {
			return err
		}
		if err := tx.AddAnswer(&store.Answer{At: day(4, 2), QuestionID: q2.ID, Answerer: "UANS", Team: "Legal", AskerTeam: "Support",
			Channel: "C0HELP", TS: "1.000002", Latency: time.Hour}); err != nil {
			return err
		}
		_, err := tx.Forget("UOMAR", "Ops")
		return err
	}))
}

// Minutes is a win's claimed minutes, for the table above.
func Minutes(n int) (string, int) { return "", n }

// TestTeamWeekOfMatchesBuildTeam: the Home tab's team line, read with
// TeamWeekOf, is the team digest's headline (BuildTeam on what Gather
// reads) for every team, on random weeks and on the records that make a
// win's team hard to tell, at a firing, mid-week and across a
// daylight-saving change.
func TestTeamWeekOfMatchesBuildTeam(t *testing.T) {
	st := history(t, 6, 11)
	addTeamEdges(t, st)
	cfg := trendConfig()
	teams := []string{"Research", "Nobody"}
	for _, tm := range cfg.Teams {
		teams = append(teams, tm.Name)
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	cases := []struct {
		name string
		zone string
		end  time.Time
	}{
		{"AtAFiring", "UTC", end},
		{"MidWeek", "UTC", end.AddDate(0, 0, -3).Add(5*time.Hour + 17*time.Minute)},
		{"AfterTheLastRecord", "UTC", end.AddDate(0, 0, 5)},
		{"AcrossDaylightSaving", "Europe/Berlin", time.Date(2026, 11, 2, 9, 0, 0, 0, berlin)}, // clocks went back on 25 Oct
	}
	seen := map[string]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg.Digest.Timezone = c.zone
			require.NoError(t, st.View(func(tx *store.Tx) error {
				in, err := Gather(tx, c.end, 2)
				require.NoError(t, err)
				for _, team := range teams {
					want := BuildTeam(in, cfg, c.end, team).Headline
					got, err := TeamWeekOf(tx, cfg, team, c.end)
					require.NoError(t, err)
					assert.Equal(t, TeamWeek{Wins: want.Wins, Minutes: want.MinutesSaved}, got, "team %s", team)
					if got.Wins.Now > 0 && got.Wins.Prev > 0 {
						seen[team] = true
					}
				}
				return nil
			}))
		})
	}
	cfg.Digest.Timezone = "UTC"
	assert.True(t, seen["Sales"] && seen["Ops"], "the comparison saw busy weeks: %v", seen)

	// The hard cases count where the digest counts them.
	require.NoError(t, st.View(func(tx *store.Tx) error {
		research, err := TeamWeekOf(tx, cfg, "Research", end)
		require.NoError(t, err)
		assert.Equal(t, TeamWeek{Wins: Count{1, 1}, Minutes: Count{90, 480}}, research, "UNEW's teamless wins, capped")
		_, err = TeamWeekOf(tx, cfg, "", end)
		assert.Error(t, err, "the company's week is Build's")
		return nil
	}))
}
