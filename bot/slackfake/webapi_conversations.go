package slackfake

import (
	"sort"
	"strconv"
	"strings"
)

func init() {
	apiHandlers["conversations.info"] = apiConversationsInfo
	apiHandlers["users.conversations"] = apiUsersConversations
}

// conversationObject is a conversation as conversations.info returns it.
// Source: https://docs.slack.dev/reference/objects/conversation-object
// (is_channel, is_group, is_im, is_mpim, is_private, is_member, name).
func conversationObject(c *channel) map[string]any {
	if c.isIM {
		o := imObject(c)
		o["is_channel"], o["is_group"], o["is_mpim"], o["is_private"] = false, false, false, true
		return o
	}
	return map[string]any{
		"id":              c.id,
		"name":            c.name,
		"name_normalized": c.name,
		"is_channel":      !c.isMPIM,
		"is_group":        c.isMPIM || (c.isPrivate && strings.HasPrefix(c.id, "G")),
		"is_im":           false,
		"is_mpim":         c.isMPIM,
		"is_private":      c.isPrivate || c.isMPIM,
		"is_archived":     false,
		"is_general":      false,
		"is_shared":       false,
		"is_ext_shared":   false,
		"is_org_shared":   false,
		"created":         1732526400,
		"creator":         "",
		"unlinked":        0,
		"is_member":       !c.botOut,
		"topic":           map[string]any{"value": "", "creator": "", "last_set": 0},
		"purpose":         map[string]any{"value": "", "creator": "", "last_set": 0},
	}
}

// apiConversationsInfo describes one conversation.
// Source: https://docs.slack.dev/reference/methods/conversations.info
// ({"ok":true,"channel":{...}}; channel_not_found for an unknown channel,
// and for a private one the bot is not in: it cannot see it).
func apiConversationsInfo(s *Server, q *apiRequest) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.wk.channels[q.get("channel")]
	if c == nil || (c.botOut && (c.isPrivate || c.isMPIM || c.isIM)) {
		return fail("channel_not_found")
	}
	return ok(map[string]any{"channel": conversationObject(c)})
}

// apiUsersConversations lists the conversations the bot is a member of,
// by types (default public_channel), a page at a time.
// Source: https://docs.slack.dev/reference/methods/users.conversations
// (channels: limited conversation objects without is_member and
// num_members; response_metadata.next_cursor; limit at most 999).
func apiUsersConversations(s *Server, q *apiRequest) map[string]any {
	types := map[string]bool{}
	for _, t := range strings.Split(q.get("types"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			types[t] = true
		}
	}
	if len(types) == 0 {
		types["public_channel"] = true
	}
	limit := 100
	if l := q.get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 999 {
			return fail("invalid_limit")
		}
		limit = n
	}
	start := 0
	if cur := q.get("cursor"); cur != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(cur, "page:"))
		if err != nil || n < 0 {
			return fail("invalid_cursor")
		}
		start = n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for id, c := range s.wk.channels {
		kind := "public_channel"
		switch {
		case c.isIM:
			kind = "im"
		case c.isMPIM:
			kind = "mpim"
		case c.isPrivate:
			kind = "private_channel"
		}
		if types[kind] && !c.botOut {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	page := []any{}
	for i := start; i < len(ids) && len(page) < limit; i++ {
		o := conversationObject(s.wk.channels[ids[i]])
		delete(o, "is_member")
		page = append(page, o)
	}
	next := ""
	if start+limit < len(ids) {
		next = "page:" + strconv.Itoa(start+limit)
	}
	return ok(map[string]any{"channels": page, "response_metadata": map[string]any{"next_cursor": next}})
}
