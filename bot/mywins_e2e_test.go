package bot_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lastEphemeral is the latest ephemeral message shown to user.
func (h *harness) lastEphemeral(user string) (text, ts string, blocks string) {
	h.t.Helper()
	eph := h.fake.Ephemerals(user)
	require.NotEmpty(h.t, eph)
	m := eph[len(eph)-1]
	return m.Text, m.TS, string(m.Blocks)
}

// TestAuthorEditsAndRemovesOwnWin: `/flywheel my wins` lists the author's
// wins with Edit and Remove. Edit opens the /win form filled in and saves
// over the win, updating its post (chat.update); Remove deletes the post
// and the win stops counting. Nobody else's click or forged form does
// anything.
func TestAuthorEditsAndRemovesOwnWin(t *testing.T) {
	h := start(t)
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "Used ChatGPT to draft the RFP answers, saved 2h"))
	post := h.winPosts(1)[0]
	eventually(t, func() bool { return len(h.wins()) == 1 && h.wins()[0].PostTS == post.TS }, "post recorded")
	id := strconv.FormatUint(h.wins()[0].ID, 10)

	a := h.ack(h.fake.SendSlashCommand(ana, salesCh, "/flywheel", "my wins"))
	assert.Contains(t, string(a.Payload), "win_edit")
	_, listTS, blocks := h.lastEphemeral(ana)
	assert.Contains(t, blocks, "draft the RFP answers")
	assert.Contains(t, blocks, `"confirm"`, "Remove asks before it deletes")

	// A colleague's clicks do nothing: no form opens, nothing is removed.
	h.ack(h.fake.SendBlockAction(ben, salesCh, "", "win_edit", id))
	h.ack(h.fake.SendBlockAction(ben, salesCh, "", "win_remove", id))
	assert.Len(t, h.wins(), 1)

	// Edit: the form opens with the win in it and saves over it.
	h.ack(h.fake.SendBlockAction(ana, salesCh, listTS, "win_edit", id))
	m := h.modal(1)
	assert.Equal(t, "Edit your win", m.Title.Text)
	assert.Equal(t, "Used ChatGPT to draft the RFP answers, saved 2h", m.initial("what"))
	assert.Equal(t, "2h", m.initial("saved"))
	assert.Equal(t, "ChatGPT", m.initial("tool"))
	// A forged form naming ana's win, submitted by ben, changes nothing.
	h.ack(h.fake.SendViewSubmission(ben, "win_modal", m.PrivateMetadata, map[string]map[string]string{
		"what": {"what": "ben's words in ana's win"}}))
	assert.Equal(t, "Used ChatGPT to draft the RFP answers, saved 2h", h.wins()[0].Text)
	// A sensitive edit is refused in the form.
	a = h.ack(h.fake.SendViewSubmission(ana, "win_modal", m.PrivateMetadata, map[string]map[string]string{
		"what": {"what": "Mailed the draft to jane.doe@example.com"}}))
	assert.Contains(t, string(a.Payload), "email")
	h.ack(h.fake.SendViewSubmission(ana, "win_modal", m.PrivateMetadata, map[string]map[string]string{
		"what":  {"what": "Used ChatGPT to draft the RFP answers and the SOW"},
		"saved": {"saved": "3h"},
	}))
	require.Len(t, h.wins(), 1, "an edit never adds a win")
	w := h.wins()[0]
	assert.Equal(t, "Used ChatGPT to draft the RFP answers and the SOW", w.Text)
	assert.Equal(t, 180, w.MinutesSaved)
	assert.Equal(t, []string{"ChatGPT"}, w.Tools)
	eventually(t, func() bool {
		m, _ := h.message(winsCh, post.TS)
		return strings.Contains(m.Text, "and the SOW")
	}, "the post is updated in place")
	assert.NotEmpty(t, h.fake.Calls("chat.update"))
	assert.Len(t, h.fake.BotMessages(winsCh), 1, "updated, not posted again")
	assert.Contains(t, h.dmContaining(ana, "Saved."), "3h saved")
	assert.Len(t, h.fake.OpenedViews(), 1, "ben's click opened no form")

	// Remove: the post goes, the win stops counting, the list says so.
	h.ack(h.fake.SendBlockAction(ana, salesCh, listTS, "win_remove", id))
	assert.Empty(t, h.wins())
	eventually(t, func() bool { _, ok := h.message(winsCh, post.TS); return !ok }, "the post is deleted")
	eventually(t, func() bool {
		for _, e := range h.fake.Ephemerals(ana) {
			if e.TS == listTS && strings.Contains(e.Text, "Removed") {
				return true
			}
		}
		return false
	}, "the list is replaced, saying what was removed")
	assert.Equal(t, 0, h.counted(ana))
}

// TestHomeListsOwnWinsToRemove: the Home tab lists the person's wins with
// the same buttons; removing one there republishes the tab without it.
func TestHomeListsOwnWinsToRemove(t *testing.T) {
	h := start(t)
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "Claude summarised the audit, saved 1h"))
	post := h.winPosts(1)[0]
	eventually(t, func() bool { return len(h.wins()) == 1 && h.wins()[0].PostTS == post.TS }, "post recorded")
	id := strconv.FormatUint(h.wins()[0].ID, 10)
	h.ack(h.fake.OpenAppHome(ana, "home"))
	eventually(t, func() bool { return len(h.fake.PublishedViews(ana)) == 1 }, "home published")
	home := viewText(t, h.fake.PublishedViews(ana)[0])
	assert.Contains(t, home, "Claude summarised the audit")
	raw, _ := json.Marshal(h.fake.PublishedViews(ana)[0])
	assert.Contains(t, string(raw), "win_remove")

	h.ack(h.fake.SendHomeAction(ana, "win_remove", id))
	assert.Empty(t, h.wins())
	eventually(t, func() bool { return len(h.fake.PublishedViews(ana)) == 2 }, "home republished")
	assert.NotContains(t, viewText(t, h.fake.PublishedViews(ana)[1]), "Claude summarised the audit")
	eventually(t, func() bool { _, ok := h.message(winsCh, post.TS); return !ok }, "the post is deleted")
}
