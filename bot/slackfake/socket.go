package slackfake

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// sockState holds the open Socket Mode websockets. Guarded by Server.mu.
type sockState struct {
	conns   []*conn // open connections, oldest first
	next    int     // round-robin cursor
	nextID  int
	hellos  int
	tickets map[string]bool // issued by apps.connections.open, used once
}

// conn is one Socket Mode websocket. gorilla/websocket allows one concurrent
// writer, so every data frame goes through write (wmu); PINGs use
// WriteControl, which gorilla allows concurrently with other writes.
type conn struct {
	id   int
	ws   *websocket.Conn
	wmu  sync.Mutex
	gone chan struct{}
	once sync.Once

	ready bool // guarded by Server.mu: hello sent, no disconnect sent
}

func (c *conn) write(data []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteMessage(websocket.TextMessage, data)
}

// kill closes the TCP connection without a close frame.
func (c *conn) kill() {
	c.once.Do(func() {
		close(c.gone)
		_ = c.ws.NetConn().Close()
	})
}

func (st *sockState) all() []*conn { return append([]*conn(nil), st.conns...) }

// serveLink is the websocket endpoint behind the URL apps.connections.open
// returns. It runs the connection's reader; a second goroutine sends hello
// and PINGs.
func (s *Server) serveLink(w http.ResponseWriter, r *http.Request) {
	ticket := r.URL.Query().Get("ticket")
	s.mu.Lock()
	valid := s.sock.tickets[ticket]
	delete(s.sock.tickets, ticket)
	s.mu.Unlock()
	if !valid {
		http.Error(w, "invalid or used ticket", http.StatusUnauthorized)
		return
	}
	// slack-go sends Origin: https://api.slack.com, which gorilla's default
	// same-origin check would refuse.
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade already answered the client
	}
	s.mu.Lock()
	if s.isClosed {
		s.mu.Unlock()
		_ = ws.Close()
		return
	}
	s.sock.nextID++
	c := &conn{id: s.sock.nextID, ws: ws, gone: make(chan struct{})}
	s.sock.conns = append(s.sock.conns, c)
	s.notifyLocked()
	s.mu.Unlock()

	if s.track() {
		go func() {
			defer s.wg.Done()
			s.helloAndPing(c)
		}()
	} else {
		c.kill()
	}
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			break
		}
		s.recordAck(c, data)
	}
	c.kill()
	s.mu.Lock()
	s.dropConnLocked(c)
	s.mu.Unlock()
}

// helloAndPing sends hello (after the configured delay), then delivers queued
// envelopes and PINGs the client until the connection ends.
func (s *Server) helloAndPing(c *conn) {
	if s.helloDelay > 0 {
		t := time.NewTimer(s.helloDelay)
		select {
		case <-t.C:
		case <-c.gone:
			t.Stop()
			return
		case <-s.closed:
			t.Stop()
			return
		}
	}
	s.mu.Lock()
	n := len(s.sock.conns)
	s.mu.Unlock()
	hello, _ := json.Marshal(helloFrame(n))
	if err := c.write(hello); err != nil {
		c.kill()
		return
	}
	s.mu.Lock()
	select {
	case <-c.gone:
	default:
		c.ready = true
	}
	s.sock.hellos++
	s.notifyLocked()
	s.mu.Unlock()
	s.pump()

	var tick <-chan time.Time
	if s.pingInterval > 0 {
		ticker := time.NewTicker(s.pingInterval)
		defer ticker.Stop()
		tick = ticker.C
	}
	for {
		select {
		case <-tick:
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(5*time.Second)); err != nil {
				c.kill()
				return
			}
		case <-c.gone:
			return
		case <-s.closed:
			return
		}
	}
}

// dropConnLocked forgets a dead connection.
func (s *Server) dropConnLocked(c *conn) {
	c.ready = false
	for i, x := range s.sock.conns {
		if x == c {
			s.sock.conns = append(s.sock.conns[:i], s.sock.conns[i+1:]...)
			s.notifyLocked()
			return
		}
	}
}

// pickConnLocked chooses the next ready connection, round-robin, as Slack
// spreads payloads over an app's open connections.
func (s *Server) pickConnLocked() *conn {
	n := len(s.sock.conns)
	for i := 0; i < n; i++ {
		c := s.sock.conns[(s.sock.next+i)%n]
		if c.ready {
			s.sock.next = (s.sock.next + i + 1) % n
			return c
		}
	}
	return nil
}

// OpenConnections is the number of open websockets (with or without hello).
func (s *Server) OpenConnections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sock.conns)
}

// WaitConnections waits until at least n websockets are open and have
// received hello.
func (s *Server) WaitConnections(n int, timeout time.Duration) error {
	return s.waitFor(timeout, func() bool {
		ready := 0
		for _, c := range s.sock.conns {
			if c.ready {
				ready++
			}
		}
		return ready >= n
	})
}

// Hellos is the number of hello frames sent so far, reconnects included.
func (s *Server) Hellos() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sock.hellos
}

// Disconnect sends {"type":"disconnect","reason":reason,...} on every open
// connection ("warning", "refresh_requested" or "link_disabled") and, like
// Slack, routes no further payloads to those connections. The client is
// expected to open a new connection and close the old one.
func (s *Server) Disconnect(reason string) {
	frame, _ := json.Marshal(disconnectFrame(reason))
	s.routeMu.Lock()
	defer s.routeMu.Unlock()
	s.mu.Lock()
	conns := s.sock.all()
	for _, c := range conns {
		c.ready = false
	}
	s.notifyLocked()
	s.mu.Unlock()
	for _, c := range conns {
		if err := c.write(frame); err != nil {
			c.kill()
		}
	}
}

// RefreshOldest sends a disconnect frame with reason to the oldest open
// connection only, as Slack does when it rotates one of an app's
// connections every few hours, and routes nothing more to it. It reports
// whether there was a ready connection to refresh.
func (s *Server) RefreshOldest(reason string) bool {
	frame, _ := json.Marshal(disconnectFrame(reason))
	s.routeMu.Lock()
	defer s.routeMu.Unlock()
	s.mu.Lock()
	var target *conn
	for _, c := range s.sock.conns {
		if c.ready {
			target = c
			break
		}
	}
	if target != nil {
		target.ready = false
		s.notifyLocked()
	}
	s.mu.Unlock()
	if target == nil {
		return false
	}
	if err := target.write(frame); err != nil {
		target.kill()
	}
	return true
}

// DropConnections closes every websocket abruptly, without a close frame, as a
// network failure would.
func (s *Server) DropConnections() {
	s.mu.Lock()
	conns := s.sock.all()
	s.mu.Unlock()
	for _, c := range conns {
		c.kill()
	}
}
