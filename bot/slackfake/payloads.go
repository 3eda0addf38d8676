package slackfake

import (
	"encoding/base64"
	"encoding/json"
)

// This file builds every JSON shape the fake sends. Each builder names the
// Slack page its shape was copied from. Values are built as maps so the shape
// is visible at a glance; key order does not matter to any JSON reader.

// helloFrame is sent right after a websocket opens.
// Source: https://api.slack.com/apis/connections/socket ("2. Connect to the
// WebSocket") and the captured frame EventHello in slack-go
// socketmode/socketmode_test.go.
func helloFrame(numConnections int) map[string]any {
	return map[string]any{
		"type":            "hello",
		"num_connections": numConnections,
		"debug_info": map[string]any{
			"host":                        "applink-flywheel-fake",
			"build_number":                1,
			"approximate_connection_time": 18060,
		},
		"connection_info": map[string]any{"app_id": AppID},
	}
}

// disconnectFrame asks the client to reconnect; reason is "warning",
// "refresh_requested" or "link_disabled".
// Source: https://api.slack.com/apis/connections/socket ("3. Handle
// disconnects gracefully").
func disconnectFrame(reason string) map[string]any {
	return map[string]any{
		"type":       "disconnect",
		"reason":     reason,
		"debug_info": map[string]any{"host": "applink-flywheel-fake"},
	}
}

// envelopeFrame wraps a payload for the websocket. events_api envelopes carry
// retry_attempt and retry_reason (captured frame EventAppMention in slack-go
// socketmode/socketmode_test.go); slash_commands and interactive envelopes do
// not (examples in https://api.slack.com/apis/connections/socket, "Using
// interactive features").
type envelopeFrame struct {
	EnvelopeID             string          `json:"envelope_id"`
	Payload                json.RawMessage `json:"payload"`
	Type                   string          `json:"type"`
	AcceptsResponsePayload bool            `json:"accepts_response_payload"`
	RetryAttempt           *int            `json:"retry_attempt,omitempty"`
	RetryReason            *string         `json:"retry_reason,omitempty"`
}

// eventCallback is the outer Events API wrapper around an inner event.
// Source: https://docs.slack.dev/reference/events/reaction_added/ (event
// wrapper example) and EventAppMention in slack-go socketmode_test.go
// (is_ext_shared_channel, event_context, authorizations with enterprise_id).
func eventCallback(event map[string]any, eventID string, eventTime int64) map[string]any {
	channel, _ := event["channel"].(string)
	if channel == "" {
		if item, ok := event["item"].(map[string]any); ok {
			channel, _ = item["channel"].(string)
		}
	}
	return map[string]any{
		"token":      verificationToken,
		"team_id":    TeamID,
		"api_app_id": AppID,
		"event":      event,
		"type":       "event_callback",
		"event_id":   eventID,
		"event_time": eventTime,
		"authorizations": []any{map[string]any{
			"enterprise_id":         nil,
			"team_id":               TeamID,
			"user_id":               BotUserID,
			"is_bot":                true,
			"is_enterprise_install": false,
		}},
		"is_ext_shared_channel": false,
		"event_context":         eventContext(event["type"], channel),
	}
}

// eventContext mimics Slack's opaque event_context ("4-" + base64 JSON).
func eventContext(eventType any, channel string) string {
	b, _ := json.Marshal(map[string]any{"et": eventType, "tid": TeamID, "aid": AppID, "cid": channel})
	return "4-" + base64.RawStdEncoding.EncodeToString(b)
}

// messageEvent is the inner `message` event for a human message.
// Source: https://docs.slack.dev/reference/events/message.channels/ and
// https://docs.slack.dev/reference/events/message.im/ (channel_type), replies
// carry thread_ts and parent_user_id
// (https://docs.slack.dev/reference/events/message/message_replied/ notes that
// a thread_ts different from ts marks a reply).
func messageEvent(m *message, channelType, parentUser string) map[string]any {
	ev := map[string]any{
		"type":         "message",
		"channel":      m.Channel,
		"user":         m.User,
		"text":         m.Text,
		"ts":           m.TS,
		"event_ts":     m.TS,
		"channel_type": channelType,
		"team":         TeamID,
	}
	if m.BotID != "" {
		ev["bot_id"] = m.BotID
		ev["app_id"] = AppID
		ev["bot_profile"] = botProfile()
	} else {
		ev["client_msg_id"] = m.clientMsgID
	}
	if len(m.Blocks) > 0 {
		ev["blocks"] = m.Blocks
	}
	if m.ThreadTS != "" {
		ev["thread_ts"] = m.ThreadTS
		ev["parent_user_id"] = parentUser
	}
	return ev
}

