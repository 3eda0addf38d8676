package slackfake

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// This file holds the workspace's public setters and queries.

// AddUser adds a person to the workspace; users.info returns them.
func (s *Server) AddUser(id, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wk.users[id] = &user{id: id, name: name}
}

// UserName is the name given to AddUser, or id for an unknown user.
func (s *Server) UserName(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.userNameLocked(id)
}

// AddChannel adds a channel (C… public, G… private, D… direct message).
func (s *Server) AddChannel(id, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.wk.channels[id]; ok {
		c.name = name
		return
	}
	s.wk.channels[id] = &channel{id: id, name: name, isIM: strings.HasPrefix(id, "D"), isPrivate: strings.HasPrefix(id, "G")}
}

// RemoveBot takes the bot out of a channel (as if it was never invited, or
// was removed): from then on Slack sends no events from it, and
// chat.postMessage, chat.postEphemeral, conversations.history and
// conversations.replies there answer not_in_channel. Every channel starts
// with the bot in it.
// Source: https://docs.slack.dev/reference/methods/chat.postMessage
// (not_in_channel: "Cannot post user messages to a channel they are not
// in"; chat:write.public lifts it for public channels, and Flywheel does
// not ask for it).
func (s *Server) RemoveBot(channelID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.resolveLocked(channelID); c != nil && !c.isIM {
		c.botOut = true
	}
}

// AddPrivateChannel adds a private channel. Today's private channels have
// C… IDs like public ones; only the payloads' channel name
// ("privategroup") and channel_type ("group") tell them apart.
func (s *Server) AddPrivateChannel(id, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wk.channels[id] = &channel{id: id, name: name, isPrivate: true}
}

// ChannelName is the channel's name as Slack puts it in payloads: the name
// given to AddChannel, "directmessage" for a DM, "privategroup" for a
// private channel, or id for an unknown channel.
func (s *Server) ChannelName(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.channelNameLocked(id)
}

// AddUsergroup defines a user group for usergroups.users.list.
func (s *Server) AddUsergroup(id string, users ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wk.usergroups[id] = append([]string(nil), users...)
}

// DMChannel is the ID of the bot's direct message with user, opening it if
// needed (what conversations.open returns).
func (s *Server) DMChannel(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, _ := s.imLocked(userID)
	return c.id
}

func copyMessage(m *message) Message {
	out := m.Message
	out.Blocks = append(json.RawMessage(nil), m.Blocks...)
	out.Reactions = nil
	for _, r := range m.Reactions {
		out.Reactions = append(out.Reactions, Reaction{Name: r.Name, Users: append([]string(nil), r.Users...)})
	}
	out.FileIDs = append([]string(nil), m.FileIDs...)
	if m.UnfurlLinks != nil {
		v := *m.UnfurlLinks
		out.UnfurlLinks = &v
	}
	if m.UnfurlMedia != nil {
		v := *m.UnfurlMedia
		out.UnfurlMedia = &v
	}
	return out
}

// Messages returns the messages visible in a channel (seeded human ones, bot
// posts, thread replies and file shares, not ephemerals), ordered by ts.
func (s *Server) Messages(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.messagesLocked(channelID, false)
}

// BotMessages returns the messages the bot posted in a channel, ordered by ts.
func (s *Server) BotMessages(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.messagesLocked(channelID, true)
}

func (s *Server) messagesLocked(channelID string, botOnly bool) []Message {
	c := s.resolveLocked(channelID)
	if c == nil {
		return nil
	}
	var out []Message
	for _, m := range c.msgs {
		if !botOnly || m.BotID == BotID {
			out = append(out, copyMessage(m))
		}
	}
	return out
}

// Ephemerals returns the ephemeral messages shown to user (chat.postEphemeral
// and ephemeral response_url replies), oldest first.
func (s *Server) Ephemerals(userID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.wk.ephemerals {
		if m.EphemeralUser == userID {
			out = append(out, copyMessage(m))
		}
	}
	return out
}

// WaitBotMessages waits until the bot has posted at least n messages in a
// channel and returns them.
func (s *Server) WaitBotMessages(channelID string, n int, timeout time.Duration) ([]Message, error) {
	var out []Message
	err := s.waitFor(timeout, func() bool {
		out = s.messagesLocked(channelID, true)
		return len(out) >= n
	})
	s.settle()
	if err != nil {
		return out, fmt.Errorf("wait for %d bot messages in %s (have %d): %w", n, channelID, len(out), err)
	}
	return out, nil
}

// OpenedViews returns every views.open call, oldest first.
func (s *Server) OpenedViews() []View {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]View(nil), s.wk.opened...)
}

// PublishedViews returns the home tabs published for user with views.publish,
// oldest first.
func (s *Server) PublishedViews(userID string) []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]json.RawMessage(nil), s.wk.published[userID]...)
}

// OnActivity registers fn to be called, synchronously and in order, with
// everything a person would see: bot posts, ephemerals, views, acks carrying
// a response payload and message edits. The demo uses it to print a
// transcript. fn runs on the goroutine that caused the activity (an HTTP
// handler or a websocket reader), so it should return quickly; it may call
// the Server's getters and Send methods, but not its Wait methods nor the Web
// API (both would wait for it to return). WaitAck
// and WaitBotMessages return only after the callbacks for what they waited
// for have run.
func (s *Server) OnActivity(fn func(Activity)) {
	s.activityMu.Lock()
	defer s.activityMu.Unlock()
	s.activity = append(s.activity, fn)
}

// beginActivity starts a change that people see: it holds emitMu until the
// returned func runs, so the change and its OnActivity callbacks happen as
// one step. Lock order: emitMu before mu.
func (s *Server) beginActivity() func() {
	s.emitMu.Lock()
	return s.emitMu.Unlock
}

// emitLocked calls the OnActivity callbacks; emitMu must be held, mu not.
func (s *Server) emitLocked(a Activity) {
	s.activityMu.Lock()
	fns := append([]func(Activity){}, s.activity...)
	s.activityMu.Unlock()
	for _, fn := range fns {
		fn(a)
	}
}

// settle waits for the OnActivity callbacks of a change already seen to
// finish, so a Wait* method never returns before the transcript caught up.
func (s *Server) settle() {
	s.emitMu.Lock()
	s.emitMu.Unlock() //nolint:staticcheck // an empty critical section is the point: a barrier
}
