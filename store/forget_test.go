package store

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

// People in the forget tests; long IDs so no one's is inside another's.
const (
	gone  = "UGONE00001" // the person who asks to be forgotten
	stays = "USTAYS0002"
	other = "UOTHER0003"
)

// forgetFixture is a small world in which gone wrote, cheered, nominated,
// asked and answered.
type forgetFixture struct {
	goneWin, goneWin2, staysWin, nominated Win
	goneQ, staysQ                          Question
}

func seedForget(t *testing.T, s *Store) forgetFixture {
	t.Helper()
	var f forgetFixture
	require.NoError(t, s.Update(func(tx *Tx) error {
		f.goneWin = Win{Author: gone, Text: "Drafted <the> Q3 plan & more in 20 minutes", Source: SourceCommand, PostChannel: "CWINS", PostTS: "1.1"}
		f.goneWin2 = Win{Author: gone, Nominator: stays, Text: "nominated", Source: SourceNomination, SourceChannel: "CSALES", SourceTS: "1.2"}
		f.staysWin = Win{Author: stays, Text: "their win", Source: SourceCommand, PostChannel: "CWINS", PostTS: "1.3"}
		f.nominated = Win{Author: other, Nominator: gone, Text: "other's win", Source: SourceNomination}
		for _, w := range []*Win{&f.goneWin, &f.goneWin2, &f.staysWin, &f.nominated} {
			require.NoError(t, tx.AddWin(w))
		}
		for _, r := range []struct {
			win  uint64
			user string
		}{{f.goneWin.ID, stays}, {f.goneWin.ID, other}, {f.staysWin.ID, gone}, {f.staysWin.ID, other}} {
			_, err := tx.SetReaction(r.win, r.user, "fire", true, "2.1")
			require.NoError(t, err)
		}

		f.goneQ = Question{Asker: gone, Channel: "CHELP", TS: "3.1", Text: "can I use X?", Source: SourceHelpChannel}
		f.staysQ = Question{Asker: stays, Channel: "CHELP", TS: "3.2", Text: "how do I build Y?", Source: SourceHelpChannel}
		require.NoError(t, tx.AddQuestion(&f.goneQ))
		require.NoError(t, tx.AddQuestion(&f.staysQ))
		require.NoError(t, tx.IndexQuestionMessage("CCHAMPS", "3.3", f.goneQ.ID))
		require.NoError(t, tx.Schedule(Due{At: t0.Add(time.Hour), Kind: DueNudge, QuestionID: f.goneQ.ID}))
		require.NoError(t, tx.Schedule(Due{At: t0.Add(time.Hour), Kind: DueNudge, QuestionID: f.staysQ.ID}))
		for _, a := range []Answer{
			{QuestionID: f.staysQ.ID, Answerer: gone, Channel: "CHELP", TS: "3.4"},
			{QuestionID: f.staysQ.ID, Answerer: other, Channel: "CHELP", TS: "3.5"},
			{QuestionID: f.goneQ.ID, Answerer: stays, Channel: "CHELP", TS: "3.6"},
		} {
			require.NoError(t, tx.AddAnswer(&a))
		}
		require.NoError(t, tx.MarkSeen("trig:1", []byte(`{"text":"Colleagues who did it: <@`+gone+`>"}`)))
		require.NoError(t, tx.MarkSeen("trig:2", []byte(`{"text":"nothing personal"}`)))
		f.staysQ.FirstAnswerer, f.staysQ.Answers = gone, 2
		require.NoError(t, tx.UpdateQuestion(&f.staysQ))

		for _, e := range []OutboxEntry{
			{Kind: OutboxPost, Channel: "CWINS", Text: "win post", WinID: f.goneWin.ID, WinPost: true},
			{Kind: OutboxPost, Channel: gone, Text: "a DM"},
			{Kind: OutboxPost, Channel: "CCHAMPS", Text: "routed", QuestionID: f.goneQ.ID, QuestionPost: true},
			{Kind: OutboxPost, Channel: "CWINS", Text: "kept", WinID: f.staysWin.ID, WinPost: true},
			{Kind: OutboxPost, Channel: stays, Text: "<@" + gone + "> nominated your message"},
			{Kind: OutboxPost, Channel: "CALL", Text: "digest", Blocks: []byte(`[{"type":"section","text":{"type":"mrkdwn","text":"1. “Drafted &lt;the&gt; Q3 plan &amp; more in 20…”"}}]`)},
		} {
			_, err := tx.Enqueue(e)
			require.NoError(t, err)
		}
		return nil
	}))
	return f
}

