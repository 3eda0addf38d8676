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

// Call is one Web API call the fake answered (or refused).
type Call struct {
	Method string
	Params map[string]string // form, query or JSON values (JSON values re-encoded); never the token
	JSON   map[string]any    // the decoded body of a JSON request, else nil
	At     time.Time
	Status int    // HTTP status answered; 0 when the fake hung up (NoAnswer, Refused)
	Error  string // the "error" of an {"ok":false} answer
	// Lost is set when the call was applied but its answer withheld
	// (LostAnswer); Status is then what Slack would have answered.
	Lost bool
	// Messages are the answer's response_metadata.messages (why Slack
	// refused blocks or a view).
	Messages []string
}

type failSpec struct {
	status, retryAfter int
	// code, when set, is an {"ok":false} error answered with HTTP 200
	// (FailWith); applied says the call took effect all the same.
	code    string
	applied bool
}

// Fault statuses Fail and Down take besides real HTTP ones.
const (
	// Malformed answers 200 with a body that is not JSON.
	Malformed = -1
	// NoAnswer holds the request, not applied, until the client gives up.
	NoAnswer = -2
	// LostAnswer applies the call, then holds its answer until the client
	// gives up: the post is made, but the client never learns it, as when
	// Slack's answer is lost to a timeout.
	LostAnswer = -3
	// Refused drops the connection at once without applying the call, as a
	// refused or reset connection does.
	Refused = -4
	// Normal answers the call as usual: Fail(method, 1, Normal, 0) then
	// Fail(method, 1, 500, 0) fails the second call only.
	Normal = 0
)

type apiState struct {
	calls []Call
	fails map[string][]failSpec
	// down, when set, is the status every call gets (see Down).
	down *failSpec
	// posts is chat.postMessage's per-channel limit (see LimitPosts).
	posts *postLimit
	// refused are payloads refused outside the Web API (acks, response_url).
	refused []string
}

func (st *apiState) init() { st.fails = map[string][]failSpec{} }

// apiRequest is a parsed Web API request.
type apiRequest struct {
	params map[string]string
	json   map[string]any
	token  string
	bearer bool // token came in the Authorization header
}

func (q *apiRequest) get(k string) string { return q.params[k] }

// rawJSON returns a JSON-valued argument (blocks, view, files): a JSON body
// carries it as a value, a form as a JSON-encoded string.
func (q *apiRequest) rawJSON(k string) json.RawMessage {
	if v, ok := q.json[k]; ok {
		if str, isStr := v.(string); isStr {
			return json.RawMessage(str)
		}
		b, _ := json.Marshal(v)
		return b
	}
	if v := q.params[k]; v != "" {
		return json.RawMessage(v)
	}
	return nil
}

// boolPtr returns a boolean argument, nil when absent.
func (q *apiRequest) boolPtr(k string) *bool {
	v, ok := q.params[k]
	if !ok {
		return nil
	}
	b := v == "1" || strings.EqualFold(v, "true")
	return &b
}

type apiHandler func(s *Server, q *apiRequest) map[string]any

// apiHandlers is filled in by webapi_*.go.
var apiHandlers = map[string]apiHandler{}

func ok(fields map[string]any) map[string]any {
	if fields == nil {
		fields = map[string]any{}
	}
	fields["ok"] = true
	return fields
}

// fail is Slack's error answer: HTTP 200 with {"ok":false,"error":code}.
// Source: https://docs.slack.dev/apis/web-api/ ("Evaluating responses").
func fail(code string) map[string]any { return map[string]any{"ok": false, "error": code} }

// Fail makes the next n calls to method fail: status 429 answers with a
// Retry-After: retryAfterSeconds header (slack-go returns
// *slack.RateLimitedError); 500 (or any other status) answers with an HTML
// body as Slack does; Malformed (-1) answers 200 with the body "not json";
// NoAnswer (-2) never answers, holding the request until the client gives
// up; LostAnswer (-3) applies the call and then never answers; Refused (-4)
// drops the connection at once; Normal (0) answers as usual, to fail a
// later call only.
func (s *Server) Fail(method string, n int, status int, retryAfterSeconds int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 0; i < n; i++ {
		s.api.fails[method] = append(s.api.fails[method], failSpec{status: status, retryAfter: retryAfterSeconds})
	}
}

