package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"flywheel/bot/slackfake"
	"flywheel/config"
)

// measureSlackPath sends the burst of the ingest run to slack-go clients
// that ack every envelope the moment they read it: no handler, no store, no
// outbox. Its rate is what the fake Slack and slack-go's client alone allow
// on this machine, measured in the same run: the ceiling the bot's ingest
// works under, and the share of the raw bbolt limit any slack-go bot here
// could reach.
func measureSlackPath(ctx context.Context, p params) (latencyStats, error) {
	fake := slackfake.New()
	defer fake.Close()
	for i := range benchUsers {
		fake.AddUser(benchUser(i), fmt.Sprintf("person%03d", i))
	}
	fake.AddChannel(benchWinsCh, "wins")
	fake.AddChannel(benchGeneral, "general")

	cctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	api := slack.New("xoxb-1-bench-bot", slack.OptionAppLevelToken("xapp-1-A1-bench-app"), slack.OptionAPIURL(fake.APIURL()))
	for range config.DefaultConnections {
		client := socketmode.New(api)
		wg.Go(func() { _ = client.RunContext(cctx) })
		wg.Go(func() {
			for {
				select {
				case <-cctx.Done():
					return
				case ev := <-client.Events:
					if ev.Request != nil && ev.Request.EnvelopeID != "" {
						_ = client.AckCtx(cctx, ev.Request.EnvelopeID, nil)
					}
				}
			}
		})
	}
	if err := fake.WaitConnections(config.DefaultConnections, 10*time.Second); err != nil {
		return latencyStats{}, fmt.Errorf("slack-go did not connect: %w", err)
	}
	// Reactions land on made-up posts: nothing here looks them up.
	posts := make([]string, warmupPosts)
	for i := range posts {
		posts[i] = fmt.Sprintf("1764000000.%06d", i)
	}
	ids := make([]string, p.burst)
	fake.Hold()
	for k := range ids {
		ids[k] = sendEnvelope(fake, posts, k)
	}
	start := time.Now()
	fake.Release()
	lat, last, err := waitAcked(ctx, fake, ids, 2*time.Minute)
	if err != nil {
		return latencyStats{}, err
	}
	return summarise(lat, last.Sub(start)), nil
}
