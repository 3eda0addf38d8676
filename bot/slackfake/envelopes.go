package slackfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Ack is one acknowledgement the client wrote on a websocket.
type Ack struct {
	EnvelopeID string
	Payload    json.RawMessage // nil when the ack carried no payload
	// Latency is the time since the event was first written to any socket;
	// for a redelivery, since the first delivery of the original envelope.
	Latency time.Duration
	At      time.Time
	Conn    int // which connection the ack arrived on (1 = first opened)
}

// envelope is one Socket Mode delivery. Redeliveries of the same event form a
// chain that shares root.
type envelope struct {
	id      string
	typ     string // events_api, slash_commands, interactive
	payload json.RawMessage
	accepts bool
	attempt int
	reason  string
	user    string // who acted, for the ack Activity
	channel string
	isRaw   bool // a SendRaw frame instead of an envelope
	raw     []byte
	encoded []byte // frame(), built once: an envelope's fields never change

	root       *envelope
	firstSent  time.Time // on root: first write to any socket
	chainAcked bool      // on root: some envelope of the chain was acked
	retries    int       // on root: redeliveries so far

	sent       bool
	acked      bool
	superseded bool // redelivered before being acked
	ackCh      chan struct{}
	timerSet   bool
}

type envState struct {
	held   bool // Hold: queue envelopes without sending them
	byID   map[string]*envelope
	order  []*envelope
	queue  []*envelope // waiting for a ready connection
	acks   []Ack
	timers []*time.Timer
}

func (st *envState) init() { st.byID = map[string]*envelope{} }

func (st *envState) stopTimers() {
	for _, t := range st.timers {
		t.Stop()
	}
	st.timers = nil
}

func (e *envelope) frame() []byte {
	if e.isRaw {
		return e.raw
	}
	if e.encoded == nil {
		e.encoded = e.encode()
	}
	return e.encoded
}

func (e *envelope) encode() []byte {
	f := envelopeFrame{EnvelopeID: e.id, Payload: e.payload, Type: e.typ, AcceptsResponsePayload: e.accepts}
	if e.typ == "events_api" {
		attempt, reason := e.attempt, e.reason
		f.RetryAttempt, f.RetryReason = &attempt, &reason
	}
	b, _ := json.Marshal(f)
	return b
}

// newEnvelopeLocked registers and queues an envelope; call pump after
// unlocking to send it.
func (s *Server) newEnvelopeLocked(typ string, payload any, accepts bool, userID, channelID string) *envelope {
	b, _ := json.Marshal(payload)
	e := &envelope{id: newUUID(), typ: typ, payload: b, accepts: accepts, user: userID, channel: channelID, ackCh: make(chan struct{})}
	e.root = e
	s.queueLocked(e)
	return e
}

func (s *Server) queueLocked(e *envelope) {
	if !e.isRaw {
		s.env.byID[e.id] = e
		s.env.order = append(s.env.order, e)
	}
	s.env.queue = append(s.env.queue, e)
	if s.env.held {
		e.frame() // now, not in Release's timed writes
	}
	s.notifyLocked()
}

// Hold queues the envelopes sent from now on without writing them to any
// connection, until Release. A benchmark builds a burst while held, so the
// fake's own JSON encoding (Slack's work, on Slack's machines) is not timed
// against the bot it shares the CPU with.
func (s *Server) Hold() {
	s.mu.Lock()
	s.env.held = true
	s.mu.Unlock()
}

// Release writes everything queued since Hold, as fast as the connections
// take it, and returns when the queue is empty (or no connection is ready).
// Latency is measured from each envelope's write, as always.
func (s *Server) Release() {
	s.mu.Lock()
	s.env.held = false
	s.mu.Unlock()
	s.pump()
}

// pump writes queued envelopes to ready connections until the queue is empty
// or no connection is ready. A failed write kills that connection and puts
// the envelope back at the head of the queue.
func (s *Server) pump() {
	// routeMu orders "pick a ready connection and write to it" against a
	// disconnect: Slack never writes an envelope to a connection after
	// telling it to go away.
	s.routeMu.Lock()
	defer s.routeMu.Unlock()
	for {
		s.mu.Lock()
		if s.isClosed || s.env.held || len(s.env.queue) == 0 {
			s.mu.Unlock()
			return
		}
		c := s.pickConnLocked()
		if c == nil {
			s.mu.Unlock()
			return
		}
		e := s.env.queue[0]
		s.env.queue = s.env.queue[1:]
		if !e.isRaw && e.root.firstSent.IsZero() {
			e.root.firstSent = time.Now() // before the write, so no ack can precede it
		}
		data := e.frame()
		s.mu.Unlock()

		if err := c.write(data); err != nil {
			c.kill()
			s.mu.Lock()
			s.dropConnLocked(c)
			s.env.queue = append([]*envelope{e}, s.env.queue...)
			s.mu.Unlock()
			continue
		}
		s.mu.Lock()
		e.sent = true
		s.scheduleRetryLocked(e)
		s.notifyLocked()
		s.mu.Unlock()
	}
}

// scheduleRetryLocked arms WithAutoRedeliver for an events_api envelope.
func (s *Server) scheduleRetryLocked(e *envelope) {
	if s.autoRedeliver <= 0 || e.isRaw || e.typ != "events_api" || e.timerSet || e.root.retries >= 3 {
		return
	}
	e.timerSet = true
	t := time.AfterFunc(s.autoRedeliver, func() {
		if !s.track() {
			return
		}
		defer s.wg.Done()
		s.mu.Lock()
		stale := e.acked || e.root.chainAcked || e.superseded || e.root.retries >= 3
		s.mu.Unlock()
		if !stale {
			s.Redeliver(e.id)
		}
	})
	s.env.timers = append(s.env.timers, t)
}

