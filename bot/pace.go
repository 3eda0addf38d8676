package bot

import (
	"time"

	"flywheel/config"
)

// Slack's pace for chat.postMessage is "1 per second per channel, short
// bursts >1 allowed", plus a workspace-wide limit
// (https://docs.slack.dev/apis/web-api/rate-limits). Posting at that pace
// (config.Posting), instead of firing until a 429 comes back, drains a
// crowd's wins at the channel's speed with few or no 429s.

// pacer is a token bucket per channel: burst posts at once, then rate a
// second. Only the posts lane uses it, from one goroutine.
type pacer struct {
	rate, burst float64
	buckets     map[uint64]*tokens
}

type tokens struct {
	n  float64
	at time.Time
}

func newPacer(perSecond float64, burst int) *pacer {
	p := &pacer{buckets: map[uint64]*tokens{}}
	p.set(perSecond, burst)
	return p
}

// set changes the pace (config.Posting; a reload may change it).
func (p *pacer) set(perSecond float64, burst int) {
	if perSecond <= 0 {
		perSecond = config.DefaultPostsPerSecond
	}
	if burst <= 0 {
		burst = config.DefaultPostBurst
	}
	p.rate, p.burst = perSecond, float64(burst)
}

// take spends one of key's tokens and returns 0, or returns how long until
// one is there (spending nothing).
func (p *pacer) take(key uint64, now time.Time) time.Duration {
	b := p.buckets[key]
	if b == nil {
		b = &tokens{n: p.burst, at: now}
		p.buckets[key] = b
	}
	if now.After(b.at) {
		b.n = min(p.burst, b.n+now.Sub(b.at).Seconds()*p.rate)
		b.at = now
	}
	if b.n >= 1 {
		b.n--
		return 0
	}
	return time.Duration((1-b.n)/p.rate*float64(time.Second)) + time.Millisecond
}

// prune forgets channels whose bucket has refilled: a new bucket starts
// full, so nothing changes but the map's size (every DM is a channel).
func (p *pacer) prune(now time.Time) {
	for k, b := range p.buckets {
		if b.n+now.Sub(b.at).Seconds()*p.rate >= p.burst {
			delete(p.buckets, k)
		}
	}
}
