package digest

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/store"
)

// tipWorld is a small store for the tips rules: in the week (16 to 23 Nov)
// USAM (Sales) and UOLGA (Ops) share tips; the week before, USARA did.
//   - USAM's tip T1 (ChatGPT): tried by UOLGA and UOMAR (Ops: across
//     teams) and USARA (Sales), saved by UOMAR (and by USAM, whose own
//     save counts for nobody) → score 4;
//   - UOLGA's tip T2: tried by UOMAR (Ops, her own team), saved by USAM
//     and USVEN → score 3;
//   - USARA's tip T0 (last week): tried last week by UEVA (Eng: across),
//     and this week by nobody; saved by USAM → score 2;
//   - a held tip T3 by USVEN (Sales) this week, tried by UOLGA (Ops,
//     across teams): counted, never quoted;
//   - a tip awaiting approval counts nowhere;
//   - a reaction on T1's post and one win by USAM.
func tipWorld(t *testing.T) (*store.Store, map[string]uint64) {
	t.Helper()
	clock := nov(1, 9, 0)
	st, err := store.Open(filepath.Join(t.TempDir(), "flywheel.db"), store.Options{Now: func() time.Time { return clock }})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, st.Check()); assert.NoError(t, st.Close()) })
	ids := map[string]uint64{}
	add := func(name string, w store.Win) {
		require.NoError(t, st.Update(func(tx *store.Tx) error { return tx.AddWin(&w) }))
		ids[name] = w.ID
	}
	tip := func(name string, at time.Time, author, team, text string, tools []string) store.Win {
		return store.Win{At: at, Author: author, Team: team, Text: text, Tools: tools, Source: store.SourceCommand, Kind: store.KindTip,
			PostChannel: "C0TIPS", PostTS: "1700000000.00000" + name[1:]}
	}
	add("T0", tip("T0", nov(10, 10, 0), "USARA", "Sales", "Ask for three options, not one", nil))
	add("T1", tip("T1", nov(17, 10, 0), "USAM", "Sales", "Start ChatGPT prompts with the audience\nsecond line", []string{"ChatGPT"}))
	add("T2", tip("T2", nov(18, 10, 0), "UOLGA", "Ops", "Paste the rota as CSV", nil))
	held := tip("T3", nov(19, 10, 0), "USVEN", "Sales", "Project Falcon prompt pack", nil)
	held.Held = true
	add("T3", held)
	waiting := tip("T4", nov(19, 11, 0), "UEVA", "Eng", "From a DM", nil)
	waiting.AwaitingApproval = true
	add("T4", waiting)
	add("W1", store.Win{At: nov(17, 11, 0), Author: "USAM", Team: "Sales", Text: "A win", MinutesSaved: 60, Source: store.SourceCommand,
		PostChannel: "C0WINS", PostTS: "1700000001.000100"})
	mark := func(at time.Time, tip, user string, kind store.TipMarkKind) {
		clock = at
		require.NoError(t, st.Update(func(tx *store.Tx) error { _, err := tx.MarkTip(ids[tip], user, kind); return err }))
	}
	mark(nov(11, 9, 0), "T0", "UEVA", store.MarkTry)
	mark(nov(12, 9, 0), "T0", "USAM", store.MarkSave)
	mark(nov(17, 12, 0), "T1", "UOLGA", store.MarkTry)
	mark(nov(17, 13, 0), "T1", "UOMAR", store.MarkTry)
	mark(nov(17, 14, 0), "T1", "USARA", store.MarkTry)
	mark(nov(17, 15, 0), "T1", "UOMAR", store.MarkSave)
	mark(nov(17, 16, 0), "T1", "USAM", store.MarkSave) // one's own: no colleague taught
	mark(nov(18, 12, 0), "T2", "UOMAR", store.MarkTry)
	mark(nov(18, 13, 0), "T2", "USAM", store.MarkSave)
	mark(nov(18, 14, 0), "T2", "USVEN", store.MarkSave)
	mark(nov(19, 12, 0), "T3", "UOLGA", store.MarkTry)
	mark(nov(19, 13, 0), "T4", "UOLGA", store.MarkTry)
	clock = nov(17, 17, 0)
	require.NoError(t, st.Update(func(tx *store.Tx) error {
		_, err := tx.SetReaction(ids["T1"], "ULENA", "fire", true, "")
		return err
	}))
	clock = end
	return st, ids
}

