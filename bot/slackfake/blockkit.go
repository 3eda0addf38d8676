package slackfake

import (
	"encoding/json"
	"fmt"
	"unicode/utf16"
)

// This file holds Slack's Block Kit limits, checked on every surface the
// fake accepts blocks on: chat.postMessage, chat.postEphemeral,
// chat.update, response_url posts and slash-command acks (messages: 50
// blocks) and views.open, views.update, views.push and views.publish
// (views: 100 blocks). A message that breaks one is refused with
// invalid_blocks, a view with invalid_arguments, each with Slack's
// "[ERROR] … [json-pointer:…]" lines in response_metadata.messages, as
// Slack answers.
//
// Sources (docs.slack.dev/reference/…): block-kit/blocks/section-block
// (text 1–3,000; fields at most 10, 2,000 each; block_id 255),
// header-block (plain_text, 150), context-block (at most 10 elements),
// actions-block (at most 25 elements), input-block (label and hint
// plain_text, 2,000); block-elements/button-element (text plain_text 75,
// action_id 255, value 2,000, url 3,000), plain-text-input-element
// (placeholder 150, max_length at most 3,000), static select (at most 100
// options; option text 75, value 150); composition-objects/text-object
// (text 1–3,000); views/modal-views (title, submit, close plain_text 24;
// blocks 100; private_metadata 3,000; callback_id 255);
// methods/chat.postMessage (50 blocks). The context block page gives no
// length for its text elements beyond the text object's 3,000; the fake
// holds them to 2,000, stricter, never more lenient.
const (
	maxMessageBlocks = 50
	maxViewBlocks    = 100
	maxMessageText   = 40000
)

// blockKitLen counts characters as Slack's limits do, taking the larger of
// the usual counts: UTF-16 code units (an emoji is two). It is the fake's
// own: the fake plays Slack and imports none of the bot's code.
func blockKitLen(s string) int {
	n := 0
	for _, r := range s {
		n += max(1, utf16.RuneLen(r))
	}
	return n
}

// bkCheck collects problems in Slack's wording.
type bkCheck struct{ errs []string }

func (c *bkCheck) add(pointer, format string, args ...any) {
	c.errs = append(c.errs, fmt.Sprintf("[ERROR] %s [json-pointer:%s]", fmt.Sprintf(format, args...), pointer))
}

// str checks an optional string field's length.
func (c *bkCheck) str(obj map[string]any, key string, maxLen int, pointer string) {
	v, ok := obj[key]
	if !ok || v == nil {
		return
	}
	s, isStr := v.(string)
	if !isStr {
		c.add(pointer+"/"+key, "must be a string")
		return
	}
	if n := blockKitLen(s); n > maxLen {
		c.add(pointer+"/"+key, "must be less than %d characters", maxLen+1)
	}
}

// text checks a text object: its type (plain_text only, when plainOnly)
// and 1 to maxLen characters.
func (c *bkCheck) text(v any, maxLen int, plainOnly bool, pointer string) {
	obj, ok := v.(map[string]any)
	if !ok {
		c.add(pointer, "must provide an object")
		return
	}
	typ, _ := obj["type"].(string)
	switch {
	case typ != "plain_text" && typ != "mrkdwn":
		c.add(pointer+"/type", "must be one of plain_text, mrkdwn")
	case plainOnly && typ != "plain_text":
		c.add(pointer+"/type", "must be plain_text")
	}
	s, _ := obj["text"].(string)
	switch n := blockKitLen(s); {
	case n < 1:
		c.add(pointer+"/text", "must be more than 0 characters")
	case n > maxLen:
		c.add(pointer+"/text", "must be less than %d characters", maxLen+1)
	}
}

// items is an array field of maps, checked for at most maxItems.
func (c *bkCheck) items(obj map[string]any, key string, maxItems int, pointer string) []map[string]any {
	arr, _ := obj[key].([]any)
	if len(arr) > maxItems {
		c.add(pointer+"/"+key, "must be no more than %d items", maxItems)
	}
	out := make([]map[string]any, 0, len(arr))
	for _, a := range arr {
		m, _ := a.(map[string]any)
		out = append(out, m)
	}
	return out
}

// blocks checks a blocks array.
func (c *bkCheck) blocks(v any, maxBlocks int, pointer string) {
	arr, ok := v.([]any)
	if !ok {
		c.add(pointer, "must provide an array")
		return
	}
	if len(arr) > maxBlocks {
		c.add(pointer, "must be no more than %d items", maxBlocks)
	}
	// "Each block_id must be unique for each message and each iteration
	// of a message" (docs.slack.dev/reference/block-kit/blocks).
	ids := map[string]bool{}
	for i, b := range arr {
		p := fmt.Sprintf("%s/%d", pointer, i)
		blk, ok := b.(map[string]any)
		if !ok {
			c.add(p, "must provide an object")
			continue
		}
		if id, _ := blk["block_id"].(string); id != "" {
			if ids[id] {
				c.add(p+"/block_id", "duplicate block_id %q", id)
			}
			ids[id] = true
		}
		c.block(blk, p)
	}
}

