package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// QuestionSource says where a question came from.
type QuestionSource string

const (
	// SourceHelpChannel is a top-level message in a help channel.
	SourceHelpChannel QuestionSource = "channel"
	// SourceAsk is the /ask command.
	SourceAsk QuestionSource = "ask"
)

// MaxQuestionText bounds a stored question's text.
const MaxQuestionText = 4000

// Question is something a colleague asked about AI tools.
type Question struct {
	ID       uint64
	At       time.Time
	Asker    string // Slack user ID
	Team     string // "" = unassigned
	Enrolled bool   // whether the asker's team was in the rollout when asked
	Source   QuestionSource
	Channel  string // where it was asked (for /ask: where the command ran)
	TS       string // the message ts ("" for /ask)
	Text     string
	Stage    string   // what | access | how | build
	Tools    []string // registry tools named
	// Permission is true for "can I use X?"-type questions.
	Permission bool
	// AccessRequest marks an access question from a team not yet in the
	// rollout: the strongest adoption signal.
	AccessRequest bool
	// BotAnswered is true when the registry answered it.
	BotAnswered bool
	// Routed is true when it went to the champions channel.
	Routed bool
	// FirstAnswerAt/FirstAnswerer describe the first human answer.
	FirstAnswerAt time.Time
	FirstAnswerer string
	Answers       int
	Nudged        bool
	FollowedUp    bool
	Deleted       bool
}

// Answer is a thread reply to a tracked question by someone other than the
// asker and the bot.
type Answer struct {
	ID         uint64
	At         time.Time
	QuestionID uint64
	Answerer   string
	Team       string
	AskerTeam  string
	Channel    string
	TS         string
	// Latency is the time from the question to this answer.
	Latency time.Duration
}

type questionRecord struct {
	V             int            `json:"v"`
	ID            uint64         `json:"id"`
	At            time.Time      `json:"at"`
	Asker         string         `json:"asker"`
	Team          string         `json:"team,omitempty"`
	Enrolled      bool           `json:"enrolled,omitempty"`
	Source        QuestionSource `json:"source"`
	Channel       string         `json:"ch,omitempty"`
	TS            string         `json:"ts,omitempty"`
	Text          string         `json:"text"`
	Stage         string         `json:"stage,omitempty"`
	Tools         []string       `json:"tools,omitempty"`
	Permission    bool           `json:"perm,omitempty"`
	AccessRequest bool           `json:"access_req,omitempty"`
	BotAnswered   bool           `json:"bot_answered,omitempty"`
	Routed        bool           `json:"routed,omitempty"`
	FirstAnswerAt time.Time      `json:"first_answer_at,omitzero"`
	FirstAnswerer string         `json:"first_answerer,omitempty"`
	Answers       int            `json:"answers,omitempty"`
	Nudged        bool           `json:"nudged,omitempty"`
	FollowedUp    bool           `json:"followed_up,omitempty"`
	Deleted       bool           `json:"deleted,omitempty"`
}

type answerRecord struct {
	V          int           `json:"v"`
	ID         uint64        `json:"id"`
	At         time.Time     `json:"at"`
	QuestionID uint64        `json:"q"`
	Answerer   string        `json:"answerer"`
	Team       string        `json:"team,omitempty"`
	AskerTeam  string        `json:"asker_team,omitempty"`
	Channel    string        `json:"ch"`
	TS         string        `json:"ts"`
	Latency    time.Duration `json:"latency"`
}

// Question.record and back: the storage shape is versioned on its own.
func (q Question) record() questionRecord {
	r := questionRecord(q.copyFields())
	r.V = 1
	return r
}

// copyFields exists so record() stays a plain field copy.
func (q Question) copyFields() questionRecord {
	return questionRecord{ID: q.ID, At: q.At.UTC(), Asker: q.Asker, Team: q.Team, Enrolled: q.Enrolled,
		Source: q.Source, Channel: q.Channel, TS: q.TS, Text: q.Text, Stage: q.Stage, Tools: q.Tools,
		Permission: q.Permission, AccessRequest: q.AccessRequest, BotAnswered: q.BotAnswered, Routed: q.Routed,
		FirstAnswerAt: q.FirstAnswerAt, FirstAnswerer: q.FirstAnswerer, Answers: q.Answers, Nudged: q.Nudged,
		FollowedUp: q.FollowedUp, Deleted: q.Deleted}
}

func (r questionRecord) question() Question {
	return Question{ID: r.ID, At: r.At, Asker: r.Asker, Team: r.Team, Enrolled: r.Enrolled, Source: r.Source,
		Channel: r.Channel, TS: r.TS, Text: r.Text, Stage: r.Stage, Tools: r.Tools, Permission: r.Permission,
		AccessRequest: r.AccessRequest, BotAnswered: r.BotAnswered, Routed: r.Routed, FirstAnswerAt: r.FirstAnswerAt,
		FirstAnswerer: r.FirstAnswerer, Answers: r.Answers, Nudged: r.Nudged, FollowedUp: r.FollowedUp, Deleted: r.Deleted}
}

