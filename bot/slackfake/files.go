package slackfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	_ "image/gif" // DecodeConfig learns GIF
	_ "image/jpeg"
	_ "image/png"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Image block limits.
// Source: https://docs.slack.dev/reference/block-kit/blocks/image-block
// (alt_text required, at most 2000 characters; image_url or slack_file;
// title plain_text of at most 2000; block_id at most 255) and
// https://docs.slack.dev/reference/block-kit/composition-objects/slack-file-object
// (url or id, not both; png, jpg, jpeg or gif; the poster must have
// access to the file).
const (
	maxAltText  = 2000
	maxImageURL = 3000
	maxTitle    = 2000
	maxBlockID  = 255
)

// fileObject is a file as files.completeUploadExternal returns it.
// Source: https://docs.slack.dev/reference/objects/file-object and a real
// response quoted in slackapi/java-slack-sdk issue 1349 (mode "hosted",
// url_private, permalink, channels/groups/ims/shares empty for a private
// file).
func fileObject(id, name, title string, data []byte, created int64) map[string]any {
	if title == "" {
		title = name
	}
	mimetype := http.DetectContentType(data)
	mimetype, _, _ = strings.Cut(mimetype, ";")
	filetype, pretty := "text", "Plain Text"
	switch mimetype {
	case "image/png":
		filetype, pretty = "png", "PNG"
	case "image/jpeg":
		filetype, pretty = "jpg", "JPEG"
	case "image/gif":
		filetype, pretty = "gif", "GIF"
	}
	o := map[string]any{
		"id": id, "created": created, "timestamp": created, "name": name, "title": title,
		"mimetype": mimetype, "filetype": filetype, "pretty_type": pretty,
		"user": BotUserID, "user_team": TeamID, "mode": "hosted", "editable": false, "is_external": false,
		"external_type": "", "size": len(data), "file_access": "visible",
		"url_private":          fileURL(id, name),
		"url_private_download": "https://files.slack.com/files-pri/" + TeamID + "-" + id + "/download/" + name,
		"permalink":            filePermalink(id, name),
		"is_public":            false, "public_url_shared": false, "display_as_bot": false,
		"channels": []any{}, "groups": []any{}, "ims": []any{}, "shares": map[string]any{},
	}
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
		o["original_w"], o["original_h"] = cfg.Width, cfg.Height
	}
	return o
}

func fileURL(id, name string) string {
	return "https://files.slack.com/files-pri/" + TeamID + "-" + id + "/" + name
}

func filePermalink(id, name string) string {
	return "https://" + TeamDomain + ".slack.com/files/" + BotUserID + "/" + id + "/" + name
}

// checkSlackFiles refuses a message or view whose image blocks Slack would
// refuse: a missing or too long alt_text, both or neither of image_url and
// slack_file, and a slack_file naming a file that was never uploaded by the
// app, not completed, or not an image. It answers nil when the call is fine
// (or carries no blocks).
// Source for the answer: chat.postMessage's invalid_blocks with "errors"
// and response_metadata.messages, as quoted in slackapi/python-slack-sdk
// issue 1797 ("invalid slack file [json-pointer:/blocks/0/slack_file]");
// views.* answer invalid_arguments the same way.
func (s *Server) checkSlackFiles(method string, q *apiRequest) map[string]any {
	var raw json.RawMessage
	prefix, code := "/blocks", "invalid_blocks"
	switch method {
	case "chat.postMessage", "chat.postEphemeral", "chat.update", "chat.scheduleMessage":
		raw = q.rawJSON("blocks")
	case "views.open", "views.push", "views.update", "views.publish":
		var view struct {
			Blocks json.RawMessage `json:"blocks"`
		}
		if json.Unmarshal(q.rawJSON("view"), &view) != nil {
			return nil // the view's own checks answer this
		}
		raw, prefix, code = view.Blocks, "/view/blocks", "invalid_arguments"
	default:
		return nil
	}
	var blocks []map[string]any
	if len(raw) == 0 || json.Unmarshal(raw, &blocks) != nil {
		return nil
	}
	var errs []string
	s.mu.Lock()
	for i, b := range blocks {
		errs = append(errs, s.imageErrorsLocked(b, fmt.Sprintf("%s/%d", prefix, i))...)
	}
	s.mu.Unlock()
	if len(errs) == 0 {
		return nil
	}
	msgs := make([]any, len(errs))
	list := make([]any, len(errs))
	for i, e := range errs {
		list[i], msgs[i] = e, "[ERROR] "+e
	}
	out := fail(code)
	out["errors"] = list
	out["response_metadata"] = map[string]any{"messages": msgs}
	return out
}

