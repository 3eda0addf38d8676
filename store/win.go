package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// WinSource says how a win was captured.
type WinSource string

const (
	// SourceCommand is a `/win <text>` slash command.
	SourceCommand WinSource = "command"
	// SourceModal is the `/win` modal's submission.
	SourceModal WinSource = "modal"
	// SourceNomination is a peer reacting with the win emoji on someone's message.
	SourceNomination WinSource = "nomination"
)

// MaxWinText bounds the stored text. Slack messages are at most 40,000
// characters; we keep less so one pasted essay can't bloat every digest.
const MaxWinText = 4000

// Win is something that went well with AI, credited to its Author.
type Win struct {
	ID           uint64
	At           time.Time
	Author       string // Slack user ID: identity is never a display name
	Nominator    string // the peer who nominated it; "" when the author shared it
	Team         string // the author's team when recorded; "" = unassigned
	Text         string
	Tools        []string // registry tool names, in order of mention
	MinutesSaved int
	Source       WinSource
	// SourceChannel/SourceTS locate the nominated message (nominations only).
	SourceChannel string
	SourceTS      string
	// PostChannel/PostTS locate the wins-channel post once it is made.
	PostChannel string
	PostTS      string
	// Pending is true while a nominated message's text is still being fetched.
	Pending bool
	// Held is true while the win waits for its author's decision because
	// its text looked sensitive; Private when the author kept it private.
	// Neither is ever shown in a public channel.
	Held    bool
	Private bool
	// InspiredBy is the colleague's win that led to this one (0 if none).
	InspiredBy uint64
	// InspiredByTeam is the team recorded on that win, kept here when the
	// link is saved: a chain across teams still counts the same once
	// retention has removed the older win.
	InspiredByTeam string
	// Note is the nominator's own words about the win, shown as theirs.
	Note string
	// AwaitingApproval is true while a nomination of a message from a
	// private conversation waits for its author to approve it: nothing is
	// posted and it counts nowhere until they do.
	AwaitingApproval bool
	// Kind is KindWin (a win) or KindTip (a tip); see share.go.
	Kind Kind
	// Visibility says who sees the win's words and name; ShownTeam is the
	// team an anonymous win is said to come from ("" for "A colleague").
	Visibility Visibility
	ShownTeam  string
}

// ShareableText is the win's text where it may be shown beyond its author
// (exports, reports): "" while it is held for looking sensitive, after its
// author kept it private, while it awaits its author's approval, and when
// it was shared with the author's team only. The win's numbers still
// count; its words stay back.
func (w Win) ShareableText() string {
	if w.Held || w.Private || w.AwaitingApproval || w.Visibility == VisibleToTeam {
		return ""
	}
	return w.Text
}

// winRecord is the storage shape of a Win, versioned separately from Win.
type winRecord struct {
	V             int       `json:"v"`
	ID            uint64    `json:"id"`
	At            time.Time `json:"at"`
	Author        string    `json:"author"`
	Nominator     string    `json:"nominator,omitempty"`
	Team          string    `json:"team,omitempty"`
	Text          string    `json:"text"`
	Tools         []string  `json:"tools,omitempty"`
	MinutesSaved  int       `json:"minutes,omitempty"`
	Source        WinSource `json:"source"`
	SourceChannel string    `json:"src_ch,omitempty"`
	SourceTS      string    `json:"src_ts,omitempty"`
	PostChannel   string    `json:"post_ch,omitempty"`
	PostTS        string    `json:"post_ts,omitempty"`
	Pending       bool      `json:"pending,omitempty"`
	Held          bool      `json:"held,omitempty"`
	Private       bool      `json:"private,omitempty"`
	InspiredBy    uint64    `json:"inspired_by,omitempty"`
	InspiredTeam  string    `json:"inspired_team,omitempty"`
	Note          string    `json:"note,omitempty"`
	Awaiting      bool      `json:"awaiting,omitempty"`

	// Sharing (share.go): tips, and who sees a win.
	Kind       Kind       `json:"kind,omitempty"`
	Visibility Visibility `json:"vis,omitempty"`
	ShownTeam  string     `json:"shown_team,omitempty"`
}

func (w Win) record() winRecord {
	return winRecord{V: 1, ID: w.ID, At: w.At.UTC(), Author: w.Author, Nominator: w.Nominator, Team: w.Team,
		Text: w.Text, Tools: w.Tools, MinutesSaved: w.MinutesSaved, Source: w.Source,
		SourceChannel: w.SourceChannel, SourceTS: w.SourceTS, PostChannel: w.PostChannel, PostTS: w.PostTS, Pending: w.Pending, Held: w.Held, Private: w.Private, InspiredBy: w.InspiredBy,
		InspiredTeam: w.InspiredByTeam, Note: w.Note, Awaiting: w.AwaitingApproval, Kind: w.Kind, Visibility: w.Visibility, ShownTeam: w.ShownTeam}
}