func TestForget(t *testing.T) {
	s, _ := openTest(t)
	f := seedForget(t, s)
	require.NoError(t, s.View(func(tx *Tx) error {
		fp, err := tx.Footprint(gone)
		require.NoError(t, err)
		assert.Equal(t, Footprint{Wins: 2, Questions: 1, Answers: 1}, fp)
		return nil
	}))

	var st ForgetStats
	require.NoError(t, s.Update(func(tx *Tx) error {
		var err error
		st, err = tx.Forget(gone, "Sales")
		return err
	}))
	p := ForgottenUser + "1"
	// Mentions: a first answer and a nomination. Dropped: the win post, the
	// DM, the routed question, the note naming them, the digest quoting them.
	assert.Equal(t, ForgetStats{Placeholder: p, Wins: 2, Questions: 1, Answers: 1, Reactions: 1, Mentions: 2, Dropped: 5, Replies: 1}, st)

	require.NoError(t, s.View(func(tx *Tx) error {
		mine, err := tx.WinsByUser(gone)
		require.NoError(t, err)
		assert.Empty(t, mine)
		husks, err := tx.WinsByUser(p)
		require.NoError(t, err)
		require.Len(t, husks, 2, "their wins still count, under the placeholder")
		for _, w := range husks {
			assert.Empty(t, w.Text+w.PostTS+w.SourceTS+w.PostChannel+w.SourceChannel, "no words, no link to a post naming them")
		}
		amps, err := tx.Amplifiers(f.goneWin.ID)
		require.NoError(t, err)
		assert.Equal(t, []string{other, stays}, amps, "cheers on their win still count")
		_, err = tx.WinByPost("CWINS", "1.1")
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = tx.WinBySource("CSALES", "1.2")
		assert.ErrorIs(t, err, ErrNotFound)

		amps, err = tx.Amplifiers(f.staysWin.ID)
		require.NoError(t, err)
		assert.Equal(t, []string{p, other}, amps, "a colleague keeps their cheer count")
		w, err := tx.Win(f.nominated.ID)
		require.NoError(t, err)
		assert.Equal(t, p, w.Nominator)
		w, err = tx.Win(f.staysWin.ID)
		require.NoError(t, err)
		assert.Equal(t, "CWINS", w.PostChannel, "others' wins are untouched")

		q, err := tx.Question(f.goneQ.ID)
		require.NoError(t, err)
		assert.Equal(t, p, q.Asker)
		assert.Empty(t, q.Text+q.TS)
		for _, m := range [][2]string{{"CHELP", "3.1"}, {"CCHAMPS", "3.3"}} {
			_, err = tx.QuestionByMessage(m[0], m[1])
			assert.ErrorIs(t, err, ErrNotFound)
		}
		q, err = tx.Question(f.staysQ.ID)
		require.NoError(t, err)
		assert.Equal(t, p, q.FirstAnswerer)
		assert.Equal(t, 2, q.Answers, "answer counts are kept")

		answers, err := tx.AnswersBetween(time.Unix(0, 0), t0.Add(time.Hour))
		require.NoError(t, err)
		require.Len(t, answers, 3)
		assert.Equal(t, []string{p, other, stays}, []string{answers[0].Answerer, answers[1].Answerer, answers[2].Answerer})

		first, err := tx.FirstWinAt(p)
		require.NoError(t, err)
		assert.Equal(t, t0, first, "the first win moves to the placeholder")
		first, err = tx.FirstWinAt(gone)
		require.NoError(t, err)
		assert.Zero(t, first)
		assert.Equal(t, map[string]string{p: "Sales"}, tx.ForgottenTeams())

		fp, err := tx.Footprint(gone)
		require.NoError(t, err)
		assert.Zero(t, fp)
		return nil
	}))
	due, err := s.DueBy(t0.Add(2*time.Hour), 10)
	require.NoError(t, err)
	assert.Equal(t, []Due{{At: t0.Add(time.Hour), Kind: DueNudge, QuestionID: f.staysQ.ID}}, due)
	pending, err := s.Outbox(10)
	require.NoError(t, err)
	require.Len(t, pending, 1)
	assert.Equal(t, "kept", pending[0].Text)
	require.NoError(t, s.View(func(tx *Tx) error {
		seen, ok, err := tx.Seen("trig:1")
		require.NoError(t, err)
		assert.True(t, ok, "redeliveries are still recognised")
		assert.Empty(t, seen.Ack, "but the reply naming them is not sent again")
		return nil
	}))

	// The strongest check: neither the ID nor the words appear in any record.
	require.NoError(t, s.db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				for _, needle := range []string{gone, "Q3 plan", "can I use X"} {
					assert.False(t, bytes.Contains(k, []byte(needle)) || bytes.Contains(v, []byte(needle)),
						"bucket %s still holds %q: %q=%q", name, needle, k, v)
				}
				return nil
			})
		})
	}))

	t.Run("Again", func(t *testing.T) {
		require.NoError(t, s.Update(func(tx *Tx) error {
			st, err := tx.Forget(gone, "")
			assert.Zero(t, st.Wins+st.Questions+st.Answers+st.Reactions+st.Mentions+st.Dropped+st.Replies, "forgetting twice finds nothing")
			return err
		}))
	})
	t.Run("ErrNoUser", func(t *testing.T) {
		for _, u := range []string{"", ForgottenUser, p} {
			err := s.Update(func(tx *Tx) error { _, err := tx.Forget(u, ""); return err })
			assert.Error(t, err)
		}
	})
}

