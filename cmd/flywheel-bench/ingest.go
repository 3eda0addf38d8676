package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/sirupsen/logrus"
	bolt "go.etcd.io/bbolt"

	"flywheel/bot"
	"flywheel/bot/slackfake"
	"flywheel/config"
	"flywheel/store"
)

// The bench workspace: 200 people in 20 teams, a wins channel.
const (
	benchUsers   = 200
	benchWinsCh  = "CWINS0001"
	benchGeneral = "CGENERAL1"
	warmupPosts  = 100 // win posts the reactions of the measured runs land on
)

var benchEmojis = []string{"tada", "raised_hands", "fire", "clap", "rocket", "100", "heart", "star"}

func benchUser(i int) string { return fmt.Sprintf("UBENCH%04d", i%benchUsers) }

// benchConfig is the bot's config for the ingest runs.
func benchConfig(fake *slackfake.Server) *config.Config {
	cfg := config.Default()
	cfg.WinsChannel = benchWinsCh
	cfg.BotToken, cfg.AppToken, cfg.APIURL = "xoxb-1-bench-bot", "xapp-1-A1-bench-app", fake.APIURL()
	cfg.Tools = []config.Tool{
		{Name: "ChatGPT", Aliases: []string{"chatgpt", "gpt"}, Status: config.StatusApproved},
		{Name: "Claude", Aliases: []string{"claude"}, Status: config.StatusApproved},
		{Name: "Copilot", Aliases: []string{"copilot", "github copilot"}, Status: config.StatusApproved},
	}
	for t := range 20 {
		team := config.Team{Name: fmt.Sprintf("Team %02d", t), Enrolled: true}
		for m := range benchUsers / 20 {
			team.Members = append(team.Members, benchUser(t*benchUsers/20+m))
		}
		cfg.Teams = append(cfg.Teams, team)
	}
	return cfg
}

var winTexts = []string{
	"Used ChatGPT to draft %d cold emails in 30 minutes instead of 3 hours",
	"Claude summarised %d support tickets, saved 2h",
	"Copilot wrote the tests for module %d, from 4 hours to 20 min",
	"Asked gpt to clean up %d rows of the CRM export, saved half a day",
}

// latencyStats summarises ack latencies.
type latencyStats struct {
	N             int
	Rate          float64 // acks per second
	P50, P99, Max time.Duration
	Over3s        int
}

