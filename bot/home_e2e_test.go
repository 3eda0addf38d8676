package bot_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/store"
)

// viewText joins every "text" string of a view or message object, so tests
// read what a person sees rather than JSON escapes.
func viewText(t *testing.T, raw []byte) string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(raw, &v))
	var out []string
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, val := range x {
				if s, ok := val.(string); ok && k == "text" {
					out = append(out, s)
				} else {
					walk(val)
				}
			}
		case []any:
			for _, val := range x {
				walk(val)
			}
		}
	}
	walk(v)
	return strings.Join(out, "\n")
}

// homeTab opens user's Home tab and waits for the nth views.publish.
func (h *harness) homeTab(user string, n int) string {
	h.t.Helper()
	h.ack(h.fake.OpenAppHome(user, "home"))
	eventually(h.t, func() bool { return len(h.fake.PublishedViews(user)) >= n }, "home tab published")
	pub := h.fake.PublishedViews(user)
	return viewText(h.t, pub[len(pub)-1])
}

// firstInteraction is when user first touched Flywheel (zero if never).
func (h *harness) firstInteraction(user string) time.Time {
	h.t.Helper()
	var at time.Time
	require.NoError(h.t, h.st.View(func(tx *store.Tx) (err error) { at, err = tx.FirstInteraction(user); return err }))
	return at
}

func TestHomeTab(t *testing.T) {
	h := start(t)
	// Ana: two wins, one cheered by Ben and tried by Dev. Chloe, her
	// teammate in Sales, one this week and one last week. Ben (Ops) one.
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "ChatGPT drafted the renewal emails, saved 2h"))
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "Claude summarised the RFP in 30 minutes instead of an hour"))
	h.ack(h.fake.SendSlashCommand(chloe, salesCh, "/win", "Copilot wrote the pricing macro, saved 1h"))
	h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", "ChatGPT cleaned the CRM export, saved 3h"))
	posts := h.winPosts(4)
	eventually(t, func() bool { return h.wins()[0].PostTS != "" }, "post recorded")
	h.ack(h.fake.SendReaction(true, ben, "fire", winsCh, posts[0].TS, ""))
	first := h.wins()[0]
	require.NoError(t, h.st.Update(func(tx *store.Tx) error {
		if _, err := tx.AddInspiration(first.ID, dev); err != nil {
			return err
		}
		return tx.AddWin(&store.Win{At: tx.Now().Add(-8 * 24 * time.Hour), Author: chloe, Team: "Sales",
			Text: "Claude drafted the proposal", MinutesSaved: 45, Source: store.SourceCommand})
	}))

	text := h.homeTab(ana, 1)
	assert.Contains(t, text, "*2 wins* shared")
	assert.Contains(t, text, "*2h 30m* saved")
	assert.Contains(t, text, "inspired *1 colleague*")
	assert.Contains(t, text, "cheered by *1 colleague*")
	assert.Contains(t, text, "*Sales* this week: *3 wins*, *3h 30m* saved (last week: 1 win, 45 min)")
	assert.Contains(t, text, "Share a win")
	assert.Contains(t, text, "*ChatGPT*: Sign in at chat.example.com with SSO.")
	assert.Contains(t, text, "*Copilot*: Request a seat in #it-help.")
	assert.NotContains(t, text, "DeepSeek", "only approved tools")
	assert.NotContains(t, text, "Midjourney", "only approved tools")
	assert.Contains(t, text, "wiki.example.com/ai", "the guidelines")
	var view struct {
		Type   string `json:"type"`
		Blocks []struct {
			Elements []struct {
				ActionID string `json:"action_id"`
			} `json:"elements"`
		} `json:"blocks"`
	}
	require.NoError(t, json.Unmarshal(h.fake.PublishedViews(ana)[0], &view))
	assert.Equal(t, "home", view.Type)
	var actions []string
	for _, b := range view.Blocks {
		for _, e := range b.Elements {
			actions = append(actions, e.ActionID)
		}
	}
	assert.Contains(t, actions, "home_share_win")

	t.Run("Newcomer", func(t *testing.T) {
		text := h.homeTab(lena, 1)
		assert.Contains(t, text, "You haven't shared a win yet")
		assert.Contains(t, text, "*Legal* this week: *no wins*")
		assert.False(t, h.firstInteraction(lena).IsZero(), "opening the Home tab is a first interaction")
	})
	t.Run("MessagesTabPublishesNothing", func(t *testing.T) {
		h.ack(h.fake.OpenAppHome(dev, "messages"))
		assert.False(t, h.firstInteraction(dev).IsZero())
		assert.Empty(t, h.fake.PublishedViews(dev))
	})
	t.Run("RedeliveryPublishesOnce", func(t *testing.T) {
		env := h.fake.OpenAppHome(chloe, "home")
		h.ack(env)
		h.ack(h.fake.Redeliver(env))
		eventually(t, func() bool {
			n, err := h.st.OutboxLen()
			return err == nil && n == 0 && len(h.fake.PublishedViews(chloe)) > 0
		}, "everything owed delivered")
		assert.Len(t, h.fake.PublishedViews(chloe), 1, "the same event_id is one publish")
	})
}