func TestTeaching(t *testing.T) {
	st, ids := tipWorld(t)
	in, err := Load(st, end)
	require.NoError(t, err)
	d := Build(in, testConfig(), end)
	require.NotNil(t, d.Teaching)
	tc := d.Teaching
	assert.Equal(t, Count{3, 1}, tc.Tips, "T1, T2, T3 this week; T0 the week before; T4 awaits approval")
	assert.Equal(t, Count{3, 1}, tc.Teachers, "USAM, UOLGA, USVEN; USARA")
	assert.Equal(t, Count{2, 1}, tc.CrossTeamTips, "T1 and T3 (Ops tried Sales tips); T0 last week (Eng)")
	require.Len(t, tc.MostTried, 3)
	assert.Equal(t, TopTip{ID: ids["T1"], Author: "USAM", Team: "Sales", Excerpt: "Start ChatGPT prompts with the audience", Tries: 3, Saves: 1,
		Link: "https://slack.com/archives/C0TIPS/p1700000000000001"}, tc.MostTried[0])
	assert.Equal(t, ids["T2"], tc.MostTried[1].ID, "1 try each for T2 and T3: T2's 2 saves first")
	assert.Equal(t, TopTip{ID: ids["T3"], Author: "USVEN", Team: "Sales", Withheld: true, Tries: 1,
		Link: "https://slack.com/archives/C0TIPS/p1700000000000003"}, tc.MostTried[2], "held: counted, never quoted")

	assert.Equal(t, Count{1, 0}, d.Headline.Wins, "tips are no wins")
	assert.Equal(t, Count{1, 0}, d.Headline.Sharers)
	assert.Equal(t, Count{1, 0}, d.Headline.ActiveUsers, "the win's author only: a reaction on a tip is no cheer")

	n := NumbersOf(d)
	require.NotNil(t, n.Teaching)
	assert.Equal(t, []int{3, 1, 1}, n.Teaching.MostTried)

	public := RenderMessage(d, RenderOptions{}).Transcript
	assert.Contains(t, public, ":mortar_board: *People teaching each other*: 3 people shared 3 tips, 2 tips tried across teams.",
		"the public digest counts it among the signals, naming nobody")
	assert.NotContains(t, public, "USAM")
	text := RenderMessage(d, RenderOptions{Lead: true}).Transcript // the section with names is in the lead digest
	assert.Contains(t, text, ":mortar_board: *People teaching each other*: 3 people shared 3 tips (+2) · 2 tips tried by someone from another team")
	assert.Contains(t, text, "• <@USAM> “Start ChatGPT prompts with the audience” · tried by 3 colleagues · 1 save · <https://slack.com/archives/C0TIPS/p1700000000000001|see it>")
	assert.NotContains(t, text, "Project Falcon", "a held tip is never quoted")

	t.Run("AWeekHoldsStill", func(t *testing.T) {
		require.NoError(t, st.Update(func(tx *store.Tx) error {
			_, err := tx.MarkTip(ids["T1"], "UEVA", store.MarkSave) // at end: after the week
			return err
		}))
		again, err := Load(st, end)
		require.NoError(t, err)
		d2 := Build(again, testConfig(), end)
		assert.Equal(t, tc.MostTried, d2.Teaching.MostTried, "a save made since changes no past week")
		assert.Equal(t, NumbersOf(d).Teaching, NumbersOf(d2).Teaching)
	})
	t.Run("TeamSlice", func(t *testing.T) {
		assert.Nil(t, BuildTeam(in, testConfig(), end, "Sales").Teaching, "the section is the company's")
	})
}

