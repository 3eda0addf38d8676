package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// bucketReactionsByTime indexes reactions by when they were made, so the
// digest can count a cheer in the week it was given, whatever the age of
// the win: u64(unixNano) ‖ u64(win) ‖ reactor 0x00 emoji -> nil. There is
// one entry per span of a reaction (see reactionRecord.Spans).
var bucketReactionsByTime = []byte("reactions_by_time")

func init() { allBuckets = append(allBuckets, bucketReactionsByTime) }

// maxSpans bounds the history kept for one reaction. Someone toggling an
// emoji dozens of times merges their oldest gaps: a slight overcount of a
// long-past week is better than an unbounded record.
const maxSpans = 16

// reactionRecord is the state of one (win, reactor, emoji) reaction.
// Slack delivers reaction_added and reaction_removed independently and may
// reorder or retry them, so the record keeps the event_ts of the newest event
// applied and older events are ignored. Spans say when the reaction was
// live, so a past week is counted with the reactions of its own time: a
// cheer given later never rewrites it, and a removal counts from when it
// happened.
type reactionRecord struct {
	Added   bool      `json:"added"`
	EventTS string    `json:"event_ts"`
	At      time.Time `json:"at"`
	// From and To bound the latest span: [From, To), To zero while live.
	// Past holds earlier spans as "fromNanos/toNanos". The record stays flat
	// (see flatCodec): the digest reads every reaction of five weeks.
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
	Past []string  `json:"past,omitempty"`
}

// reactionSpan is a time the reaction was live: [From, To), To zero while
// it still is.
type reactionSpan struct{ From, To time.Time }

// The store writes reactionRecord with encoding/json, Added first, so a
// record starts with one of these; reactionAdded reads that without
// decoding the rest (the digest asks for every reaction of five weeks).
var (
	reactionAddedPrefix   = []byte(`{"added":true,`)
	reactionRemovedPrefix = []byte(`{"added":false,`)
)

// reactionAdded says whether a stored reaction is live.
func reactionAdded(v []byte) (bool, error) {
	switch {
	case bytes.HasPrefix(v, reactionAddedPrefix):
		return true, nil
	case bytes.HasPrefix(v, reactionRemovedPrefix):
		return false, nil
	}
	var r reactionRecord // any other spelling: decode it
	if err := reactionCodec.decode(v, &r); err != nil {
		return false, fmt.Errorf("decode reaction: %w", err)
	}
	return r.Added, nil
}

func reactionKey(winID uint64, reactor, emoji string) []byte {
	k := make([]byte, 0, 8+len(reactor)+1+len(emoji))
	k = append(k, u64(winID)...)
	k = append(k, reactor...)
	k = append(k, 0)
	return append(k, emoji...)
}

// reactionTimeKey is the time index key of a span starting at from.
func reactionTimeKey(from time.Time, key []byte) []byte {
	return append(timePrefix(from), key...)
}

// SetReaction records that reactor added (or removed) emoji on a win post,
// at the transaction's time. It returns whether the stored state changed.
// Self-reactions are the caller's to filter: the store counts what it is
// given.
func (t *Tx) SetReaction(winID uint64, reactor, emoji string, added bool, eventTS string) (bool, error) {
	b := t.tx.Bucket(bucketReactions)
	key := reactionKey(winID, reactor, emoji)
	var r reactionRecord
	if raw := b.Get(key); raw != nil {
		if err := reactionCodec.decode(raw, &r); err != nil {
			return false, fmt.Errorf("decode reaction: %w", err)
		}
		if eventTS != "" && compareTS(eventTS, r.EventTS) < 0 {
			return false, nil // an older event arriving late
		}
		if r.Added == added {
			return false, nil
		}
	} else if !added {
		return false, nil // removing a reaction we never counted
	}
	now := t.now.UTC()
	if added {
		if !r.From.IsZero() { // the previous span closed: keep it
			r.Past = append(r.Past, fmt.Sprintf("%d/%d", r.From.UnixNano(), r.To.UnixNano()))
			if len(r.Past) >= maxSpans {
				// Merge the two oldest spans: their gap is forgotten.
				a, b := parseSpan(r.Past[0]), parseSpan(r.Past[1])
				// The gap counted the cheer as off in the weeks it spans.
				if err := t.touch(a.To); err != nil {
					return false, err
				}
				if err := t.tx.Bucket(bucketReactionsByTime).Delete(reactionTimeKey(b.From, key)); err != nil {
					return false, fmt.Errorf("save reaction: %w", err)
				}
				r.Past = append([]string{fmt.Sprintf("%d/%d", a.From.UnixNano(), b.To.UnixNano())}, r.Past[2:]...)
			}
		}
		r.From, r.To = now, time.Time{}
		if err := t.tx.Bucket(bucketReactionsByTime).Put(reactionTimeKey(now, key), nil); err != nil {
			return false, fmt.Errorf("index reaction: %w", err)
		}
	} else if !r.From.IsZero() {
		r.To = now
	}
	r.Added, r.EventTS, r.At = added, eventTS, now
	raw, err := json.Marshal(r)
	if err != nil {
		return false, fmt.Errorf("encode reaction: %w", err)
	}
	if err := b.Put(key, raw); err != nil {
		return false, fmt.Errorf("save reaction: %w", err)
	}
	return true, nil
}

