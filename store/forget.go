package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// ForgottenUser stands in for a forgotten person in the records kept for
// the numbers: their answers to colleagues, their cheers on others' wins,
// the wins they nominated. Counts stay right; nothing names them.
const ForgottenUser = "UFORGOTTEN"

// ForgetStats says what Forget did.
type ForgetStats struct {
	Wins      int // wins they were credited with, deleted
	Reactions int // reaction records on those wins, deleted
	Questions int // questions they asked, deleted
	Answers   int // their answers to others, kept with the answerer anonymised
	Mentions  int // other records naming them (nominations, cheers, first answers, queued notes), anonymised
}

// Footprint is what the store holds about one person.
type Footprint struct {
	Wins, Questions, Answers int
}

// removal is a set of records to delete. It is collected before anything is
// deleted: deleting while iterating a bbolt cursor skips keys.
type removal struct {
	wins      map[uint64][]byte // id -> time key
	questions map[uint64][]byte // id -> time key
	answers   [][]byte          // time keys
	// drop says whether a pending or dead outbox entry goes too.
	drop func(OutboxEntry) bool
}

// Footprint counts user's wins, questions and answers, for the "are you
// sure?" prompt before Forget.
func (t *Tx) Footprint(user string) (fp Footprint, err error) {
	prefix := userKey(user, nil)
	c := t.tx.Bucket(bucketWinByUser).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		fp.Wins++
	}
	if fp.Questions, err = countWhere(t, bucketQuestions, func(q *questionRecord) bool { return q.Asker == user }); err != nil {
		return fp, fmt.Errorf("footprint: %w", err)
	}
	if fp.Answers, err = countWhere(t, bucketAnswers, func(a *answerRecord) bool { return a.Answerer == user }); err != nil {
		return fp, fmt.Errorf("footprint: %w", err)
	}
	return fp, nil
}

// countWhere counts the records of type R in bucket that match.
func countWhere[R any](t *Tx, bucket []byte, match func(*R) bool) (n int, err error) {
	err = t.tx.Bucket(bucket).ForEach(func(k, v []byte) error {
		var r R
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("decode %s %x: %w", bucket, k, err)
		}
		if match(&r) {
			n++
		}
		return nil
	})
	return n, err
}

// Forget erases user from the store: their wins (with the reactions on them
// and every index entry), their questions (with scheduled follow-ups) and
// posts still owed about either are deleted; their answers, nominations,
// cheers, first answers and any other mention (a note queued for a
// colleague, a remembered ack) are kept with ForgottenUser in their place,
// so colleagues' counts don't change. Posts already in Slack are not touched.
func (t *Tx) Forget(user string) (ForgetStats, error) {
	var st ForgetStats
	if user == "" || user == ForgottenUser {
		return st, errors.New("forget: no user given")
	}
	r := removal{wins: map[uint64][]byte{}, questions: map[uint64][]byte{}}
	prefix := userKey(user, nil)
	c := t.tx.Bucket(bucketWinByUser).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		key := bytes.Clone(k[len(prefix):])
		r.wins[readU64(key[8:])] = key
	}
	err := t.tx.Bucket(bucketQuestions).ForEach(func(k, v []byte) error {
		var q questionRecord
		if err := json.Unmarshal(v, &q); err != nil {
			return fmt.Errorf("decode question %x: %w", k, err)
		}
		if q.Asker == user {
			r.questions[q.ID] = bytes.Clone(k)
		}
		return nil
	})
	if err != nil {
		return st, fmt.Errorf("forget: %w", err)
	}
	// Posts still owed to them or about their records would name them.
	r.drop = func(e OutboxEntry) bool { return e.Channel == user || e.User == user }
	pst, err := t.remove(r)
	if err != nil {
		return st, fmt.Errorf("forget: %w", err)
	}
	st.Wins, st.Reactions, st.Questions = pst.Wins, pst.Reactions, pst.Questions

	for _, rw := range []struct {
		bucket []byte
		fn     func(k, v []byte) ([]byte, error)
		count  *int
	}{
		{bucketQuestions, anonymiser(user, func(q *questionRecord) *string { return &q.FirstAnswerer }), &st.Mentions},
		{bucketWins, anonymiser(user, func(w *winRecord) *string { return &w.Nominator }), &st.Mentions},
		{bucketAnswers, anonymiser(user, func(a *answerRecord) *string { return &a.Answerer }), &st.Answers},
	} {
		n, err := t.rewrite(rw.bucket, rw.fn)
		if err != nil {
			return st, fmt.Errorf("forget: %w", err)
		}
		*rw.count += n
	}
	n, err := t.anonymiseReactions(user)
	if err != nil {
		return st, fmt.Errorf("forget: %w", err)
	}
	st.Mentions += n
	if err := t.forgetInspirations(user); err != nil {
		return st, fmt.Errorf("forget: %w", err)
	}
	if err := t.ForgetInteractions(user); err != nil {
		return st, fmt.Errorf("forget: %w", err)
	}
	// Whatever else names them (a note queued for a colleague, a reply
	// remembered for a redelivery) keeps its shape with the placeholder.
	for _, b := range [][]byte{bucketOutbox, bucketDead, bucketDedupe} {
		n, err := t.rewrite(b, func(_, v []byte) ([]byte, error) { return replaceID(v, user), nil })
		if err != nil {
			return st, fmt.Errorf("forget: %w", err)
		}
		st.Mentions += n
	}
	return st, nil
}

