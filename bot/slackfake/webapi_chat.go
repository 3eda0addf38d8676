package slackfake

import (
	"encoding/base64"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"
)

func init() {
	apiHandlers["chat.postMessage"] = apiPostMessage
	apiHandlers["chat.postEphemeral"] = apiPostEphemeral
	apiHandlers["chat.update"] = apiChatUpdate
	apiHandlers["chat.delete"] = apiChatDelete
	apiHandlers["chat.getPermalink"] = apiGetPermalink
	apiHandlers["conversations.history"] = apiHistory
	apiHandlers["conversations.replies"] = apiReplies
	apiHandlers["conversations.open"] = apiConversationsOpen
}

// apiPostMessage posts as the bot. channel may be a channel ID, a channel
// name or a user ID (the bot's DM with that user, as Slack allows); a
// thread_ts naming a reply is mapped to its parent.
// Source: https://docs.slack.dev/reference/methods/chat.postMessage/
// (response: channel, ts, message; errors channel_not_found, no_text).
func apiPostMessage(s *Server, q *apiRequest) map[string]any {
	defer s.beginActivity()()
	text, blocks := q.get("text"), q.rawJSON("blocks")
	if text == "" && len(blocks) == 0 && q.get("attachments") == "" {
		return fail("no_text")
	}
	if code, msgs := messageProblems(text, blocks); code != "" {
		return refuseBlocks(code, msgs)
	}
	s.mu.Lock()
	c := s.resolveLocked(q.get("channel"))
	if c == nil {
		s.mu.Unlock()
		return fail("channel_not_found")
	}
	if c.botOut {
		s.mu.Unlock()
		return fail("not_in_channel")
	}
	m := &message{Message: Message{
		Channel: c.id, TS: s.nextTSLocked(), User: BotUserID, BotID: BotID, Text: text, Blocks: blocks,
		UnfurlLinks: q.boolPtr("unfurl_links"), UnfurlMedia: q.boolPtr("unfurl_media"), At: time.Now(),
		Metadata: validJSON(q.rawJSON("metadata")),
	}}
	if th := q.get("thread_ts"); th != "" {
		m.ThreadTS = th
		if p := findLocked(c, th); p != nil {
			if p.ThreadTS != "" && p.ThreadTS != p.TS {
				m.ThreadTS = p.ThreadTS
				p = findLocked(c, p.ThreadTS)
			}
			if p != nil {
				m.parentUser = p.User
			}
		}
	}
	s.addMessageLocked(c, m)
	obj := messageObject(m, nil)
	echo := s.echoBot && !c.isIM
	if echo {
		s.eventLocked(messageEvent(m, channelType(c), m.parentUser), BotUserID, c.id)
	}
	s.mu.Unlock()
	if echo {
		s.pump()
	}
	s.emitLocked(Activity{Kind: "post", Channel: c.id, User: audience(c), TS: m.TS, ThreadTS: m.ThreadTS, Text: text, Blocks: blocks})
	return ok(map[string]any{"channel": c.id, "ts": m.TS, "message": obj})
}

// apiPostEphemeral shows a message to one user.
// Source: https://docs.slack.dev/reference/methods/chat.postEphemeral
// ({"ok":true,"message_ts":"..."}; errors channel_not_found,
// user_not_in_channel, no_text).
func apiPostEphemeral(s *Server, q *apiRequest) map[string]any {
	defer s.beginActivity()()
	text, blocks := q.get("text"), q.rawJSON("blocks")
	if text == "" && len(blocks) == 0 && q.get("attachments") == "" {
		return fail("no_text")
	}
	if code, msgs := messageProblems(text, blocks); code != "" {
		return refuseBlocks(code, msgs)
	}
	s.mu.Lock()
	c := s.resolveLocked(q.get("channel"))
	if c == nil {
		s.mu.Unlock()
		return fail("channel_not_found")
	}
	if c.botOut {
		s.mu.Unlock()
		return fail("not_in_channel")
	}
	userID := q.get("user")
	if _, known := s.wk.users[userID]; !known {
		s.mu.Unlock()
		return fail("user_not_in_channel")
	}
	m := &message{Message: Message{
		Channel: c.id, TS: s.nextTSLocked(), ThreadTS: q.get("thread_ts"), User: BotUserID, BotID: BotID,
		Text: text, Blocks: blocks, Ephemeral: true, EphemeralUser: userID, At: time.Now(),
	}}
	s.wk.ephemerals = append(s.wk.ephemerals, m)
	s.notifyLocked()
	s.mu.Unlock()
	s.emitLocked(Activity{Kind: "ephemeral", Channel: c.id, User: userID, TS: m.TS, ThreadTS: m.ThreadTS, Text: text, Blocks: blocks})
	return ok(map[string]any{"message_ts": m.TS})
}