func (r winRecord) win() Win {
	return Win{ID: r.ID, At: r.At, Author: r.Author, Nominator: r.Nominator, Team: r.Team, Text: r.Text,
		Tools: r.Tools, MinutesSaved: r.MinutesSaved, Source: r.Source, SourceChannel: r.SourceChannel,
		SourceTS: r.SourceTS, PostChannel: r.PostChannel, PostTS: r.PostTS, Pending: r.Pending, Held: r.Held, Private: r.Private, InspiredBy: r.InspiredBy,
		InspiredByTeam: r.InspiredTeam, Note: r.Note, AwaitingApproval: r.Awaiting, Kind: r.Kind, Visibility: r.Visibility, ShownTeam: r.ShownTeam}
}

// validate rejects records that would make the numbers untrustworthy.
func (w *Win) validate() error {
	switch {
	case w.Author == "":
		return errors.New("win has no author")
	case w.MinutesSaved < 0:
		return errors.New("win has negative minutes saved")
	case w.Source == "":
		return errors.New("win has no source")
	case len(w.Text) > MaxWinText:
		return fmt.Errorf("win text is %d bytes, over the %d limit", len(w.Text), MaxWinText)
	case len(w.Note) > MaxWinText:
		return fmt.Errorf("win note is %d bytes, over the %d limit", len(w.Note), MaxWinText)
	}
	return nil
}

// AddWin stores a new win, assigning its ID and (if zero) its time.
func (t *Tx) AddWin(w *Win) error {
	if w.At.IsZero() {
		w.At = t.now
	}
	if err := w.validate(); err != nil {
		return fmt.Errorf("add win: %w", err)
	}
	id, err := t.tx.Bucket(bucketWins).NextSequence()
	if err != nil {
		return fmt.Errorf("add win: %w", err)
	}
	w.ID = id
	key := timeKey(w.At, id)
	if err := t.tx.Bucket(bucketWinIDs).Put(u64(id), key); err != nil {
		return fmt.Errorf("add win: %w", err)
	}
	if err := t.tx.Bucket(bucketWinByUser).Put(userKey(w.Author, key), nil); err != nil {
		return fmt.Errorf("add win: %w", err)
	}
	return t.saveWin(key, w)
}

// UpdateWin rewrites an existing win (its ID, author and time are fixed).
func (t *Tx) UpdateWin(w *Win) error {
	key := t.tx.Bucket(bucketWinIDs).Get(u64(w.ID))
	if key == nil {
		return fmt.Errorf("update win %d: %w", w.ID, ErrNotFound)
	}
	if err := w.validate(); err != nil {
		return fmt.Errorf("update win %d: %w", w.ID, err)
	}
	return t.saveWin(bytes.Clone(key), w)
}

// saveWin writes the record and the message indexes.
func (t *Tx) saveWin(key []byte, w *Win) error {
	if err := t.touchWin(keyTime(key)); err != nil {
		return err
	}
	if err := t.noteInspiredByTeam(key, w); err != nil {
		return fmt.Errorf("save win: %w", err)
	}
	raw, err := json.Marshal(w.record())
	if err != nil {
		return fmt.Errorf("encode win: %w", err)
	}
	if err := t.tx.Bucket(bucketWins).Put(key, raw); err != nil {
		return fmt.Errorf("save win: %w", err)
	}
	if !w.AwaitingApproval && w.Kind != KindTip { // a nomination counts once its author approves; a tip is no win
		if err := t.noteFirstWin(w.Author, w.At); err != nil {
			return err
		}
	}
	if w.PostTS != "" {
		if err := t.tx.Bucket(bucketWinByPost).Put(msgKey(w.PostChannel, w.PostTS), u64(w.ID)); err != nil {
			return fmt.Errorf("index win post: %w", err)
		}
	}
	if w.SourceTS != "" {
		if err := t.tx.Bucket(bucketWinBySource).Put(msgKey(w.SourceChannel, w.SourceTS), u64(w.ID)); err != nil {
			return fmt.Errorf("index nominated message: %w", err)
		}
	}
	if err := t.indexShared(key, w); err != nil {
		return err
	}
	if w.Kind == KindTip {
		return nil // tips are read through their own index, never as wins with a tool
	}
	return t.indexTools(key, w)
}

// Win loads a win by ID; ErrNotFound if there is none.
func (t *Tx) Win(id uint64) (Win, error) {
	key := t.tx.Bucket(bucketWinIDs).Get(u64(id))
	if key == nil {
		return Win{}, fmt.Errorf("win %d: %w", id, ErrNotFound)
	}
	return t.winAt(key)
}

// noteInspiredByTeam sets w.InspiredByTeam to the team recorded on the
// win it links to. Once retention has pruned that win, the team already
// kept stays (the record at key has it when the caller's copy does not).
func (t *Tx) noteInspiredByTeam(key []byte, w *Win) error {
	if w.InspiredBy == 0 {
		w.InspiredByTeam = ""
		return nil
	}
	src, err := t.Win(w.InspiredBy)
	switch {
	case err == nil:
		w.InspiredByTeam = src.Team
	case !errors.Is(err, ErrNotFound):
		return err
	case w.InspiredByTeam == "":
		if old, err := t.winAt(key); err == nil && old.InspiredBy == w.InspiredBy {
			w.InspiredByTeam = old.InspiredByTeam
		}
	}
	return nil
}

