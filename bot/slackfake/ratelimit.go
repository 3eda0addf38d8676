package slackfake

import (
	"math"
	"net/http"
	"time"
)

// postLimit is chat.postMessage's per-channel limit: a token bucket per
// channel, burst posts at once, then perSecond a second.
type postLimit struct {
	perSecond, burst float64
	channels         map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// LimitPosts makes chat.postMessage answer 429 with a Retry-After, as
// Slack does, once a channel gets more than burst posts at once or more
// than perSecond a second after that. Slack's documented pace is "1 per
// second per channel, short bursts >1 allowed"
// (https://docs.slack.dev/apis/web-api/rate-limits); how short a burst is
// not documented. perSecond 0 turns the limit off (the default). The limit
// runs on the wall clock, whatever WithClock says.
func (s *Server) LimitPosts(perSecond float64, burst int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if perSecond <= 0 {
		s.api.posts = nil
		return
	}
	s.api.posts = &postLimit{perSecond: perSecond, burst: float64(max(burst, 1)), channels: map[string]*bucket{}}
}

// postLimitLocked spends a token of ref's channel, or returns the 429 to
// answer with. s.mu must be held.
func (s *Server) postLimitLocked(ref string) *failSpec {
	l := s.api.posts
	if l == nil {
		return nil
	}
	key := ref
	if c := s.resolveLocked(ref); c != nil {
		key = c.id // a DM by user ID and by channel ID are one channel
	}
	now := time.Now()
	b := l.channels[key]
	if b == nil {
		b = &bucket{tokens: l.burst, at: now}
		l.channels[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.perSecond)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return nil
	}
	wait := (1 - b.tokens) / l.perSecond
	return &failSpec{status: http.StatusTooManyRequests, retryAfter: int(math.Ceil(wait))}
}