// apiChatUpdate edits a message the bot posted.
// Source: https://docs.slack.dev/reference/methods/chat.update/ (response:
// channel, ts, text, message; errors message_not_found, cant_update_message).
func apiChatUpdate(s *Server, q *apiRequest) map[string]any {
	defer s.beginActivity()()
	if code, msgs := messageProblems(q.get("text"), q.rawJSON("blocks")); code != "" {
		return refuseBlocks(code, msgs)
	}
	s.mu.Lock()
	c := s.resolveLocked(q.get("channel"))
	if c == nil {
		s.mu.Unlock()
		return fail("channel_not_found")
	}
	if c.botOut {
		s.mu.Unlock()
		return fail("not_in_channel")
	}
	m := findLocked(c, q.get("ts"))
	if m == nil {
		s.mu.Unlock()
		return fail("message_not_found")
	}
	if m.BotID != BotID {
		s.mu.Unlock()
		return fail("cant_update_message")
	}
	if _, has := q.params["text"]; has {
		m.Text = q.get("text")
	}
	if b := q.rawJSON("blocks"); b != nil {
		m.Blocks = b
	}
	m.edited = s.nextTSLocked()
	obj := messageObject(m, nil)
	a := Activity{Kind: "update", Channel: c.id, User: audience(c), TS: m.TS, ThreadTS: m.ThreadTS, Text: m.Text, Blocks: m.Blocks}
	s.notifyLocked()
	s.mu.Unlock()
	s.emitLocked(a)
	return ok(map[string]any{"channel": c.id, "ts": m.TS, "text": m.Text, "message": obj})
}

// apiChatDelete deletes a message the bot posted.
// Source: https://docs.slack.dev/reference/methods/chat.delete ({"ok":true,
// "channel":...,"ts":...}).
func apiChatDelete(s *Server, q *apiRequest) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.resolveLocked(q.get("channel"))
	if c == nil {
		return fail("channel_not_found")
	}
	ts := q.get("ts")
	for i, m := range c.msgs {
		if m.TS == ts {
			if m.BotID != BotID {
				return fail("cant_delete_message")
			}
			c.msgs = append(c.msgs[:i:i], c.msgs[i+1:]...)
			s.notifyLocked()
			return ok(map[string]any{"channel": c.id, "ts": ts})
		}
	}
	return fail("message_not_found")
}

// apiGetPermalink returns a message's permalink.
// Source: https://docs.slack.dev/reference/methods/chat.getPermalink
// (".../archives/C123ABC456/p135854651500008", and
// "?thread_ts=...&cid=..." for a reply).
func apiGetPermalink(s *Server, q *apiRequest) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.resolveLocked(q.get("channel"))
	if c == nil {
		return fail("channel_not_found")
	}
	m := findLocked(c, q.get("message_ts"))
	if m == nil {
		return fail("message_not_found")
	}
	link := "https://" + TeamDomain + ".slack.com/archives/" + c.id + "/p" + strings.Replace(m.TS, ".", "", 1)
	if m.ThreadTS != "" && m.ThreadTS != m.TS {
		link += "?thread_ts=" + m.ThreadTS + "&cid=" + c.id
	}
	return ok(map[string]any{"channel": c.id, "permalink": link})
}