// Redeliver re-sends an envelope as Slack's retry does: the same payload (so
// the same event_id), retry_attempt one higher and retry_reason "timeout",
// under a NEW envelope_id, which it returns ("" for an unknown envelope).
// Slack's docs do not say which envelope_id a retry carries; captured traffic
// shows a new one (slackapi/bolt-js#2487, gugu91/pinet#226), so dedupe must
// key on event_id, not envelope_id.
func (s *Server) Redeliver(envelopeID string) string {
	s.mu.Lock()
	old := s.env.byID[envelopeID]
	if old == nil || s.isClosed {
		s.mu.Unlock()
		return ""
	}
	root := old.root
	root.retries++
	e := &envelope{
		id: newUUID(), typ: old.typ, payload: old.payload, accepts: old.accepts,
		attempt: root.retries, reason: "timeout", user: old.user, channel: old.channel,
		root: root, ackCh: make(chan struct{}),
	}
	if !old.acked {
		old.superseded = true
	}
	s.queueLocked(e)
	s.mu.Unlock()
	s.pump()
	return e.id
}

// Pending returns the IDs of envelopes sent or queued but not acked, oldest
// first. An envelope replaced by Redeliver is no longer pending; its
// redelivery is.
func (s *Server) Pending() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, e := range s.env.order {
		if !e.acked && !e.superseded {
			out = append(out, e.id)
		}
	}
	return out
}

// Acks returns every ack received, in arrival order.
func (s *Server) Acks() []Ack {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Ack(nil), s.env.acks...)
}

// WaitAck blocks until the envelope is acked, the timeout passes or the
// server closes, and returns the first ack for it.
func (s *Server) WaitAck(envelopeID string, timeout time.Duration) (Ack, error) {
	s.mu.Lock()
	e := s.env.byID[envelopeID]
	s.mu.Unlock()
	if e == nil {
		return Ack{}, fmt.Errorf("slackfake: unknown envelope %q", envelopeID)
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-e.ackCh:
	case <-t.C:
		return Ack{}, fmt.Errorf("slackfake: envelope %s not acked within %v", envelopeID, timeout)
	case <-s.closed:
		return Ack{}, fmt.Errorf("slackfake: server closed before envelope %s was acked", envelopeID)
	}
	s.settle()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.env.acks {
		if a.EnvelopeID == envelopeID {
			return a, nil
		}
	}
	return Ack{}, fmt.Errorf("slackfake: ack for %s lost", envelopeID)
}

// recordAck handles a frame the client wrote: {"envelope_id": ..., "payload": ...}.
// An ack with a payload to an envelope that accepts one is something a person
// sees: Slack shows a slash command's response to the user (in the channel
// when response_type is "in_channel"), so it is stored and emitted.
func (s *Server) recordAck(c *conn, data []byte) {
	var a struct {
		EnvelopeID string          `json:"envelope_id"`
		Payload    json.RawMessage `json:"payload"`
	}
	if err := json.Unmarshal(data, &a); err != nil || a.EnvelopeID == "" {
		return // not an ack; Slack ignores such frames too
	}
	defer s.beginActivity()()
	now := time.Now()
	ack := Ack{EnvelopeID: a.EnvelopeID, At: now, Conn: c.id}
	if hasPayload(a.Payload) {
		ack.Payload = append(json.RawMessage(nil), a.Payload...)
	}
	s.mu.Lock()
	e := s.env.byID[a.EnvelopeID]
	var act *Activity
	if e != nil {
		if !e.root.firstSent.IsZero() {
			ack.Latency = now.Sub(e.root.firstSent)
		}
		if !e.acked {
			e.acked = true
			close(e.ackCh)
		}
		e.root.chainAcked = true
		if e.accepts && ack.Payload != nil {
			act = s.showAckLocked(e, ack.Payload)
		}
	}
	s.env.acks = append(s.env.acks, ack)
	s.notifyLocked()
	s.mu.Unlock()
	if act != nil {
		s.emitLocked(*act)
	}
}

// showAckLocked stores what a slash command's response payload shows and
// returns the Activity for it.
func (s *Server) showAckLocked(e *envelope, payload json.RawMessage) *Activity {
	var p struct {
		Text         string          `json:"text"`
		Blocks       json.RawMessage `json:"blocks"`
		ResponseType string          `json:"response_type"`
	}
	_ = json.Unmarshal(payload, &p)
	act := &Activity{Kind: "ack", Channel: e.channel, User: e.user, Text: p.Text, Blocks: p.Blocks, Payload: payload}
	if e.typ != "slash_commands" {
		return act
	}
	// A slash command's response is a message: Slack shows nothing (the
	// person sees an error) when it breaks Block Kit's limits.
	if code, msgs := messageProblems(p.Text, p.Blocks); code != "" {
		s.api.refused = append(s.api.refused, fmt.Sprintf("ack of %s: %s %v", e.id, code, msgs))
		return nil
	}
	m := &message{Message: Message{Channel: e.channel, TS: s.nextTSLocked(), Text: p.Text, Blocks: p.Blocks, At: time.Now()}}
	if c := s.resolveLocked(e.channel); c != nil && p.ResponseType == "in_channel" {
		m.User, m.BotID = BotUserID, BotID
		s.addMessageLocked(c, m)
	} else {
		m.Ephemeral, m.EphemeralUser = true, e.user
		s.wk.ephemerals = append(s.wk.ephemerals, m)
	}
	act.TS = m.TS
	return act
}

func hasPayload(p json.RawMessage) bool {
	t := bytes.TrimSpace(p)
	return len(t) > 0 && !bytes.Equal(t, []byte("null")) && !bytes.Equal(t, []byte("{}"))
}
