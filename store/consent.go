package store

import (
	"bytes"
	"fmt"
	"time"
)

// A nominated author has the last word on their message: once they say it
// is not an AI win (or decline to share it from a private conversation),
// no colleague's emoji or shortcut makes it one again. The marker holds
// only where the message is, never who wrote it or what it says.
var bucketDeclined = []byte("declined_msgs") // channel/ts -> u64(unixNano)

func init() { allBuckets = append(allBuckets, bucketDeclined) }

// DeclineMessage records that the author of channel/ts does not want it
// shared as a win.
func (t *Tx) DeclineMessage(channel, ts string) error {
	if channel == "" || ts == "" {
		return nil
	}
	if err := t.tx.Bucket(bucketDeclined).Put(msgKey(channel, ts), u64(uint64(t.now.UnixNano()))); err != nil {
		return fmt.Errorf("decline message: %w", err)
	}
	return nil
}

// Declined reports whether the author of channel/ts declined to have it
// shared as a win.
func (t *Tx) Declined(channel, ts string) bool {
	b := t.tx.Bucket(bucketDeclined)
	return b != nil && b.Get(msgKey(channel, ts)) != nil
}

// ReactorsWith returns the people whose reaction emoji on a win is live,
// in key order: whether anyone but the nominator still holds the win
// emoji decides if removing theirs withdraws the nomination.
func (t *Tx) ReactorsWith(winID uint64, emoji string) ([]string, error) {
	prefix := u64(winID)
	var users []string
	c := t.reactionCursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		rest := k[len(prefix):]
		i := bytes.IndexByte(rest, 0)
		if i < 0 || string(rest[i+1:]) != emoji {
			continue
		}
		added, err := reactionAdded(v)
		if err != nil {
			return nil, err
		}
		if added {
			users = append(users, string(rest[:i]))
		}
	}
	return users, nil
}

// WithdrawWin deletes a win that should never have counted (its author
// said it is not an AI win, its only nominator took their emoji back, its
// author removed it): the record, its indexes and reactions, and every
// post still owed about it. The author's first-win record follows the
// wins that remain, so they are still a new contributor when their real
// first win comes. It returns the win as it was, so the caller can delete
// its wins-channel post.
func (t *Tx) WithdrawWin(id uint64) (Win, error) {
	key := t.tx.Bucket(bucketWinIDs).Get(u64(id))
	if key == nil {
		return Win{}, fmt.Errorf("withdraw win %d: %w", id, ErrNotFound)
	}
	key = bytes.Clone(key)
	w, err := t.winAt(key)
	if err != nil {
		return Win{}, fmt.Errorf("withdraw win %d: %w", id, err)
	}
	if _, err := t.remove(removal{wins: map[uint64][]byte{id: key}}); err != nil {
		return Win{}, fmt.Errorf("withdraw win %d: %w", id, err)
	}
	if err := t.refreshFirstWin(w.Author, w.At); err != nil {
		return Win{}, fmt.Errorf("withdraw win %d: %w", id, err)
	}
	return w, nil
}

// refreshFirstWin recomputes user's first-win record after their win at
// removedAt went, when that win was the one it recorded: the earliest
// counted win left, or no record. An earlier record (a win since pruned)
// stays.
func (t *Tx) refreshFirstWin(user string, removedAt time.Time) error {
	first, err := t.FirstWinAt(user)
	if err != nil || first.IsZero() || first.Before(removedAt.UTC()) {
		return err
	}
	b := t.tx.Bucket(bucketFirstWin)
	if err := b.Delete([]byte(user)); err != nil {
		return fmt.Errorf("refresh first win: %w", err)
	}
	wins, err := t.WinsByUser(user)
	if err != nil {
		return err
	}
	for _, w := range wins { // oldest first
		if !w.AwaitingApproval {
			return t.noteFirstWin(user, w.At)
		}
	}
	return nil
}