// tsMicros parses a Slack ts ("1732526400.000100", "1732526400") into
// microseconds.
func tsMicros(ts string) (int64, bool) {
	sec, frac, _ := strings.Cut(ts, ".")
	s, err := strconv.ParseInt(sec, 10, 64)
	if err != nil {
		return 0, false
	}
	frac = (frac + "000000")[:6]
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, false
	}
	return s*1e6 + f, true
}

// window applies latest/oldest/inclusive: messages with oldest < ts < latest,
// or <= with inclusive. latest defaults to now, oldest to 0.
// Source: https://docs.slack.dev/reference/methods/conversations.history
// (arguments latest, oldest, inclusive, limit, cursor).
type window struct {
	oldest, latest int64
	inclusive      bool
	limit          int
	cursor         int64 // 0, or: only ts < cursor (from next_cursor)
}

func (s *Server) windowLocked(q *apiRequest) (window, string) {
	w := window{latest: 1 << 62, limit: 100}
	if v := q.get("latest"); v != "" {
		t, good := tsMicros(v)
		if !good {
			return w, "invalid_ts_latest"
		}
		w.latest = t
	}
	if v := q.get("oldest"); v != "" {
		t, good := tsMicros(v)
		if !good {
			return w, "invalid_ts_oldest"
		}
		w.oldest = t
	}
	w.inclusive = q.get("inclusive") == "1" || q.get("inclusive") == "true"
	if n, err := strconv.Atoi(q.get("limit")); err == nil && n > 0 {
		w.limit = min(n, 999)
	}
	if cur := q.get("cursor"); cur != "" {
		b, err := base64.StdEncoding.DecodeString(cur)
		digits, found := strings.CutPrefix(string(b), "next_ts:")
		t, perr := strconv.ParseInt(digits, 10, 64) // ts without its dot: microseconds
		if err != nil || !found || perr != nil {
			return w, "invalid_cursor"
		}
		w.cursor = t
	}
	return w, ""
}

func (w window) in(ts string, newestFirst bool) bool {
	t, _ := tsMicros(ts)
	if w.cursor != 0 && ((newestFirst && t >= w.cursor) || (!newestFirst && t <= w.cursor)) {
		return false
	}
	if w.inclusive {
		return t >= w.oldest && t <= w.latest
	}
	return t > w.oldest && t < w.latest
}

// nextCursor encodes where the next page starts, in Slack's form
// (base64 of "next_ts:<ts>").
func nextCursor(ts string) string {
	return base64.StdEncoding.EncodeToString([]byte("next_ts:" + strings.Replace(ts, ".", "", 1)))
}

// apiHistory returns a channel's top-level messages (thread replies stay in
// their thread), newest first.
// Source: https://docs.slack.dev/reference/methods/conversations.history
// (messages, has_more, pin_count, channel_actions_ts, channel_actions_count,
// response_metadata.next_cursor).
func apiHistory(s *Server, q *apiRequest) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.resolveLocked(q.get("channel"))
	if c == nil {
		return fail("channel_not_found")
	}
	if c.botOut {
		return fail("not_in_channel")
	}
	w, code := s.windowLocked(q)
	if code != "" {
		return fail(code)
	}
	var picked []*message
	for i := len(c.msgs) - 1; i >= 0; i-- {
		m := c.msgs[i]
		if (m.ThreadTS == "" || m.ThreadTS == m.TS) && w.in(m.TS, true) {
			picked = append(picked, m)
		}
	}
	return s.pageLocked(c, picked, w.limit, includeMetadata(q), map[string]any{
		"pin_count": 0, "channel_actions_ts": nil, "channel_actions_count": 0,
	})
}

// includeMetadata: conversations.history and conversations.replies return
// messages' metadata only when asked with include_all_metadata.
// Source: https://docs.slack.dev/reference/methods/conversations.history
// (include_all_metadata: "Return all metadata associated with messages.
// Defaults to false."; conversations.replies has the same argument).
func includeMetadata(q *apiRequest) bool {
	v := q.get("include_all_metadata")
	return v == "1" || v == "true"
}

