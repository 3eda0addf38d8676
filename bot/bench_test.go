package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/slack-go/slack/socketmode"

	"flywheel/config"
	"flywheel/store"
)

// Benchmarks of envelope handling: from an event as slack-go decodes it,
// through the handler and the group-commit writer, to the ack. The socket
// is replaced by connection.ackFn (as in the fuzz tests); the store is a
// real file with fsync. cmd/flywheel-bench measures the whole path over a
// websocket.

type benchEnv struct {
	b     *Bot
	c     *connection
	acks  chan struct{}
	posts []string // ts of win posts reactions can land on
}

func newBenchEnv(tb testing.TB, acks int) *benchEnv {
	tb.Helper()
	st, err := store.Open(filepath.Join(tb.TempDir(), "bench.db"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = st.Close() })
	cfg := config.Default()
	cfg.WinsChannel = "CWINS"
	cfg.Tools = []config.Tool{{Name: "ChatGPT", Aliases: []string{"gpt", "chatgpt"}, Status: config.StatusApproved}, {Name: "Claude", Status: config.StatusApproved}}
	cfg.Teams = []config.Team{{Name: "Sales", Members: []string{"U0000001", "U0000002"}, Enrolled: true}}
	log := logrus.New()
	log.SetOutput(&strings.Builder{})
	log.SetLevel(logrus.InfoLevel) // as in production: debug lines are built but not written
	e := &benchEnv{b: New(cfg, st, Options{Log: log}), acks: make(chan struct{}, acks)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.b.commit.run(ctx); close(done) }()
	tb.Cleanup(func() { cancel(); <-done })
	e.c = &connection{bot: e.b, ackFn: func(context.Context, string, any) error { e.acks <- struct{}{}; return nil }}
	// 100 posted wins for the reactions to land on.
	err = st.Update(func(tx *store.Tx) error {
		for i := range 100 {
			w := store.Win{Author: fmt.Sprintf("U%07d", i), Text: "saved 2h with ChatGPT", Source: store.SourceCommand,
				PostChannel: "CWINS", PostTS: fmt.Sprintf("1764000000.%06d", i)}
			if err := tx.AddWin(&w); err != nil {
				return err
			}
			e.posts = append(e.posts, w.PostTS)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// events decodes n envelopes of kind ("win" or "reaction") as slack-go
// would, each with its own trigger_id or event_id.
func (e *benchEnv) events(tb testing.TB, kind string, n int) []socketmode.Event {
	tb.Helper()
	out := make([]socketmode.Event, n)
	for i := range out {
		var raw string
		switch kind {
		case "win":
			raw = fmt.Sprintf(`{"envelope_id":"w%d","type":"slash_commands","accepts_response_payload":true,"payload":{"command":"/win",`+
				`"text":"Used ChatGPT to draft %d cold emails in 30 minutes instead of 3 hours","user_id":"U%07d","channel_id":"CGENERAL",`+
				`"trigger_id":"%d.%d.bench"}}`, i, i, i%200, i, i)
		default:
			raw = fmt.Sprintf(`{"envelope_id":"r%d","type":"events_api","payload":{"type":"event_callback","event_id":"Ev%08d",`+
				`"event":{"type":"reaction_added","user":"U9%06d","reaction":"tada","item_user":"U0000001",`+
				`"item":{"type":"message","channel":"CWINS","ts":"%s"},"event_ts":"1764000001.%06d"}}}`, i, i, i/100, e.posts[i%len(e.posts)], i)
		}
		ev, ok := decodeFrame([]byte(raw))
		if !ok {
			tb.Fatalf("cannot decode %s", raw)
		}
		out[i] = ev
	}
	return out
}

func (e *benchEnv) waitAcks(b *testing.B, n int) {
	timeout := time.After(time.Minute)
	for range n {
		select {
		case <-e.acks:
		case <-timeout:
			b.Fatal("envelopes were not acked within a minute")
		}
	}
}

// BenchmarkEnvelope: "serial" waits for each ack before the next envelope
// (one commit and fsync each: the latency when traffic is light); "burst"
// hands over b.N envelopes and waits for all acks (the group commit
// batches them: the throughput under load). ns/op is per envelope.
func BenchmarkEnvelope(b *testing.B) {
	ctx := context.Background()
	for _, kind := range []string{"win", "reaction"} {
		b.Run(kind+"/serial", func(b *testing.B) {
			e := newBenchEnv(b, 1)
			evs := e.events(b, kind, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				e.c.handle(ctx, evs[i])
				e.waitAcks(b, 1)
			}
		})
		b.Run(kind+"/burst", func(b *testing.B) {
			e := newBenchEnv(b, b.N)
			evs := e.events(b, kind, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				e.c.handle(ctx, evs[i])
			}
			e.waitAcks(b, b.N)
		})
	}
}

// BenchmarkWinPost: rendering a win's post and encoding its blocks, which
// the outbox sender does for every win it posts.
func BenchmarkWinPost(b *testing.B) {
	w := store.Win{ID: 4242, Author: "U0000001", Text: "Used ChatGPT to draft 40 cold emails in 30 minutes instead of 3 hours <!channel> & co",
		Tools: []string{"ChatGPT"}, MinutesSaved: 150, Source: store.SourceCommand, InspiredBy: 7}
	b.ReportAllocs()
	for b.Loop() {
		_, blocks := winPost(w)
		if _, err := json.Marshal(blocks); err != nil {
			b.Fatal(err)
		}
	}
}
