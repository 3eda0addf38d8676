package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ForgottenUser begins the placeholder that stands in for a forgotten
// person in the records kept for the numbers. Each forgotten person gets
// their own (UFORGOTTEN1, UFORGOTTEN2, …), drawn from a counter and never
// derived from who they were, so distinct counts (sharers, amplifiers,
// answerers) stay what they were and a past week holds still.
const ForgottenUser = "UFORGOTTEN"

// IsForgotten reports whether user is a forgotten person's placeholder:
// counted in totals, never named.
func IsForgotten(user string) bool { return strings.HasPrefix(user, ForgottenUser) }

// ForgetStats says what Forget did.
type ForgetStats struct {
	// Placeholder is the ID that now stands in for them.
	Placeholder string
	Wins        int // their wins: words, tools and links removed, numbers kept under the placeholder
	Questions   int // their questions: likewise
	Answers     int // their answers to others, kept under the placeholder
	Reactions   int // their cheers on wins, kept under the placeholder
	Mentions    int // other records naming them (nominations, first answers, "I'll try this" clicks, tips saved), anonymised
	Dropped     int // posts still owed (queued or dead-lettered) that named them or quoted their words, deleted
	Replies     int // remembered replies to redeliveries that named them or quoted their words, blanked
}

// Footprint is what the store holds about one person.
type Footprint struct {
	Wins, Tips, Questions, Answers int
}

