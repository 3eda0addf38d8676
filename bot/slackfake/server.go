// Package slackfake is a fake Slack workspace for end-to-end tests and for
// `flywheel demo`.
//
// It is a real HTTP server (the Web API under /api/) and a real websocket
// server (Socket Mode under /link/) on 127.0.0.1, meant to be driven by the
// real slack-go client pointed at it with slack.OptionAPIURL(fake.APIURL()).
// Every payload is shaped as Slack documents it; each builder in payloads.go
// names the page it was copied from. Text a test types is sent as Slack
// sends it, encoded, with mentions and links as markup (typing.go), and a
// payload over Block Kit's limits is refused as Slack refuses it
// (blockkit.go).
package slackfake

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Identity of the fake workspace and of the bot installed in it.
const (
	// BotUserID is the bot's user ID (what auth.test returns as user_id).
	BotUserID = "UBOT0FLYWHL"
	// BotID is the bot's bot ID (bot_id on the messages it posts).
	BotID = "BFLYWHEEL01"
	// TeamID is the workspace ID.
	TeamID = "T0FLYWHEEL"
	// AppID is the app's ID (api_app_id in payloads).
	AppID = "A0FLYWHEEL"
	// TeamDomain is the workspace's subdomain, used in permalinks and in
	// team_domain of slash command payloads.
	TeamDomain = "flywheel-demo"
	// BotName is the bot user's name.
	BotName = "flywheel"
)

// verificationToken is the deprecated verification token Slack still puts in
// payloads ("token"); slack-go ignores it in Socket Mode.
const verificationToken = "FlywheelFakeVerifyTok3n0"

// Option configures a Server.
type Option func(*Server)

// WithPingInterval sets how often the fake sends websocket PINGs on each
// connection (default 2s). slack-go reconnects when it sees no PING for 30s.
func WithPingInterval(d time.Duration) Option { return func(s *Server) { s.pingInterval = d } }

// WithHelloDelay delays the "hello" frame after a websocket connects
// (default 0).
func WithHelloDelay(d time.Duration) Option { return func(s *Server) { s.helloDelay = d } }

// WithLatency adds d to every Web API response (default 0).
func WithLatency(d time.Duration) Option { return func(s *Server) { s.latency = d } }

// WithAutoRedeliver makes the fake redeliver an events_api envelope that is
// not acked within after, up to 3 retries, as Slack does (Slack waits
// "immediately, 1 min, 5 min"; the fake waits after each time). Slack does not
// retry slash commands or interactive payloads, and neither does the fake.
func WithAutoRedeliver(after time.Duration) Option {
	return func(s *Server) { s.autoRedeliver = after }
}

// WithClock sets the clock used for Slack timestamps (message ts, event_time).
// The default is time.Now. Timestamps stay strictly increasing whatever the
// clock says.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithTriggerTTL sets how long a trigger_id may be exchanged with views.open
// (Slack: 3s, the default). 0 disables expiry.
func WithTriggerTTL(d time.Duration) Option { return func(s *Server) { s.triggerTTL = d } }

// WithBotMessageEvents makes the fake also deliver a `message` event for every
// message the bot posts in a channel, as Slack does for apps subscribed to
// message.channels. Off by default.
func WithBotMessageEvents() Option { return func(s *Server) { s.echoBot = true } }

// Server is the fake Slack workspace. All methods are safe for concurrent use.
type Server struct {
	pingInterval  time.Duration
	helloDelay    time.Duration
	latency       time.Duration
	autoRedeliver time.Duration
	triggerTTL    time.Duration
	echoBot       bool
	now           func() time.Time
	cmdEscape     map[string]bool // slash commands' should_escape, when changed (typing.go)

	srv  *http.Server
	host string // "127.0.0.1:port"

	closed chan struct{}
	wg     sync.WaitGroup // Serve, HTTP handlers, websocket goroutines

	mu       sync.Mutex
	isClosed bool
	changed  chan struct{} // closed and replaced on every state change
	seq      int           // for IDs
	lastTS   int64         // last ts handed out, in microseconds

	sock sockState // websocket connections (socket.go)
	env  envState  // envelopes and acks (envelopes.go)
	wk   workspace // users, channels, messages, views (state.go)
	api  apiState  // Web API calls and scripted failures (webapi.go)

	activityMu sync.Mutex
	activity   []func(Activity)
	routeMu    sync.Mutex // see pump
	emitMu     sync.Mutex // held across a visible change and its callbacks (beginActivity)
}

// New starts a fake Slack listening on 127.0.0.1 (random port).
// It panics if it cannot listen, which only happens on a broken machine.
func New(opts ...Option) *Server {
	s := &Server{
		pingInterval: 2 * time.Second,
		triggerTTL:   3 * time.Second,
		now:          time.Now,
		closed:       make(chan struct{}),
		changed:      make(chan struct{}),
	}
	for _, o := range opts {
		o(s)
	}
	s.wk.init()
	s.env.init()
	s.api.init()
	s.sock.tickets = map[string]bool{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("slackfake: listen: %v", err))
	}
	s.host = ln.Addr().String()
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.tracked(s.serveAPI))
	mux.HandleFunc("/link/", s.tracked(s.serveLink))
	mux.HandleFunc("/commands/", s.tracked(s.serveResponseURL))
	mux.HandleFunc("/actions/", s.tracked(s.serveResponseURL))
	mux.HandleFunc("/upload/", s.tracked(s.serveUpload))
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		_ = s.srv.Serve(ln) // http.ErrServerClosed once Close runs
	}()
	return s
}

// APIURL is the Web API base URL to give slack.OptionAPIURL, with the
// trailing slash it expects, e.g. "http://127.0.0.1:34567/api/".
func (s *Server) APIURL() string { return "http://" + s.host + "/api/" }

// Close shuts the server down: it closes every websocket, stops the HTTP
// server, stops redelivery timers and waits for its goroutines to end.
// Calling it twice is harmless.
func (s *Server) Close() {
	s.mu.Lock()
	if s.isClosed {
		s.mu.Unlock()
		return
	}
	s.isClosed = true
	close(s.closed)
	conns := s.sock.all()
	s.env.stopTimers()
	s.notifyLocked()
	s.mu.Unlock()

	_ = s.srv.Close()
	// http.Server.Close does not know about hijacked (websocket) connections.
	for _, c := range conns {
		c.kill()
	}
	s.wg.Wait()
}

// track registers a goroutine Close must wait for; it reports false once the
// server is closed, so no goroutine starts after Close began waiting.
func (s *Server) track() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.isClosed {
		return false
	}
	s.wg.Add(1)
	return true
}

// tracked wraps an HTTP handler so Close waits for it.
func (s *Server) tracked(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.track() {
			http.Error(w, "server closed", http.StatusServiceUnavailable)
			return
		}
		defer s.wg.Done()
		h(w, r)
	}
}

// notifyLocked wakes every waiter (WaitAck, WaitConnections, ...).
// s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// waitFor blocks until cond (called with s.mu held) is true, the timeout
// passes or the server closes.
func (s *Server) waitFor(timeout time.Duration, cond func() bool) error {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		if cond() {
			s.mu.Unlock()
			return nil
		}
		ch := s.changed
		closed := s.isClosed
		s.mu.Unlock()
		if closed {
			return errors.New("slackfake: server closed")
		}
		select {
		case <-ch:
		case <-timer.C:
			return fmt.Errorf("slackfake: timed out after %v", timeout)
		}
	}
}

// sleepCtx waits d unless the request or the server ends first; it reports
// whether the full wait happened.
func (s *Server) sleepCtx(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.closed:
		return false
	}
}
