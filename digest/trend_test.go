package digest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/config"
	"flywheel/store"
)

func trendConfig() *config.Config {
	cfg := testConfig()
	cfg.Tools = []config.Tool{{Name: "ChatGPT", Status: config.StatusApproved, HowTo: "ask IT"},
		{Name: "Claude", Status: config.StatusApproved, HowTo: "ask IT"}}
	return cfg
}

// history writes n weeks of random activity before end: wins (some
// inspired by earlier ones, some cheered by colleagues), questions at
// every stage (access ones from the teams outside the rollout, "yes"
// answers that sometimes turn into wins), answers. The store's clock is
// a SettleTime after end, so every week has closed and may be kept.
func history(t testing.TB, n int, seed uint64) *store.Store {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	cfg := trendConfig()
	var people []struct{ user, team string }
	for _, tm := range cfg.Teams {
		for _, m := range tm.Members {
			people = append(people, struct{ user, team string }{m, tm.Name})
		}
	}
	// The clock walks with the history: a cheer counts when it is made.
	clock := end.AddDate(0, 0, -7*n)
	st, err := store.Open(filepath.Join(t.TempDir(), "flywheel.db"), store.Options{Now: func() time.Time { return clock }})
	require.NoError(t, err)
	t.Cleanup(func() {
		assert.NoError(t, st.Check())
		assert.NoError(t, st.Close())
	})
	stages := []string{"what", "access", "how", "build", ""}
	var ids []uint64
	start := end.AddDate(0, 0, -7*n)
	for day := range 7 * n {
		base := start.AddDate(0, 0, day)
		clock = base.Add(23 * time.Hour)
		require.NoError(t, st.Update(func(tx *store.Tx) error {
			for k := range rng.IntN(4) {
				p := people[rng.IntN(len(people))]
				w := store.Win{At: base.Add(time.Duration(k+1) * time.Hour), Author: p.user, Team: p.team, Text: "win",
					MinutesSaved: 15 * rng.IntN(40), Source: store.SourceCommand, Tools: []string{"ChatGPT"},
					PostChannel: "C0WINS", PostTS: fmt.Sprintf("%d.%06d", base.Unix(), k)}
				if len(ids) > 0 && rng.IntN(4) == 0 {
					w.InspiredBy = ids[rng.IntN(len(ids))]
				}
				if rng.IntN(6) == 0 { // a tip: teaching, not a win
					w.Kind, w.InspiredBy = store.KindTip, 0
				}
				require.NoError(t, tx.AddWin(&w))
				ids = append(ids, w.ID)
				for range rng.IntN(3) {
					amp := people[rng.IntN(len(people))].user
					_, err := tx.SetReaction(w.ID, amp, "tada", true, fmt.Sprintf("%d.%06d", base.Unix()+60, k))
					require.NoError(t, err)
				}
			}
			for k := range rng.IntN(3) {
				p := people[rng.IntN(len(people))]
				q := store.Question{At: base.Add(time.Duration(10+k) * time.Hour), Asker: p.user, Team: p.team, Source: store.SourceHelpChannel,
					Channel: "C0HELP", TS: fmt.Sprintf("%d.%06d", base.Unix()+36000, k), Text: "q", Stage: stages[rng.IntN(len(stages))]}
				q.Enrolled = p.team != "Legal" && p.team != "Finance"
				if q.Stage == "access" && !q.Enrolled {
					q.AccessRequest, q.Tools = true, []string{"ChatGPT"}
				}
				if rng.IntN(3) == 0 {
					q.Tools, q.BotAnswered, q.Permission = []string{"Claude"}, true, true
				}
				require.NoError(t, tx.AddQuestion(&q))
				if rng.IntN(2) == 0 {
					a := people[rng.IntN(len(people))]
					at := q.At.Add(time.Duration(rng.IntN(600)) * time.Minute)
					require.NoError(t, tx.AddAnswer(&store.Answer{At: at, QuestionID: q.ID, Answerer: a.user, Team: a.team, AskerTeam: p.team,
						Channel: "C0HELP", TS: fmt.Sprintf("%d.%06d", at.Unix(), k), Latency: at.Sub(q.At)}))
					q.FirstAnswerAt, q.FirstAnswerer, q.Answers = at, a.user, 1
					require.NoError(t, tx.UpdateQuestion(&q))
				}
				if q.BotAnswered && rng.IntN(2) == 0 { // the "yes" turns into a win with that tool
					w := store.Win{At: q.At.Add(time.Duration(1+rng.IntN(20*24)) * time.Hour), Author: p.user, Team: p.team, Text: "tried Claude",
						MinutesSaved: 30, Source: store.SourceCommand, Tools: []string{"Claude"}}
					if w.At.Before(end) {
						require.NoError(t, tx.AddWin(&w))
					}
				}
			}
			return nil
		}))
	}
	clock = end.Add(store.SettleTime) // every week has closed and settled
	return st
}