// DeleteWin removes a win with its indexes and reactions: a nomination
// its author declined never happened.
func (t *Tx) DeleteWin(id uint64) error {
	key := t.tx.Bucket(bucketWinIDs).Get(u64(id))
	if key == nil {
		return fmt.Errorf("win %d: %w", id, ErrNotFound)
	}
	if err := t.touchWin(keyTime(key)); err != nil {
		return err
	}
	_, err := t.deleteWin(id, bytes.Clone(key))
	return err
}

func (t *Tx) winAt(key []byte) (Win, error) {
	raw := t.tx.Bucket(bucketWins).Get(key)
	if raw == nil {
		return Win{}, fmt.Errorf("win at %x: %w", key, ErrNotFound)
	}
	var r winRecord
	if err := winCodec.decode(raw, &r); err != nil {
		return Win{}, fmt.Errorf("decode win: %w", err)
	}
	return r.win(), nil
}

// WinByPost finds the win whose wins-channel post is channel/ts.
func (t *Tx) WinByPost(channel, ts string) (Win, error) {
	return t.winByIndex(bucketWinByPost, channel, ts)
}

// WinBySource finds the win nominated from the message channel/ts.
func (t *Tx) WinBySource(channel, ts string) (Win, error) {
	return t.winByIndex(bucketWinBySource, channel, ts)
}

func (t *Tx) winByIndex(bucket []byte, channel, ts string) (Win, error) {
	id := t.tx.Bucket(bucket).Get(msgKey(channel, ts))
	if id == nil {
		return Win{}, fmt.Errorf("win for message %s/%s: %w", channel, ts, ErrNotFound)
	}
	return t.Win(readU64(id))
}

// WinsBetween returns the wins with from <= At < to, oldest first. It is one
// cursor range scan, so its cost follows the window, not the history.
func (t *Tx) WinsBetween(from, to time.Time) ([]Win, error) {
	wins := make([]Win, 0, t.CountWinsBetween(from, to))
	err := t.EachWinBetween(from, to, func(w *Win) error {
		wins = append(wins, *w)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return wins, nil
}

// CountWinsBetween counts the wins with from <= At < to without decoding
// them.
func (t *Tx) CountWinsBetween(from, to time.Time) int {
	return countRange(t.tx.Bucket(bucketWins).Cursor(), timePrefix(from), timePrefix(to))
}

// EachWinBetween calls fn for each win with from <= At < to, oldest first,
// without collecting them: a caller building its own slice (the digest)
// saves a copy of every win. w is reused between calls; fn must copy what
// it keeps.
func (t *Tx) EachWinBetween(from, to time.Time, fn func(w *Win) error) error {
	return t.EachWinBetweenWhere(from, to, nil, fn)
}

// WinsByUser returns a user's wins, oldest first (not their tips).
func (t *Tx) WinsByUser(user string) ([]Win, error) {
	return t.sharedByUser(user, KindWin)
}

// WinsByUserBetween returns user's wins with from <= At < to, oldest
// first (not their tips): one range of the per-person index, so its cost
// follows the window, not how long they have been sharing.
func (t *Tx) WinsByUserBetween(user string, from, to time.Time) ([]Win, error) {
	return t.sharedByUserIn(user, KindWin, timePrefix(from), timePrefix(to))
}

// sharedByUser returns user's records of kind, oldest first.
func (t *Tx) sharedByUser(user string, kind Kind) ([]Win, error) {
	return t.sharedByUserIn(user, kind, nil, nil)
}

// sharedByUserIn returns user's records of kind whose time keys are in
// [from, to) (nil: unbounded), oldest first.
func (t *Tx) sharedByUserIn(user string, kind Kind, from, to []byte) ([]Win, error) {
	var wins []Win
	prefix := userKey(user, nil)
	c := t.tx.Bucket(bucketWinByUser).Cursor()
	for k, _ := c.Seek(userKey(user, from)); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if to != nil && bytes.Compare(k[len(prefix):], to) >= 0 {
			break
		}
		w, err := t.winAt(k[len(prefix):])
		if err != nil {
			return nil, err
		}
		if w.Kind == kind {
			wins = append(wins, w)
		}
	}
	return wins, nil
}

// CountWins is the total number of wins stored.
func (t *Tx) CountWins() int { return t.tx.Bucket(bucketWins).Stats().KeyN }

func userKey(user string, key []byte) []byte {
	k := make([]byte, 0, len(user)+1+len(key))
	k = append(k, user...)
	k = append(k, 0)
	return append(k, key...)
}

// Wins in [from, to) convenience for callers without a transaction.
func (s *Store) WinsBetween(from, to time.Time) (wins []Win, err error) {
	err = s.View(func(tx *Tx) error {
		wins, err = tx.WinsBetween(from, to)
		return err
	})
	return wins, err
}
