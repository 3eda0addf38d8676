package bot

import "time"

// Clock is the bot's time for the outbox: due times, backoff, pacing,
// Retry-After and the 24-hour delivery window all read it, so a test can
// play an hour-long outage in a second. Give the store the same clock
// (store.Options.Now) so the entries it stamps agree.
type Clock interface {
	Now() time.Time
	// At fires when the clock reaches t (at once if it has). A deadline,
	// not a duration: the clock may move between reading it and waiting.
	At(t time.Time) <-chan time.Time
}

// realClock is the wall clock.
type realClock struct{}

func (realClock) Now() time.Time                  { return time.Now() }
func (realClock) At(t time.Time) <-chan time.Time { return time.After(time.Until(t)) }