// Amplifiers returns the unique users with at least one live reaction on a
// win, in key order.
func (t *Tx) Amplifiers(winID uint64) ([]string, error) {
	prefix := u64(winID)
	var users []string
	c := t.reactionCursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		added, err := reactionAdded(v)
		if err != nil {
			return nil, err
		}
		if !added {
			continue
		}
		rest := k[len(prefix):]
		user := string(rest[:bytes.IndexByte(rest, 0)])
		if len(users) == 0 || users[len(users)-1] != user {
			users = append(users, user)
		}
	}
	return users, nil
}

// Cheer is one time someone's reaction on a win was live: [From, To), To
// zero while it still is.
type Cheer struct {
	User     string
	From, To time.Time
}

// LiveAt reports whether the cheer counted at the end of a window ending
// at end: it was made before end and not removed before end.
func (c Cheer) LiveAt(end time.Time) bool {
	return c.From.Before(end) && (c.To.IsZero() || !c.To.Before(end))
}

// Cheers returns every span of every reaction on a win, in reactor order;
// the digest reads from them who amplified the win as of any week's end.
func (t *Tx) Cheers(winID uint64) ([]Cheer, error) {
	return t.AppendCheers(nil, winID)
}

// AppendCheers appends the win's cheers to out, as Cheers lists them: a
// reader of many wins' cheers can keep them in one backing array.
func (t *Tx) AppendCheers(out []Cheer, winID uint64) ([]Cheer, error) {
	prefix := u64(winID)
	c := t.reactionCursor()
	// The digest reads the reactions of every win of five weeks: one record
	// for the scan (decode's reflection would move one per reaction to the
	// heap), only the fields spans need, and the spans on the stack.
	var r reactionLive
	var buf [maxSpans]reactionSpan
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if bytes.HasPrefix(v, reactionRemovedPrefix) && !bytes.Contains(v, []byte(`"from"`)) {
			continue // removed, with no history: never counted anywhere
		}
		rest := k[len(prefix):]
		user := string(rest[:bytes.IndexByte(rest, 0)])
		r = reactionLive{}
		if err := reactionLiveCodec.decode(v, &r); err != nil {
			return nil, fmt.Errorf("decode reaction: %w", err)
		}
		for _, s := range r.appendSpans(buf[:0]) {
			out = append(out, Cheer{User: user, From: s.From, To: s.To})
		}
	}
	return out, nil
}

// reactionLive is the part of a reactionRecord that says when it was live.
type reactionLive struct {
	Added bool      `json:"added"`
	At    time.Time `json:"at"`
	From  time.Time `json:"from,omitzero"`
	To    time.Time `json:"to,omitzero"`
	Past  []string  `json:"past,omitempty"`
}

var reactionLiveCodec = newFlatPartCodec[reactionLive, reactionRecord]()

// spans are the record's live spans, oldest first.
func (r reactionRecord) spans() []reactionSpan {
	return reactionLive{Added: r.Added, At: r.At, From: r.From, To: r.To, Past: r.Past}.appendSpans(nil)
}

// appendSpans appends the live spans to dst, oldest first; a record
// written before spans existed is live since its last change, if it is
// live.
func (r reactionLive) appendSpans(dst []reactionSpan) []reactionSpan {
	if r.From.IsZero() {
		if r.Added {
			return append(dst, reactionSpan{From: r.At})
		}
		return dst
	}
	for _, p := range r.Past {
		dst = append(dst, parseSpan(p))
	}
	return append(dst, reactionSpan{From: r.From, To: r.To})
}

// parseSpan reads a Past entry; a damaged one reads as an empty span.
func parseSpan(s string) reactionSpan {
	var from, to int64
	if _, err := fmt.Sscanf(s, "%d/%d", &from, &to); err != nil {
		return reactionSpan{}
	}
	return reactionSpan{From: time.Unix(0, from).UTC(), To: time.Unix(0, to).UTC()}
}

// CheerMade is a reaction made at At by User on win WinID.
type CheerMade struct {
	At    time.Time
	WinID uint64
	User  string
}

