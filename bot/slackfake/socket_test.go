package slackfake

import (
	"context"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConnectHello(t *testing.T) {
	f := newFake(t)
	c := connect(t, f)
	ev := c.next(t, socketmode.EventTypeConnected)
	info := ev.Data.(*socketmode.ConnectedEvent).Info
	assert.True(t, strings.HasPrefix(info.URL, "ws://127.0.0.1:"), info.URL)
	hello := c.next(t, socketmode.EventTypeHello)
	assert.Equal(t, AppID, hello.Request.ConnectionInfo.AppID)
	assert.Equal(t, 1, hello.Request.NumConnections)
	require.NoError(t, f.WaitConnections(1, wait))
	assert.Equal(t, 1, f.OpenConnections())
	assert.Equal(t, 1, f.Hellos())
}

func TestSlashCommandAndAck(t *testing.T) {
	f := newFake(t)
	acts := record(f)
	c := ready(t, f)

	id := f.SendSlashCommand(ana, winsCh, "/win", "shipped the thing")
	ev := c.next(t, socketmode.EventTypeSlashCommand)
	cmd := ev.Data.(slack.SlashCommand)
	assert.Equal(t, id, ev.Request.EnvelopeID)
	assert.True(t, ev.Request.AcceptsResponsePayload)
	assert.Equal(t, "/win", cmd.Command)
	assert.Equal(t, "shipped the thing", cmd.Text)
	assert.Equal(t, ana, cmd.UserID)
	assert.Equal(t, "ana", cmd.UserName)
	assert.Equal(t, winsCh, cmd.ChannelID)
	assert.Equal(t, "wins", cmd.ChannelName)
	assert.Equal(t, TeamID, cmd.TeamID)
	assert.Equal(t, TeamDomain, cmd.TeamDomain)
	assert.Equal(t, AppID, cmd.APIAppID)
	assert.NotEmpty(t, cmd.TriggerID)
	assert.True(t, strings.HasPrefix(cmd.ResponseURL, "http://127.0.0.1:"), cmd.ResponseURL)
	assert.Equal(t, []string{id}, f.Pending())

	require.NoError(t, c.sm.Ack(*ev.Request, map[string]any{"response_type": "ephemeral", "text": "Logged your win!"}))
	ack, err := f.WaitAck(id, wait)
	require.NoError(t, err)
	assert.JSONEq(t, `{"response_type":"ephemeral","text":"Logged your win!"}`, string(ack.Payload))
	assert.Positive(t, ack.Latency)
	assert.Equal(t, 1, ack.Conn)
	assert.Empty(t, f.Pending())
	assert.Len(t, f.Acks(), 1)

	// Slack shows the response payload to the user.
	assert.Equal(t, []string{"ack"}, acts.kinds())
	assert.Equal(t, "Logged your win!", acts.last().Text)
	assert.Equal(t, ana, acts.last().User)
	eph := f.Ephemerals(ana)
	require.Len(t, eph, 1)
	assert.Equal(t, "Logged your win!", eph[0].Text)
}

func TestReactionAddedParses(t *testing.T) {
	f := newFake(t)
	c := ready(t, f)
	ts, _ := f.PostAsUser(winsCh, ben, "closed the deal", "")
	c.next(t, socketmode.EventTypeEventsAPI) // the message event

	id := f.SendReaction(true, ana, "tada", winsCh, ts, "")
	ev := c.next(t, socketmode.EventTypeEventsAPI)
	assert.Equal(t, id, ev.Request.EnvelopeID)
	assert.False(t, ev.Request.AcceptsResponsePayload)
	assert.Equal(t, 0, ev.Request.RetryAttempt)
	outer := ev.Data.(slackevents.EventsAPIEvent)
	assert.Equal(t, slackevents.CallbackEvent, outer.Type)
	cb := outer.Data.(*slackevents.EventsAPICallbackEvent)
	assert.True(t, strings.HasPrefix(cb.EventID, "Ev"), cb.EventID)
	assert.NotZero(t, cb.EventTime)
	require.Len(t, cb.Authorizations, 1)
	assert.Equal(t, BotUserID, cb.Authorizations[0].UserID)
	r, isReaction := outer.InnerEvent.Data.(*slackevents.ReactionAddedEvent)
	require.True(t, isReaction, "inner event is %T", outer.InnerEvent.Data)
	assert.Equal(t, ana, r.User)
	assert.Equal(t, "tada", r.Reaction)
	assert.Equal(t, ben, r.ItemUser, "item_user is the author of the stored message")
	assert.Equal(t, "message", r.Item.Type)
	assert.Equal(t, winsCh, r.Item.Channel)
	assert.Equal(t, ts, r.Item.Timestamp)
	assert.NotEmpty(t, r.EventTimestamp)

	msgs := f.Messages(winsCh)
	require.Len(t, msgs, 1)
	assert.Equal(t, []Reaction{{Name: "tada", Users: []string{ana}}}, msgs[0].Reactions)

	f.SendReaction(false, ana, "tada", winsCh, ts, ben)
	ev = c.next(t, socketmode.EventTypeEventsAPI)
	_, isRemoved := ev.Data.(slackevents.EventsAPIEvent).InnerEvent.Data.(*slackevents.ReactionRemovedEvent)
	assert.True(t, isRemoved)
	assert.Empty(t, f.Messages(winsCh)[0].Reactions)
}

func TestPostAsUserSendsMessageEvent(t *testing.T) {
	f := newFake(t)
	c := ready(t, f)
	parent, id := f.PostAsUser(winsCh, ana, "saved 2 hours with claude", "")
	require.NotEmpty(t, id)
	ev := c.next(t, socketmode.EventTypeEventsAPI)
	m := ev.Data.(slackevents.EventsAPIEvent).InnerEvent.Data.(*slackevents.MessageEvent)
	assert.Equal(t, parent, m.TimeStamp)
	assert.Equal(t, "saved 2 hours with claude", m.Text)
	assert.Equal(t, ana, m.User)
	assert.Equal(t, winsCh, m.Channel)
	assert.Equal(t, "channel", m.ChannelType)
	assert.Empty(t, m.ThreadTimeStamp)

	reply, _ := f.PostAsUser(winsCh, ben, "nice", parent)
	ev = c.next(t, socketmode.EventTypeEventsAPI)
	m = ev.Data.(slackevents.EventsAPIEvent).InnerEvent.Data.(*slackevents.MessageEvent)
	assert.Equal(t, reply, m.TimeStamp)
	assert.Equal(t, parent, m.ThreadTimeStamp)
	assert.Greater(t, reply, parent, "ts strictly increases")

	dm := f.DMChannel(ana)
	_, id = f.PostAsUser(dm, ana, "hello bot", "")
	assert.Empty(t, id, "no event for a DM")
}

func TestViewSubmissionParses(t *testing.T) {
	f := newFake(t)
	c := ready(t, f)
	id := f.SendViewSubmission(ana, "win_modal", `{"channel":"C0WINS0001"}`, map[string]map[string]string{
		"what": {"what_input": "Closed the Acme deal"},
		"mins": {"mins_input": "90"},
	})
	ev := c.next(t, socketmode.EventTypeInteractive)
	assert.Equal(t, id, ev.Request.EnvelopeID)
	assert.True(t, ev.Request.AcceptsResponsePayload)
	cb := ev.Data.(slack.InteractionCallback)
	assert.Equal(t, slack.InteractionTypeViewSubmission, cb.Type)
	assert.Equal(t, ana, cb.User.ID)
	assert.Equal(t, TeamID, cb.Team.ID)
	assert.Equal(t, "win_modal", cb.View.CallbackID)
	assert.Equal(t, `{"channel":"C0WINS0001"}`, cb.View.PrivateMetadata)
	require.NotNil(t, cb.View.State)
	assert.Equal(t, "Closed the Acme deal", cb.View.State.Values["what"]["what_input"].Value)
	assert.Equal(t, "plain_text_input", string(cb.View.State.Values["mins"]["mins_input"].Type))

	errs := map[string]any{"response_action": "errors", "errors": map[string]string{"mins": "Not a number"}}
	require.NoError(t, c.sm.Ack(*ev.Request, errs))
	ack, err := f.WaitAck(id, wait)
	require.NoError(t, err)
	assert.JSONEq(t, `{"response_action":"errors","errors":{"mins":"Not a number"}}`, string(ack.Payload))
}

func TestBlockActionParses(t *testing.T) {
	f := newFake(t)
	c := ready(t, f)
	btn := slack.NewButtonBlockElement("answer_q", "Q42", slack.NewTextBlockObject("plain_text", "Answer", false, false))
	blocks := slack.MsgOptionBlocks(slack.NewActionBlock("qblock", btn))
	_, ts, err := c.api.PostMessage(winsCh, slack.MsgOptionText("A question", false), blocks)
	require.NoError(t, err)

	id := f.SendBlockAction(ana, winsCh, ts, "answer_q", "Q42")
	ev := c.next(t, socketmode.EventTypeInteractive)
	assert.Equal(t, id, ev.Request.EnvelopeID)
	cb := ev.Data.(slack.InteractionCallback)
	assert.Equal(t, slack.InteractionTypeBlockActions, cb.Type)
	require.Len(t, cb.ActionCallback.BlockActions, 1)
	a := cb.ActionCallback.BlockActions[0]
	assert.Equal(t, "answer_q", a.ActionID)
	assert.Equal(t, "qblock", a.BlockID)
	assert.Equal(t, "Q42", a.Value)
	assert.Equal(t, ts, cb.Container.MessageTs)
	assert.Equal(t, winsCh, cb.Container.ChannelID)
	assert.Equal(t, winsCh, cb.Channel.ID)
	assert.Equal(t, "A question", cb.Message.Text)
	assert.NotEmpty(t, cb.TriggerID)

	// The trigger opens a modal once.
	modal := slack.ModalViewRequest{Type: slack.VTModal, CallbackID: "answer_modal", Title: slack.NewTextBlockObject("plain_text", "Answer", false, false),
		Blocks: someBlocks()}
	v, err := c.api.OpenView(cb.TriggerID, modal)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(v.ID, "V"))
	_, err = c.api.OpenView(cb.TriggerID, modal)
	assert.EqualError(t, err, "exchanged_trigger_id")
	_, err = c.api.OpenView("123.456.abc", modal)
	assert.EqualError(t, err, "invalid_trigger_id")
	require.Len(t, f.OpenedViews(), 1)

	// Submitting that modal submits the opened view.
	f.SendViewSubmission(ana, "answer_modal", "", nil)
	sub := c.next(t, socketmode.EventTypeInteractive).Data.(slack.InteractionCallback)
	assert.Equal(t, v.ID, sub.View.ID)
}

