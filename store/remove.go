package store

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// removal is a set of records to delete. It is collected before anything is
// deleted: deleting while iterating a bbolt cursor skips keys.
type removal struct {
	wins      map[uint64][]byte // id -> time key
	questions map[uint64][]byte // id -> time key
	answers   [][]byte          // time keys
}

// remove deletes r's records with every index entry that leads to them,
// their reactions and scheduled work, and outbox entries about them.
func (t *Tx) remove(r removal) (PruneStats, error) {
	var st PruneStats
	for id, key := range r.wins {
		n, err := t.deleteWin(id, key)
		if err != nil {
			return st, err
		}
		st.Wins++
		st.Reactions += n
	}
	for id, key := range r.questions {
		if err := t.tx.Bucket(bucketQuestions).Delete(key); err != nil {
			return st, fmt.Errorf("delete question %d: %w", id, err)
		}
		if err := t.tx.Bucket(bucketQuestionIDs).Delete(u64(id)); err != nil {
			return st, fmt.Errorf("delete question %d: %w", id, err)
		}
		st.Questions++
	}
	if len(r.questions) > 0 {
		// Several messages lead to a question (where it was asked, the
		// champions post); scheduled nudges and follow-ups name it too.
		if err := t.deleteWhere(bucketQuestionByMsg, func(_, v []byte) bool {
			return len(v) == 8 && r.questions[readU64(v)] != nil
		}); err != nil {
			return st, err
		}
		if err := t.deleteWhere(bucketDue, func(k, _ []byte) bool {
			return len(k) == 17 && r.questions[readU64(k[8:16])] != nil
		}); err != nil {
			return st, err
		}
	}
	for _, key := range r.answers {
		var a answerRecord
		if err := json.Unmarshal(t.tx.Bucket(bucketAnswers).Get(key), &a); err != nil {
			return st, fmt.Errorf("decode answer %x: %w", key, err)
		}
		if err := t.tx.Bucket(bucketAnswers).Delete(key); err != nil {
			return st, fmt.Errorf("delete answer %d: %w", a.ID, err)
		}
		idx := msgKey(a.Channel, a.TS)
		if v := t.tx.Bucket(bucketAnswerByMsg).Get(idx); len(v) == 8 && readU64(v) == a.ID {
			if err := t.tx.Bucket(bucketAnswerByMsg).Delete(idx); err != nil {
				return st, fmt.Errorf("delete answer %d: %w", a.ID, err)
			}
		}
		st.Answers++
	}
	// A post owed about a deleted record would name it, and the sender
	// could never record its ts; drop it, pending or dead.
	owed := func(_, v []byte) bool {
		var e OutboxEntry
		if json.Unmarshal(v, &e) != nil {
			return false
		}
		return (e.WinID != 0 && r.wins[e.WinID] != nil) || (e.QuestionID != 0 && r.questions[e.QuestionID] != nil)
	}
	for _, b := range [][]byte{bucketOutbox, bucketDead} {
		if err := t.deleteWhere(b, owed); err != nil {
			return st, err
		}
	}
	return st, nil
}

// deleteWin deletes a win, its indexes and its reactions, and returns how
// many reactions went.
func (t *Tx) deleteWin(id uint64, key []byte) (int, error) {
	w, err := t.winAt(key)
	if err != nil {
		return 0, fmt.Errorf("delete win %d: %w", id, err)
	}
	del := func(bucket, k []byte) error {
		if err := t.tx.Bucket(bucket).Delete(k); err != nil {
			return fmt.Errorf("delete win %d: %w", id, err)
		}
		return nil
	}
	// Message indexes are deleted only while they still lead to this win.
	delIndex := func(bucket, k []byte) error {
		if v := t.tx.Bucket(bucket).Get(k); len(v) == 8 && readU64(v) == id {
			return del(bucket, k)
		}
		return nil
	}
	for _, err := range []error{
		del(bucketWins, key), del(bucketWinIDs, u64(id)), del(bucketWinByUser, userKey(w.Author, key)),
		delIndex(bucketWinByPost, msgKey(w.PostChannel, w.PostTS)), delIndex(bucketWinBySource, msgKey(w.SourceChannel, w.SourceTS)),
		t.unindexTools(key, w),
	} {
		if err != nil {
			return 0, err
		}
	}
	n, err := t.deleteReactions(id)
	if err != nil {
		return 0, fmt.Errorf("delete win %d: %w", id, err)
	}
	return n, t.unindexShared(id, key)
}

// deleteWhere deletes the keys of bucket that match, collecting them first.
func (t *Tx) deleteWhere(bucket []byte, match func(k, v []byte) bool) error {
	b := t.tx.Bucket(bucket)
	var keys [][]byte
	if err := b.ForEach(func(k, v []byte) error {
		if match(k, v) {
			keys = append(keys, bytes.Clone(k))
		}
		return nil
	}); err != nil {
		return err
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return fmt.Errorf("delete from %s: %w", bucket, err)
		}
	}
	return nil
}