// TestForgetKeepsDistinctAmplifiers: two forgotten people who cheered a
// win stay two amplifiers, so the win stays over the cap's two-cheer bar.
func TestForgetKeepsDistinctAmplifiers(t *testing.T) {
	s, _ := openTest(t)
	var w Win
	require.NoError(t, s.Update(func(tx *Tx) error {
		w = Win{Author: stays, Text: "big one", MinutesSaved: 900, Source: SourceCommand}
		require.NoError(t, tx.AddWin(&w))
		for _, u := range []string{gone, other} {
			if _, err := tx.SetReaction(w.ID, u, "tada", true, "2.1"); err != nil {
				return err
			}
		}
		return nil
	}))
	for _, u := range []string{gone, other} {
		require.NoError(t, s.Update(func(tx *Tx) error { _, err := tx.Forget(u, ""); return err }))
	}
	require.NoError(t, s.View(func(tx *Tx) error {
		amps, err := tx.Amplifiers(w.ID)
		require.NoError(t, err)
		assert.Len(t, amps, 2)
		for _, a := range amps {
			assert.True(t, IsForgotten(a), a)
		}
		cheers, err := tx.CheersMadeBetween(t0, t0.Add(time.Second))
		require.NoError(t, err)
		assert.Len(t, cheers, 2, "the time index follows")
		return nil
	}))
}

