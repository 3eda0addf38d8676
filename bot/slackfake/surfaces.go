package slackfake

import "encoding/json"

// This file drives the app's other surfaces: the App Home tab, message
// shortcuts and uploaded files. Each builder names the Slack page its
// shape was copied from.

// appHomeOpenedEvent is the inner app_home_opened event. view is the Home
// tab as last published for the user (nil if never, or for the Messages tab).
// Source: https://docs.slack.dev/reference/events/app_home_opened (type,
// user, channel, event_ts, tab "home" or "messages"; "If they opened a Home
// tab and that tab has had a view published at least once before, a view
// field will also be included").
func appHomeOpenedEvent(user, channel, tab, eventTS string, view map[string]any) map[string]any {
	ev := map[string]any{
		"type":     "app_home_opened",
		"user":     user,
		"channel":  channel,
		"event_ts": eventTS,
		"tab":      tab,
	}
	if view != nil {
		ev["view"] = view
	}
	return ev
}

// homeActionsPayload is a block_actions payload for a button on the Home tab:
// the container is the view, not a message, and there is no channel or
// response_url.
// Source: https://docs.slack.dev/reference/interaction-payloads/block_actions-payload
// ("container", "view": "The source app surface the user initiated the
// interaction from") and https://api.slack.com/apis/connections/socket ("App
// Home interactions").
func homeActionsPayload(user, userName string, view map[string]any, blockID, actionID, value, actionTS, triggerID string) map[string]any {
	viewID, _ := view["id"].(string)
	return map[string]any{
		"type":                  "block_actions",
		"user":                  interactionUser(user, userName),
		"api_app_id":            AppID,
		"token":                 verificationToken,
		"container":             map[string]any{"type": "view", "view_id": viewID},
		"trigger_id":            triggerID,
		"team":                  interactionTeam(),
		"enterprise":            nil,
		"is_enterprise_install": false,
		"view":                  view,
		"state":                 map[string]any{"values": map[string]any{}},
		"actions": []any{map[string]any{
			"action_id": actionID,
			"block_id":  blockID,
			"text":      map[string]any{"type": "plain_text", "text": actionID, "emoji": true},
			"value":     value,
			"type":      "button",
			"action_ts": actionTS,
		}},
	}
}

// messageActionPayload is the payload of a message shortcut.
// Source: https://docs.slack.dev/reference/interaction-payloads/shortcuts-interaction-payload
// (type "message_action", token, action_ts, team, user, channel,
// callback_id, trigger_id, message_ts, message, response_url) and the
// MessageShortcut type of bolt-js (is_enterprise_install, enterprise;
// message.user is absent for bot messages).
func messageActionPayload(user, userName, channel, channelName string, msg map[string]any, messageTS, callbackID, actionTS, triggerID, responseURL string) map[string]any {
	return map[string]any{
		"type":                  "message_action",
		"token":                 verificationToken,
		"action_ts":             actionTS,
		"team":                  interactionTeam(),
		"user":                  interactionUser(user, userName),
		"channel":               map[string]any{"id": channel, "name": channelName},
		"is_enterprise_install": false,
		"enterprise":            nil,
		"callback_id":           callbackID,
		"trigger_id":            triggerID,
		"response_url":          responseURL,
		"message_ts":            messageTS,
		"message":               msg,
	}
}

// homeViewLocked is the Home tab last published for user, or nil.
func (s *Server) homeViewLocked(userID string) map[string]any {
	for _, v := range s.wk.views {
		if v.user == userID && v.obj["type"] == "home" {
			return v.obj
		}
	}
	return nil
}

// OpenAppHome sends the app_home_opened event Slack sends when user opens
// the app's Home tab (tab "home") or its Messages tab ("messages"), and
// returns its envelope_id. A Home tab published before comes with it.
func (s *Server) OpenAppHome(userID, tab string) string {
	s.mu.Lock()
	dm, _ := s.imLocked(userID)
	var view map[string]any
	if tab == "home" {
		view = s.homeViewLocked(userID)
	}
	e := s.eventLocked(appHomeOpenedEvent(userID, dm.id, tab, s.nextTSLocked(), view), userID, dm.id)
	s.mu.Unlock()
	s.pump()
	return e.id
}

// SendHomeAction sends a block_actions payload for a click by user on the
// button actionID of their published Home tab; its trigger_id works with
// views.open. It returns "" when no Home tab was published for user.
func (s *Server) SendHomeAction(userID, actionID, value string) string {
	s.mu.Lock()
	view := s.homeViewLocked(userID)
	if view == nil {
		s.mu.Unlock()
		return ""
	}
	blockID := ""
	if raw, err := json.Marshal(view["blocks"]); err == nil {
		blockID = blockIDOf(raw, actionID)
	}
	trig := s.newTriggerLocked(userID, "")
	p := homeActionsPayload(userID, s.userNameLocked(userID), view, blockID, actionID, value, s.nextTSLocked(), trig)
	e := s.newEnvelopeLocked("interactive", p, true, userID, "")
	s.mu.Unlock()
	s.pump()
	return e.id
}

// SendMessageShortcut sends a message_action payload: user chose the
// shortcut callbackID on the message messageTS in channel (the message as
// the fake stores it, or just its ts when unknown). Its trigger_id works
// with views.open and its response_url is served by the fake.
func (s *Server) SendMessageShortcut(userID, channelID, messageTS, callbackID string) string {
	s.mu.Lock()
	msg := map[string]any{"type": "message", "ts": messageTS, "text": ""}
	if c := s.resolveLocked(channelID); c != nil {
		if m := findLocked(c, messageTS); m != nil {
			msg = messageObject(m, nil)
		}
	}
	trig := s.newTriggerLocked(userID, channelID)
	rurl := s.newResponseURLLocked("actions", userID, channelID, messageTS)
	p := messageActionPayload(userID, s.userNameLocked(userID), channelID, s.channelNameLocked(channelID), msg, messageTS,
		callbackID, s.nextTSLocked(), trig, rurl)
	e := s.newEnvelopeLocked("interactive", p, true, userID, channelID)
	s.mu.Unlock()
	s.pump()
	return e.id
}

// UploadedFile returns the bytes uploaded for a file (the file_id of
// files.getUploadURLExternal) and its filename.
func (s *Server) UploadedFile(fileID string) (data []byte, filename string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	data, ok = s.wk.uploads[fileID]
	return append([]byte(nil), data...), s.wk.files[fileID], ok
}
