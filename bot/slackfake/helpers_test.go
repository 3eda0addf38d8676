package slackfake

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
	"github.com/stretchr/testify/require"
)

const (
	wait    = 5 * time.Second
	ana     = "U0ANA00001"
	ben     = "U0BEN00002"
	winsCh  = "C0WINS0001"
	salesCh = "C0SALES002"
)

// newFake starts a fake with two people and two channels, closed at the end
// of the test.
func newFake(t *testing.T, opts ...Option) *Server {
	t.Helper()
	f := New(opts...)
	t.Cleanup(f.Close)
	f.AddUser(ana, "ana")
	f.AddUser(ben, "ben")
	f.AddChannel(winsCh, "wins")
	f.AddChannel(salesCh, "sales")
	return f
}

// newAPI is the real slack-go client pointed at the fake.
func newAPI(f *Server, opts ...slack.Option) *slack.Client {
	opts = append([]slack.Option{slack.OptionAppLevelToken("xapp-test"), slack.OptionAPIURL(f.APIURL())}, opts...)
	return slack.New("xoxb-test", opts...)
}

// client is a running slack-go Socket Mode client.
type client struct {
	api *slack.Client
	sm  *socketmode.Client
}

// connect runs a Socket Mode client against the fake until the test ends.
func connect(t *testing.T, f *Server) *client {
	t.Helper()
	api := newAPI(f)
	sm := socketmode.New(api)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sm.RunContext(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(wait):
			t.Error("socketmode client did not stop")
		}
	})
	return &client{api: api, sm: sm}
}

// next returns the next event of type typ, skipping other types.
func (c *client) next(t *testing.T, typ socketmode.EventType) socketmode.Event {
	t.Helper()
	timeout := time.After(wait)
	for {
		select {
		case ev := <-c.sm.Events:
			if ev.Type == typ {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %s event within %v", typ, wait)
		}
	}
}

// none checks that no event of type typ arrives within d.
func (c *client) none(t *testing.T, typ socketmode.EventType, d time.Duration) {
	t.Helper()
	timeout := time.After(d)
	for {
		select {
		case ev := <-c.sm.Events:
			if ev.Type == typ {
				t.Fatalf("unexpected %s event: %+v", typ, ev.Request)
			}
		case <-timeout:
			return
		}
	}
}

// ready connects a client and waits for its hello.
func ready(t *testing.T, f *Server) *client {
	t.Helper()
	c := connect(t, f)
	c.next(t, socketmode.EventTypeHello)
	require.NoError(t, f.WaitConnections(1, wait))
	return c
}

// activities records OnActivity callbacks.
type activities struct {
	mu  sync.Mutex
	all []Activity
}

func record(f *Server) *activities {
	a := &activities{}
	f.OnActivity(func(x Activity) {
		a.mu.Lock()
		defer a.mu.Unlock()
		a.all = append(a.all, x)
	})
	return a
}

func (a *activities) kinds() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []string
	for _, x := range a.all {
		out = append(out, x.Kind)
	}
	return out
}

func (a *activities) last() Activity {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.all) == 0 {
		return Activity{}
	}
	return a.all[len(a.all)-1]
}

// rawSocket opens a Socket Mode websocket to f without slack-go's client
// and returns a reader of its frames as decoded JSON, so tests can check
// exactly what goes on the wire.
func rawSocket(t *testing.T, f *Server) func() map[string]any {
	t.Helper()
	_, url, err := newAPI(f).StartSocketModeContext(t.Context())
	require.NoError(t, err)
	ws, resp, err := websocket.DefaultDialer.Dial(url, nil)
	require.NoError(t, err)
	_ = resp.Body.Close()
	t.Cleanup(func() { _ = ws.Close() })
	return func() map[string]any {
		t.Helper()
		require.NoError(t, ws.SetReadDeadline(time.Now().Add(wait)))
		_, data, err := ws.ReadMessage()
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(data, &m), string(data))
		return m
	}
}

// someBlocks is a valid view body: Slack requires blocks in every view.
func someBlocks() slack.Blocks {
	return slack.Blocks{BlockSet: []slack.Block{slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "Hello", false, false), nil, nil)}}
}