// TestTipsInTrends: the weekly trend counts tips by the digest's rule,
// for the company and for a team (its own tips), from rollups or a recount.
func TestTipsInTrends(t *testing.T) {
	st, _ := tipWorld(t)
	cfg := testConfig()
	for _, tt := range []struct {
		team           string
		tips, teachers [2]int // the week before, the week
	}{
		{"", [2]int{1, 3}, [2]int{1, 3}},
		{"Sales", [2]int{1, 2}, [2]int{1, 2}}, // T0; T1 and T3
		{"Ops", [2]int{0, 1}, [2]int{0, 1}},   // T2
	} {
		t.Run("Team"+tt.team, func(t *testing.T) {
			for _, rollups := range []bool{false, true, true} { // recount, keep, read back
				tr, err := trends(st, cfg, end, 2, tt.team, rollups)
				require.NoError(t, err)
				require.Len(t, tr.Weeks, 2)
				assert.Equal(t, tt.tips, [2]int{tr.Weeks[0].Tips, tr.Weeks[1].Tips})
				assert.Equal(t, tt.teachers, [2]int{tr.Weeks[0].Teachers, tr.Weeks[1].Teachers})
			}
		})
	}
}

// TestAWeekOfTipsIsNotQuiet: a week with tips and nothing else still
// says so in the public digest.
func TestAWeekOfTipsIsNotQuiet(t *testing.T) {
	in := Input{End: end, Tips: map[uint64]TipFacts{7: {Win: store.Win{ID: 7, At: nov(18, 9, 0), Author: "UEVA", Team: "Eng",
		Text: "Ask for a table", Kind: store.KindTip, Source: store.SourceCommand}}}}
	d := Build(in, testConfig(), end)
	assert.False(t, Quiet(d))
	public := RenderMessage(d, RenderOptions{}).Transcript
	assert.Contains(t, public, "No wins shared this week")
	assert.Contains(t, public, ":mortar_board: *People teaching each other*: 1 person shared 1 tip.")
	assert.NotContains(t, public, "UEVA", "no names in the public digest's line")
	assert.True(t, Quiet(Build(Input{End: end}, testConfig(), end)), "nothing at all is quiet")
}

func TestBestTips(t *testing.T) {
	st, ids := tipWorld(t)
	cfg := testConfig()
	require.NoError(t, st.View(func(tx *store.Tx) error {
		best, err := BestTips(tx, nil, 10)
		require.NoError(t, err)
		var got []uint64
		for _, f := range best {
			got = append(got, f.ID)
		}
		assert.Equal(t, []uint64{ids["T1"], ids["T2"], ids["T0"]}, got, "by score (4, 3, 2); held and unapproved tips never listed; wins never")
		assert.Equal(t, 4, TipScore(best[0]))
		assert.Equal(t, []string{"UOMAR"}, best[0].Savers, "one's own save is no colleague's")

		byTool, err := BestTips(tx, TipQuery(cfg, "chatgpt"), 10)
		require.NoError(t, err)
		require.Len(t, byTool, 1)
		assert.Equal(t, ids["T1"], byTool[0].ID)
		byWords, err := BestTips(tx, TipQuery(cfg, "ROTA csv"), 10)
		require.NoError(t, err)
		require.Len(t, byWords, 1)
		assert.Equal(t, ids["T2"], byWords[0].ID)
		top, err := BestTips(tx, nil, 1)
		require.NoError(t, err)
		assert.Len(t, top, 1)
		return nil
	}))
	t.Run("TiesNewestFirst", func(t *testing.T) {
		st2, _ := tipWorld(t)
		var a, b uint64
		require.NoError(t, st2.Update(func(tx *store.Tx) error {
			x := store.Win{At: nov(20, 9, 0), Author: "UEVA", Text: "older", Source: store.SourceCommand, Kind: store.KindTip}
			y := store.Win{At: nov(21, 9, 0), Author: "UEVA", Text: "newer", Source: store.SourceCommand, Kind: store.KindTip}
			if err := tx.AddWin(&x); err != nil {
				return err
			}
			a = x.ID
			if err := tx.AddWin(&y); err != nil {
				return err
			}
			b = y.ID
			return nil
		}))
		require.NoError(t, st2.View(func(tx *store.Tx) error {
			best, err := BestTips(tx, TipQuery(cfg, "er"), 10)
			require.NoError(t, err)
			require.Len(t, best, 2)
			assert.Equal(t, []uint64{b, a}, []uint64{best[0].ID, best[1].ID})
			return nil
		}))
	})
}
