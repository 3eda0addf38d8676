package slackfake

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func md(s string) *slack.TextBlockObject { return slack.NewTextBlockObject("mrkdwn", s, false, false) }
func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject("plain_text", s, false, false)
}

// TestMessageBlockLimits posts one message per limit, one character (or
// item) over it, and expects Slack's refusal; the same at the limit passes.
func TestMessageBlockLimits(t *testing.T) {
	f := newFake(t)
	api := newAPI(f)
	n := func(k int) string { return strings.Repeat("x", k) }
	sections := func(k int) []slack.Block {
		var out []slack.Block
		for range k {
			out = append(out, slack.NewSectionBlock(md("hi"), nil, nil))
		}
		return out
	}
	fields := func(k, each int) []*slack.TextBlockObject {
		var out []*slack.TextBlockObject
		for range k {
			out = append(out, md(n(each)))
		}
		return out
	}
	elements := func(k int) []slack.MixedElement {
		var out []slack.MixedElement
		for range k {
			out = append(out, md("x"))
		}
		return out
	}
	button := func(text, value, actionID string) slack.Block {
		return slack.NewActionBlock("a", slack.NewButtonBlockElement(actionID, value, plain(text)))
	}
	cases := []struct {
		name      string
		ok, over  []slack.Block
		wantInErr string
	}{
		{"MessageBlocks", sections(50), sections(51), "[json-pointer:/blocks]"},
		{"SectionText", []slack.Block{slack.NewSectionBlock(md(n(3000)), nil, nil)}, []slack.Block{slack.NewSectionBlock(md(n(3001)), nil, nil)}, "/blocks/0/text/text"},
		{"SectionTextCountsEmojiTwice", []slack.Block{slack.NewSectionBlock(md(strings.Repeat("😀", 1500)), nil, nil)},
			[]slack.Block{slack.NewSectionBlock(md(strings.Repeat("😀", 1500)+"x"), nil, nil)}, "/blocks/0/text/text"},
		{"FieldText", []slack.Block{slack.NewSectionBlock(nil, fields(1, 2000), nil)}, []slack.Block{slack.NewSectionBlock(nil, fields(1, 2001), nil)}, "/blocks/0/fields/0/text"},
		{"Fields", []slack.Block{slack.NewSectionBlock(nil, fields(10, 1), nil)}, []slack.Block{slack.NewSectionBlock(nil, fields(11, 1), nil)}, "/blocks/0/fields"},
		{"Header", []slack.Block{slack.NewHeaderBlock(plain(n(150)))}, []slack.Block{slack.NewHeaderBlock(plain(n(151)))}, "/blocks/0/text/text"},
		{"HeaderIsPlainText", nil, []slack.Block{slack.NewHeaderBlock(md("x"))}, "/blocks/0/text/type"},
		{"ContextElements", []slack.Block{slack.NewContextBlock("", elements(10)...)}, []slack.Block{slack.NewContextBlock("", elements(11)...)}, "/blocks/0/elements"},
		{"ContextText", []slack.Block{slack.NewContextBlock("", md(n(2000)))}, []slack.Block{slack.NewContextBlock("", md(n(2001)))}, "/blocks/0/elements/0/text"},
		{"ButtonText", []slack.Block{button(n(75), "v", "a")}, []slack.Block{button(n(76), "v", "a")}, "/blocks/0/elements/0/text/text"},
		{"ButtonValue", []slack.Block{button("b", n(2000), "a")}, []slack.Block{button("b", n(2001), "a")}, "/blocks/0/elements/0/value"},
		{"ActionID", []slack.Block{button("b", "v", n(255))}, []slack.Block{button("b", "v", n(256))}, "/blocks/0/elements/0/action_id"},
		{"EmptyText", nil, []slack.Block{slack.NewSectionBlock(md(""), nil, nil)}, "must be more than 0 characters"},
		{"UniqueBlockIDs", []slack.Block{button("b", "v", "a"), slack.NewContextBlock("c", md("x"))},
			[]slack.Block{button("b", "v", "a"), slack.NewContextBlock("a", md("x"))}, "duplicate block_id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.ok != nil {
				_, _, err := api.PostMessage(winsCh, slack.MsgOptionText("fallback", false), slack.MsgOptionBlocks(c.ok...))
				require.NoError(t, err, "at the limit")
			}
			for _, post := range []func() error{
				func() error {
					_, _, err := api.PostMessage(winsCh, slack.MsgOptionText("fallback", false), slack.MsgOptionBlocks(c.over...))
					return err
				},
				func() error {
					_, err := api.PostEphemeral(winsCh, ana, slack.MsgOptionText("fallback", false), slack.MsgOptionBlocks(c.over...))
					return err
				},
			} {
				var se slack.SlackErrorResponse
				require.True(t, errors.As(post(), &se), "over the limit")
				assert.Equal(t, "invalid_blocks", se.Err)
				assert.Contains(t, strings.Join(se.ResponseMetadata.Messages, "\n"), c.wantInErr)
			}
		})
	}
	t.Run("MessageText", func(t *testing.T) {
		_, _, err := api.PostMessage(winsCh, slack.MsgOptionText(n(40001), false))
		assert.EqualError(t, err, "msg_too_long")
	})
	assert.NotEmpty(t, f.BlockKitRefusals())
}