// TestTrendCountsLikeTheDigest: the trend's last two weeks are the
// digest's "this week" and "last week", number for number.
func TestTrendCountsLikeTheDigest(t *testing.T) {
	st := history(t, 14, 1)
	cfg := trendConfig()
	tr, err := Trends(st, cfg, end, 12, "")
	require.NoError(t, err)
	require.Len(t, tr.Weeks, 12)
	in, err := Load(st, end)
	require.NoError(t, err)
	d := Build(in, cfg, end)
	now, prev := tr.Weeks[11], tr.Weeks[10]
	h := d.Headline
	assert.Equal(t, d.Start, now.Start)
	assert.Equal(t, d.End, now.End)
	for _, c := range []struct {
		name      string
		want      Count
		now, prev int
	}{
		{"wins", h.Wins, now.Wins, prev.Wins},
		{"minutes", h.MinutesSaved, now.Minutes, prev.Minutes},
		{"peer minutes", h.PeerConfirmedMinutes, now.PeerMinutes, prev.PeerMinutes},
		{"sharers", h.Sharers, now.Sharers, prev.Sharers},
		{"new contributors", h.NewContributors, now.NewContributors, prev.NewContributors},
		{"questions", h.Questions, now.Questions, prev.Questions},
		{"answered", h.Answered, now.Answered, prev.Answered},
		{"active users", h.ActiveUsers, now.ActiveUsers, prev.ActiveUsers},
	} {
		assert.Equal(t, c.want, Count{c.now, c.prev}, c.name)
	}
	assert.Positive(t, now.Wins)
	assert.Equal(t, h.MedianFirstAnswer.Now, now.MedianFirstAnswer)
	assert.Equal(t, h.MedianFirstAnswer.NowN, now.Timed)
	for i, s := range Stages {
		assert.Equal(t, d.Mix[i].Now, now.Stages[i], s)
		assert.Equal(t, d.Mix[i].Prev, prev.Stages[i], s)
	}
	assert.InDelta(t, d.Spread.Ratio, now.SpreadRatio(), 1e-9)
	assert.InDelta(t, d.Spread.PrevRatio, prev.SpreadRatio(), 1e-9)
	assert.Equal(t, d.Spread.Chains, now.Chains)
	require.NotNil(t, d.Teaching)
	assert.Positive(t, now.Tips+prev.Tips, "the history has tips")
	if d.Teaching != nil {
		assert.Equal(t, d.Teaching.Tips, Count{now.Tips, prev.Tips}, "tips")
		assert.Equal(t, d.Teaching.Teachers, Count{now.Teachers, prev.Teachers}, "teachers")
	}
	var access []TeamCount
	for _, a := range d.AccessRequests {
		access = append(access, TeamCount{a.Team, a.Questions})
	}
	assert.Equal(t, access, now.AccessTeams)

	team, err := Trends(st, cfg, end, 12, "Sales")
	require.NoError(t, err)
	ds := BuildTeam(in, cfg, end, "Sales")
	assert.Equal(t, ds.Headline.Wins, Count{team.Weeks[11].Wins, team.Weeks[10].Wins})
	assert.Equal(t, ds.Headline.MinutesSaved, Count{team.Weeks[11].Minutes, team.Weeks[10].Minutes})
	assert.Less(t, team.Weeks[11].Wins, now.Wins+1)
}

