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
		f.goneWin = Win{Author: gone, Text: "my win", Source: SourceCommand, PostChannel: "CWINS", PostTS: "1.1"}
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
		st, err = tx.Forget(gone)
		return err
	}))
	// Mentions: a first answer, a nomination, a cheer, a queued note, a remembered ack.
	assert.Equal(t, ForgetStats{Wins: 2, Reactions: 2, Questions: 1, Answers: 1, Mentions: 5}, st)

	require.NoError(t, s.View(func(tx *Tx) error {
		mine, err := tx.WinsByUser(gone)
		require.NoError(t, err)
		assert.Empty(t, mine)
		for _, id := range []uint64{f.goneWin.ID, f.goneWin2.ID} {
			_, err = tx.Win(id)
			assert.ErrorIs(t, err, ErrNotFound)
			amps, err := tx.Amplifiers(id)
			require.NoError(t, err)
			assert.Empty(t, amps, "reactions on a forgotten win go with it")
		}
		_, err = tx.WinByPost("CWINS", "1.1")
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = tx.WinBySource("CSALES", "1.2")
		assert.ErrorIs(t, err, ErrNotFound)

		amps, err := tx.Amplifiers(f.staysWin.ID)
		require.NoError(t, err)
		assert.Equal(t, []string{ForgottenUser, other}, amps, "a colleague keeps their cheer count")
		w, err := tx.Win(f.nominated.ID)
		require.NoError(t, err)
		assert.Equal(t, ForgottenUser, w.Nominator)
		w, err = tx.Win(f.staysWin.ID)
		require.NoError(t, err)
		assert.Equal(t, "CWINS", w.PostChannel, "others' wins are untouched")

		_, err = tx.Question(f.goneQ.ID)
		assert.ErrorIs(t, err, ErrNotFound)
		for _, ts := range []string{"3.1", "3.3"} {
			_, err = tx.QuestionByMessage("CHELP", ts)
			assert.ErrorIs(t, err, ErrNotFound)
		}
		_, err = tx.QuestionByMessage("CCHAMPS", "3.3")
		assert.ErrorIs(t, err, ErrNotFound)
		q, err := tx.Question(f.staysQ.ID)
		require.NoError(t, err)
		assert.Equal(t, ForgottenUser, q.FirstAnswerer)
		assert.Equal(t, 2, q.Answers, "answer counts are kept")

		answers, err := tx.AnswersBetween(time.Unix(0, 0), t0.Add(time.Hour))
		require.NoError(t, err)
		require.Len(t, answers, 3)
		assert.Equal(t, []string{ForgottenUser, other, stays}, []string{answers[0].Answerer, answers[1].Answerer, answers[2].Answerer})

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
	require.Len(t, pending, 2)
	assert.Equal(t, "kept", pending[0].Text)
	assert.Equal(t, "<@"+ForgottenUser+"> nominated your message", pending[1].Text, "a colleague's note keeps its shape")
	require.NoError(t, s.View(func(tx *Tx) error {
		seen, ok, err := tx.Seen("trig:1")
		require.NoError(t, err)
		assert.True(t, ok, "redeliveries are still recognised")
		assert.JSONEq(t, `{"text":"Colleagues who did it: <@`+ForgottenUser+`>"}`, string(seen.Ack))
		return nil
	}))

	// The strongest check: the ID appears nowhere in the file.
	require.NoError(t, s.db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				assert.False(t, bytes.Contains(k, []byte(gone)) || bytes.Contains(v, []byte(gone)),
					"bucket %s still names the forgotten user: %q=%q", name, k, v)
				return nil
			})
		})
	}))

	t.Run("Again", func(t *testing.T) {
		require.NoError(t, s.Update(func(tx *Tx) error {
			st, err := tx.Forget(gone)
			assert.Zero(t, st, "forgetting twice finds nothing")
			return err
		}))
	})
	t.Run("ErrNoUser", func(t *testing.T) {
		for _, u := range []string{"", ForgottenUser} {
			err := s.Update(func(tx *Tx) error { _, err := tx.Forget(u); return err })
			assert.Error(t, err)
		}
	})
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
		for _, id := range []uint64{oldWin.ID, newWin.ID} {
			_, err := tx.SetReaction(id, other, "fire", true, "2.1")
			require.NoError(t, err)
		}
		oldQ = Question{Asker: stays, At: old, Channel: "CHELP", TS: "3.1", Text: "old?", Source: SourceHelpChannel}
		newQ = Question{Asker: stays, At: recent, Channel: "CHELP", TS: "3.2", Text: "new?", Source: SourceHelpChannel}
		require.NoError(t, tx.AddQuestion(&oldQ))
		require.NoError(t, tx.AddQuestion(&newQ))
		require.NoError(t, tx.Schedule(Due{At: old.Add(time.Hour), Kind: DueFollowUp, QuestionID: oldQ.ID}))
		require.NoError(t, tx.AddAnswer(&Answer{QuestionID: oldQ.ID, At: old.Add(time.Hour), Answerer: other, Channel: "CHELP", TS: "3.3"}))
		require.NoError(t, tx.AddAnswer(&Answer{QuestionID: newQ.ID, At: recent, Answerer: other, Channel: "CHELP", TS: "3.4"}))
		_, err := tx.Enqueue(OutboxEntry{Kind: OutboxPost, Channel: "CWINS", WinID: oldWin.ID, WinPost: true})
		return err
	}))

	st, err := s.Prune(t0.Add(-30 * 24 * time.Hour))
	require.NoError(t, err)
	assert.Equal(t, PruneStats{Wins: 1, Reactions: 1, Questions: 1, Answers: 1, Dedupe: 1}, st)

	require.NoError(t, s.View(func(tx *Tx) error {
		wins, err := tx.WinsBetween(time.Unix(0, 0), t0)
		require.NoError(t, err)
		require.Len(t, wins, 1)
		assert.Equal(t, newWin.ID, wins[0].ID)
		_, err = tx.WinByPost("CWINS", "1.1")
		assert.ErrorIs(t, err, ErrNotFound)
		mine, err := tx.WinsByUser(stays)
		require.NoError(t, err)
		assert.Len(t, mine, 1)
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

func TestReplaceID(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"Mention", `{"text":"<@UGONE00001> nominated"}`, `{"text":"<@UFORGOTTEN> nominated"}`},
		{"Twice", `"UGONE00001","UGONE00001"`, `"UFORGOTTEN","UFORGOTTEN"`},
		{"LongerIDUntouched", `<@UGONE000012> and <@XUGONE00001>`, ""},
		{"Mixed", `UGONE000012 UGONE00001`, `UGONE000012 UFORGOTTEN`},
		{"None", `nothing here`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := replaceID([]byte(c.in), gone)
			if c.want == "" {
				assert.Nil(t, got)
				return
			}
			assert.Equal(t, c.want, string(got))
		})
	}
}