// CheersMadeBetween lists the reactions made with from <= At < to, oldest
// first: one range scan of the time index. A cheer counts the cheerer as
// active in the week they gave it, whatever the age of the win.
func (t *Tx) CheersMadeBetween(from, to time.Time) ([]CheerMade, error) {
	var out []CheerMade
	end := timePrefix(to)
	c := t.tx.Bucket(bucketReactionsByTime).Cursor()
	for k, _ := c.Seek(timePrefix(from)); k != nil && bytes.Compare(k, end) < 0; k, _ = c.Next() {
		if len(k) < 17 {
			return nil, fmt.Errorf("reaction time index: bad key %x", k)
		}
		rest := k[16:]
		i := bytes.IndexByte(rest, 0)
		if i < 0 {
			return nil, fmt.Errorf("reaction time index: bad key %x", k)
		}
		out = append(out, CheerMade{At: time.Unix(0, int64(readU64(k[:8]))).UTC(), WinID: readU64(k[8:16]), User: string(rest[:i])})
	}
	return out, nil
}

// deleteReactions deletes a win's reactions and their time index entries,
// and returns how many reactions went.
func (t *Tx) deleteReactions(winID uint64) (int, error) {
	type found struct {
		key   []byte
		spans []reactionSpan
	}
	var all []found
	prefix := u64(winID)
	c := t.tx.Bucket(bucketReactions).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var r reactionRecord
		if err := reactionCodec.decode(v, &r); err != nil {
			return 0, fmt.Errorf("decode reaction: %w", err)
		}
		all = append(all, found{bytes.Clone(k), r.spans()})
	}
	for _, f := range all {
		if err := t.tx.Bucket(bucketReactions).Delete(f.key); err != nil {
			return 0, fmt.Errorf("delete reaction: %w", err)
		}
		for _, s := range f.spans {
			if err := t.tx.Bucket(bucketReactionsByTime).Delete(reactionTimeKey(s.From, f.key)); err != nil {
				return 0, fmt.Errorf("delete reaction: %w", err)
			}
		}
	}
	return len(all), nil
}

// rekeyReactions moves user's reactions, and their time index entries, to
// placeholder (for Forget). The placeholder is the person's own, so two
// forgotten cheerers stay two amplifiers.
func (t *Tx) rekeyReactions(user, placeholder string) (int, error) {
	b := t.tx.Bucket(bucketReactions)
	type found struct{ key, val []byte }
	var hits []found
	err := b.ForEach(func(k, v []byte) error {
		rest := k[8:]
		if i := bytes.IndexByte(rest, 0); i >= 0 && string(rest[:i]) == user {
			hits = append(hits, found{bytes.Clone(k), bytes.Clone(v)})
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	idx := t.tx.Bucket(bucketReactionsByTime)
	for _, h := range hits {
		var r reactionRecord
		if err := reactionCodec.decode(h.val, &r); err != nil {
			return 0, fmt.Errorf("decode reaction: %w", err)
		}
		rest := h.key[8:]
		to := reactionKey(readU64(h.key[:8]), placeholder, string(rest[bytes.IndexByte(rest, 0)+1:]))
		for _, s := range r.spans() {
			if err := idx.Delete(reactionTimeKey(s.From, h.key)); err != nil {
				return 0, fmt.Errorf("forget reaction: %w", err)
			}
			if err := idx.Put(reactionTimeKey(s.From, to), nil); err != nil {
				return 0, fmt.Errorf("forget reaction: %w", err)
			}
		}
		if err := b.Delete(h.key); err != nil {
			return 0, fmt.Errorf("forget reaction: %w", err)
		}
		if err := b.Put(to, h.val); err != nil {
			return 0, fmt.Errorf("forget reaction: %w", err)
		}
	}
	return len(hits), nil
}

// migrateReactionSpans gives each live reaction written before spans
// existed its span and time index entry.
func (t *Tx) migrateReactionSpans() error {
	b := t.tx.Bucket(bucketReactions)
	type found struct {
		key []byte
		r   reactionRecord
	}
	var todo []found
	err := b.ForEach(func(k, v []byte) error {
		var r reactionRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("decode reaction %x: %w", k, err)
		}
		if r.From.IsZero() && r.Added {
			r.From = r.At
			todo = append(todo, found{bytes.Clone(k), r})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, f := range todo {
		raw, err := json.Marshal(f.r)
		if err != nil {
			return err
		}
		if err := b.Put(f.key, raw); err != nil {
			return err
		}
		if err := t.tx.Bucket(bucketReactionsByTime).Put(reactionTimeKey(f.r.From, f.key), nil); err != nil {
			return err
		}
	}
	return nil
}

// compareTS orders Slack timestamps ("1732526400.000100"). They are decimal
// strings, so compare the integer part by length first, then lexically.
func compareTS(a, b string) int {
	ai, bi := bytes.IndexByte([]byte(a), '.'), bytes.IndexByte([]byte(b), '.')
	if ai < 0 {
		ai = len(a)
	}
	if bi < 0 {
		bi = len(b)
	}
	if ai != bi {
		if ai < bi {
			return -1
		}
		return 1
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