func TestDisconnectReconnects(t *testing.T) {
	f := newFake(t)
	c := ready(t, f)
	f.Disconnect("refresh_requested")
	// slack-go does not surface the disconnect frame; it just reconnects.
	c.next(t, socketmode.EventTypeConnecting)
	require.NoError(t, f.waitFor(wait, func() bool { return f.sock.hellos == 2 && len(f.sock.conns) == 1 }))
	assert.Equal(t, 2, f.Hellos())
	assert.Equal(t, 1, f.OpenConnections(), "the client closes the old connection")

	id := f.SendSlashCommand(ana, winsCh, "/win", "after reconnect")
	ev := c.next(t, socketmode.EventTypeSlashCommand)
	require.NoError(t, c.sm.Ack(*ev.Request))
	ack, err := f.WaitAck(id, wait)
	require.NoError(t, err)
	assert.Equal(t, 2, ack.Conn)
	assert.Nil(t, ack.Payload)
}

func TestDropConnectionsReconnectsAndDeliversQueued(t *testing.T) {
	f := newFake(t)
	c := ready(t, f)
	f.DropConnections()
	id := f.SendSlashCommand(ana, winsCh, "/win", "sent while down")
	require.NoError(t, f.waitFor(wait, func() bool { return f.sock.hellos == 2 }))
	ev := c.next(t, socketmode.EventTypeSlashCommand)
	assert.Equal(t, id, ev.Request.EnvelopeID)
	require.NoError(t, c.sm.Ack(*ev.Request))
	_, err := f.WaitAck(id, wait)
	require.NoError(t, err)
}

