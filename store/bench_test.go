package store

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// Benchmarks of the store's hot paths: what the committer writes per
// envelope, and the range scans the weekly digest reads.

// openBench opens a fresh store (fsync on, as in production).
func openBench(b *testing.B) *Store {
	b.Helper()
	s, err := Open(filepath.Join(b.TempDir(), "bench.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s
}

// benchWin is a typical /win: text, a tool, minutes, the author's team.
func benchWin(i int) Win {
	return Win{Author: fmt.Sprintf("U%07d", i%2000), Team: fmt.Sprintf("Team %03d", i%100), Source: SourceCommand,
		Text:  "Used ChatGPT to draft 40 cold emails in 30 minutes instead of 3 hours <@U0000001> & co",
		Tools: []string{"ChatGPT"}, MinutesSaved: 150}
}

var benchBlocks = json.RawMessage(`[{"type":"section","text":{"type":"mrkdwn","text":"*Win from <@U0000001>*\nUsed ChatGPT to draft 40 cold emails"}}]`)

// addEnvelope is what the bot writes for one /win envelope: the win, its
// wins-channel post in the outbox and the dedupe mark, in one transaction.
func addEnvelope(tx *Tx, i int) error {
	w := benchWin(i)
	if err := tx.AddWin(&w); err != nil {
		return err
	}
	if _, err := tx.Enqueue(OutboxEntry{Kind: OutboxPost, Channel: "C0WINS", Text: "Win from <@U0000001>", Blocks: benchBlocks, WinID: w.ID, WinPost: true}); err != nil {
		return err
	}
	return tx.MarkSeen(fmt.Sprintf("trig:%d.%d", i, i), json.RawMessage(`{"text":"Recorded"}`))
}

// BenchmarkAddWinOutbox commits one envelope per transaction: the cost of
// an ack when envelopes arrive one at a time (an fsync each).
func BenchmarkAddWinOutbox(b *testing.B) {
	s := openBench(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := s.Update(func(tx *Tx) error { return addEnvelope(tx, i) }); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkGroupCommit commits envelopes in batches as the bot's committer
// does under a burst; ns/op is per envelope.
func BenchmarkGroupCommit(b *testing.B) {
	for _, batch := range []int{16, 256, 1024} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			s := openBench(b)
			b.ReportAllocs()
			for i := 0; i < b.N; i += batch {
				err := s.Update(func(tx *Tx) error {
					for j := i; j < min(i+batch, b.N); j++ {
						if err := addEnvelope(tx, j); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// fillWeek stores n wins over the week before t0 with about one peer
// reaction each, in one transaction.
func fillWeek(b *testing.B, s *Store, n int) {
	b.Helper()
	start := t0.AddDate(0, 0, -7)
	err := s.Update(func(tx *Tx) error {
		for i := range n {
			w := benchWin(i)
			w.At = start.Add(time.Duration(i) * 7 * 24 * time.Hour / time.Duration(n))
			w.PostChannel, w.PostTS = "C0WINS", fmt.Sprintf("%d.%06d", w.At.Unix(), i)
			if err := tx.AddWin(&w); err != nil {
				return err
			}
			for r := range i % 3 {
				if _, err := tx.SetReaction(w.ID, fmt.Sprintf("U%07d", (i+r+1)%2000), "tada", true, w.PostTS); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkWinsBetween reads a week of 10,000 wins: the digest's main scan.
func BenchmarkWinsBetween(b *testing.B) {
	s := openBench(b)
	fillWeek(b, s, 10_000)
	b.ReportAllocs()
	for b.Loop() {
		err := s.View(func(tx *Tx) error {
			wins, err := tx.WinsBetween(t0.AddDate(0, 0, -7), t0)
			if err == nil && len(wins) != 10_000 {
				err = fmt.Errorf("read %d wins", len(wins))
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWinHeads reads the author and team of a week of 10,000 wins and
// decodes 1% of them in full (a team's share, for its Home tab), against
// decoding them all ("all").
func BenchmarkWinHeads(b *testing.B) {
	s := openBench(b)
	fillWeek(b, s, 10_000)
	from := t0.AddDate(0, 0, -7)
	for _, c := range []struct {
		name string
		read func(tx *Tx, fn func(*Win) error) error
	}{
		{"heads", func(tx *Tx, fn func(*Win) error) error {
			n := 0
			return tx.EachWinBetweenWhere(from, t0, func(WinHead) bool { n++; return n%100 == 0 }, fn)
		}},
		{"all", func(tx *Tx, fn func(*Win) error) error { return tx.EachWinBetween(from, t0, fn) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				err := s.View(func(tx *Tx) error { return c.read(tx, func(*Win) error { return nil }) })
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWinFacts reads what the digest needs besides the wins: each
// win's amplifiers and each author's first win.
func BenchmarkWinFacts(b *testing.B) {
	s := openBench(b)
	fillWeek(b, s, 10_000)
	var wins []Win
	if err := s.View(func(tx *Tx) (err error) { wins, err = tx.WinsBetween(t0.AddDate(0, 0, -7), t0); return err }); err != nil {
		b.Fatal(err)
	}
	b.Run("Amplifiers", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = s.View(func(tx *Tx) error {
				for _, w := range wins {
					if _, err := tx.Amplifiers(w.ID); err != nil {
						return err
					}
				}
				return nil
			})
		}
	})
	b.Run("FirstWinAt", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = s.View(func(tx *Tx) error {
				for i := range 2000 {
					if _, err := tx.FirstWinAt(fmt.Sprintf("U%07d", i)); err != nil {
						return err
					}
				}
				return nil
			})
		}
	})
}

// BenchmarkOutboxPick: what a sender lane reads to choose its work, with
// 10,000 posts pending (a backlog waiting out a 429), 100 of them due, and
// a form due in the urgent lane. "index" reads the due index, stopping at
// the first entry not yet due; "decode-all" reads and decodes every
// pending entry to find the due ones, as a sender without the index must.
func BenchmarkOutboxPick(b *testing.B) {
	s := openBench(b)
	now := time.Now()
	err := s.Update(func(tx *Tx) error {
		for i := range 10_000 {
			e := OutboxEntry{Kind: OutboxPost, Channel: "C0WINS", Text: "Win from <@U0000001>", Blocks: benchBlocks, WinID: uint64(i + 1), WinPost: true,
				NotBefore: now.Add(30 * time.Second)}
			if i < 100 {
				e.NotBefore = time.Time{}
			}
			if _, err := tx.Enqueue(e); err != nil {
				return err
			}
		}
		_, err := tx.Enqueue(OutboxEntry{Kind: OutboxOpenView, TriggerID: "1.2.x", View: benchBlocks, ExpiresAt: now.Add(3 * time.Second)})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	now = now.Add(time.Second) // what was queued above is due; the backlog waits 29 s more
	b.Run("index", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			heads, _, err := s.OutboxDue(false, now)
			if err != nil || len(heads) != 100 {
				b.Fatal(len(heads), err)
			}
			urgent, _, err := s.OutboxDue(true, now)
			if err != nil || len(urgent) != 1 {
				b.Fatal(len(urgent), err)
			}
		}
	})
	b.Run("decode-all", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			all, err := s.Outbox(-1)
			if err != nil {
				b.Fatal(err)
			}
			due := 0
			for _, e := range all {
				if !e.Due().After(now) {
					due++
				}
			}
			if due != 101 {
				b.Fatal(due)
			}
		}
	})
}