// pageLocked cuts msgs to limit and builds the answer with has_more and
// next_cursor; messages carry their metadata only if meta.
func (s *Server) pageLocked(c *channel, msgs []*message, limit int, meta bool, extra map[string]any) map[string]any {
	hasMore := len(msgs) > limit
	if hasMore {
		msgs = msgs[:limit]
	}
	out := []any{}
	for _, m := range msgs {
		var replies []*message
		if m.ThreadTS == "" || m.ThreadTS == m.TS {
			replies = repliesLocked(c, m.TS)
		}
		obj := messageObject(m, replies)
		if !meta {
			delete(obj, "metadata")
		}
		out = append(out, obj)
	}
	extra["messages"] = out
	extra["has_more"] = hasMore
	if hasMore {
		extra["response_metadata"] = map[string]any{"next_cursor": nextCursor(msgs[len(msgs)-1].TS)}
	}
	return ok(extra)
}

// apiReplies returns a thread: the parent first, then its replies, oldest
// first. ts may name the parent or any reply.
// Source: https://docs.slack.dev/reference/methods/conversations.replies
// (errors channel_not_found, thread_not_found).
func apiReplies(s *Server, q *apiRequest) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.resolveLocked(q.get("channel"))
	if c == nil {
		return fail("channel_not_found")
	}
	if c.botOut {
		return fail("not_in_channel")
	}
	m := findLocked(c, q.get("ts"))
	if m == nil {
		return fail("thread_not_found")
	}
	root := m.TS
	if m.ThreadTS != "" {
		root = m.ThreadTS
	}
	w, code := s.windowLocked(q)
	if code != "" {
		return fail(code)
	}
	var picked []*message
	if p := findLocked(c, root); p != nil && w.in(p.TS, false) {
		picked = append(picked, p)
	}
	for _, r := range repliesLocked(c, root) {
		if w.in(r.TS, false) {
			picked = append(picked, r)
		}
	}
	return s.pageLocked(c, picked, w.limit, includeMetadata(q), map[string]any{})
}

// apiConversationsOpen opens (or finds) the bot's DM with one user, or a
// multi-person DM with several.
// Source: https://docs.slack.dev/reference/methods/conversations.open
// ({"ok":true,"channel":{"id":"D..."}}, plus no_op and already_open when it
// existed; the full IM object with return_im=true; error user_not_found).
func apiConversationsOpen(s *Server, q *apiRequest) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id := q.get("channel"); id != "" {
		c := s.wk.channels[id]
		if c == nil || (!c.isIM && !c.isMPIM) {
			return fail("channel_not_found")
		}
		return ok(map[string]any{"no_op": true, "already_open": true, "channel": map[string]any{"id": c.id}})
	}
	users := strings.Split(q.get("users"), ",")
	if q.get("users") == "" {
		return fail("users_list_not_supplied")
	}
	for _, u := range users {
		if _, known := s.wk.users[u]; !known {
			return fail("user_not_found")
		}
	}
	var c *channel
	existed := false
	if len(users) == 1 {
		c, existed = s.imLocked(users[0])
	} else {
		sort.Strings(users)
		name := "mpdm-" + strings.Join(users, "--") + "-1"
		for _, x := range s.wk.channels {
			if x.isMPIM && x.name == name {
				c, existed = x, true
			}
		}
		if c == nil {
			c = &channel{id: s.nextIDLocked("G"), name: name, isMPIM: true}
			s.wk.channels[c.id] = c
		}
	}
	var ch any = map[string]any{"id": c.id}
	if q.get("return_im") == "true" && c.isIM {
		ch = imObject(c)
	}
	res := map[string]any{"channel": ch}
	if existed {
		res["no_op"], res["already_open"] = true, true
	}
	return ok(res)
}

// audience is Activity.User for a bot post in c: the other person of a DM,
// else the bot.
func audience(c *channel) string {
	if c.isIM && c.imUser != "" {
		return c.imUser
	}
	return BotUserID
}

// validJSON keeps raw only if it is valid JSON, so a bad argument can never
// break a later response.
func validJSON(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 || !json.Valid(raw) {
		return nil
	}
	return raw
}
