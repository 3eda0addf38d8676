package slackfake

import (
	"strings"
)

// This file builds the objects the Web API returns (messages, users, views,
// IMs). Each builder names the Slack page its shape was copied from.

// viewObject completes a view the app sent (views.open/update/publish) into
// the object Slack returns and sends back.
// Source: https://docs.slack.dev/reference/methods/views.open/ (typical
// success response) and https://api.slack.com/apis/connections/socket ("App
// Home interactions": app_installed_team_id, bot_id, root_view_id).
func viewObject(req map[string]any, id, hash, rootID, previousID string, values map[string]any) map[string]any {
	v := map[string]any{}
	for k, val := range req {
		v[k] = val
	}
	v["id"] = id
	v["team_id"] = TeamID
	v["hash"] = hash
	v["app_id"] = AppID
	v["bot_id"] = BotID
	v["app_installed_team_id"] = TeamID
	v["root_view_id"] = rootID
	if previousID == "" {
		v["previous_view_id"] = nil
	} else {
		v["previous_view_id"] = previousID
	}
	if values == nil {
		values = map[string]any{}
	}
	v["state"] = map[string]any{"values": values}
	for _, k := range []string{"private_metadata", "callback_id", "external_id"} {
		if _, ok := v[k]; !ok {
			v[k] = ""
		}
	}
	for _, k := range []string{"clear_on_close", "notify_on_close"} {
		if _, ok := v[k]; !ok {
			v[k] = false
		}
	}
	if _, ok := v["blocks"]; !ok {
		v["blocks"] = []any{}
	}
	return v
}

// botProfile is the bot_profile Slack attaches to messages an app posts.
// Source: https://docs.slack.dev/reference/methods/chat.postMessage/ (example
// response "message" object).
func botProfile() map[string]any {
	return map[string]any{
		"id":      BotID,
		"app_id":  AppID,
		"name":    BotName,
		"icons":   map[string]any{"image_36": "https://a.slack-edge.com/80588/img/plugins/app/bot_36.png"},
		"deleted": false,
		"updated": 1732526400,
		"team_id": TeamID,
	}
}

// messageObject is a message as conversations.history, chat.postMessage and
// block_actions return it.
// Source: https://docs.slack.dev/reference/methods/conversations.history
// (messages with thread parents carrying reply_count, reply_users,
// latest_reply) and https://docs.slack.dev/reference/methods/chat.postMessage/.
func messageObject(m *message, replies []*message) map[string]any {
	o := map[string]any{"type": "message", "text": m.Text, "ts": m.TS, "user": m.User, "team": TeamID}
	if m.BotID != "" {
		o["bot_id"] = m.BotID
		o["app_id"] = AppID
		o["bot_profile"] = botProfile()
	} else if m.clientMsgID != "" {
		o["client_msg_id"] = m.clientMsgID
	}
	if len(m.Blocks) > 0 {
		o["blocks"] = m.Blocks
	}
	// conversations.history/replies drop it unless asked with
	// include_all_metadata (see pageLocked).
	if len(m.Metadata) > 0 {
		o["metadata"] = m.Metadata
	}
	if m.ThreadTS != "" {
		o["thread_ts"] = m.ThreadTS
		o["parent_user_id"] = m.parentUser
	}
	if len(replies) > 0 {
		users := []string{}
		seen := map[string]bool{}
		for _, r := range replies {
			if !seen[r.User] {
				seen[r.User] = true
				users = append(users, r.User)
			}
		}
		o["thread_ts"] = m.TS
		o["reply_count"] = len(replies)
		o["reply_users"] = users
		o["reply_users_count"] = len(users)
		o["latest_reply"] = replies[len(replies)-1].TS
		o["is_locked"] = false
		o["subscribed"] = false
	}
	if m.edited != "" {
		o["edited"] = map[string]any{"user": m.User, "ts": m.edited}
	}
	if len(m.Reactions) > 0 {
		rs := []any{}
		for _, r := range m.Reactions {
			rs = append(rs, map[string]any{"name": r.Name, "users": r.Users, "count": len(r.Users)})
		}
		o["reactions"] = rs
	}
	if len(m.files) > 0 {
		o["files"] = m.files
		o["upload"] = false
		o["display_as_bot"] = false
	}
	return o
}

// userObject is a user as users.info returns it.
// Source: https://docs.slack.dev/reference/methods/users.info ("Typical
// success response").
func userObject(u *user) map[string]any {
	profile := map[string]any{
		"real_name":               u.name,
		"real_name_normalized":    u.name,
		"display_name":            u.name,
		"display_name_normalized": u.name,
		"avatar_hash":             "g" + strings.Repeat("0", 11),
		"status_text":             "",
		"status_emoji":            "",
		"team":                    TeamID,
	}
	isBot := u.id == BotUserID
	if isBot {
		profile["bot_id"] = BotID
		profile["api_app_id"] = AppID
		profile["always_active"] = true
	}
	return map[string]any{
		"id":                  u.id,
		"team_id":             TeamID,
		"name":                u.name,
		"deleted":             false,
		"color":               "9f69e7",
		"real_name":           u.name,
		"tz":                  "Europe/London",
		"tz_label":            "Greenwich Mean Time",
		"tz_offset":           0,
		"profile":             profile,
		"is_admin":            false,
		"is_owner":            false,
		"is_primary_owner":    false,
		"is_restricted":       false,
		"is_ultra_restricted": false,
		"is_bot":              isBot,
		"is_app_user":         false,
		"updated":             1732526400,
	}
}

// imObject is the IM channel conversations.open returns with return_im=true.
// Source: https://docs.slack.dev/reference/methods/conversations.open
// (response with return_im: id, created, is_im, is_org_shared, user,
// last_read, latest, unread_count, unread_count_display, is_open, priority).
func imObject(c *channel) map[string]any {
	return map[string]any{
		"id":                   c.id,
		"created":              1732526400,
		"is_im":                true,
		"is_org_shared":        false,
		"user":                 c.imUser,
		"last_read":            "0000000000.000000",
		"latest":               nil,
		"unread_count":         0,
		"unread_count_display": 0,
		"is_open":              true,
		"priority":             0,
	}
}