// FailWith makes the next n calls to method answer Slack's error code
// (HTTP 200, {"ok":false,"error":code}). With applied the call takes effect
// first: Slack documents internal_error and fatal_error as "it's possible
// some aspect of the operation succeeded before the error was raised".
// Source: https://docs.slack.dev/reference/methods/chat.postMessage (errors).
func (s *Server) FailWith(method string, n int, code string, applied bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 0; i < n; i++ {
		s.api.fails[method] = append(s.api.fails[method], failSpec{status: http.StatusOK, code: code, applied: applied})
	}
}

// Down starts a Web API outage: every call fails with status (a 5xx, or
// Refused) until Up. Socket Mode connections already open stay open:
// Slack's websocket edge and its Web API fail separately, and a bot must
// stay up and connected through a Web API outage.
func (s *Server) Down(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.api.down = &failSpec{status: status}
}

// Up ends the outage Down started.
func (s *Server) Up() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.api.down = nil
}

// Calls returns the calls made to method (e.g. "chat.postMessage"), failed
// ones included, oldest first.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.api.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// BlockKitRefusals lists every payload the fake refused for breaking Slack's
// limits (blocks, views, message length), on any surface: Web API calls,
// response_url posts and slash-command acks. A test of the bot's output
// at its limits wants it empty.
func (s *Server) BlockKitRefusals() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, c := range s.api.calls {
		switch c.Error {
		case "invalid_blocks", "invalid_blocks_format", "invalid_arguments", "msg_too_long":
			out = append(out, fmt.Sprintf("%s: %s %v", c.Method, c.Error, c.Messages))
		}
	}
	return append(out, s.api.refused...)
}

func (s *Server) recordCall(c Call) {
	s.mu.Lock()
	s.api.calls = append(s.api.calls, c)
	s.notifyLocked()
	s.mu.Unlock()
}

// serveAPI answers https://slack.com/api/<method>.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	q, parseErr := parseAPIRequest(r)
	call := Call{Method: method, Params: q.params, JSON: q.json, At: time.Now()}
	if !s.sleepCtx(r, s.latency) {
		s.recordCall(call)
		panic(http.ErrAbortHandler) // drop the connection: no answer at all
	}
	s.mu.Lock()
	var f *failSpec
	if specs := s.api.fails[method]; len(specs) > 0 {
		f = &specs[0]
		s.api.fails[method] = specs[1:]
	}
	if s.api.down != nil {
		f = s.api.down
	}
	if f == nil && method == "chat.postMessage" && parseErr == "" {
		f = s.postLimitLocked(q.get("channel"))
	}
	s.mu.Unlock()
	if f != nil && f.status == Normal {
		f = nil
	}
	if f != nil && f.status != LostAnswer && !f.applied {
		s.serveFailure(w, r, call, *f)
		return
	}

	var body map[string]any
	h := apiHandlers[method]
	switch {
	case h == nil:
		body = fail("unknown_method")
	case parseErr != "":
		body = fail(parseErr)
	default:
		if code := checkAuth(method, q); code != "" {
			body = fail(code)
		} else if bad := s.checkSlackFiles(method, q); bad != nil {
			body = bad
		} else {
			body = h(s, q)
		}
	}
	call.Status = http.StatusOK
	if f != nil && f.applied {
		body, f = fail(f.code), nil // applied, and answered with an error
	}
	if e, isErr := body["error"].(string); isErr {
		call.Error = e
		if meta, ok := body["response_metadata"].(map[string]any); ok {
			call.Messages, _ = meta["messages"].([]string)
		}
	}
	if f != nil { // LostAnswer: applied, and the answer never comes
		call.Lost = true
		s.recordCall(call)
		select {
		case <-r.Context().Done():
		case <-s.closed:
		}
		panic(http.ErrAbortHandler)
	}
	s.recordCall(call)
	writeJSON(w, http.StatusOK, body)
}