// messageChangedEvent is the inner `message` event of subtype
// message_changed for an edit of m; previous is the message before it.
// Source: https://docs.slack.dev/reference/events/message/message_changed
// (hidden, channel, ts, message with edited, previous_message).
func messageChangedEvent(m *message, previous map[string]any, channelType, eventTS string) map[string]any {
	return map[string]any{
		"type":             "message",
		"subtype":          "message_changed",
		"hidden":           true,
		"channel":          m.Channel,
		"channel_type":     channelType,
		"ts":               eventTS,
		"event_ts":         eventTS,
		"message":          messageObject(m, nil),
		"previous_message": previous,
	}
}

// reactionEvent is the inner reaction_added / reaction_removed event.
// Source: https://docs.slack.dev/reference/events/reaction_added/ (item with
// channel_type in the newer docs; item_user omitted when unknown).
func reactionEvent(added bool, user, reaction, itemChannel, itemTS, itemUser, channelType, eventTS string) map[string]any {
	typ := "reaction_removed"
	if added {
		typ = "reaction_added"
	}
	ev := map[string]any{
		"type":     typ,
		"user":     user,
		"reaction": reaction,
		"item": map[string]any{
			"type":         "message",
			"channel":      itemChannel,
			"ts":           itemTS,
			"channel_type": channelType,
		},
		"event_ts": eventTS,
	}
	if itemUser != "" {
		ev["item_user"] = itemUser
	}
	return ev
}

// slashPayload is the payload of a slash_commands envelope. Every value is a
// string because Slack builds it from the form it would POST over HTTP
// (is_enterprise_install is "false"; slack-go accepts both kinds).
// Source: https://api.slack.com/apis/connections/socket ("Slash commands") and
// https://api.slack.com/interactivity/slash-commands (api_app_id,
// is_enterprise_install).
func slashPayload(user, userName, channel, channelName, command, text, responseURL, triggerID string) map[string]any {
	return map[string]any{
		"token":                 verificationToken,
		"team_id":               TeamID,
		"team_domain":           TeamDomain,
		"channel_id":            channel,
		"channel_name":          channelName,
		"user_id":               user,
		"user_name":             userName,
		"command":               command,
		"text":                  text,
		"api_app_id":            AppID,
		"is_enterprise_install": "false",
		"response_url":          responseURL,
		"trigger_id":            triggerID,
	}
}

// interactionUser and interactionTeam are the user/team objects of
// interaction payloads.
// Source: https://docs.slack.dev/reference/interaction-payloads/block_actions-payload
func interactionUser(id, name string) map[string]any {
	return map[string]any{"id": id, "username": name, "name": name, "team_id": TeamID}
}

func interactionTeam() map[string]any { return map[string]any{"id": TeamID, "domain": TeamDomain} }

// blockActionsPayload is the payload of an interactive envelope for a button
// click on a message.
// Source: https://api.slack.com/apis/connections/socket ("Block Kit buttons")
// and https://docs.slack.dev/reference/interaction-payloads/block_actions-payload
// (container of type "message", state, enterprise, is_enterprise_install).
func blockActionsPayload(user, userName, channel, channelName string, msg map[string]any, messageTS string,
	ephemeral bool, blockID, actionID, value, actionTS, triggerID, responseURL string) map[string]any {
	p := map[string]any{
		"type":       "block_actions",
		"user":       interactionUser(user, userName),
		"api_app_id": AppID,
		"token":      verificationToken,
		"container": map[string]any{
			"type":         "message",
			"message_ts":   messageTS,
			"channel_id":   channel,
			"is_ephemeral": ephemeral,
		},
		"trigger_id":            triggerID,
		"team":                  interactionTeam(),
		"enterprise":            nil,
		"is_enterprise_install": false,
		"channel":               map[string]any{"id": channel, "name": channelName},
		"state":                 map[string]any{"values": map[string]any{}},
		"response_url":          responseURL,
		"actions": []any{map[string]any{
			"action_id": actionID,
			"block_id":  blockID,
			"text":      map[string]any{"type": "plain_text", "text": actionID, "emoji": true},
			"value":     value,
			"type":      "button",
			"action_ts": actionTS,
		}},
	}
	if msg != nil {
		p["message"] = msg
	}
	return p
}

// viewSubmissionPayload is the payload of an interactive envelope for a modal
// submission. view is the full view object (see viewObject).
// Source: https://docs.slack.dev/reference/interaction-payloads/view-interactions-payload
// and https://api.slack.com/apis/connections/socket ("Modals").
func viewSubmissionPayload(user, userName string, view map[string]any, triggerID string) map[string]any {
	return map[string]any{
		"type":                  "view_submission",
		"team":                  interactionTeam(),
		"user":                  interactionUser(user, userName),
		"api_app_id":            AppID,
		"token":                 verificationToken,
		"trigger_id":            triggerID,
		"view":                  view,
		"response_urls":         []any{},
		"is_enterprise_install": false,
		"enterprise":            nil,
	}
}