// imageErrorsLocked checks an image block, or the image elements a section
// (accessory) or context (elements) block holds.
func (s *Server) imageErrorsLocked(b map[string]any, at string) []string {
	var errs []string
	switch b["type"] {
	case "image":
		errs = append(errs, s.imageLocked(b, at, true)...)
	case "section":
		if acc, ok := b["accessory"].(map[string]any); ok && acc["type"] == "image" {
			errs = append(errs, s.imageLocked(acc, at+"/accessory", false)...)
		}
	case "context":
		els, _ := b["elements"].([]any)
		for i, e := range els {
			if el, ok := e.(map[string]any); ok && el["type"] == "image" {
				errs = append(errs, s.imageLocked(el, at+"/elements/"+strconv.Itoa(i), false)...)
			}
		}
	}
	return errs
}

func (s *Server) imageLocked(b map[string]any, at string, block bool) []string {
	var errs []string
	bad := func(what, field string) { errs = append(errs, what+" [json-pointer:"+at+"/"+field+"]") }
	alt, isStr := b["alt_text"].(string)
	switch {
	case !isStr || strings.TrimSpace(alt) == "":
		bad("must provide a non-empty string", "alt_text")
	case utf8.RuneCountInString(alt) > maxAltText:
		bad(fmt.Sprintf("must be less than %d characters", maxAltText+1), "alt_text")
	}
	url, hasURL := b["image_url"].(string)
	file, hasFile := b["slack_file"].(map[string]any)
	switch {
	case hasURL == hasFile:
		bad("must provide exactly one of image_url or slack_file", "image_url")
	case hasURL && (url == "" || utf8.RuneCountInString(url) > maxImageURL):
		bad("invalid_url", "image_url")
	case hasFile && !s.imageFileLocked(file):
		bad("invalid slack file", "slack_file")
	}
	if !block {
		return errs
	}
	if t, has := b["title"]; has {
		obj, _ := t.(map[string]any)
		text, _ := obj["text"].(string)
		if obj["type"] != "plain_text" || utf8.RuneCountInString(text) > maxTitle {
			bad("must be a plain_text object of at most 2000 characters", "title")
		}
	}
	if id, _ := b["block_id"].(string); utf8.RuneCountInString(id) > maxBlockID {
		bad("must be at most 255 characters", "block_id")
	}
	return errs
}

// imageFileLocked: a slack_file names, by id or by its url_private or
// permalink (not both), a file this app uploaded and completed, whose bytes
// are a PNG, JPEG or GIF image.
func (s *Server) imageFileLocked(f map[string]any) bool {
	id, hasID := f["id"].(string)
	url, hasURL := f["url"].(string)
	if hasID == hasURL {
		return false
	}
	if hasURL {
		id = ""
		for fid, name := range s.wk.files {
			if url == fileURL(fid, name) || url == filePermalink(fid, name) {
				id = fid
			}
		}
	}
	data, uploaded := s.wk.uploads[id]
	if id == "" || !uploaded || !s.wk.completed[id] {
		return false
	}
	if _, format, err := image.DecodeConfig(bytes.NewReader(data)); err != nil || (format != "png" && format != "jpeg" && format != "gif") {
		return false
	}
	return true
}

// FileCompleted reports whether files.completeUploadExternal finished the
// file with this ID.
func (s *Server) FileCompleted(fileID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.wk.completed[fileID]
}