func TestQueuedUntilConnected(t *testing.T) {
	f := newFake(t, WithHelloDelay(100*time.Millisecond))
	id := f.SendSlashCommand(ana, winsCh, "/win", "early")
	assert.Equal(t, []string{id}, f.Pending())
	c := connect(t, f)
	assert.Error(t, f.WaitConnections(1, 10*time.Millisecond), "no hello yet")
	ev := c.next(t, socketmode.EventTypeSlashCommand)
	assert.Equal(t, id, ev.Request.EnvelopeID)
	require.NoError(t, f.WaitConnections(1, wait))
}

func TestRedeliverKeepsEventID(t *testing.T) {
	f := newFake(t)
	c := ready(t, f)
	t0 := time.Now()
	_, first := f.PostAsUser(winsCh, ana, "a win", "")
	ev := c.next(t, socketmode.EventTypeEventsAPI)
	eventID := ev.Data.(slackevents.EventsAPIEvent).Data.(*slackevents.EventsAPICallbackEvent).EventID
	// Not acked: Slack retries.
	t1 := time.Now()
	second := f.Redeliver(first)
	require.NotEmpty(t, second)
	assert.NotEqual(t, first, second, "a retry comes in a new envelope")
	assert.Equal(t, []string{second}, f.Pending())
	ev = c.next(t, socketmode.EventTypeEventsAPI)
	assert.Equal(t, second, ev.Request.EnvelopeID)
	assert.Equal(t, 1, ev.Request.RetryAttempt)
	assert.Equal(t, "timeout", ev.Request.RetryReason)
	assert.Equal(t, eventID, ev.Data.(slackevents.EventsAPIEvent).Data.(*slackevents.EventsAPICallbackEvent).EventID)

	require.NoError(t, c.sm.Ack(*ev.Request))
	ack, err := f.WaitAck(second, wait)
	require.NoError(t, err)
	// Latency runs from the first delivery, not from the redelivery.
	assert.GreaterOrEqual(t, ack.Latency, ack.At.Sub(t1))
	assert.LessOrEqual(t, ack.Latency, ack.At.Sub(t0))
	assert.Empty(t, f.Pending())
	assert.Equal(t, "", f.Redeliver("no-such-envelope"))
}