func summarise(lat []time.Duration, took time.Duration) latencyStats {
	s := latencyStats{N: len(lat)}
	if len(lat) == 0 {
		return s
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	s.P50, s.P99, s.Max = pct(0.50), pct(0.99), lat[len(lat)-1]
	for _, l := range lat {
		if l > 3*time.Second {
			s.Over3s++
		}
	}
	if took > 0 {
		s.Rate = float64(len(lat)) / took.Seconds()
	}
	return s
}

// ingestResult is what the ingest runs measured.
type ingestResult struct {
	Burst, Paced latencyStats
	// BurstRates are every burst run's acks/s; Burst is the median run.
	BurstRates []float64
	// PacedP99s are every paced run's p99; Paced is the median run.
	PacedP99s []time.Duration
	// Offered is the paced run's achieved send rate (envelopes/s).
	Offered float64
	// records are the serialized wins and reactions the burst stored, for
	// the raw bbolt comparison.
	records []rawRecord
}

// benchBot is a real bot connected to a fake Slack over loopback.
type benchBot struct {
	fake   *slackfake.Server
	st     *store.Store
	dbPath string
	cancel context.CancelFunc
	done   chan error
	posts  []string // ts of the warm-up win posts
}

func startBenchBot(ctx context.Context, dir string, apiLatency time.Duration) (*benchBot, error) {
	// Posts unpaced: the ingest runs measure acks with the sender posting
	// flat out beside them, the worst case for the database (the pacing
	// run measures Slack's pace).
	return startBenchBotWith(ctx, dir, apiLatency, config.Posting{PerSecond: 1e6, Burst: 1 << 20}, nil)
}

// startBenchBotWith starts a bench bot posting at pace, on a database seed
// (when not nil) fills first.
func startBenchBotWith(ctx context.Context, dir string, apiLatency time.Duration, pace config.Posting, seed func(*store.Store) error) (*benchBot, error) {
	fake := slackfake.New(slackfake.WithLatency(apiLatency))
	for i := range benchUsers {
		fake.AddUser(benchUser(i), fmt.Sprintf("person%03d", i))
	}
	fake.AddChannel(benchWinsCh, "wins")
	fake.AddChannel(benchGeneral, "general")
	bb := &benchBot{fake: fake, dbPath: filepath.Join(dir, "ingest.db"), done: make(chan error, 1)}
	st, err := store.Open(bb.dbPath, store.Options{})
	if err != nil {
		fake.Close()
		return nil, err
	}
	bb.st = st
	if seed != nil {
		if err := seed(st); err != nil {
			fake.Close()
			_ = st.Close()
			return nil, fmt.Errorf("seed the store: %w", err)
		}
	}
	log := logrus.New() // production level, nowhere to go
	log.SetOutput(io.Discard)
	log.SetLevel(logrus.InfoLevel)
	cfg := benchConfig(fake)
	cfg.Posting = pace
	b := bot.New(cfg, st, bot.Options{Log: log})
	rctx, cancel := context.WithCancel(ctx)
	bb.cancel = cancel
	go func() { bb.done <- b.Run(rctx) }()
	if err := fake.WaitConnections(config.DefaultConnections, 10*time.Second); err != nil {
		bb.stop()
		return nil, fmt.Errorf("bot did not connect: %w", err)
	}
	return bb, nil
}

// warmUp posts the wins the measured reactions land on.
func (bb *benchBot) warmUp() error {
	ids := make([]string, warmupPosts)
	for i := range ids {
		ids[i] = bb.fake.SendSlashCommand(benchUser(i), benchGeneral, "/win", fmt.Sprintf(winTexts[i%len(winTexts)], i))
	}
	if _, err := bb.fake.WaitAck(ids[len(ids)-1], 10*time.Second); err != nil {
		return err
	}
	msgs, err := bb.fake.WaitBotMessages(benchWinsCh, warmupPosts, 30*time.Second)
	if err != nil {
		return fmt.Errorf("warm-up posts: %w", err)
	}
	for _, m := range msgs {
		bb.posts = append(bb.posts, m.TS)
	}
	return nil
}

// send sends envelope k of a run (see sendEnvelope).
func (bb *benchBot) send(k int) string { return sendEnvelope(bb.fake, bb.posts, k) }

// sendEnvelope sends envelope k of a run: even k a /win, odd k a peer's
// reaction on one of posts. Reactors are people who wrote no warm-up win,
// and every (post, reactor, emoji) is new, so each reaction is recorded.
func sendEnvelope(fake *slackfake.Server, posts []string, k int) string {
	if k%2 == 0 {
		return fake.SendSlashCommand(benchUser(k/2), benchGeneral, "/win", fmt.Sprintf(winTexts[(k/2)%len(winTexts)], k))
	}
	r := k / 2
	reactors := benchUsers - warmupPosts
	post := r % len(posts)
	reactor := warmupPosts + (r/len(posts))%reactors
	emoji := benchEmojis[(r/(len(posts)*reactors))%len(benchEmojis)]
	return fake.SendReaction(true, benchUser(reactor), emoji, benchWinsCh, posts[post], "")
}

// waitAcked waits until every envelope in ids is acked and returns their
// latencies (first write → ack read, as the fake sees them) and when the
// last ack arrived.
func (bb *benchBot) waitAcked(ctx context.Context, ids []string, timeout time.Duration) ([]time.Duration, time.Time, error) {
	return waitAcked(ctx, bb.fake, ids, timeout)
}

func waitAcked(ctx context.Context, fake *slackfake.Server, ids []string, timeout time.Duration) ([]time.Duration, time.Time, error) {
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	deadline := time.Now().Add(timeout)
	for len(fake.Pending()) > 0 {
		if time.Now().After(deadline) {
			return nil, time.Time{}, fmt.Errorf("%d envelopes not acked within %v", len(fake.Pending()), timeout)
		}
		select {
		case <-ctx.Done():
			return nil, time.Time{}, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	var lat []time.Duration
	var last time.Time
	for _, a := range fake.Acks() {
		if want[a.EnvelopeID] {
			delete(want, a.EnvelopeID) // the first ack counts, not a replay
			lat = append(lat, a.Latency)
			if a.At.After(last) {
				last = a.At
			}
		}
	}
	if len(want) > 0 {
		return nil, time.Time{}, fmt.Errorf("%d envelopes have no ack", len(want))
	}
	return lat, last, nil
}

func (bb *benchBot) stop() error {
	bb.cancel()
	var err error
	select {
	case err = <-bb.done:
	case <-time.After(15 * time.Second):
		err = errors.New("bot did not stop within 15s")
	}
	bb.fake.Close()
	if cerr := bb.st.Close(); err == nil {
		err = cerr
	}
	return err
}

func measureIngest(ctx context.Context, p params, logf func(string, ...any), paced bool) (ingestResult, error) {
	var res ingestResult
	dir, err := os.MkdirTemp("", "flywheel-bench-ingest-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	bb, err := startBenchBot(ctx, dir, p.apiLatency)
	if err != nil {
		return res, err
	}
	stopped := false
	defer func() {
		if !stopped {
			_ = bb.stop()
		}
	}()
	if err := bb.warmUp(); err != nil {
		return res, err
	}

	// Burst: the envelopes are built while the fake holds them (encoding
	// them is Slack's work, not the bot's), then written as fast as the
	// websocket takes the frames (the fake's write blocks when the socket
	// buffers are full).
	ids := make([]string, p.burst)
	bb.fake.Hold()
	for k := range ids {
		ids[k] = bb.send(k)
	}
	start := time.Now()
	bb.fake.Release()
	sent := time.Since(start)
	lat, last, err := bb.waitAcked(ctx, ids, 2*time.Minute)
	if err != nil {
		return res, fmt.Errorf("burst: %w", err)
	}
	res.Burst = summarise(lat, last.Sub(start))
	logf("  burst: %d sent in %v, %.0f acks/s, p50 %v p99 %v max %v", len(ids), sent.Round(time.Millisecond),
		res.Burst.Rate, res.Burst.P50, res.Burst.P99, res.Burst.Max)

	if !paced {
		stopped = true
		return res, bb.stop()
	}

	// Paced: an open-loop sender offers pacedRate envelopes/s on schedule;
	// one that falls behind catches up at once rather than skipping.
	n := int(float64(p.pacedRate) * p.pacedFor.Seconds())
	ids = make([]string, n)
	interval := time.Second / time.Duration(p.pacedRate)
	start = time.Now()
	for k := range ids {
		if d := time.Until(start.Add(time.Duration(k) * interval)); d > 0 {
			time.Sleep(d)
		}
		ids[k] = bb.send(p.burst + k)
	}
	res.Offered = float64(n) / time.Since(start).Seconds()
	lat, last, err = bb.waitAcked(ctx, ids, 2*time.Minute)
	if err != nil {
		return res, fmt.Errorf("paced: %w", err)
	}
	res.Paced = summarise(lat, last.Sub(start))
	logf("  paced: offered %.0f/s, p50 %v p99 %v max %v", res.Offered, res.Paced.P50, res.Paced.P99, res.Paced.Max)

	stopped = true
	if err := bb.stop(); err != nil {
		return res, fmt.Errorf("stop bot: %w", err)
	}
	res.records, err = readRecords(bb.dbPath, p.raw)
	return res, err
}

// rawRecord is one stored key/value, as the bot serialized it.
type rawRecord struct {
	bucket     string
	key, value []byte
}

// readRecords reads back up to n serialized wins and reactions from the
// ingest database, alternating as the envelopes did. It reads bbolt directly
// because the point is the exact bytes the store wrote.
func readRecords(path string, n int) ([]rawRecord, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("read back records: %w", err)
	}
	defer db.Close()
	var wins, reactions []rawRecord
	err = db.View(func(tx *bolt.Tx) error {
		for _, name := range []string{"wins", "reactions"} {
			b := tx.Bucket([]byte(name))
			if b == nil {
				return fmt.Errorf("no %q bucket in %s", name, path)
			}
			err := b.ForEach(func(k, v []byte) error {
				r := rawRecord{bucket: name, key: slices.Clone(k), value: slices.Clone(v)}
				if name == "wins" {
					wins = append(wins, r)
				} else {
					reactions = append(reactions, r)
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read back records: %w", err)
	}
	out := make([]rawRecord, 0, n)
	for i := 0; len(out) < n && (i < len(wins) || i < len(reactions)); i++ {
		if i < len(wins) {
			out = append(out, wins[i])
		}
		if i < len(reactions) && len(out) < n {
			out = append(out, reactions[i])
		}
	}
	return out, nil
}