func TestPrune(t *testing.T) {
	s, c := openTest(t)
	old, recent := t0.Add(-40*24*time.Hour), t0.Add(-24*time.Hour)
	var oldWin, newWin Win
	var oldQ, newQ Question
	c.t = t0.Add(-3 * 24 * time.Hour)
	require.NoError(t, s.Update(func(tx *Tx) error { return tx.MarkSeen("ev:old", nil) }))
	c.t = t0
	require.NoError(t, s.Update(func(tx *Tx) error {
		require.NoError(t, tx.MarkSeen("ev:new", nil))
		oldWin = Win{Author: stays, At: old, Text: "old", Source: SourceCommand, PostChannel: "CWINS", PostTS: "1.1"}
		newWin = Win{Author: stays, At: recent, Text: "new", Source: SourceCommand, PostChannel: "CWINS", PostTS: "1.2"}
		require.NoError(t, tx.AddWin(&oldWin))
		require.NoError(t, tx.AddWin(&newWin))
		_, err := tx.SetReaction(newWin.ID, other, "fire", true, "2.1")
		require.NoError(t, err)
		oldQ = Question{Asker: stays, At: old, Channel: "CHELP", TS: "3.1", Text: "old?", Source: SourceHelpChannel}
		newQ = Question{Asker: stays, At: recent, Channel: "CHELP", TS: "3.2", Text: "new?", Source: SourceHelpChannel}
		require.NoError(t, tx.AddQuestion(&oldQ))
		require.NoError(t, tx.AddQuestion(&newQ))
		require.NoError(t, tx.Schedule(Due{At: old.Add(time.Hour), Kind: DueFollowUp, QuestionID: oldQ.ID}))
		require.NoError(t, tx.AddAnswer(&Answer{QuestionID: oldQ.ID, At: old.Add(time.Hour), Answerer: other, Channel: "CHELP", TS: "3.3"}))
		require.NoError(t, tx.AddAnswer(&Answer{QuestionID: newQ.ID, At: recent, Answerer: other, Channel: "CHELP", TS: "3.4"}))
		_, err = tx.Enqueue(OutboxEntry{Kind: OutboxPost, Channel: "CWINS", WinID: oldWin.ID, WinPost: true})
		return err
	}))
	// Long ago: a cheer on the old win, an "I'll try this" click, a post
	// given up on. And an old win someone cheered recently.
	var cheeredWin Win
	c.t = old.Add(time.Hour)
	require.NoError(t, s.Update(func(tx *Tx) error {
		_, err := tx.SetReaction(oldWin.ID, other, "fire", true, "2.2")
		require.NoError(t, err)
		_, err = tx.AddInspiration(oldWin.ID, other)
		require.NoError(t, err)
		require.NoError(t, tx.NoteInteraction(stays))     // first win long ago: not needed
		require.NoError(t, tx.NoteInteraction("ULURK01")) // never shared a win
		require.NoError(t, tx.NoteInteraction(gone))      // first win recent: kept
		cheeredWin = Win{Author: other, At: old, Text: "old but cheered", Source: SourceCommand}
		require.NoError(t, tx.AddWin(&cheeredWin))
		id, err := tx.Enqueue(OutboxEntry{Kind: OutboxPost, Channel: "CGONE", CreatedAt: old})
		require.NoError(t, err)
		return tx.GiveUp(id, "channel_not_found")
	}))
	c.t = t0
	require.NoError(t, s.Update(func(tx *Tx) error {
		_, err := tx.SetReaction(cheeredWin.ID, stays, "fire", true, "2.3")
		require.NoError(t, err)
		w := Win{Author: gone, Text: "recent first", Source: SourceCommand}
		return tx.AddWin(&w)
	}))

	st, err := s.Prune(t0.Add(-30 * 24 * time.Hour))
	require.NoError(t, err)
	assert.Equal(t, PruneStats{Wins: 1, Reactions: 1, Questions: 1, Answers: 1, Inspirations: 1, Interactions: 2, DeadLetters: 1, Dedupe: 1}, st)

	require.NoError(t, s.View(func(tx *Tx) error {
		wins, err := tx.WinsBetween(time.Unix(0, 0), t0)
		require.NoError(t, err)
		require.Len(t, wins, 2)
		assert.Equal(t, []uint64{cheeredWin.ID, newWin.ID}, []uint64{wins[0].ID, wins[1].ID}, "a win cheered since the cut-off stays")
		first, err := tx.FirstWinAt(stays)
		require.NoError(t, err)
		assert.Equal(t, old, first, "a pruned first win is still the first win")
		touch, err := tx.FirstInteraction(gone)
		require.NoError(t, err)
		assert.False(t, touch.IsZero(), "the first interaction before a recent first win stays")
		for _, u := range []string{stays, "ULURK01"} {
			touch, err := tx.FirstInteraction(u)
			require.NoError(t, err)
			assert.True(t, touch.IsZero(), u)
		}
		users, err := tx.InspiredBy(oldWin.ID)
		require.NoError(t, err)
		assert.Empty(t, users)
		cheers, err := tx.CheersMadeBetween(time.Unix(0, 0), t0.Add(time.Hour))
		require.NoError(t, err)
		assert.Len(t, cheers, 2, "the old win's cheer left the time index")
		_, err = tx.WinByPost("CWINS", "1.1")
		assert.ErrorIs(t, err, ErrNotFound)
		mine, err := tx.WinsByUser(stays)
		require.NoError(t, err)
		assert.Len(t, mine, 1)
		dead := tx.tx.Bucket(bucketDead).Stats().KeyN
		assert.Zero(t, dead, "dead letters past retention go")
		amps, err := tx.Amplifiers(newWin.ID)
		require.NoError(t, err)
		assert.Equal(t, []string{other}, amps)
		_, err = tx.QuestionByMessage("CHELP", "3.1")
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = tx.QuestionByMessage("CHELP", "3.2")
		assert.NoError(t, err)
		answers, err := tx.AnswersBetween(time.Unix(0, 0), t0)
		require.NoError(t, err)
		require.Len(t, answers, 1)
		assert.Equal(t, "3.4", answers[0].TS)
		_, ok, err := tx.Seen("ev:new")
		require.NoError(t, err)
		assert.True(t, ok, "live dedupe records stay")
		return nil
	}))
	due, err := s.DueBy(t0, 10)
	require.NoError(t, err)
	assert.Empty(t, due)
	n, err := s.OutboxLen()
	require.NoError(t, err)
	assert.Zero(t, n)

	t.Run("NothingOld", func(t *testing.T) {
		st, err := s.Prune(t0.Add(-30 * 24 * time.Hour))
		require.NoError(t, err)
		assert.Zero(t, st)
	})
}