// Footprint counts user's wins, tips, questions and answers, for the "are
// you sure?" prompt before Forget.
func (t *Tx) Footprint(user string) (fp Footprint, err error) {
	prefix := userKey(user, nil)
	c := t.tx.Bucket(bucketWinByUser).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		w, err := t.winAt(k[len(prefix):])
		if err != nil {
			return fp, fmt.Errorf("footprint: %w", err)
		}
		if w.IsTip() {
			fp.Tips++
		} else {
			fp.Wins++
		}
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

// Forget erases user, of team (their configured team, "" if none), from
// the store with a new placeholder; see ForgetAs.
func (t *Tx) Forget(user, team string) (ForgetStats, error) { return t.ForgetAs(user, team, "") }

// ForgetAs erases user from the store. Their words go: the text, tools and
// Slack links of their wins and questions, posts still owed that name them
// or quote them, remembered replies that do. Their numbers stay, under
// placeholder (a new one when ""): each win's minutes and cheers, each
// question's stage, each answer, cheer, nomination and "I'll try this"
// click, their first win and first interaction. So no past week's digest
// changes, and nothing left says who they were. Backups are rewritten with
// the same placeholder. team is kept with the placeholder, so cross-team
// counts keep their answer. Posts already in Slack are not touched.
//
// Deleted values stay readable in bbolt's free pages until reused: call
// Store.Compact after the transaction commits.
func (t *Tx) ForgetAs(user, team, placeholder string) (ForgetStats, error) {
	if user == "" || IsForgotten(user) {
		return ForgetStats{}, errors.New("forget: no user given")
	}
	if placeholder == "" {
		n, err := t.tx.Bucket(bucketMeta).NextSequence()
		if err != nil {
			return ForgetStats{}, fmt.Errorf("forget: %w", err)
		}
		placeholder = fmt.Sprintf("%s%d", ForgottenUser, n)
	}
	st := ForgetStats{Placeholder: placeholder}
	if err := t.noteForgottenTeam(placeholder, team); err != nil {
		return st, err
	}
	words := &wordProbe{}
	wins, err := t.huskWins(user, placeholder, words)
	if err != nil {
		return st, fmt.Errorf("forget: %w", err)
	}
	questions, err := t.huskQuestions(user, placeholder, words)
	if err != nil {
		return st, fmt.Errorf("forget: %w", err)
	}
	st.Wins, st.Questions = len(wins), len(questions)
	for _, rw := range []struct {
		bucket []byte
		fn     func(k, v []byte) ([]byte, error)
		count  *int
	}{
		{bucketQuestions, anonymiser(user, placeholder, func(q *questionRecord) *string { return &q.FirstAnswerer }), &st.Mentions},
		{bucketWins, anonymiser(user, placeholder, func(w *winRecord) *string {
			if w.Nominator == user {
				words.add(w.Note)
				w.Note = "" // the nominator's own words go with their name
			}
			return &w.Nominator
		}), &st.Mentions},
	} {
		n, err := t.rewrite(rw.bucket, rw.fn)
		if err != nil {
			return st, fmt.Errorf("forget: %w", err)
		}
		*rw.count += n
	}
	if st.Answers, err = t.anonymiseAnswers(user, placeholder); err != nil {
		return st, fmt.Errorf("forget: %w", err)
	}
	if st.Reactions, err = t.rekeyReactions(user, placeholder); err != nil {
		return st, fmt.Errorf("forget: %w", err)
	}
	n, err := t.rekeyInspirations(user, placeholder)
	if err != nil {
		return st, fmt.Errorf("forget: %w", err)
	}
	st.Mentions += n
	if n, err = t.rekeyTipMarks(user, placeholder); err != nil {
		return st, fmt.Errorf("forget: %w", err)
	}
	st.Mentions += n
	if err := t.moveFirstWin(user, placeholder); err != nil {
		return st, fmt.Errorf("forget: %w", err)
	}
	if err := t.moveInteraction(user, placeholder); err != nil {
		return st, fmt.Errorf("forget: %w", err)
	}
	// Posts still owed to them, about their records, naming them or
	// quoting them go, pending or dead: a post is rebuilt from the records
	// (now without their words) or was about them.
	st.Dropped, err = t.ScrubOutbox(func(e OutboxEntry, raw []byte) bool {
		return e.Channel == user || e.User == user || wins[e.WinID] || questions[e.QuestionID] ||
			mentionsID(raw, user) || words.in(raw)
	})
	if err != nil {
		return st, fmt.Errorf("forget: %w", err)
	}
	if st.Replies, err = t.blankReplies(func(ack []byte) bool { return mentionsID(ack, user) || words.in(ack) }); err != nil {
		return st, fmt.Errorf("forget: %w", err)
	}
	return st, nil
}

// huskWins takes user's words, tools and Slack links off their wins and
// credits them to placeholder; it returns the wins' IDs.
func (t *Tx) huskWins(user, placeholder string, words *wordProbe) (map[uint64]bool, error) {
	prefix := userKey(user, nil)
	var keys [][]byte
	c := t.tx.Bucket(bucketWinByUser).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k[len(prefix):]))
	}
	ids := map[uint64]bool{}
	for _, key := range keys {
		w, err := t.winAt(key)
		if err != nil {
			return nil, err
		}
		words.add(w.Text)
		ids[w.ID] = true
		// The message indexes lead to posts that name them.
		for _, idx := range []struct{ bucket, key []byte }{
			{bucketWinByPost, msgKey(w.PostChannel, w.PostTS)}, {bucketWinBySource, msgKey(w.SourceChannel, w.SourceTS)},
		} {
			if v := t.tx.Bucket(idx.bucket).Get(idx.key); len(v) == 8 && readU64(v) == w.ID {
				if err := t.tx.Bucket(idx.bucket).Delete(idx.key); err != nil {
					return nil, fmt.Errorf("forget win %d: %w", w.ID, err)
				}
			}
		}
		if err := t.tx.Bucket(bucketWinByUser).Delete(userKey(user, key)); err != nil {
			return nil, fmt.Errorf("forget win %d: %w", w.ID, err)
		}
		if err := t.tx.Bucket(bucketWinByUser).Put(userKey(placeholder, key), nil); err != nil {
			return nil, fmt.Errorf("forget win %d: %w", w.ID, err)
		}
		if err := t.unindexTools(key, w); err != nil {
			return nil, err
		}
		w.Author, w.Text, w.Tools, w.Note = placeholder, "", nil, ""
		w.PostChannel, w.PostTS, w.SourceChannel, w.SourceTS = "", "", "", ""
		if err := t.saveWin(key, &w); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// huskQuestions does for user's questions what huskWins does for wins,
// and cancels their scheduled nudges and follow-ups.
func (t *Tx) huskQuestions(user, placeholder string, words *wordProbe) (map[uint64]bool, error) {
	type found struct {
		key []byte
		q   questionRecord
	}
	var mine []found
	err := t.tx.Bucket(bucketQuestions).ForEach(func(k, v []byte) error {
		var q questionRecord
		if err := json.Unmarshal(v, &q); err != nil {
			return fmt.Errorf("decode question %x: %w", k, err)
		}
		if q.Asker == user {
			mine = append(mine, found{bytes.Clone(k), q})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ids := map[uint64]bool{}
	for _, f := range mine {
		words.add(f.q.Text)
		ids[f.q.ID] = true
		f.q.Asker, f.q.Text, f.q.TS = placeholder, "", ""
		raw, err := json.Marshal(f.q)
		if err != nil {
			return nil, fmt.Errorf("encode question: %w", err)
		}
		if err := t.tx.Bucket(bucketQuestions).Put(f.key, raw); err != nil {
			return nil, fmt.Errorf("forget question %d: %w", f.q.ID, err)
		}
	}
	if len(ids) == 0 {
		return ids, nil
	}
	// Messages lead to them (where they were asked, the champions post);
	// nudges and follow-ups would talk about them.
	if err := t.deleteWhere(bucketQuestionByMsg, func(_, v []byte) bool { return len(v) == 8 && ids[readU64(v)] }); err != nil {
		return nil, err
	}
	if err := t.deleteWhere(bucketDue, func(k, _ []byte) bool { return len(k) == 17 && ids[readU64(k[8:16])] }); err != nil {
		return nil, err
	}
	return ids, nil
}

// anonymiseAnswers credits user's answers to placeholder and drops the
// link to their reply message.
func (t *Tx) anonymiseAnswers(user, placeholder string) (int, error) {
	var links [][]byte
	n, err := t.rewrite(bucketAnswers, func(k, v []byte) ([]byte, error) {
		var a answerRecord
		if err := json.Unmarshal(v, &a); err != nil {
			return nil, fmt.Errorf("decode answer %x: %w", k, err)
		}
		if a.Answerer != user {
			return nil, nil
		}
		if idx := msgKey(a.Channel, a.TS); bytes.Equal(t.tx.Bucket(bucketAnswerByMsg).Get(idx), u64(a.ID)) {
			links = append(links, idx)
		}
		a.Answerer, a.TS = placeholder, ""
		return json.Marshal(a)
	})
	if err != nil {
		return 0, err
	}
	for _, k := range links {
		if err := t.tx.Bucket(bucketAnswerByMsg).Delete(k); err != nil {
			return 0, fmt.Errorf("forget answer: %w", err)
		}
	}
	return n, nil
}

// blankReplies drops the saved reply of each remembered envelope whose
// reply matches: a redelivery is then acked with nothing, still once.
func (t *Tx) blankReplies(match func(ack []byte) bool) (int, error) {
	return t.rewrite(bucketDedupe, func(k, v []byte) ([]byte, error) {
		var r seenRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return nil, nil // unreadable: PurgeSeen drops it
		}
		if len(r.Ack) == 0 || !match(r.Ack) {
			return nil, nil
		}
		r.Ack = nil
		return json.Marshal(r)
	})
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

// mentionsID reports whether v holds the user ID id as a whole word (not
// part of a longer ID).
func mentionsID(v []byte, id string) bool {
	isIDChar := func(c byte) bool { return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }
	for from := 0; ; {
		i := bytes.Index(v[from:], []byte(id))
		if i < 0 {
			return false
		}
		i += from
		end := i + len(id)
		if (i == 0 || !isIDChar(v[i-1])) && (end == len(v) || !isIDChar(v[end])) {
			return true
		}
		from = end
	}
}

// anonymiser returns a rewrite func for records of type R that puts
// placeholder in the field where it finds user.
func anonymiser[R any](user, placeholder string, field func(*R) *string) func(k, v []byte) ([]byte, error) {
	return func(k, v []byte) ([]byte, error) {
		var r R
		if err := json.Unmarshal(v, &r); err != nil {
			return nil, fmt.Errorf("decode %x: %w", k, err)
		}
		if f := field(&r); *f == user {
			*f = placeholder
			return json.Marshal(r)
		}
		return nil, nil
	}
}
