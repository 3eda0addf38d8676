package slackfake

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

func init() {
	apiHandlers["users.info"] = apiUsersInfo
	apiHandlers["views.open"] = apiViewsOpen
	apiHandlers["views.push"] = apiViewsOpen
	apiHandlers["views.update"] = apiViewsUpdate
	apiHandlers["views.publish"] = apiViewsPublish
	apiHandlers["reactions.add"] = func(s *Server, q *apiRequest) map[string]any { return apiReaction(s, q, true) }
	apiHandlers["reactions.remove"] = func(s *Server, q *apiRequest) map[string]any { return apiReaction(s, q, false) }
	apiHandlers["usergroups.users.list"] = apiUsergroupUsers
	apiHandlers["files.getUploadURLExternal"] = apiGetUploadURL
	apiHandlers["files.completeUploadExternal"] = apiCompleteUpload
}

// apiUsersInfo returns a user object.
// Source: https://docs.slack.dev/reference/methods/users.info (error
// user_not_found).
func apiUsersInfo(s *Server, q *apiRequest) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, known := s.wk.users[q.get("user")]
	if !known {
		return fail("user_not_found")
	}
	return ok(map[string]any{"user": userObject(u)})
}

// viewArg decodes the view argument (a JSON object, or a JSON string in a form).
func viewArg(q *apiRequest) (map[string]any, bool) {
	var v map[string]any
	raw := q.rawJSON("view")
	if raw == nil || json.Unmarshal(raw, &v) != nil || v == nil {
		return nil, false
	}
	return v, true
}

// apiViewsOpen opens a modal (views.push shares it: the fake keeps no stack).
// Source: https://docs.slack.dev/reference/methods/views.open/ (response
// {"ok":true,"view":{...}}; errors invalid_trigger_id, expired_trigger_id,
// exchanged_trigger_id, invalid_arguments).
func apiViewsOpen(s *Server, q *apiRequest) map[string]any {
	defer s.beginActivity()()
	req, good := viewArg(q)
	if !good {
		return fail("invalid_arguments")
	}
	if msgs := viewProblems(req); len(msgs) > 0 {
		return refuseBlocks("invalid_arguments", msgs)
	}
	triggerID := q.get("trigger_id")
	if triggerID == "" {
		triggerID = q.get("interactivity_pointer")
	}
	s.mu.Lock()
	t := s.wk.triggers[triggerID]
	switch {
	case t == nil:
		s.mu.Unlock()
		return fail("invalid_trigger_id")
	case t.used:
		s.mu.Unlock()
		return fail("exchanged_trigger_id")
	case s.triggerTTL > 0 && time.Since(t.issued) > s.triggerTTL:
		s.mu.Unlock()
		return fail("expired_trigger_id")
	}
	t.used = true
	id := s.nextIDLocked("V")
	hash := fmt.Sprintf("%d.%08x", s.now().Unix(), s.seq)
	obj := viewObject(req, id, hash, id, "", nil)
	s.wk.views[id] = &viewRec{id: id, hash: hash, user: t.user, triggerID: triggerID, obj: obj}
	raw, _ := json.Marshal(obj)
	s.wk.opened = append(s.wk.opened, View{TriggerID: triggerID, View: raw, At: time.Now()})
	s.notifyLocked()
	s.mu.Unlock()
	s.emitLocked(Activity{Kind: "view", User: t.user, Channel: t.channel, Payload: raw})
	return ok(map[string]any{"view": obj})
}