func TestViewLimits(t *testing.T) {
	f := newFake(t)
	api := newAPI(f)
	many := func(k int) slack.Blocks {
		var out []slack.Block
		for range k {
			out = append(out, slack.NewDividerBlock())
		}
		return slack.Blocks{BlockSet: out}
	}
	input := func(label string, placeholder string) slack.Blocks {
		el := slack.NewPlainTextInputBlockElement(plain(placeholder), "a")
		return slack.Blocks{BlockSet: []slack.Block{slack.NewInputBlock("b", plain(label), nil, el)}}
	}
	modal := func(title, meta string, blocks slack.Blocks) slack.ModalViewRequest {
		return slack.ModalViewRequest{Type: slack.VTModal, Title: plain(title), Submit: plain("Go"), PrivateMetadata: meta, Blocks: blocks}
	}
	x := func(k int) string { return strings.Repeat("x", k) }
	cases := []struct {
		name     string
		ok, over slack.ModalViewRequest
		want     string
	}{
		{"Blocks", modal("t", "", many(100)), modal("t", "", many(101)), "[json-pointer:/view/blocks]"},
		{"Title", modal(x(24), "", many(1)), modal(x(25), "", many(1)), "/view/title/text"},
		{"PrivateMetadata", modal("t", x(3000), many(1)), modal("t", x(3001), many(1)), "/view/private_metadata"},
		{"InputLabel", modal("t", "", input(x(2000), "p")), modal("t", "", input(x(2001), "p")), "/view/blocks/0/label/text"},
		{"Placeholder", modal("t", "", input("l", x(150))), modal("t", "", input("l", x(151))), "/view/blocks/0/element/placeholder/text"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			trig := f.newestTrigger(t)
			_, err := api.OpenView(trig, c.over)
			var se slack.SlackErrorResponse
			require.True(t, errors.As(err, &se), "over the limit")
			assert.Equal(t, "invalid_arguments", se.Err)
			assert.Contains(t, strings.Join(se.ResponseMetadata.Messages, "\n"), c.want)
			_, err = api.OpenView(trig, c.ok)
			require.NoError(t, err, "at the limit, and the refused call did not use up the trigger")
		})
	}
	t.Run("HomeTab", func(t *testing.T) {
		_, err := api.PublishView(ana, slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: many(101)}, "")
		assert.EqualError(t, err, "invalid_arguments")
		_, err = api.PublishView(ana, slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: many(100)}, "")
		assert.NoError(t, err)
	})
}

// TestInvalidAckIsNotShown: a slash command's response is a message; one
// that breaks the limits is refused and shown to nobody.
func TestInvalidAckIsNotShown(t *testing.T) {
	f := newFake(t)
	c := ready(t, f)
	f.SendSlashCommand(ana, winsCh, "/win", "")
	req := c.next(t, socketmode.EventTypeSlashCommand).Request
	blocks, _ := json.Marshal([]slack.Block{slack.NewSectionBlock(md(strings.Repeat("x", 3001)), nil, nil)})
	require.NoError(t, c.sm.Ack(*req, map[string]any{"response_type": "ephemeral", "text": "x", "blocks": json.RawMessage(blocks)}))
	_, err := f.WaitAck(req.EnvelopeID, wait)
	require.NoError(t, err)
	assert.Empty(t, f.Ephemerals(ana))
	assert.Len(t, f.BlockKitRefusals(), 1)
}

// newestTrigger issues a trigger_id as a slash command would.
func (s *Server) newestTrigger(t *testing.T) string {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newTriggerLocked(ana, winsCh)
}
