package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"
)

// DueKind is a piece of work scheduled for later.
type DueKind byte

const (
	// DueNudge re-raises an unanswered question in the champions channel.
	DueNudge DueKind = 'n'
	// DueFollowUp asks someone who got a "Yes" whether it worked.
	DueFollowUp DueKind = 'f'
)

// Due is one scheduled piece of work on a question.
type Due struct {
	At         time.Time
	Kind       DueKind
	QuestionID uint64
}

func dueKey(d Due) []byte {
	k := make([]byte, 17)
	binary.BigEndian.PutUint64(k[:8], uint64(d.At.UnixNano()))
	binary.BigEndian.PutUint64(k[8:16], d.QuestionID)
	k[16] = byte(d.Kind)
	return k
}

// Schedule records work due at d.At, in the caller's transaction.
func (t *Tx) Schedule(d Due) error {
	if err := t.tx.Bucket(bucketDue).Put(dueKey(d), nil); err != nil {
		return fmt.Errorf("schedule %c for question %d: %w", d.Kind, d.QuestionID, err)
	}
	return nil
}

// Unschedule removes scheduled work once it is done.
func (t *Tx) Unschedule(d Due) error {
	if err := t.tx.Bucket(bucketDue).Delete(dueKey(d)); err != nil {
		return fmt.Errorf("unschedule: %w", err)
	}
	return nil
}

// DueBy lists up to limit pieces of work due at or before now, oldest first.
func (s *Store) DueBy(now time.Time, limit int) ([]Due, error) {
	var out []Due
	end := timePrefix(now.Add(time.Nanosecond))
	err := s.View(func(t *Tx) error {
		c := t.tx.Bucket(bucketDue).Cursor()
		for k, _ := c.First(); k != nil && bytes.Compare(k, end) < 0 && len(out) < limit; k, _ = c.Next() {
			if len(k) != 17 {
				continue
			}
			out = append(out, Due{At: time.Unix(0, int64(binary.BigEndian.Uint64(k[:8]))).UTC(),
				QuestionID: binary.BigEndian.Uint64(k[8:16]), Kind: DueKind(k[16])})
		}
		return nil
	})
	return out, err
}

// IndexQuestionMessage makes another message (the champions-channel post
// about a question) lead to the question, so replies there count as answers.
func (t *Tx) IndexQuestionMessage(channel, ts string, questionID uint64) error {
	if err := t.tx.Bucket(bucketQuestionByMsg).Put(msgKey(channel, ts), u64(questionID)); err != nil {
		return fmt.Errorf("index question message: %w", err)
	}
	return nil
}