// apiViewsUpdate replaces an open view, found by view_id or external_id.
// Source: https://docs.slack.dev/reference/methods/views.update (errors
// not_found, hash_conflict).
func apiViewsUpdate(s *Server, q *apiRequest) map[string]any {
	defer s.beginActivity()()
	req, good := viewArg(q)
	if !good {
		return fail("invalid_arguments")
	}
	if msgs := viewProblems(req); len(msgs) > 0 {
		return refuseBlocks("invalid_arguments", msgs)
	}
	s.mu.Lock()
	var rec *viewRec
	for _, v := range s.wk.views {
		if (q.get("view_id") != "" && v.id == q.get("view_id")) ||
			(q.get("external_id") != "" && v.obj["external_id"] == q.get("external_id")) {
			rec = v
		}
	}
	if rec == nil {
		s.mu.Unlock()
		return fail("not_found")
	}
	if h := q.get("hash"); h != "" && h != rec.hash {
		s.mu.Unlock()
		return fail("hash_conflict")
	}
	s.seq++
	rec.hash = fmt.Sprintf("%d.%08x", s.now().Unix(), s.seq)
	rec.obj = viewObject(req, rec.id, rec.hash, rec.id, "", nil)
	raw, _ := json.Marshal(rec.obj)
	obj, userID := rec.obj, rec.user
	s.notifyLocked()
	s.mu.Unlock()
	s.emitLocked(Activity{Kind: "view", User: userID, Payload: raw})
	return ok(map[string]any{"view": obj})
}

// apiViewsPublish publishes a user's App Home tab.
// Source: https://docs.slack.dev/reference/methods/views.publish (user_id,
// view, hash; response {"ok":true,"view":{...}}; error hash_conflict).
func apiViewsPublish(s *Server, q *apiRequest) map[string]any {
	defer s.beginActivity()()
	req, good := viewArg(q)
	userID := q.get("user_id")
	if !good || userID == "" {
		return fail("invalid_arguments")
	}
	if msgs := viewProblems(req); len(msgs) > 0 {
		return refuseBlocks("invalid_arguments", msgs)
	}
	s.mu.Lock()
	var rec *viewRec
	for _, v := range s.wk.views {
		if v.user == userID && v.obj["type"] == "home" {
			rec = v
		}
	}
	if rec != nil {
		if h := q.get("hash"); h != "" && h != rec.hash {
			s.mu.Unlock()
			return fail("hash_conflict")
		}
	} else {
		rec = &viewRec{id: s.nextIDLocked("V"), user: userID}
		s.wk.views[rec.id] = rec
	}
	s.seq++
	rec.hash = fmt.Sprintf("%d.%08x", s.now().Unix(), s.seq)
	rec.obj = viewObject(req, rec.id, rec.hash, rec.id, "", nil)
	raw, _ := json.Marshal(rec.obj)
	s.wk.published[userID] = append(s.wk.published[userID], raw)
	obj := rec.obj
	s.notifyLocked()
	s.mu.Unlock()
	s.emitLocked(Activity{Kind: "view", User: userID, Payload: raw})
	return ok(map[string]any{"view": obj})
}

// apiReaction adds or removes the bot's reaction.
// Source: https://docs.slack.dev/reference/methods/reactions.add ({"ok":true};
// errors already_reacted, message_not_found, invalid_name) and
// reactions.remove (no_reaction).
func apiReaction(s *Server, q *apiRequest, add bool) map[string]any {
	name := strings.Trim(q.get("name"), ":")
	if name == "" {
		return fail("invalid_name")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.resolveLocked(q.get("channel"))
	if c == nil {
		return fail("channel_not_found")
	}
	m := findLocked(c, q.get("timestamp"))
	if m == nil {
		return fail("message_not_found")
	}
	if !setReaction(m, name, BotUserID, add) {
		if add {
			return fail("already_reacted")
		}
		return fail("no_reaction")
	}
	s.notifyLocked()
	return ok(nil)
}

// apiUsergroupUsers lists a user group's members.
// Source: https://docs.slack.dev/reference/methods/usergroups.users.list
// ({"ok":true,"users":[...]}; error no_such_subteam).
func apiUsergroupUsers(s *Server, q *apiRequest) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	users, known := s.wk.usergroups[q.get("usergroup")]
	if !known {
		return fail("no_such_subteam")
	}
	return ok(map[string]any{"users": append([]string{}, users...)})
}

