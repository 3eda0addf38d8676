package bot

import (
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"flywheel/config"
	"flywheel/store"
)

// decodeFrame turns a raw Socket Mode frame into the event slack-go would
// emit, mirroring socketmode's parseEvent (unexported), so the fuzzer can
// drive the bot's handlers with arbitrary frames.
func decodeFrame(raw []byte) (socketmode.Event, bool) {
	var req socketmode.Request
	if json.Unmarshal(raw, &req) != nil {
		return socketmode.Event{}, false
	}
	ev := socketmode.Event{Request: &req}
	switch req.Type {
	case socketmode.RequestTypeEventsAPI:
		api, err := slackevents.ParseEvent(req.Payload, slackevents.OptionNoVerifyToken())
		if err != nil {
			return socketmode.Event{}, false
		}
		ev.Type, ev.Data = socketmode.EventTypeEventsAPI, api
	case socketmode.RequestTypeSlashCommands:
		var cmd slack.SlashCommand
		if json.Unmarshal(req.Payload, &cmd) != nil {
			return socketmode.Event{}, false
		}
		ev.Type, ev.Data = socketmode.EventTypeSlashCommand, cmd
	case socketmode.RequestTypeInteractive:
		var cb slack.InteractionCallback
		if json.Unmarshal(req.Payload, &cb) != nil {
			return socketmode.Event{}, false
		}
		ev.Type, ev.Data = socketmode.EventTypeInteractive, cb
	default:
		return socketmode.Event{}, false
	}
	return ev, true
}

// FuzzEnvelope feeds arbitrary frames through the real handlers, committer
// and store: nothing may panic, every envelope gets an answer, and the store
// stays consistent.
func FuzzEnvelope(f *testing.F) {
	for _, name := range []string{"socket_slash_command.json", "socket_view_submission.json", "socket_block_actions.json", "socket_events_api_app_mention.json"} {
		if raw, err := readFixture(name); err == nil {
			f.Add(raw)
		}
	}
	f.Add([]byte(`{"envelope_id":"e1","type":"slash_commands","payload":{"command":"/win","text":"saved 2h with ChatGPT","user_id":"U1","trigger_id":"t1"}}`))
	f.Add([]byte(`{"envelope_id":"e2","type":"events_api","payload":{"type":"event_callback","event_id":"Ev1","event":{"type":"reaction_added","user":"U2","reaction":"trophy","item_user":"U1","item":{"type":"message","channel":"C1","ts":"1.1"}}}}`))
	f.Add([]byte(`{"envelope_id":"e3","type":"events_api","payload":{"type":"event_callback","event_id":"Ev2","event":{"type":"message","user":"U3","channel":"CHELP","text":"can I use ChatGPT?","ts":"2.2"}}}`))
	f.Add([]byte(`{"envelope_id":"e4","type":"slash_commands","payload":{"command":"/ask","text":"<!channel> what is claude?","user_id":"U1"}}`))

	st, err := store.Open(filepath.Join(f.TempDir(), "fuzz.db"), store.Options{})
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	cfg := config.Default()
	cfg.WinsChannel, cfg.ChampionsChannel, cfg.HelpChannels = "CWINS", "CCHAMPS", []string{"CHELP"}
	cfg.Tools = []config.Tool{{Name: "ChatGPT", Aliases: []string{"gpt"}, Status: config.StatusApproved}}
	log := logrus.New()
	log.SetOutput(&strings.Builder{})
	b := New(cfg, st, Options{Log: log})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go b.commit.run(ctx)
	acks := make(chan string, 64)
	c := &connection{bot: b, ackFn: func(_ context.Context, id string, _ any) error { acks <- id; return nil }}

	f.Fuzz(func(t *testing.T, raw []byte) {
		ev, ok := decodeFrame(raw)
		if !ok {
			return // slack-go rejects it before the bot sees it (TestGarbage covers that path)
		}
		c.handle(ctx, ev)
		if ev.Type == socketmode.EventTypeEventsAPI || ev.Type == socketmode.EventTypeSlashCommand || ev.Type == socketmode.EventTypeInteractive {
			select {
			case <-acks:
			case <-time.After(5 * time.Second):
				t.Fatalf("envelope was never acked: %s", raw)
			}
			for len(acks) > 0 { // a repeated ack is allowed; drain it
				<-acks
			}
		}
		if err := st.Check(); err != nil {
			t.Fatal(err)
		}
	})
}

var pingRE = regexp.MustCompile(`<[!#@]`)

// FuzzWinPost: whatever people type, a win post pings nobody but its author
// (and nominator).
func FuzzWinPost(f *testing.F) {
	for _, s := range []string{"<!channel> saved 2h", "<@U123> & <#C1|general>", "<!here|here>", "a > b < c", "<https://x|y>", "\x00<!everyone>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		w := store.Win{ID: 1, Author: "UAUTHOR", Nominator: "UNOM", Text: text, Tools: []string{text}}
		out, blocks := winPost(w)
		raw, err := json.Marshal(blocks)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{out, string(raw)} {
			s = strings.ReplaceAll(s, "<@UAUTHOR>", "")
			s = strings.ReplaceAll(s, "<@UNOM>", "")
			if pingRE.MatchString(s) {
				t.Fatalf("post can ping someone: %q", s)
			}
		}
	})
}
