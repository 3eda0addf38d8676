package store

import (
	"bytes"
	"fmt"
	"time"
)

// Sharing: a win's visibility, and tips.
//
// A tip (a prompt, a shortcut, a setting someone teaches their colleagues)
// is stored as a Win record of KindTip: it is shared, nominated, held by
// the guardrails, approved, forgotten and pruned exactly as a win is, by
// the same code. It never counts as a win: the range and per-person reads
// of wins (EachWinBetween, WinsBetween, WinsByUser) skip tips, a tip is no
// one's first win, and tips have their own reads (EachTipBetween, Tips…)
// through an index of their own, so listing tips costs the tips, not the
// wins.

// Kind says what a shared record is.
type Kind string

const (
	// KindWin is a win (the zero value: every record from before tips).
	KindWin Kind = ""
	// KindTip is a tip.
	KindTip Kind = "tip"
)

// Visibility says who sees a win's words and its author's name.
type Visibility string

const (
	// VisibleToEveryone posts the win in the wins channel with its author.
	VisibleToEveryone Visibility = ""
	// VisibleToTeam posts it in the author's team channel only: its words
	// appear nowhere else but the author's own surfaces.
	VisibleToTeam Visibility = "team"
	// VisibleAnonymous posts it without the author's name ("A colleague in
	// Sales"); no surface but the author's own links it to them.
	VisibleAnonymous Visibility = "anonymous"
)

// IsTip says whether the record is a tip.
func (w Win) IsTip() bool { return w.Kind == KindTip }

// Anonymous says whether the win was shared without its author's name.
func (w Win) Anonymous() bool { return w.Visibility == VisibleAnonymous }

// TeamOnly says whether the win was shared with its author's team only.
func (w Win) TeamOnly() bool { return w.Visibility == VisibleToTeam }

// bucketTipIndex lists the tips among the wins records: timeKey -> nil.
var bucketTipIndex = []byte("tips_by_time")

func init() { allBuckets = append(allBuckets, bucketTipIndex) }

// indexShared keeps the tip index (saveWin calls it).
func (t *Tx) indexShared(key []byte, w *Win) error {
	if w.Kind != KindTip {
		return nil
	}
	if err := t.tx.Bucket(bucketTipIndex).Put(key, nil); err != nil {
		return fmt.Errorf("index tip: %w", err)
	}
	return nil
}

// unindexShared deletes a deleted record's tip index entry and the saves
// and tries on it (deleteWin calls it).
func (t *Tx) unindexShared(id uint64, key []byte) error {
	if b := t.tx.Bucket(bucketTipIndex); b != nil && b.Get(key) != nil {
		if err := b.Delete(key); err != nil {
			return fmt.Errorf("delete tip %d: %w", id, err)
		}
	}
	if _, err := t.deleteTipMarks(id); err != nil {
		return fmt.Errorf("delete tip %d: %w", id, err)
	}
	return nil
}

// EachTipBetween calls fn for each tip with from <= At < to, oldest first.
// A file opened read-only from before tips has no index: no tips.
func (t *Tx) EachTipBetween(from, to time.Time, fn func(w Win) error) error {
	b := t.tx.Bucket(bucketTipIndex)
	if b == nil {
		return nil
	}
	end := timePrefix(to)
	c := b.Cursor()
	for k, _ := c.Seek(timePrefix(from)); k != nil && bytes.Compare(k, end) < 0; k, _ = c.Next() {
		w, err := t.winAt(k)
		if err != nil {
			return fmt.Errorf("read tip: %w", err)
		}
		if err := fn(w); err != nil {
			return err
		}
	}
	return nil
}

// TipsBetween returns the tips with from <= At < to, oldest first.
func (t *Tx) TipsBetween(from, to time.Time) ([]Win, error) {
	var tips []Win
	err := t.EachTipBetween(from, to, func(w Win) error {
		tips = append(tips, w)
		return nil
	})
	return tips, err
}

// CountTips is the number of tips stored.
func (t *Tx) CountTips() int {
	if b := t.tx.Bucket(bucketTipIndex); b != nil {
		return b.Stats().KeyN
	}
	return 0
}

// TipsByUser returns a user's tips, oldest first.
func (t *Tx) TipsByUser(user string) ([]Win, error) { return t.sharedByUser(user, KindTip) }
