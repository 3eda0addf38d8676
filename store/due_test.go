package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDue(t *testing.T) {
	s, _ := openTest(t)
	later := Due{At: t0.Add(4 * time.Hour), Kind: DueNudge, QuestionID: 1}
	sooner := Due{At: t0.Add(time.Hour), Kind: DueFollowUp, QuestionID: 2}
	require.NoError(t, s.Update(func(tx *Tx) error {
		require.NoError(t, tx.Schedule(later))
		return tx.Schedule(sooner)
	}))
	due, err := s.DueBy(t0, 10)
	require.NoError(t, err)
	assert.Empty(t, due)
	due, err = s.DueBy(t0.Add(4*time.Hour), 10)
	require.NoError(t, err)
	assert.Equal(t, []Due{sooner, later}, due, "oldest first, inclusive of now")
	require.NoError(t, s.Update(func(tx *Tx) error { return tx.Unschedule(sooner) }))
	due, err = s.DueBy(t0.Add(24*time.Hour), 10)
	require.NoError(t, err)
	assert.Equal(t, []Due{later}, due)
}

func TestQuestions(t *testing.T) {
	s, c := openTest(t)
	q := Question{Asker: "U1", Team: "Legal", Channel: "CHELP", TS: "1.1", Text: "how do I get access to copilot?", Stage: "access", AccessRequest: true, Source: SourceHelpChannel}
	require.NoError(t, s.Update(func(tx *Tx) error { return tx.AddQuestion(&q) }))
	c.t = t0.Add(30 * time.Minute)
	require.NoError(t, s.Update(func(tx *Tx) error {
		got, err := tx.QuestionByMessage("CHELP", "1.1")
		require.NoError(t, err)
		assert.Equal(t, q.ID, got.ID)
		require.NoError(t, tx.IndexQuestionMessage("CCHAMPS", "2.2", q.ID))
		a := Answer{QuestionID: q.ID, Answerer: "U2", Team: "Ops", AskerTeam: "Legal", Channel: "CHELP", TS: "1.2", Latency: 30 * time.Minute}
		require.NoError(t, tx.AddAnswer(&a))
		assert.ErrorIs(t, tx.AddAnswer(&Answer{QuestionID: q.ID, Answerer: "U2", Channel: "CHELP", TS: "1.2"}), ErrDuplicate)
		got.FirstAnswerAt, got.FirstAnswerer, got.Answers = tx.Now(), "U2", 1
		return tx.UpdateQuestion(&got)
	}))
	require.NoError(t, s.View(func(tx *Tx) error {
		got, err := tx.QuestionByMessage("CCHAMPS", "2.2")
		require.NoError(t, err)
		assert.Equal(t, "U2", got.FirstAnswerer)
		assert.True(t, got.AccessRequest)
		qs, err := tx.QuestionsBetween(t0, t0.Add(time.Hour))
		require.NoError(t, err)
		assert.Len(t, qs, 1)
		as, err := tx.AnswersBetween(t0, t0.Add(time.Hour))
		require.NoError(t, err)
		require.Len(t, as, 1)
		assert.Equal(t, 30*time.Minute, as[0].Latency)
		return nil
	}))
}
