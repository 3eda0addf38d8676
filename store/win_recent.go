package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Reads of recent wins that answer a person while they wait: social proof
// in a "Yes, you can use X" answer, the /win form's "Inspired by" list.
// Each reads newest first and stops as soon as the caller has enough, so
// its cost follows what is shown, not the history: thousands of wins in
// the window cost the same as ten.

// maxToolKey bounds the tool names indexed: registry names are short, and
// a long free-text tool typed in the form is never asked about by name.
const maxToolKey = 100

func toolPrefix(tool string) []byte {
	k := make([]byte, 0, len(tool)+1+16)
	k = append(k, strings.ToLower(tool)...)
	return append(k, 0)
}

// indexTools records key under each of w's tools (saveWin calls it). A
// tool removed from a win leaves its key behind; readers check the win
// itself, so a stale key costs one lookup and shows nothing.
func (t *Tx) indexTools(key []byte, w *Win) error {
	for _, tool := range w.Tools {
		if tool == "" || len(tool) > maxToolKey {
			continue
		}
		if err := t.tx.Bucket(bucketWinByTool).Put(append(toolPrefix(tool), key...), nil); err != nil {
			return fmt.Errorf("index win tools: %w", err)
		}
	}
	return nil
}

// unindexTools deletes w's tool keys (with the win itself).
func (t *Tx) unindexTools(key []byte, w Win) error {
	for _, tool := range w.Tools {
		if err := t.tx.Bucket(bucketWinByTool).Delete(append(toolPrefix(tool), key...)); err != nil {
			return fmt.Errorf("unindex win tools: %w", err)
		}
	}
	return nil
}

// EachWinWithTool calls fn for the wins naming tool (any case) with
// since <= At < until, newest first, until fn returns false.
func (t *Tx) EachWinWithTool(tool string, since, until time.Time, fn func(Win) bool) error {
	prefix := toolPrefix(tool)
	c := t.tx.Bucket(bucketWinByTool).Cursor()
	return eachBackward(c, prefix, since, until, func(key []byte) (bool, error) {
		w, err := t.winAt(key)
		if err != nil || w.IsTip() {
			return true, nil // a win deleted since it was indexed, or a tip: skip it
		}
		return fn(w), nil
	})
}

// EachRecentWin calls fn for the wins with since <= At < until, newest
// first, until fn returns false.
func (t *Tx) EachRecentWin(since, until time.Time, fn func(Win) bool) error {
	c := t.tx.Bucket(bucketWins).Cursor()
	return eachBackward(c, nil, since, until, func(key []byte) (bool, error) {
		w, err := t.winAt(key)
		if err != nil {
			return false, err
		}
		if w.IsTip() {
			return true, nil // tips are no wins (share.go)
		}
		return fn(w), nil
	})
}

// eachBackward walks the keys prefix ‖ timeKey in [since, until) from the
// newest, handing each timeKey to fn until it says stop.
func eachBackward(c *bolt.Cursor, prefix []byte, since, until time.Time, fn func(timeKey []byte) (bool, error)) error {
	from := append(bytes.Clone(prefix), timePrefix(since)...)
	end := append(bytes.Clone(prefix), timePrefix(until)...)
	k, _ := c.Seek(end)
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	for ; k != nil && bytes.HasPrefix(k, prefix) && bytes.Compare(k, from) >= 0; k, _ = c.Prev() {
		if len(k) != len(prefix)+16 {
			continue
		}
		more, err := fn(bytes.Clone(k[len(prefix):]))
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// indexWinTools is the migration from schema 3: it indexes every stored
// win under its tools.
func indexWinTools(tx *bolt.Tx) error {
	idx, err := tx.CreateBucketIfNotExists(bucketWinByTool)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketWins).ForEach(func(k, v []byte) error {
		var r struct {
			Tools []string `json:"tools"`
		}
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("decode win %x: %w", k, err)
		}
		for _, tool := range r.Tools {
			if tool != "" && len(tool) <= maxToolKey {
				if err := idx.Put(append(toolPrefix(tool), k...), nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