// apiGetUploadURL starts an upload; the returned URL is served by the fake.
// Source: https://docs.slack.dev/reference/methods/files.getUploadURLExternal
// ({"ok":true,"upload_url":"...","file_id":"F..."}).
func apiGetUploadURL(s *Server, q *apiRequest) map[string]any {
	if q.get("filename") == "" || q.get("length") == "" {
		return fail("invalid_arguments")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	length, err := strconv.Atoi(q.get("length"))
	if err != nil || length <= 0 {
		return fail("invalid_arguments")
	}
	id := s.nextIDLocked("F")
	s.wk.files[id] = q.get("filename")
	s.wk.lengths[id] = length
	return ok(map[string]any{"upload_url": "http://" + s.host + "/upload/v1/" + id, "file_id": id})
}

// apiCompleteUpload finishes uploads and shares them in a channel as a bot
// message (initial_comment as its text).
// Source: https://docs.slack.dev/reference/methods/files.completeUploadExternal
// (files=[{"id","title"}], channel_id, channels, initial_comment, thread_ts;
// response {"ok":true,"files":[{"id","title",...}]}).
func apiCompleteUpload(s *Server, q *apiRequest) map[string]any {
	defer s.beginActivity()()
	var files []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if json.Unmarshal(q.rawJSON("files"), &files) != nil || len(files) == 0 {
		return fail("invalid_arguments")
	}
	s.mu.Lock()
	out := []any{}
	var objs []map[string]any
	var ids []string
	for _, f := range files {
		name, known := s.wk.files[f.ID]
		data, uploaded := s.wk.uploads[f.ID]
		if !known || !uploaded {
			// Slack has nothing to finish until the bytes reached upload_url.
			s.mu.Unlock()
			return fail("file_not_found")
		}
		s.wk.completed[f.ID] = true
		o := fileObject(f.ID, name, f.Title, data, s.now().Unix())
		out, objs, ids = append(out, o), append(objs, o), append(ids, f.ID)
	}
	chID := q.get("channel_id")
	if chID == "" {
		chID, _, _ = strings.Cut(q.get("channels"), ",")
	}
	var act *Activity
	if chID != "" {
		c := s.resolveLocked(chID)
		if c == nil {
			s.mu.Unlock()
			return fail("channel_not_found")
		}
		m := &message{Message: Message{Channel: c.id, TS: s.nextTSLocked(), ThreadTS: q.get("thread_ts"), User: BotUserID,
			BotID: BotID, Text: q.get("initial_comment"), FileIDs: ids, At: time.Now()}, files: objs}
		s.addMessageLocked(c, m)
		act = &Activity{Kind: "post", Channel: c.id, User: audience(c), TS: m.TS, ThreadTS: m.ThreadTS, Text: m.Text}
	}
	s.mu.Unlock()
	if act != nil {
		s.emitLocked(*act)
	}
	return ok(map[string]any{"files": out})
}

// serveUpload accepts the file bytes POSTed to an upload_url, as the raw
// body or as the "file" part of a multipart form (slack-go's way), and keeps
// them for UploadedFile. Slack answers "OK - <bytes>" in plain text.
// Source: https://docs.slack.dev/messaging/working-with-files ("Upload the
// file to the URL").
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) {
	var data []byte
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
		if err := r.ParseMultipartForm(100 << 20); err == nil {
			if f, _, err := r.FormFile("file"); err == nil {
				data, _ = io.ReadAll(f)
				_ = f.Close()
			}
		}
	} else {
		data, _ = io.ReadAll(io.LimitReader(r.Body, 100<<20))
	}
	id := strings.TrimPrefix(r.URL.Path, "/upload/v1/")
	s.mu.Lock()
	if _, known := s.wk.files[id]; !known {
		s.mu.Unlock()
		http.Error(w, "invalid upload url", http.StatusNotFound)
		return
	}
	s.wk.uploads[id] = data
	s.notifyLocked()
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = fmt.Fprintf(w, "OK - %d", len(data))
}

