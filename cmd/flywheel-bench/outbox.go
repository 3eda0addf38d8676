package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	"flywheel/config"
	"flywheel/store"
)

// outboxResult is what the outbox runs measured: a crowd's wins posted into
// one channel under Slack's per-channel limit, paced and unpaced, and the
// acks of /win while /ask hammers a store full of wins.
type outboxResult struct {
	Wins      int
	Rate      float64 // Slack's limit (the fake enforces it) and the bot's pace, posts/s per channel
	FakeBurst int
	Implied   time.Duration // wins ÷ rate: what the limit allows
	Paced     paceRun
	Unpaced   paceRun

	StoreWins  int // wins in the store, over 30 days
	AskRate    int // /ask per second offered
	WinRate    int // /win per second offered alongside
	AskFor     time.Duration
	Win, Ask   latencyStats
	AskOffered float64
}

// paceRun is one drain of the crowd's wins.
type paceRun struct {
	Took    time.Duration // first envelope sent → last post made
	Limited int           // 429s Slack answered
}

// measurePacing sends p.paceWins /win at once and waits for their posts,
// with the fake refusing past p.paceRate a second per channel, and the bot
// posting at that pace (paced) or as fast as it can (unpaced).
func measurePacing(ctx context.Context, p params, paced bool) (paceRun, error) {
	var res paceRun
	dir, err := os.MkdirTemp("", "flywheel-bench-pace-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	pace := config.Posting{PerSecond: p.paceRate, Burst: config.DefaultPostBurst}
	if !paced {
		pace = config.Posting{PerSecond: 1e6, Burst: 1 << 20}
	}
	bb, err := startBenchBotWith(ctx, dir, 0, pace, nil)
	if err != nil {
		return res, err
	}
	defer bb.stop()
	bb.fake.LimitPosts(p.paceRate, paceFakeBurst)
	start := time.Now()
	ids := make([]string, p.paceWins)
	for i := range ids {
		ids[i] = bb.fake.SendSlashCommand(benchUser(i), benchGeneral, "/win", fmt.Sprintf(winTexts[i%len(winTexts)], i))
	}
	implied := time.Duration(float64(p.paceWins) / p.paceRate * float64(time.Second))
	if _, _, err := bb.waitAcked(ctx, ids, time.Minute); err != nil {
		return res, err
	}
	posts, err := bb.fake.WaitBotMessages(benchWinsCh, p.paceWins, 3*implied+time.Minute)
	if err != nil {
		return res, fmt.Errorf("posts: %w", err)
	}
	for _, m := range posts {
		res.Took = max(res.Took, m.At.Sub(start))
	}
	for _, c := range bb.fake.Calls("chat.postMessage") {
		if c.Status == http.StatusTooManyRequests {
			res.Limited++
		}
	}
	return res, nil
}

// paceFakeBurst is how many posts the fake lets through at once before its
// per-second limit bites. Slack documents "short bursts"; the bot's own
// burst (config.DefaultPostBurst) stays one under.
const paceFakeBurst = config.DefaultPostBurst + 1

// askLoadWins is the store the /ask load runs against: 40k wins in 30 days.
const askLoadWins = 40_000

// measureAskLoad offers p.askRate answerable /ask a second (each cites
// colleagues' recent wins) and a tenth as many /win, for p.askFor, against
// a store of askLoadWins wins, and returns both kinds' ack latencies.
func measureAskLoad(ctx context.Context, p params) (win, ask latencyStats, offered float64, err error) {
	dir, err := os.MkdirTemp("", "flywheel-bench-ask-")
	if err != nil {
		return win, ask, 0, err
	}
	defer os.RemoveAll(dir)
	seed := func(st *store.Store) error {
		now := time.Now()
		tools := []string{"ChatGPT", "Claude", "Copilot", "Notion AI"}
		for batch := 0; batch < askLoadWins; batch += 5000 {
			err := st.Update(func(tx *store.Tx) error {
				for i := batch; i < min(batch+5000, askLoadWins); i++ {
					w := store.Win{Author: benchUser(i), Text: fmt.Sprintf(winTexts[i%len(winTexts)], i), Tools: []string{tools[i%len(tools)]},
						MinutesSaved: 150, Source: store.SourceCommand, PostChannel: benchWinsCh, PostTS: fmt.Sprintf("1790000000.%06d", i),
						At: now.Add(-30 * 24 * time.Hour).Add(time.Duration(i) * (30 * 24 * time.Hour / askLoadWins))}
					if err := tx.AddWin(&w); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	}
	bb, err := startBenchBotWith(ctx, dir, 0, config.Posting{PerSecond: config.DefaultPostsPerSecond, Burst: config.DefaultPostBurst}, seed)
	if err != nil {
		return win, ask, 0, err
	}
	defer bb.stop()
	var asks, wins []string
	every := time.Second / time.Duration(p.askRate)
	n := int(p.askFor / every)
	start := time.Now()
	for i := range n {
		if d := time.Until(start.Add(time.Duration(i) * every)); d > 0 {
			select {
			case <-ctx.Done():
				return win, ask, 0, ctx.Err()
			case <-time.After(d):
			}
		}
		user := benchUser(i * 7)
		asks = append(asks, bb.fake.SendSlashCommand(user, benchGeneral, "/ask", fmt.Sprintf("can I use Claude to summarize call %d?", i)))
		if i%(p.askRate/p.winRate) == 0 {
			wins = append(wins, bb.fake.SendSlashCommand(user, benchGeneral, "/win", fmt.Sprintf(winTexts[i%len(winTexts)], i)))
		}
	}
	offered = float64(n) / time.Since(start).Seconds()
	askLat, _, err := bb.waitAcked(ctx, asks, time.Minute)
	if err != nil {
		return win, ask, 0, err
	}
	winLat, _, err := bb.waitAcked(ctx, wins, time.Minute)
	if err != nil {
		return win, ask, 0, err
	}
	return summarise(winLat, 0), summarise(askLat, 0), offered, nil
}

// measureOutbox runs the pacing and /ask-load measurements.
func measureOutbox(ctx context.Context, p params, logf func(string, ...any)) (outboxResult, error) {
	res := outboxResult{Wins: p.paceWins, Rate: p.paceRate, FakeBurst: paceFakeBurst,
		Implied:   time.Duration(float64(p.paceWins) / p.paceRate * float64(time.Second)),
		StoreWins: askLoadWins, AskRate: p.askRate, WinRate: p.winRate, AskFor: p.askFor}
	var err error
	logf("outbox: %d wins into one channel at %g/s, paced (implied %v)", p.paceWins, p.paceRate, res.Implied)
	if res.Paced, err = measurePacing(ctx, p, true); err != nil {
		return res, fmt.Errorf("paced: %w", err)
	}
	logf("  drained in %v, %d 429s; now unpaced", res.Paced.Took.Round(time.Millisecond), res.Paced.Limited)
	if res.Unpaced, err = measurePacing(ctx, p, false); err != nil {
		return res, fmt.Errorf("unpaced: %w", err)
	}
	logf("  drained in %v, %d 429s", res.Unpaced.Took.Round(time.Millisecond), res.Unpaced.Limited)
	logf("outbox: %d /ask and %d /win a second for %v against %s wins", p.askRate, p.winRate, p.askFor, count(askLoadWins))
	if res.Win, res.Ask, res.AskOffered, err = measureAskLoad(ctx, p); err != nil {
		return res, fmt.Errorf("ask load: %w", err)
	}
	logf("  /win ack p99 %v, /ask ack p99 %v", res.Win.P99, res.Ask.P99)
	return res, nil
}