func recount(t *testing.T, st *store.Store, cfg *config.Config, n int, team string) Trend {
	t.Helper()
	tr, err := trends(st, cfg, end, n, team, false)
	require.NoError(t, err)
	return tr
}

func cached(t *testing.T, st *store.Store, cfg *config.Config, n int, team string) Trend {
	t.Helper()
	tr, err := Trends(st, cfg, end, n, team)
	require.NoError(t, err)
	return tr
}

// TestRollupsAgreeWithARecount: what is kept for closed weeks is what a
// full recount says, also after a person is forgotten and after retention
// prunes old records (the weeks still within retention recount the same;
// older weeks keep their numbers).
func TestRollupsAgreeWithARecount(t *testing.T) {
	st := history(t, 20, 2)
	cfg := trendConfig()
	for _, team := range []string{"", "Sales", "Legal"} {
		first := cached(t, st, cfg, 12, team)
		assert.Equal(t, recount(t, st, cfg, 12, team), first, "team %q", team)
		assert.Equal(t, first, cached(t, st, cfg, 12, team), "read back from the rollups")
	}
	var kept int
	require.NoError(t, st.View(func(tx *store.Tx) error { kept = tx.CountWeekRollups(); return nil }))
	assert.Equal(t, 36, kept, "12 closed weeks for each of 3 trends")

	t.Run("AfterForget", func(t *testing.T) {
		require.NoError(t, st.Update(func(tx *store.Tx) error {
			if _, err := tx.Forget("USAM", "Sales"); err != nil {
				return err
			}
			return RecountAfterForget(tx, cfg)
		}))
		for _, team := range []string{"", "Sales"} {
			assert.Equal(t, recount(t, st, cfg, 12, team), cached(t, st, cfg, 12, team), "team %q", team)
		}
	})
	t.Run("AfterRetention", func(t *testing.T) {
		long := cached(t, st, cfg, 18, "")
		truth := recount(t, st, cfg, 12, "")
		cfg.Retention.Days = 7 * 13
		_, err := st.Prune(end.AddDate(0, 0, -cfg.Retention.Days))
		require.NoError(t, err)
		kept := cached(t, st, cfg, 12, "")
		assert.Equal(t, truth, kept, "pruning changes no kept week")
		// A recount after pruning agrees on every figure, chains across
		// teams too: a win keeps the team of the older win that inspired
		// it, which pruning removed. (New contributors and adopters agree:
		// each person's first win is kept through retention.)
		assert.Positive(t, crossTeamLinksToPrunedWins(t, st, end.AddDate(0, 0, -7*12)), "the case is exercised")
		after := recount(t, st, cfg, 12, "")
		assert.Equal(t, kept, after, "weeks within retention")
		longAfter := cached(t, st, cfg, 18, "")
		assert.Equal(t, long.Weeks, longAfter.Weeks, "weeks past retention keep the numbers they had")
		assert.Zero(t, recount(t, st, cfg, 18, "").Weeks[0].Wins, "their records are gone")
		assert.Positive(t, longAfter.Weeks[0].Wins)

		require.NoError(t, st.Update(func(tx *store.Tx) error {
			if _, err := tx.Forget("UOLGA", "Ops"); err != nil {
				return err
			}
			return RecountAfterForget(tx, cfg)
		}))
		assert.Equal(t, recount(t, st, cfg, 12, ""), cached(t, st, cfg, 12, ""), "forget after retention")
		assert.Equal(t, longAfter.Weeks[:4], cached(t, st, cfg, 18, "").Weeks[:4], "forget leaves weeks past retention alone")
	})
	t.Run("SettingsChange", func(t *testing.T) {
		before := cached(t, st, cfg, 12, "")
		cfg.Wins.MaxMinutesPerWin = 60
		capped := cached(t, st, cfg, 12, "")
		assert.Equal(t, recount(t, st, cfg, 12, ""), capped, "a new cap recounts instead of reusing")
		assert.NotEqual(t, before.Weeks, capped.Weeks)
	})
}