// serveFailure answers a call scripted with Fail.
// 429 shape: https://docs.slack.dev/apis/web-api/rate-limits ("HTTP 429 Too
// Many Requests" with a Retry-After header giving seconds to wait).
func (s *Server) serveFailure(w http.ResponseWriter, r *http.Request, call Call, f failSpec) {
	switch f.status {
	case NoAnswer:
		s.recordCall(call) // Status 0: no answer
		select {
		case <-r.Context().Done():
		case <-s.closed:
		}
		panic(http.ErrAbortHandler) // drop the connection: no answer at all
	case Refused:
		s.recordCall(call) // Status 0: no answer
		panic(http.ErrAbortHandler)
	case Malformed:
		call.Status = http.StatusOK
		s.recordCall(call)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = io.WriteString(w, "not json")
	case http.StatusOK: // FailWith
		call.Status, call.Error = f.status, f.code
		s.recordCall(call)
		writeJSON(w, http.StatusOK, fail(f.code))
	case http.StatusTooManyRequests:
		call.Status, call.Error = f.status, "ratelimited"
		s.recordCall(call)
		w.Header().Set("Retry-After", strconv.Itoa(f.retryAfter))
		writeJSON(w, f.status, fail("ratelimited"))
	default:
		call.Status = f.status
		s.recordCall(call)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(f.status)
		_, _ = io.WriteString(w, "<html><body><h1>"+strconv.Itoa(f.status)+" "+http.StatusText(f.status)+"</h1></body></html>")
	}
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// parseAPIRequest reads arguments the ways Slack accepts them: a form
// (slack-go's default), a query string (GET, e.g. chat.getPermalink), a
// multipart form or a JSON body (views.*). The token comes from
// "Authorization: Bearer" or from the token argument. The error is a Slack
// error code ("invalid_json") or "".
func parseAPIRequest(r *http.Request) (*apiRequest, string) {
	q := &apiRequest{params: map[string]string{}}
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		q.token, q.bearer = strings.TrimSpace(strings.TrimPrefix(h, "Bearer ")), true
	}
	errCode := ""
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		body, _ := io.ReadAll(io.LimitReader(r.Body, 10<<20))
		if len(strings.TrimSpace(string(body))) > 0 {
			if err := json.Unmarshal(body, &q.json); err != nil {
				errCode = "invalid_json"
			}
		}
		for k, v := range q.json {
			if str, isStr := v.(string); isStr {
				q.params[k] = str
			} else {
				b, _ := json.Marshal(v)
				q.params[k] = string(b)
			}
		}
		_ = r.ParseForm() // query string
	case "multipart/form-data":
		_ = r.ParseMultipartForm(10 << 20)
	default:
		_ = r.ParseForm()
	}
	for k, vs := range r.Form {
		if len(vs) > 0 {
			q.params[k] = vs[0]
		}
	}
	if q.token == "" {
		q.token = q.params["token"]
	}
	delete(q.params, "token") // never keep tokens around
	return q, errCode
}

// checkAuth returns the Slack error for a request's token, or "".
// Source: https://docs.slack.dev/reference/methods/apps.connections.open (the
// app-level token must come in the Authorization header) and the common
// errors of every method page (not_authed, invalid_auth,
// not_allowed_token_type).
func checkAuth(method string, q *apiRequest) string {
	tok := q.token
	switch {
	case tok == "":
		return "not_authed"
	case method == "apps.connections.open":
		switch {
		case strings.HasPrefix(tok, "xapp-") && q.bearer:
			return ""
		case strings.HasPrefix(tok, "xapp-"):
			return "not_authed"
		case strings.HasPrefix(tok, "xox"):
			return "not_allowed_token_type"
		}
		return "invalid_auth"
	case strings.HasPrefix(tok, "xoxb-"), strings.HasPrefix(tok, "xoxp-"):
		return ""
	case strings.HasPrefix(tok, "xapp-"):
		if method == "auth.test" {
			return ""
		}
		return "not_allowed_token_type"
	}
	return "invalid_auth"
}

func init() {
	apiHandlers["auth.test"] = apiAuthTest
	apiHandlers["apps.connections.open"] = apiConnectionsOpen
}

// apiAuthTest answers auth.test for the bot token.
// Source: https://docs.slack.dev/reference/methods/auth.test/ (url, team,
// user, team_id, user_id; bot_id and is_enterprise_install for bot tokens).
func apiAuthTest(s *Server, q *apiRequest) map[string]any {
	return ok(map[string]any{
		"url":                   "https://" + TeamDomain + ".slack.com/",
		"team":                  "Flywheel Demo",
		"user":                  BotName,
		"team_id":               TeamID,
		"user_id":               BotUserID,
		"bot_id":                BotID,
		"is_enterprise_install": false,
	})
}

// apiConnectionsOpen issues a one-time websocket URL.
// Source: https://docs.slack.dev/reference/methods/apps.connections.open
// ({"ok":true,"url":"wss://.../link/?ticket=...&app_id=..."}); the fake
// serves plain ws:// on loopback.
func apiConnectionsOpen(s *Server, q *apiRequest) map[string]any {
	ticket := newUUID()
	s.mu.Lock()
	s.sock.tickets[ticket] = true
	s.mu.Unlock()
	return ok(map[string]any{"url": "ws://" + s.host + "/link/?ticket=" + ticket + "&app_id=" + AppID})
}