func TestAutoRedeliverRetriesThreeTimes(t *testing.T) {
	f := newFake(t, WithAutoRedeliver(50*time.Millisecond))
	c := ready(t, f)
	f.PostAsUser(winsCh, ana, "never acked", "")
	var attempts []int
	for i := 0; i < 4; i++ {
		attempts = append(attempts, c.next(t, socketmode.EventTypeEventsAPI).Request.RetryAttempt)
	}
	assert.Equal(t, []int{0, 1, 2, 3}, attempts)
	c.none(t, socketmode.EventTypeEventsAPI, 300*time.Millisecond)
	assert.Len(t, f.Pending(), 1)
}

func TestAutoRedeliverStopsWhenAcked(t *testing.T) {
	f := newFake(t, WithAutoRedeliver(100*time.Millisecond))
	c := ready(t, f)
	f.PostAsUser(winsCh, ana, "acked", "")
	ev := c.next(t, socketmode.EventTypeEventsAPI)
	require.NoError(t, c.sm.Ack(*ev.Request))
	c.none(t, socketmode.EventTypeEventsAPI, 400*time.Millisecond)
	assert.Empty(t, f.Pending())
}

func TestSendRawGarbageKeepsConnection(t *testing.T) {
	f := newFake(t)
	c := ready(t, f)
	f.SendRaw([]byte("not json"))
	c.next(t, socketmode.EventTypeIncomingError)
	f.SendRaw([]byte(`{"type":"mystery"}`))
	c.next(t, socketmode.EventTypeErrorBadMessage)
	id := f.SendEvent(map[string]any{"type": "app_home_opened", "user": ana, "channel": "D0ANA00001", "tab": "home"})
	ev := c.next(t, socketmode.EventTypeEventsAPI)
	assert.Equal(t, id, ev.Request.EnvelopeID)
	home, isHome := ev.Data.(slackevents.EventsAPIEvent).InnerEvent.Data.(*slackevents.AppHomeOpenedEvent)
	require.True(t, isHome)
	assert.Equal(t, ana, home.User)
	assert.NotEmpty(t, home.EventTimeStamp)
	assert.Equal(t, 1, f.Hellos(), "garbage does not break the connection")
}