func (c *bkCheck) block(b map[string]any, p string) {
	c.str(b, "block_id", 255, p)
	switch b["type"] {
	case "section":
		if t, ok := b["text"]; ok {
			c.text(t, 3000, false, p+"/text")
		}
		for i, f := range c.items(b, "fields", 10, p) {
			c.text(f, 2000, false, fmt.Sprintf("%s/fields/%d", p, i))
		}
		if _, hasText := b["text"]; !hasText && b["fields"] == nil {
			c.add(p, "must provide text or fields")
		}
		if acc, ok := b["accessory"].(map[string]any); ok {
			c.element(acc, p+"/accessory")
		}
	case "header":
		c.text(b["text"], 150, true, p+"/text")
	case "context":
		els := c.items(b, "elements", 10, p)
		if len(els) == 0 {
			c.add(p+"/elements", "must provide at least 1 item")
		}
		for i, e := range els {
			if e != nil && e["type"] != "image" {
				c.text(e, 2000, false, fmt.Sprintf("%s/elements/%d", p, i))
			}
		}
	case "actions":
		els := c.items(b, "elements", 25, p)
		if len(els) == 0 {
			c.add(p+"/elements", "must provide at least 1 item")
		}
		for i, e := range els {
			c.element(e, fmt.Sprintf("%s/elements/%d", p, i))
		}
	case "input":
		c.text(b["label"], 2000, true, p+"/label")
		if h, ok := b["hint"]; ok {
			c.text(h, 2000, true, p+"/hint")
		}
		el, ok := b["element"].(map[string]any)
		if !ok {
			c.add(p+"/element", "must provide an object")
		} else {
			c.element(el, p+"/element")
		}
	case "divider", "image", "rich_text", "file", "video", "markdown":
	default:
		c.add(p+"/type", "unsupported type %v", b["type"])
	}
}

func (c *bkCheck) element(e map[string]any, p string) {
	if e == nil {
		c.add(p, "must provide an object")
		return
	}
	c.str(e, "action_id", 255, p)
	if ph, ok := e["placeholder"]; ok {
		c.text(ph, 150, true, p+"/placeholder")
	}
	switch e["type"] {
	case "button":
		c.text(e["text"], 75, true, p+"/text")
		c.str(e, "value", 2000, p)
		c.str(e, "url", 3000, p)
	case "plain_text_input":
		c.str(e, "initial_value", 3000, p)
		for _, k := range []string{"max_length", "min_length"} {
			if n, ok := e[k].(float64); ok && n > 3000 {
				c.add(p+"/"+k, "must be less than or equal to 3000")
			}
		}
	case "static_select", "multi_static_select", "overflow", "radio_buttons", "checkboxes":
		for i, o := range c.items(e, "options", 100, p) {
			c.option(o, fmt.Sprintf("%s/options/%d", p, i))
		}
		if o, ok := e["initial_option"].(map[string]any); ok {
			c.option(o, p+"/initial_option")
		}
	}
}

func (c *bkCheck) option(o map[string]any, p string) {
	if o == nil {
		c.add(p, "must provide an object")
		return
	}
	c.text(o["text"], 75, false, p+"/text")
	c.str(o, "value", 150, p)
}

// messageProblems checks a message's text and blocks as chat.postMessage
// does; it returns the error code ("" when valid) and Slack's messages.
func messageProblems(text string, blocks json.RawMessage) (string, []string) {
	if blockKitLen(text) > maxMessageText {
		return "msg_too_long", nil
	}
	if len(blocks) == 0 {
		return "", nil
	}
	var v any
	if json.Unmarshal(blocks, &v) != nil {
		return "invalid_blocks_format", nil
	}
	if v == nil { // "blocks": null is no blocks
		return "", nil
	}
	c := &bkCheck{}
	c.blocks(v, maxMessageBlocks, "/blocks")
	if len(c.errs) > 0 {
		return "invalid_blocks", c.errs
	}
	return "", nil
}

// viewProblems checks a view (modal or Home tab) as views.open and
// views.publish do.
func viewProblems(v map[string]any) []string {
	c := &bkCheck{}
	c.blocks(v["blocks"], maxViewBlocks, "/view/blocks")
	c.str(v, "private_metadata", 3000, "/view")
	c.str(v, "callback_id", 255, "/view")
	c.str(v, "external_id", 255, "/view")
	switch v["type"] {
	case "modal":
		c.text(v["title"], 24, true, "/view/title")
		for _, k := range []string{"submit", "close"} {
			if t, ok := v[k]; ok && t != nil {
				c.text(t, 24, true, "/view/"+k)
			}
		}
		if _, ok := v["submit"]; !ok && hasInput(v["blocks"]) {
			c.add("/view/submit", "must provide submit when the view has input blocks")
		}
	case "home":
	default:
		c.add("/view/type", "must be one of modal, home")
	}
	return c.errs
}

func hasInput(blocks any) bool {
	arr, _ := blocks.([]any)
	for _, b := range arr {
		if m, ok := b.(map[string]any); ok && m["type"] == "input" {
			return true
		}
	}
	return false
}

// refuseBlocks is Slack's answer to a payload that breaks Block Kit's
// limits: {"ok":false,"error":code,"errors":[…],"response_metadata":
// {"messages":[…]}}.
func refuseBlocks(code string, messages []string) map[string]any {
	r := fail(code)
	if len(messages) > 0 {
		r["errors"] = messages
		r["response_metadata"] = map[string]any{"messages": messages}
	}
	return r
}
