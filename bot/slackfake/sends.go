package slackfake

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Each Send* method delivers one envelope to one open connection (round-robin
// over the open ones, as Slack does) and returns its envelope_id. With no
// connection open the envelope is queued and delivered when one opens.

// PostAsUser puts a message a person typed (text, as MessageText reads it)
// into channel history (threadTS "" for a top-level message) and returns
// its ts. The stored text and the event carry Slack's encoding. Unless the channel is a DM it also
// sends the `message` events_api envelope Slack sends an app that is in the
// channel, and returns its envelope_id ("" for a DM, or a channel the bot
// is not in: see RemoveBot). A reply names the thread
// parent in thread_ts; a reply's ts given as threadTS is mapped to its parent,
// as Slack does. An unknown channel is created.
func (s *Server) PostAsUser(channelID, userID, text, threadTS string) (ts string, envelopeID string) {
	s.mu.Lock()
	c := s.resolveLocked(channelID)
	if c == nil {
		c = &channel{id: channelID, isIM: strings.HasPrefix(channelID, "D")}
		s.wk.channels[channelID] = c
	}
	ps := s.piecesLocked(text)
	m := &message{Message: Message{Channel: c.id, TS: s.nextTSLocked(), User: userID, Text: messageWire(ps), At: time.Now()}}
	m.clientMsgID = newUUID()
	m.Blocks = richTextBlocks(ps, m.clientMsgID[:5])
	if threadTS != "" {
		m.ThreadTS = threadTS
		if p := findLocked(c, threadTS); p != nil {
			if p.ThreadTS != "" {
				m.ThreadTS = p.ThreadTS
				p = findLocked(c, p.ThreadTS)
			}
			if p != nil {
				m.parentUser = p.User
			}
		}
	}
	s.addMessageLocked(c, m)
	if c.isIM || c.botOut {
		s.mu.Unlock()
		return m.TS, ""
	}
	e := s.eventLocked(messageEvent(m, channelType(c), m.parentUser), "", c.id)
	s.mu.Unlock()
	s.pump()
	return m.TS, e.id
}

// EditAsUser replaces the text of a person's message with what they typed
// now and sends the message_changed event Slack sends an app in the
// channel; it returns its envelope_id ("" for an unknown message, a DM or
// a channel the bot is not in).
func (s *Server) EditAsUser(channelID, ts, text string) string {
	s.mu.Lock()
	c := s.resolveLocked(channelID)
	var m *message
	if c != nil {
		m = findLocked(c, ts)
	}
	if m == nil || c.isIM {
		s.mu.Unlock()
		return ""
	}
	previous := messageObject(m, nil)
	out := c.botOut
	ps := s.piecesLocked(text)
	m.Text, m.Blocks = messageWire(ps), richTextBlocks(ps, m.clientMsgID[:min(5, len(m.clientMsgID))])
	m.edited = s.nextTSLocked()
	if out {
		s.notifyLocked()
		s.mu.Unlock()
		return ""
	}
	e := s.eventLocked(messageChangedEvent(m, previous, channelType(c), m.edited), m.User, c.id)
	s.notifyLocked()
	s.mu.Unlock()
	s.pump()
	return e.id
}

// eventLocked wraps an inner event in an event_callback and queues it.
func (s *Server) eventLocked(event map[string]any, userID, channelID string) *envelope {
	s.seq++
	eventID := fmt.Sprintf("Ev0FLY%06d", s.seq)
	if userID == "" {
		userID, _ = event["user"].(string)
	}
	return s.newEnvelopeLocked("events_api", eventCallback(event, eventID, s.now().Unix()), false, userID, channelID)
}

// SendEvent wraps any inner event in an events_api envelope (an
// event_callback with token, team_id, api_app_id, event_id, event_time,
// authorizations, is_ext_shared_channel and event_context). An event without
// event_ts gets one.
func (s *Server) SendEvent(event map[string]any) string {
	ev := make(map[string]any, len(event)+1)
	for k, v := range event {
		ev[k] = v
	}
	s.mu.Lock()
	if _, ok := ev["event_ts"]; !ok {
		ev["event_ts"] = s.nextTSLocked()
	}
	channelID, _ := ev["channel"].(string)
	e := s.eventLocked(ev, "", channelID)
	s.mu.Unlock()
	s.pump()
	return e.id
}

// SendReaction sends a reaction_added (added) or reaction_removed event for a
// message and updates the message's reactions. itemUser "" means the author
// of the stored message, if the fake knows it. In a channel the bot is not
// in the reaction is recorded but no event is sent ("" is returned).
func (s *Server) SendReaction(added bool, userID, reaction, itemChannel, itemTS, itemUser string) string {
	s.mu.Lock()
	ctype := "channel"
	if c := s.resolveLocked(itemChannel); c != nil {
		ctype = channelType(c)
		if m := findLocked(c, itemTS); m != nil {
			if itemUser == "" {
				itemUser = m.User
			}
			setReaction(m, reaction, userID, added)
		}
		if c.botOut {
			s.mu.Unlock()
			return ""
		}
	}
	ev := reactionEvent(added, userID, reaction, itemChannel, itemTS, itemUser, ctype, s.nextTSLocked())
	e := s.eventLocked(ev, userID, itemChannel)
	s.mu.Unlock()
	s.pump()
	return e.id
}

// setReaction adds or removes userID's reaction name on m; it reports false
// when there was nothing to change.
func setReaction(m *message, name, userID string, add bool) bool {
	for i, r := range m.Reactions {
		if r.Name != name {
			continue
		}
		for j, u := range r.Users {
			if u == userID {
				if add {
					return false
				}
				r.Users = append(r.Users[:j:j], r.Users[j+1:]...)
				m.Reactions[i] = r
				if len(r.Users) == 0 {
					m.Reactions = append(m.Reactions[:i:i], m.Reactions[i+1:]...)
				}
				return true
			}
		}
		if !add {
			return false
		}
		m.Reactions[i].Users = append(r.Users, userID)
		return true
	}
	if !add {
		return false
	}
	m.Reactions = append(m.Reactions, Reaction{Name: name, Users: []string{userID}})
	return true
}

// SendSlashCommand sends a slash_commands envelope (accepts_response_payload
// true) as if user typed `command text` in channel; the payload's text is
// what Slack makes of it (CommandText). Its trigger_id works with
// views.open and its response_url is served by the fake.
func (s *Server) SendSlashCommand(userID, channelID, command, text string) string {
	s.mu.Lock()
	trig := s.newTriggerLocked(userID, channelID)
	rurl := s.newResponseURLLocked("commands", userID, channelID, "")
	wire := commandWire(s.piecesLocked(text), s.commandEscapes(command))
	p := slashPayload(userID, s.userNameLocked(userID), channelID, s.channelNameLocked(channelID), command, wire, rurl, trig)
	e := s.newEnvelopeLocked("slash_commands", p, true, userID, channelID)
	s.mu.Unlock()
	s.pump()
	return e.id
}

// SendBlockAction sends a block_actions payload for a button with actionID
// and value clicked by user on the message messageTS in channel. The message
// (also an ephemeral one) is included when the fake knows it, and block_id is
// taken from the block that holds actionID.
func (s *Server) SendBlockAction(userID, channelID, messageTS, actionID, value string) string {
	s.mu.Lock()
	var m *message
	if c := s.resolveLocked(channelID); c != nil {
		m = findLocked(c, messageTS)
	}
	if m == nil {
		for _, x := range s.wk.ephemerals {
			if x.TS == messageTS && x.EphemeralUser == userID {
				m = x
			}
		}
	}
	var msg map[string]any
	blockID := ""
	ephemeral := false
	if m != nil {
		msg = messageObject(m, nil)
		blockID = blockIDOf(m.Blocks, actionID)
		ephemeral = m.Ephemeral
	}
	if blockID == "" {
		blockID = "blk" + strings.ReplaceAll(actionID, "_", "")
	}
	trig := s.newTriggerLocked(userID, channelID)
	rurl := s.newResponseURLLocked("actions", userID, channelID, messageTS)
	p := blockActionsPayload(userID, s.userNameLocked(userID), channelID, s.channelNameLocked(channelID), msg, messageTS,
		ephemeral, blockID, actionID, value, s.nextTSLocked(), trig, rurl)
	e := s.newEnvelopeLocked("interactive", p, true, userID, channelID)
	s.mu.Unlock()
	s.pump()
	return e.id
}

// blockIDOf finds the block_id of the block that holds an element with
// actionID.
func blockIDOf(blocks json.RawMessage, actionID string) string {
	var bs []struct {
		BlockID   string `json:"block_id"`
		Accessory *struct {
			ActionID string `json:"action_id"`
		} `json:"accessory"`
		Elements []struct {
			ActionID string `json:"action_id"`
		} `json:"elements"`
	}
	if json.Unmarshal(blocks, &bs) != nil {
		return ""
	}
	for _, b := range bs {
		if b.Accessory != nil && b.Accessory.ActionID == actionID {
			return b.BlockID
		}
		for _, el := range b.Elements {
			if el.ActionID == actionID {
				return b.BlockID
			}
		}
	}
	return ""
}

// SendViewSubmission sends a view_submission payload for the modal with
// callbackID. values[blockID][actionID] is what the user typed; each becomes
// {"type":"plain_text_input","value":...} in view.state.values, except a
// value written "option:VALUE", which becomes a static_select's
// {"type":"static_select","selected_option":{"text":...,"value":VALUE}}. When the bot
// opened a modal with that callback_id for the user, that view (id, blocks,
// title, private_metadata) is the one submitted; privateMetadata, when not
// empty, replaces its private_metadata.
func (s *Server) SendViewSubmission(userID, callbackID, privateMetadata string, values map[string]map[string]string) string {
	state := map[string]any{}
	for blockID, actions := range values {
		inner := map[string]any{}
		for actionID, v := range actions {
			if opt, ok := strings.CutPrefix(v, "option:"); ok {
				inner[actionID] = map[string]any{"type": "static_select", "selected_option": map[string]any{
					"text": map[string]any{"type": "plain_text", "text": opt, "emoji": true}, "value": opt}}
				continue
			}
			inner[actionID] = map[string]any{"type": "plain_text_input", "value": v}
		}
		state[blockID] = inner
	}
	s.mu.Lock()
	var base *viewRec
	for _, v := range s.wk.views {
		if v.user == userID && v.obj["callback_id"] == callbackID && (base == nil || v.id > base.id) {
			base = v
		}
	}
	var req map[string]any
	id, hash := "", ""
	if base != nil {
		req, id, hash = base.obj, base.id, base.hash
	} else {
		req = map[string]any{
			"type":        "modal",
			"callback_id": callbackID,
			"title":       map[string]any{"type": "plain_text", "text": "Flywheel", "emoji": true},
			"submit":      map[string]any{"type": "plain_text", "text": "Submit", "emoji": true},
			"blocks":      []any{},
		}
		id = s.nextIDLocked("V")
		hash = fmt.Sprintf("%d.%08x", s.now().Unix(), s.seq)
	}
	view := viewObject(req, id, hash, id, "", state)
	if privateMetadata != "" {
		view["private_metadata"] = privateMetadata
	}
	p := viewSubmissionPayload(userID, s.userNameLocked(userID), view, s.newTriggerLocked(userID, ""))
	e := s.newEnvelopeLocked("interactive", p, true, userID, "")
	s.mu.Unlock()
	s.pump()
	return e.id
}

// SendViewSubmissionRaw sends payload as a view_submission (or any other)
// interactive envelope, unchanged.
func (s *Server) SendViewSubmissionRaw(payload map[string]any) string {
	return s.SendInteractive(payload)
}

// SendInteractive sends any interactive payload (accepts_response_payload
// true), unchanged.
func (s *Server) SendInteractive(payload map[string]any) string {
	userID := ""
	if u, ok := payload["user"].(map[string]any); ok {
		userID, _ = u["id"].(string)
	}
	channelID := ""
	if c, ok := payload["channel"].(map[string]any); ok {
		channelID, _ = c["id"].(string)
	}
	s.mu.Lock()
	e := s.newEnvelopeLocked("interactive", payload, true, userID, channelID)
	s.mu.Unlock()
	s.pump()
	return e.id
}

// SendRaw writes frame, as is, to one connection (queued until one opens). It
// is for tests of garbage input; the frame is not an envelope, so it is never
// pending.
func (s *Server) SendRaw(frame []byte) {
	s.mu.Lock()
	s.queueLocked(&envelope{isRaw: true, raw: append([]byte(nil), frame...)})
	s.mu.Unlock()
	s.pump()
}
