package store

import (
	"bytes"
	"fmt"
	"time"
)

// Heads: a few fields of a record, read without decoding the rest, for
// readers that want a few records of a window and can tell which from
// those fields (a team's wins among everyone's, the questions the
// registry answered). Each head is a part of its record under the same
// JSON names (newFlatPartCodec).

// WinHead is what EachWinBetweenWhere shows of a win before decoding it.
type WinHead struct {
	Author, Team     string
	AwaitingApproval bool
}

// winHeadRecord is the part of a winRecord a WinHead is read from, under
// the same JSON names.
type winHeadRecord struct {
	Author   string `json:"author"`
	Team     string `json:"team,omitempty"`
	Awaiting bool   `json:"awaiting,omitempty"`
	Kind     Kind   `json:"kind,omitempty"`
}

var winHeadCodec = newFlatPartCodec[winHeadRecord, winRecord]()

// EachWinBetweenWhere is EachWinBetween for a reader that wants a few of
// the window's wins and can tell which from their heads: want sees the
// head of every win (not of tips), oldest first, and only the wins it
// wants are decoded in full and passed to fn (all of them when want is
// nil). A team's wins among a week of everyone's cost a fraction of
// reading them all.
func (t *Tx) EachWinBetweenWhere(from, to time.Time, want func(WinHead) bool, fn func(w *Win) error) error {
	end := timePrefix(to)
	c := t.tx.Bucket(bucketWins).Cursor()
	var w Win
	// One record of each for the scan: decode's reflection would move one
	// per record to the heap.
	var h winHeadRecord
	var r winRecord
	for k, v := c.Seek(timePrefix(from)); k != nil && bytes.Compare(k, end) < 0; k, v = c.Next() {
		if want != nil {
			h = winHeadRecord{}
			if err := winHeadCodec.decode(v, &h); err != nil {
				return fmt.Errorf("decode win %x: %w", k, err)
			}
			if h.Kind == KindTip || !want(WinHead{Author: h.Author, Team: h.Team, AwaitingApproval: h.Awaiting}) {
				continue
			}
		}
		r = winRecord{}
		if err := winCodec.decode(v, &r); err != nil {
			return fmt.Errorf("decode win %x: %w", k, err)
		}
		if r.Kind == KindTip {
			continue // tips share the wins' records, never their numbers
		}
		w = r.win()
		if err := fn(&w); err != nil {
			return err
		}
	}
	return nil
}

// QuestionHead is what QuestionsBetweenWhere shows of a question before
// decoding it.
type QuestionHead struct {
	Asker, Team          string
	BotAnswered, Deleted bool
}

type questionHeadRecord struct {
	Asker       string `json:"asker"`
	Team        string `json:"team,omitempty"`
	BotAnswered bool   `json:"bot_answered,omitempty"`
	Deleted     bool   `json:"deleted,omitempty"`
}

var questionHeadCodec = newFlatPartCodec[questionHeadRecord, questionRecord]()

// QuestionsBetweenWhere is QuestionsBetween for a reader that wants a few
// of the window's questions: want sees the head of every question, oldest
// first, and only those it wants are decoded and returned.
func (t *Tx) QuestionsBetweenWhere(from, to time.Time, want func(QuestionHead) bool) ([]Question, error) {
	var out []Question
	end := timePrefix(to)
	c := t.tx.Bucket(bucketQuestions).Cursor()
	for k, v := c.Seek(timePrefix(from)); k != nil && bytes.Compare(k, end) < 0; k, v = c.Next() {
		var h questionHeadRecord
		if err := questionHeadCodec.decode(v, &h); err != nil {
			return nil, fmt.Errorf("decode question %x: %w", k, err)
		}
		if !want(QuestionHead(h)) {
			continue
		}
		var r questionRecord
		if err := questionCodec.decode(v, &r); err != nil {
			return nil, fmt.Errorf("decode question %x: %w", k, err)
		}
		out = append(out, r.question())
	}
	return out, nil
}

// AnswerHead is who gave an answer and their team.
type AnswerHead struct {
	Answerer, Team string
}

type answerHeadRecord struct {
	Answerer string `json:"answerer"`
	Team     string `json:"team,omitempty"`
}

var answerHeadCodec = newFlatPartCodec[answerHeadRecord, answerRecord]()

// EachAnswerHeadBetween calls fn with the head of each answer with from <=
// At < to, oldest first, decoding nothing else.
func (t *Tx) EachAnswerHeadBetween(from, to time.Time, fn func(AnswerHead)) error {
	end := timePrefix(to)
	c := t.tx.Bucket(bucketAnswers).Cursor()
	for k, v := c.Seek(timePrefix(from)); k != nil && bytes.Compare(k, end) < 0; k, v = c.Next() {
		var h answerHeadRecord
		if err := answerHeadCodec.decode(v, &h); err != nil {
			return fmt.Errorf("decode answer %x: %w", k, err)
		}
		fn(AnswerHead(h))
	}
	return nil
}
