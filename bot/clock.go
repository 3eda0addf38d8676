package bot

import "time"

// Clock is the bot's time for the outbox: due times, backoff, pacing,
// Retry-After and the 24-hour delivery window all read it, so a test can
// play an hour-long outage in a second. Its Now must be the store's clock
// (store.Options.Now), which stamps the entries; by default it is.
type Clock interface {
	Now() time.Time
	// At fires when the clock reaches t (at once if it has). A deadline,
	// not a duration: the clock may move between reading it and waiting.
	At(t time.Time) <-chan time.Time
}

// storeClock is the store's clock, waited on in real time: a clock fixed by
// a test still lets what is due be delivered.
type storeClock struct{ now func() time.Time }

func (c storeClock) Now() time.Time                  { return c.now() }
func (c storeClock) At(t time.Time) <-chan time.Time { return time.After(t.Sub(c.now())) }