// AddQuestion stores a new question, assigning its ID and (if zero) time.
func (t *Tx) AddQuestion(q *Question) error {
	if q.At.IsZero() {
		q.At = t.now
	}
	if q.Asker == "" {
		return errors.New("add question: no asker")
	}
	if len(q.Text) > MaxQuestionText {
		return fmt.Errorf("add question: text is %d bytes, over the %d limit", len(q.Text), MaxQuestionText)
	}
	id, err := t.tx.Bucket(bucketQuestions).NextSequence()
	if err != nil {
		return fmt.Errorf("add question: %w", err)
	}
	q.ID = id
	key := timeKey(q.At, id)
	if err := t.tx.Bucket(bucketQuestionIDs).Put(u64(id), key); err != nil {
		return fmt.Errorf("add question: %w", err)
	}
	if q.TS != "" {
		if err := t.tx.Bucket(bucketQuestionByMsg).Put(msgKey(q.Channel, q.TS), u64(id)); err != nil {
			return fmt.Errorf("index question: %w", err)
		}
	}
	return t.putQuestion(key, q)
}

// UpdateQuestion rewrites a question (its ID and time are fixed).
func (t *Tx) UpdateQuestion(q *Question) error {
	key := t.tx.Bucket(bucketQuestionIDs).Get(u64(q.ID))
	if key == nil {
		return fmt.Errorf("update question %d: %w", q.ID, ErrNotFound)
	}
	return t.putQuestion(bytes.Clone(key), q)
}

func (t *Tx) putQuestion(key []byte, q *Question) error {
	if err := t.touch(keyTime(key)); err != nil {
		return err
	}
	raw, err := json.Marshal(q.record())
	if err != nil {
		return fmt.Errorf("encode question: %w", err)
	}
	if err := t.tx.Bucket(bucketQuestions).Put(key, raw); err != nil {
		return fmt.Errorf("save question: %w", err)
	}
	return nil
}

// Question loads a question by ID.
func (t *Tx) Question(id uint64) (Question, error) {
	key := t.tx.Bucket(bucketQuestionIDs).Get(u64(id))
	if key == nil {
		return Question{}, fmt.Errorf("question %d: %w", id, ErrNotFound)
	}
	var r questionRecord
	if err := json.Unmarshal(t.tx.Bucket(bucketQuestions).Get(key), &r); err != nil {
		return Question{}, fmt.Errorf("decode question %d: %w", id, err)
	}
	return r.question(), nil
}

// QuestionByMessage finds the question asked in message channel/ts.
func (t *Tx) QuestionByMessage(channel, ts string) (Question, error) {
	id := t.tx.Bucket(bucketQuestionByMsg).Get(msgKey(channel, ts))
	if id == nil {
		return Question{}, fmt.Errorf("question for %s/%s: %w", channel, ts, ErrNotFound)
	}
	return t.Question(readU64(id))
}

// QuestionsBetween returns questions with from <= At < to, oldest first.
func (t *Tx) QuestionsBetween(from, to time.Time) ([]Question, error) {
	var out []Question
	end := timePrefix(to)
	c := t.tx.Bucket(bucketQuestions).Cursor()
	if n := countRange(c, timePrefix(from), end); n > 0 {
		out = make([]Question, 0, n)
	}
	var r questionRecord // one for the scan, not one per record on the heap
	for k, v := c.Seek(timePrefix(from)); k != nil && bytes.Compare(k, end) < 0; k, v = c.Next() {
		r = questionRecord{}
		if err := questionCodec.decode(v, &r); err != nil {
			return nil, fmt.Errorf("decode question %x: %w", k, err)
		}
		out = append(out, r.question())
	}
	return out, nil
}

// AddAnswer records an answer; the caller updates the question's counters.
func (t *Tx) AddAnswer(a *Answer) error {
	if a.At.IsZero() {
		a.At = t.now
	}
	if t.tx.Bucket(bucketAnswerByMsg).Get(msgKey(a.Channel, a.TS)) != nil {
		return ErrDuplicate
	}
	if err := t.touch(a.At); err != nil {
		return err
	}
	id, err := t.tx.Bucket(bucketAnswers).NextSequence()
	if err != nil {
		return fmt.Errorf("add answer: %w", err)
	}
	a.ID = id
	raw, err := json.Marshal(answerRecord{V: 1, ID: id, At: a.At.UTC(), QuestionID: a.QuestionID, Answerer: a.Answerer,
		Team: a.Team, AskerTeam: a.AskerTeam, Channel: a.Channel, TS: a.TS, Latency: a.Latency})
	if err != nil {
		return fmt.Errorf("encode answer: %w", err)
	}
	if err := t.tx.Bucket(bucketAnswers).Put(timeKey(a.At, id), raw); err != nil {
		return fmt.Errorf("save answer: %w", err)
	}
	return t.tx.Bucket(bucketAnswerByMsg).Put(msgKey(a.Channel, a.TS), u64(id))
}

// AnswersBetween returns answers with from <= At < to, oldest first.
func (t *Tx) AnswersBetween(from, to time.Time) ([]Answer, error) {
	var out []Answer
	end := timePrefix(to)
	c := t.tx.Bucket(bucketAnswers).Cursor()
	if n := countRange(c, timePrefix(from), end); n > 0 {
		out = make([]Answer, 0, n)
	}
	var r answerRecord // one for the scan, not one per record on the heap
	for k, v := c.Seek(timePrefix(from)); k != nil && bytes.Compare(k, end) < 0; k, v = c.Next() {
		r = answerRecord{}
		if err := answerCodec.decode(v, &r); err != nil {
			return nil, fmt.Errorf("decode answer %x: %w", k, err)
		}
		out = append(out, Answer{ID: r.ID, At: r.At, QuestionID: r.QuestionID, Answerer: r.Answerer, Team: r.Team,
			AskerTeam: r.AskerTeam, Channel: r.Channel, TS: r.TS, Latency: r.Latency})
	}
	return out, nil
}

// ErrDuplicate is returned when a record for the same Slack message exists.
var ErrDuplicate = errors.New("already recorded")