// serveResponseURL answers a response_url from a slash command or a block
// action: in_channel replies post in the channel, others are ephemeral;
// replace_original and delete_original act on the message of the action.
// Source: https://docs.slack.dev/interactivity/handling-user-interaction
// ("Message responses": response_type, replace_original, delete_original).
func (s *Server) serveResponseURL(w http.ResponseWriter, r *http.Request) {
	defer s.beginActivity()()
	var p struct {
		Text            string          `json:"text"`
		Blocks          json.RawMessage `json:"blocks"`
		ResponseType    string          `json:"response_type"`
		ReplaceOriginal bool            `json:"replace_original"`
		DeleteOriginal  bool            `json:"delete_original"`
		ThreadTS        string          `json:"thread_ts"`
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	s.mu.Lock()
	ru := s.wk.responseURLs[r.URL.Path]
	if ru == nil || json.Unmarshal(body, &p) != nil {
		s.mu.Unlock()
		http.Error(w, "invalid_payload", http.StatusNotFound)
		return
	}
	if code, msgs := messageProblems(p.Text, p.Blocks); code != "" {
		s.api.refused = append(s.api.refused, fmt.Sprintf("response_url: %s %v", code, msgs))
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, refuseBlocks(code, msgs))
		return
	}
	c := s.resolveLocked(ru.channel)
	var orig *message
	if c != nil && ru.messageTS != "" {
		orig = findLocked(c, ru.messageTS)
	}
	origEphemeral := -1 // an ephemeral is replaced (or deleted) for its one viewer
	for i, m := range s.wk.ephemerals {
		if orig == nil && ru.messageTS != "" && m.TS == ru.messageTS && m.EphemeralUser == ru.user {
			origEphemeral = i
		}
	}
	var blocks json.RawMessage
	if hasPayload(p.Blocks) {
		blocks = p.Blocks
	}
	a := Activity{Channel: ru.channel, User: ru.user, Text: p.Text, Blocks: blocks, Payload: body}
	switch {
	case p.DeleteOriginal && origEphemeral >= 0:
		a.Kind, a.TS = "update", s.wk.ephemerals[origEphemeral].TS
		s.wk.ephemerals = append(s.wk.ephemerals[:origEphemeral:origEphemeral], s.wk.ephemerals[origEphemeral+1:]...)
	case p.ReplaceOriginal && origEphemeral >= 0:
		e := s.wk.ephemerals[origEphemeral]
		e.Text, e.Blocks, e.edited = p.Text, blocks, s.nextTSLocked()
		a.Kind, a.TS = "update", e.TS
	case p.DeleteOriginal && orig != nil:
		for i, m := range c.msgs {
			if m == orig {
				c.msgs = append(c.msgs[:i:i], c.msgs[i+1:]...)
			}
		}
		a.Kind, a.TS = "update", orig.TS
	case p.ReplaceOriginal && orig != nil:
		orig.Text, orig.Blocks, orig.edited = p.Text, blocks, s.nextTSLocked()
		a.Kind, a.TS = "update", orig.TS
	case p.ResponseType == "in_channel" && c != nil:
		m := &message{Message: Message{Channel: c.id, TS: s.nextTSLocked(), ThreadTS: p.ThreadTS, User: BotUserID,
			BotID: BotID, Text: p.Text, Blocks: blocks, At: time.Now()}}
		s.addMessageLocked(c, m)
		a.Kind, a.TS, a.ThreadTS = "post", m.TS, m.ThreadTS
	default:
		m := &message{Message: Message{Channel: ru.channel, TS: s.nextTSLocked(), ThreadTS: p.ThreadTS, User: BotUserID,
			BotID: BotID, Text: p.Text, Blocks: blocks, Ephemeral: true, EphemeralUser: ru.user, At: time.Now()}}
		s.wk.ephemerals = append(s.wk.ephemerals, m)
		a.Kind, a.TS, a.ThreadTS = "ephemeral", m.TS, m.ThreadTS
	}
	s.notifyLocked()
	s.mu.Unlock()
	s.emitLocked(a)
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}
