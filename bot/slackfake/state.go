package slackfake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Message is a message as the fake stores it: seeded human messages, bot
// posts, ephemerals and file shares.
type Message struct {
	Channel       string
	TS            string
	ThreadTS      string // "" for a top-level message
	User          string
	BotID         string // BotID for messages the bot posted
	Text          string
	Blocks        json.RawMessage
	Ephemeral     bool
	EphemeralUser string
	UnfurlLinks   *bool // as sent to chat.postMessage; nil when not sent
	UnfurlMedia   *bool
	// Metadata is the message's metadata ({"event_type","event_payload"}) as
	// posted with chat.postMessage, if any.
	Metadata  json.RawMessage
	Reactions []Reaction
	FileIDs   []string // files shared with files.completeUploadExternal
	At        time.Time
}

// Reaction is one emoji on a message and who added it.
type Reaction struct {
	Name  string
	Users []string
}

// View is one views.open call.
type View struct {
	TriggerID string
	View      json.RawMessage // the view object Slack returned (with id, hash, state)
	At        time.Time
}

// Activity is something a person in the workspace would see: a bot post
// ("post"), an ephemeral ("ephemeral"), a modal or home tab ("view"), an ack
// with a response payload ("ack") or an edited message ("update").
//
// User is the person it concerns: who sees the ephemeral, view or ack; the
// recipient of a post in a DM; the bot (BotUserID) for a post or an edit in a
// channel.
type Activity struct {
	Kind     string
	Channel  string
	User     string
	TS       string
	ThreadTS string
	Text     string
	Blocks   json.RawMessage
	Payload  json.RawMessage
}

type user struct{ id, name string }

type channel struct {
	id, name string
	isIM     bool
	isMPIM   bool
	// isPrivate: a private channel (G… IDs of old, C… IDs today).
	isPrivate bool
	imUser    string
	msgs      []*message // in ts order
	// botOut: the bot is not a member (never invited, or removed). Slack
	// sends the app no events from such a channel, and refuses its posts
	// and history reads there with not_in_channel (the bot has no
	// chat:write.public).
	botOut bool
}

type message struct {
	Message
	clientMsgID string
	parentUser  string
	edited      string
	files       []map[string]any
}

type viewRec struct {
	id, hash, user, triggerID string
	obj                       map[string]any
}

type trigger struct {
	user, channel string
	issued        time.Time
	used          bool
}

type responseURL struct {
	user, channel, messageTS string
}

type workspace struct {
	users        map[string]*user
	channels     map[string]*channel
	ephemerals   []*message
	views        map[string]*viewRec
	opened       []View
	published    map[string][]json.RawMessage
	triggers     map[string]*trigger
	usergroups   map[string][]string
	files        map[string]string // id -> filename
	uploads      map[string][]byte // id -> bytes POSTed to its upload_url
	lengths      map[string]int    // id -> length announced to files.getUploadURLExternal
	completed    map[string]bool   // id -> files.completeUploadExternal finished it
	responseURLs map[string]*responseURL
}

func (w *workspace) init() {
	w.users = map[string]*user{BotUserID: {id: BotUserID, name: BotName}}
	w.channels = map[string]*channel{}
	w.views = map[string]*viewRec{}
	w.published = map[string][]json.RawMessage{}
	w.triggers = map[string]*trigger{}
	w.usergroups = map[string][]string{}
	w.files = map[string]string{}
	w.uploads = map[string][]byte{}
	w.lengths = map[string]int{}
	w.completed = map[string]bool{}
	w.responseURLs = map[string]*responseURL{}
}

func (s *Server) userNameLocked(id string) string {
	if u, ok := s.wk.users[id]; ok {
		return u.name
	}
	return id
}

func (s *Server) channelNameLocked(id string) string {
	c, ok := s.wk.channels[id]
	switch {
	case !ok:
		return id
	case c.isIM:
		return "directmessage"
	case c.isPrivate:
		// Interaction payloads and slash commands name a private channel
		// "privategroup", whatever its ID (captured payloads of
		// message_action and block_actions).
		return "privategroup"
	case c.name == "":
		return id
	}
	return c.name
}