// crossTeamLinksToPrunedWins counts the wins since from linked to a win of
// another team that is no longer kept.
func crossTeamLinksToPrunedWins(t *testing.T, st *store.Store, from time.Time) int {
	t.Helper()
	n := 0
	require.NoError(t, st.View(func(tx *store.Tx) error {
		return tx.EachWinBetween(from, end, func(w *store.Win) error {
			if _, err := tx.Win(w.InspiredBy); w.InspiredBy != 0 && errors.Is(err, store.ErrNotFound) &&
				w.InspiredByTeam != "" && w.InspiredByTeam != w.Team {
				n++
			}
			return nil
		})
	}))
	return n
}

func TestConversion(t *testing.T) {
	st := history(t, 14, 3)
	cfg := trendConfig()
	tr := cached(t, st, cfg, 12, "")
	c := tr.Conversion
	require.Positive(t, c.All.Told)
	assert.Positive(t, c.All.Converted)
	assert.LessOrEqual(t, c.All.Converted, c.All.Told)
	sum := 0
	for _, r := range c.ByTeam {
		sum += r.Told
	}
	assert.Equal(t, c.All.Told, sum)

	// By hand: one person told yes about Claude on 2 Nov; a Claude win 10
	// days later converts, a ChatGPT win does not, nor one after 14 days.
	st2 := openFixtureAt(t, installed, nil, nil)
	require.NoError(t, st2.Update(func(tx *store.Tx) error {
		for _, q := range []store.Question{
			{At: nov(2, 10, 0), Asker: "USAM", Team: "Sales", Stage: "how", Tools: []string{"Claude"}, BotAnswered: true},
			{At: nov(3, 10, 0), Asker: "UOLGA", Team: "Ops", Stage: "how", Tools: []string{"Claude"}, BotAnswered: true},
			{At: nov(4, 10, 0), Asker: "UENZO", Team: "Eng", Stage: "build", Tools: []string{"ChatGPT"}, BotAnswered: true},
			{At: nov(4, 11, 0), Asker: "UEVA", Team: "Eng", Stage: "what", Tools: []string{"Claude"}}, // routed, not a "yes"
		} {
			q.Source = store.SourceAsk
			require.NoError(t, tx.AddQuestion(&q))
		}
		for _, w := range []store.Win{
			{At: nov(12, 10, 0), Author: "USAM", Team: "Sales", Tools: []string{"claude"}, MinutesSaved: 30},
			{At: nov(20, 10, 0), Author: "UOLGA", Team: "Ops", Tools: []string{"Claude"}, MinutesSaved: 30},
			{At: nov(5, 10, 0), Author: "UENZO", Team: "Eng", Tools: []string{"Claude"}, MinutesSaved: 30},
			{At: nov(5, 10, 0), Author: "UEVA", Team: "Eng", Tools: []string{"Claude"}, MinutesSaved: 30},
		} {
			w.Source, w.Text = store.SourceCommand, "win"
			require.NoError(t, tx.AddWin(&w))
		}
		return nil
	}))
	got := cached(t, st2, cfg, 4, "").Conversion
	assert.Equal(t, ConversionCount{Told: 3, Converted: 1}, got.All)
	assert.Equal(t, []ConversionRow{{"how", ConversionCount{2, 1}}, {"build", ConversionCount{1, 0}}}, got.ByStage, "in stage order")
	assert.Equal(t, []ConversionRow{{"Eng", ConversionCount{1, 0}}, {"Ops", ConversionCount{1, 0}}, {"Sales", ConversionCount{1, 1}}}, got.ByTeam)
}