// anonymiseReactions moves user's reactions on others' wins to
// ForgottenUser. If two forgotten people cheered the same win with the same
// emoji, they merge into one: a rare undercount, never a name kept.
func (t *Tx) anonymiseReactions(user string) (int, error) {
	b := t.tx.Bucket(bucketReactions)
	type found struct{ key, to, val []byte }
	var hits []found
	err := b.ForEach(func(k, v []byte) error {
		rest := k[8:]
		i := bytes.IndexByte(rest, 0)
		if i >= 0 && string(rest[:i]) == user {
			hits = append(hits, found{bytes.Clone(k), reactionKey(readU64(k[:8]), ForgottenUser, string(rest[i+1:])), bytes.Clone(v)})
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, h := range hits {
		if err := b.Delete(h.key); err != nil {
			return 0, fmt.Errorf("delete reaction: %w", err)
		}
		if prev := b.Get(h.to); prev != nil {
			var r reactionRecord
			if json.Unmarshal(prev, &r) == nil && r.Added {
				continue // already counted under the placeholder
			}
		}
		if err := b.Put(h.to, h.val); err != nil {
			return 0, fmt.Errorf("save reaction: %w", err)
		}
	}
	return len(hits), nil
}

// rewrite replaces each value of bucket for which fn returns a new one
// (nil leaves it), collecting them first, and returns how many changed.
func (t *Tx) rewrite(bucket []byte, fn func(k, v []byte) ([]byte, error)) (int, error) {
	type found struct{ key, val []byte }
	var hits []found
	err := t.tx.Bucket(bucket).ForEach(func(k, v []byte) error {
		nv, err := fn(k, v)
		if nv != nil {
			hits = append(hits, found{bytes.Clone(k), nv})
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	for _, h := range hits {
		if err := t.tx.Bucket(bucket).Put(h.key, h.val); err != nil {
			return 0, fmt.Errorf("save %s: %w", bucket, err)
		}
	}
	return len(hits), nil
}

// replaceID returns v with each whole occurrence of the user ID id (not
// part of a longer ID) replaced by ForgottenUser, or nil if there was none.
func replaceID(v []byte, id string) []byte {
	var out []byte
	changed, from := false, 0
	isIDChar := func(c byte) bool { return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }
	for {
		i := bytes.Index(v[from:], []byte(id))
		if i < 0 {
			break
		}
		i += from
		end := i + len(id)
		if (i == 0 || !isIDChar(v[i-1])) && (end == len(v) || !isIDChar(v[end])) {
			out = append(append(out, v[from:i]...), ForgottenUser...)
			changed = true
		} else {
			out = append(out, v[from:end]...)
		}
		from = end
	}
	if !changed {
		return nil
	}
	return append(out, v[from:]...)
}

// anonymiser returns a rewrite func for records of type R that puts
// ForgottenUser in the field where it finds user.
func anonymiser[R any](user string, field func(*R) *string) func(k, v []byte) ([]byte, error) {
	return func(k, v []byte) ([]byte, error) {
		var r R
		if err := json.Unmarshal(v, &r); err != nil {
			return nil, fmt.Errorf("decode %x: %w", k, err)
		}
		if f := field(&r); *f == user {
			*f = ForgottenUser
			return json.Marshal(r)
		}
		return nil, nil
	}
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
		return (e.WinID != 0 && r.wins[e.WinID] != nil) || (e.QuestionID != 0 && r.questions[e.QuestionID] != nil) ||
			(r.drop != nil && r.drop(e))
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
	prefix := u64(id)
	var reactions [][]byte
	c := t.tx.Bucket(bucketReactions).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		reactions = append(reactions, bytes.Clone(k))
	}
	for _, k := range reactions {
		if err := del(bucketReactions, k); err != nil {
			return 0, err
		}
	}
	return len(reactions), nil
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