func TestSendInteractiveUnchanged(t *testing.T) {
	f := newFake(t)
	c := ready(t, f)
	payload := map[string]any{"type": "shortcut", "callback_id": "log_win", "trigger_id": "1.2.3", "user": map[string]any{"id": ana}}
	f.SendInteractive(payload)
	cb := c.next(t, socketmode.EventTypeInteractive).Data.(slack.InteractionCallback)
	assert.Equal(t, slack.InteractionTypeShortcut, cb.Type)
	assert.Equal(t, "log_win", cb.CallbackID)
	assert.Equal(t, ana, cb.User.ID)
}

func TestCloseWithOpenConnectionAndHangingCall(t *testing.T) {
	f := New()
	c := ready(t, f)
	f.Fail("auth.test", 1, -2, 0)
	errc := make(chan error, 1)
	go func() {
		_, err := c.api.AuthTest()
		errc <- err
	}()
	require.NoError(t, f.waitFor(wait, func() bool { return hanging(f) }))
	closed := make(chan struct{})
	go func() {
		f.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(wait):
		t.Fatal("Close did not return")
	}
	select {
	case err := <-errc:
		assert.Error(t, err)
	case <-time.After(wait):
		t.Fatal("the hanging call did not end with Close")
	}
	f.Close() // twice is harmless
}

// TestCloseLeavesNoGoroutines checks that once Close returns no goroutine of
// the fake is left: websocket readers, hello/ping loops, HTTP handlers
// (including a hanging one) and redelivery timers.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	f := New(WithAutoRedeliver(time.Hour), WithLatency(time.Millisecond))
	api := newAPI(f, slack.OptionHTTPClient(&http.Client{Timeout: wait}))
	sm := socketmode.New(api)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sm.RunContext(ctx) }()
	go func() { // drain events so the client never blocks
		for range sm.Events {
		}
	}()
	require.NoError(t, f.WaitConnections(1, wait))
	f.PostAsUser(winsCh, ana, "unacked", "")
	f.Fail("auth.test", 1, -2, 0)
	go func() { _, _ = api.AuthTest() }()
	require.NoError(t, f.waitFor(wait, func() bool { return hanging(f) }))

	require.NotEmpty(t, fakeGoroutines(), "the check below must be able to see the fake's goroutines")
	f.Close()
	// A goroutine that has called wg.Done may still be on its way out when
	// Close returns: give it a moment, bounded, before calling it a leak.
	left := fakeGoroutines()
	for deadline := time.Now().Add(wait); len(left) > 0 && time.Now().Before(deadline); left = fakeGoroutines() {
		time.Sleep(5 * time.Millisecond)
	}
	for _, g := range left {
		t.Errorf("goroutine left after Close:\n%s", g)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(wait):
		t.Error("client did not stop")
	}
}

// hanging says the scripted auth.test call is being held (f.mu held): the
// socket's own apps.connections.open calls are not it.
func hanging(f *Server) bool {
	for _, c := range f.api.calls {
		if c.Method == "auth.test" {
			return true
		}
	}
	return false
}

// fakeGoroutines returns the stacks of goroutines running the fake's code.
func fakeGoroutines() []string {
	buf := make([]byte, 1<<20)
	var out []string
	for _, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
		if strings.Contains(g, "slackfake.(*Server)") || strings.Contains(g, "slackfake.(*conn)") {
			out = append(out, g)
		}
	}
	return out
}

// TestHoldRelease: envelopes sent while held are queued, not written; on
// Release they arrive in order, and each one's latency starts at its write.
func TestHoldRelease(t *testing.T) {
	f := newFake(t)
	c := ready(t, f)
	f.Hold()
	first := f.SendSlashCommand(ana, winsCh, "/win", "one")
	second := f.SendSlashCommand(ana, winsCh, "/win", "two")
	c.none(t, socketmode.EventTypeSlashCommand, 100*time.Millisecond)
	assert.Equal(t, []string{first, second}, f.Pending())

	time.Sleep(50 * time.Millisecond) // held time must not count as latency
	released := time.Now()
	f.Release()
	for _, id := range []string{first, second} {
		ev := c.next(t, socketmode.EventTypeSlashCommand)
		assert.Equal(t, id, ev.Request.EnvelopeID, "in the order sent")
		require.NoError(t, c.sm.Ack(*ev.Request))
	}
	for _, id := range []string{first, second} {
		ack, err := f.WaitAck(id, wait)
		require.NoError(t, err)
		assert.LessOrEqual(t, ack.Latency, time.Since(released), "latency runs from the write, after Release")
	}
}