// imLocked returns the DM with userID, creating it; it reports whether it
// already existed.
func (s *Server) imLocked(userID string) (*channel, bool) {
	id := "D" + strings.TrimLeft(userID, "UW")
	if c, ok := s.wk.channels[id]; ok {
		return c, true
	}
	c := &channel{id: id, isIM: true, imUser: userID}
	s.wk.channels[id] = c
	return c, false
}

// resolveLocked finds a channel by ID, by name ("general" or "#general") or,
// as chat.postMessage allows, by user ID (the bot's DM with that user).
func (s *Server) resolveLocked(ref string) *channel {
	if c, ok := s.wk.channels[ref]; ok {
		return c
	}
	if strings.HasPrefix(ref, "U") || strings.HasPrefix(ref, "W") {
		if _, ok := s.wk.users[ref]; ok {
			c, _ := s.imLocked(ref)
			return c
		}
	}
	name := strings.TrimPrefix(ref, "#")
	for _, c := range s.wk.channels {
		if c.name == name && !c.isIM {
			return c
		}
	}
	return nil
}

func channelType(c *channel) string {
	switch {
	case c.isIM:
		return "im"
	case c.isMPIM:
		return "mpim"
	case c.isPrivate:
		return "group"
	}
	return "channel"
}

// findLocked returns the message with ts in c, or nil.
func findLocked(c *channel, ts string) *message {
	for _, m := range c.msgs {
		if m.TS == ts {
			return m
		}
	}
	return nil
}

// repliesLocked returns the replies to the thread parent ts, oldest first.
func repliesLocked(c *channel, ts string) []*message {
	var out []*message
	for _, m := range c.msgs {
		if m.ThreadTS == ts && m.TS != ts {
			out = append(out, m)
		}
	}
	return out
}

// addMessageLocked stores m in c keeping ts order, and wakes waiters.
func (s *Server) addMessageLocked(c *channel, m *message) {
	c.msgs = append(c.msgs, m)
	sort.SliceStable(c.msgs, func(i, j int) bool { return c.msgs[i].TS < c.msgs[j].TS })
	s.notifyLocked()
}

// nextTSLocked hands out a Slack ts ("1732526400.000100"): the clock's time in
// microseconds, strictly increasing.
func (s *Server) nextTSLocked() string {
	us := s.now().UnixMicro()
	if us <= s.lastTS {
		us = s.lastTS + 1
	}
	s.lastTS = us
	return fmt.Sprintf("%d.%06d", us/1e6, us%1e6)
}

// nextIDLocked hands out IDs like "V0FLY00003".
func (s *Server) nextIDLocked(prefix string) string {
	s.seq++
	return fmt.Sprintf("%s0FLY%05d", prefix, s.seq)
}

// newUUID returns a random UUID v4, the form of Slack's envelope IDs.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// newTriggerLocked issues a trigger_id ("12345.98765.abcd2358fdea" form) that
// views.open accepts once.
func (s *Server) newTriggerLocked(userID, channelID string) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	s.seq++
	id := fmt.Sprintf("%d.%d.%s", s.now().UnixMilli(), 1732526400+s.seq, hex.EncodeToString(b[:]))
	s.wk.triggers[id] = &trigger{user: userID, channel: channelID, issued: time.Now()}
	return id
}

// newResponseURLLocked issues a response_url served by this fake.
func (s *Server) newResponseURLLocked(kind, userID, channelID, messageTS string) string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	s.seq++
	path := fmt.Sprintf("/%s/%s/%d/%s", kind, TeamID, s.seq, hex.EncodeToString(b[:]))
	s.wk.responseURLs[path] = &responseURL{user: userID, channel: channelID, messageTS: messageTS}
	return "http://" + s.host + path
}
