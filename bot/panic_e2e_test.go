package bot_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot"
	"flywheel/config"
)

// TestPanicsCostOneEnvelopeOrEntry: a handler, a reply and a delivery that
// panic (a bug, or input nobody foresaw) each cost that envelope or entry.
// The process lives on, and the poison entry goes to the dead letters
// after 3 panics with the panic's first line, while the sender carries on.
func TestPanicsCostOneEnvelopeOrEntry(t *testing.T) {
	var handlerPanics, replyPanics atomic.Bool
	fault := func(boundary, id string) {
		switch {
		case boundary == "envelope" && handlerPanics.CompareAndSwap(true, false):
			panic("poisoned envelope")
		case boundary == "reply" && replyPanics.CompareAndSwap(true, false):
			panic("poisoned reply")
		case boundary == "delivery" && id == "1": // the first entry queued: the first win's post
			panic("poisoned entry\ngoroutine 42 [running]: and the rest of the stack")
		}
	}
	h := startWith(t, nil, bot.Options{Fault: fault})

	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "poison: saved 1h with Claude"))
	h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", "fine: saved 1h with Claude"))
	post := h.winPosts(1)[0]
	assert.Contains(t, post.Text, "fine", "the sender carries on past the poison entry")
	deadline := time.Now().Add(15 * time.Second) // retried after 1 s and 2 s
	for d, _ := h.st.Dead(); len(d) == 0; d, _ = h.st.Dead() {
		require.True(t, time.Now().Before(deadline), "the poison entry is dead-lettered")
		time.Sleep(20 * time.Millisecond)
	}
	dead, err := h.st.Dead()
	require.NoError(t, err)
	require.Len(t, dead, 1)
	assert.Equal(t, "delivery panicked 3 times: poisoned entry", dead[0].LastError)
	assert.Equal(t, 3, dead[0].Panics)

	handlerPanics.Store(true)
	lost := h.fake.SendSlashCommand(chloe, salesCh, "/win", "lost to a panic: saved 1h")
	_, err = h.fake.WaitAck(lost, 500*time.Millisecond)
	assert.Error(t, err, "the poisoned envelope is not acked")
	h.ack(h.fake.SendSlashCommand(chloe, salesCh, "/win", "after the panic: saved 1h with Copilot"))
	h.winPosts(2)

	replyPanics.Store(true)
	a := h.ack(h.fake.SendSlashCommand(dev, salesCh, "/flywheel", "help"))
	assert.Contains(t, string(a.Payload), "Something went wrong on my side")
	a = h.ack(h.fake.SendSlashCommand(dev, salesCh, "/flywheel", "help"))
	assert.Contains(t, string(a.Payload), "Flywheel commands")

	assert.Equal(t, 5.0, testutil.ToFloat64(h.bot.Metrics().Errors.WithLabelValues("panic")), "3 deliveries, 1 envelope, 1 reply")
	logs := h.logs.String()
	for _, want := range []string{"handling an envelope panicked", "building a reply panicked", "delivering an outbox entry panicked"} {
		assert.True(t, strings.Contains(logs, want), "logged: %s", want)
	}
}

// TestPanicInScheduledWorkCostsOneItem: Ana's question's nudge panics when
// it falls due. That nudge is dropped with a log line; Ben's follow-up, due
// with it, still goes out, and the bot keeps serving.
func TestPanicInScheduledWorkCostsOneItem(t *testing.T) {
	var poisoned atomic.Value
	poisoned.Store("")
	h := startWith(t, func(c *config.Config) {
		c.Questions.NudgeAfter = config.Duration(300 * time.Millisecond)
		c.Questions.FollowUpAfter = config.Duration(300 * time.Millisecond)
	}, bot.Options{DueInterval: 50 * time.Millisecond, Fault: func(boundary, id string) {
		if boundary == "due" && id == poisoned.Load().(string) {
			panic("poisoned nudge")
		}
	}})
	h.ask(ana, "how do I build an AI workflow that drafts release notes?")
	_, err := h.fake.WaitBotMessages(champsCh, 1, wait)
	require.NoError(t, err, "routed to the champions")
	poisoned.Store(fmt.Sprint(h.questions()[0].ID))
	h.ask(ben, "can I use ChatGPT for release notes?")

	dms, err := h.fake.WaitBotMessages(h.fake.DMChannel(ben), 1, wait)
	require.NoError(t, err, "Ben's follow-up goes out")
	assert.Contains(t, dms[0].Text, "Did it work out?")
	eventually(t, func() bool { due, _ := h.st.DueBy(time.Now().Add(time.Hour), 10); return len(due) == 0 }, "nothing left scheduled")
	eventually(t, func() bool { return strings.Contains(h.logs.String(), "a scheduled follow-up or nudge panicked") }, "logged")
	assert.Len(t, h.fake.BotMessages(champsCh), 1, "the poisoned nudge is dropped, not retried")
	assert.GreaterOrEqual(t, testutil.ToFloat64(h.bot.Metrics().Errors.WithLabelValues("panic")), 1.0)
	h.ack(h.fake.SendSlashCommand(chloe, salesCh, "/win", "still serving: saved 1h with Claude"))
	h.winPosts(1)
}