func TestHomeShareWinButton(t *testing.T) {
	h := start(t)
	h.homeTab(ben, 1)
	h.ack(h.fake.SendHomeAction(ben, "home_share_win", "home"))
	eventually(t, func() bool { return len(h.fake.OpenedViews()) == 1 }, "the /win form opens")
	var view struct {
		CallbackID string `json:"callback_id"`
	}
	require.NoError(t, json.Unmarshal(h.fake.OpenedViews()[0].View, &view))
	assert.Equal(t, "win_modal", view.CallbackID)
	h.ack(h.fake.SendViewSubmission(ben, "win_modal", "", map[string]map[string]string{
		"what": {"what": "Claude wrote the incident summary"}, "tool": {"tool": ""}, "saved": {"saved": "1h"}}))
	h.winPosts(1)
	w := h.wins()[0]
	assert.Equal(t, ben, w.Author)
	assert.Equal(t, 60, w.MinutesSaved)
}

// TestHomeTabIsPublishedAfterTheAck: views.publish goes through the
// outbox, so a failing Slack delays the tab but never the ack.
func TestHomeTabIsPublishedAfterTheAck(t *testing.T) {
	h := start(t)
	h.fake.Fail("views.publish", 1, 500, 0)
	h.ack(h.fake.OpenAppHome(ana, "home"))
	eventually(t, func() bool { return len(h.fake.PublishedViews(ana)) == 1 }, "published on retry")
	// The fake records a call once it has answered it, just after the view
	// is visible.
	eventually(t, func() bool { return len(h.fake.Calls("views.publish")) >= 2 }, "the retry recorded")
	assert.Len(t, h.fake.Calls("views.publish"), 2)
}

// TestFirstInteractions: asking, /win, clicking and the shortcut each note
// a person's first touch with Flywheel, once; being nominated does not.
func TestFirstInteractions(t *testing.T) {
	h := start(t)
	h.ask(ana, "can I use ChatGPT for the renewal emails?")
	asked := h.firstInteraction(ana)
	require.False(t, asked.IsZero())
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "ChatGPT drafted them, saved 2h"))
	h.ack(h.fake.SendSlashCommand(chloe, salesCh, "/ask", "what is a vector database?"))
	h.ack(h.fake.SendSlashCommand(dev, salesCh, "/win", "help"))
	ts, env := h.fake.PostAsUser(salesCh, lena, "Claude redlined the NDA in 10 minutes", "")
	h.ack(env)
	h.ack(h.fake.SendReaction(true, ben, "trophy", salesCh, ts, ""))
	h.winPosts(2)

	assert.Equal(t, asked, h.firstInteraction(ana), "the first one sticks")
	assert.False(t, h.firstInteraction(chloe).IsZero(), "/ask")
	assert.False(t, h.firstInteraction(dev).IsZero(), "/win help")
	assert.True(t, h.firstInteraction(lena).IsZero(), "being nominated is not an interaction")
	var firsts []store.FirstInteraction
	require.NoError(t, h.st.View(func(tx *store.Tx) (err error) {
		firsts, err = tx.FirstInteractionsBetween(time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
		return err
	}))
	var users []string
	for _, f := range firsts {
		users = append(users, f.User)
	}
	assert.Equal(t, []string{ana, chloe, dev}, users, "in order of first touch")
}
