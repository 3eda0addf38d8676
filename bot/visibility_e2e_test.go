package bot_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot"
	"flywheel/bot/slackfake"
	"flywheel/config"
	"flywheel/digest"
	"flywheel/store"
)

// surfaces records everything people see (OnActivity), so a test can
// search every post, view, ephemeral and reply for what must not be there.
type surfaces struct {
	mu  sync.Mutex
	all []slackfake.Activity
}

func watch(fake *slackfake.Server) *surfaces {
	s := &surfaces{}
	fake.OnActivity(func(a slackfake.Activity) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.all = append(s.all, a)
	})
	return s
}

// seenBy returns what everyone but user saw: every activity not on
// user's own surfaces (their DMs, ephemerals, views and replies).
func (s *surfaces) seenBy(fake *slackfake.Server, user string) []slackfake.Activity {
	s.mu.Lock()
	defer s.mu.Unlock()
	own := fake.DMChannel(user)
	var out []slackfake.Activity
	for _, a := range s.all {
		if a.User == user || (own != "" && a.Channel == own) {
			continue
		}
		out = append(out, a)
	}
	return out
}

func activityText(a slackfake.Activity) string {
	return a.Kind + " " + a.Channel + ": " + a.Text + " " + string(a.Blocks) + " " + string(a.Payload)
}

// assertNeverLinked checks that no activity outside author's own surfaces,
// and no file uploaded, holds the author's ID or name.
func assertNeverLinked(t *testing.T, h *harness, s *surfaces, author, name string) int {
	t.Helper()
	seen := s.seenBy(h.fake, author)
	for _, a := range seen {
		text := activityText(a)
		assert.NotContains(t, text, author, "%s links the anonymous win to its author", a.Kind)
		if name != "" {
			assert.NotContains(t, strings.ToLower(text), name, "%s names the author", a.Kind)
		}
	}
	for _, c := range h.fake.Calls("files.completeUploadExternal") {
		var files []struct {
			ID string `json:"id"`
		}
		require.NoError(t, json.Unmarshal([]byte(c.Params["files"]), &files))
		for _, f := range files {
			data, _, ok := h.fake.UploadedFile(f.ID)
			require.True(t, ok)
			assert.NotContains(t, string(data), author, "an export links the anonymous win to its author")
			if name != "" {
				assert.NotContains(t, strings.ToLower(string(data)), name)
			}
		}
	}
	return len(seen)
}

// TestAnonymousWinNeverLinkedToItsAuthor: chloe (Sales, 5 people) shares
// a win without her name; dev (Ops, 2 people) shares one by the form.
// Colleagues cheer chloe's, try it, and everyone looks at every surface:
// the posts, the digest, App Home, /flywheel spread and champions, the
// admin's preview and export. The wins count in the company's numbers
// and their teams', and nothing outside chloe's (and dev's) own surfaces
// holds their ID or name.
func TestAnonymousWinNeverLinkedToItsAuthor(t *testing.T) {
	const digestCh = "CDIGEST01"
	var cfg *config.Config
	h := startWith(t, func(c *config.Config) {
		c.Teams[0].Members = append(c.Teams[0].Members, "USALES003", "USALES004", "USALES005") // Sales: 5 people
		c.Teams[0].Channel = salesCh
		c.Digest.Channels = []string{digestCh}
		cfg = c
	}, bot.Options{})
	h.fake.AddChannel(digestCh, "ai-digest")
	s := watch(h.fake)

	a := h.ack(h.fake.SendSlashCommand(chloe, salesCh, "/win", "--anon Drafted the QBR deck with Claude in 1 hour instead of 4 hours"))
	assert.Contains(t, replyText(t, a), "Shared without your name, as “a colleague in Sales”", "chloe hears how it was shared")
	post := h.winPosts(1)[0]
	assert.Contains(t, post.Text, ":trophy: A colleague in Sales shared a win")
	assert.Contains(t, post.Text, "Drafted the QBR deck with Claude", "the words are shared")
	assert.Empty(t, h.fake.Pings(post), "it pings nobody")
	eventually(t, func() bool { return len(h.wins()) == 1 && h.wins()[0].PostTS != "" }, "post recorded")
	w := h.wins()[0]
	assert.Equal(t, chloe, w.Author, "stored as chloe's: she still sees it and can forget it")
	assert.Equal(t, store.VisibleAnonymous, w.Visibility)
	assert.Equal(t, "Sales", w.Team)

	// Colleagues cheer it, one across teams, and say they'll try it.
	h.ack(h.fake.SendReaction(true, ben, "fire", winsCh, post.TS, slackfake.BotUserID))
	h.ack(h.fake.SendReaction(true, ana, "clap", winsCh, post.TS, slackfake.BotUserID))
	h.ack(h.fake.SendBlockAction(ben, winsCh, post.TS, "try_this", strconv.FormatUint(w.ID, 10)))
	eventually(t, func() bool { return len(h.fake.Ephemerals(ben)) >= 1 }, "ben gets the how-to")
	assert.Contains(t, h.fake.Ephemerals(ben)[0].Text, "a colleague in Sales used *Claude*")

	// dev (Ops: 2 people) shares one by the form: too small a team to name.
	h.ack(h.fake.SendSlashCommand(dev, salesCh, "/win", ""))
	m := h.modal(1)
	assert.Contains(t, string(m.raw), `"block_id":"visibility"`, "the form asks who sees it")
	assert.Contains(t, viewText(t, m.raw), "Without my name")
	h.ack(h.fake.SendViewSubmission(dev, "win_modal", "", map[string]map[string]string{
		"what": {"what": "Copilot wrote the rota script"}, "tool": {"tool": ""}, "saved": {"saved": "2h"},
		"visibility": {"visibility": "option:anonymous"}}))
	second := h.winPosts(2)[1]
	assert.Contains(t, second.Text, ":trophy: A colleague shared a win", "Ops is too small to be named")
	assert.NotContains(t, second.Text, "Ops")
	assert.Contains(t, h.dmContaining(dev, "Win recorded"), "Shared without your name, as “a colleague”")

	// Every surface, as others see it.
	a = h.ack(h.fake.SendSlashCommand(ana, salesCh, "/flywheel", "digest preview"))
	preview := string(a.Payload)
	assert.Contains(t, preview, "a colleague in Sales", "the top wins list it without a name")
	assert.Contains(t, preview, "Drafted the QBR deck")
	h.ack(h.fake.SendSlashCommand(ben, salesCh, "/flywheel", "spread"))
	h.ack(h.fake.SendSlashCommand(ben, salesCh, "/flywheel", "champions week"))
	h.homeTab(ben, 1)
	h.homeTab(ana, 1)
	rows := h.exportRows(ana)
	var anon int
	for _, r := range rows[1:] {
		if r[2] == digest.AnonymousAuthor {
			anon++
		}
	}
	assert.Equal(t, 2, anon, "the export says anonymous in the author column")
	next := *cfg
	next.Digest.Schedule = "@every 1s"
	h.bot.SetConfig(&next)
	posts, err := h.fake.WaitBotMessages(digestCh, 1, wait)
	require.NoError(t, err)
	d := blocksText(t, posts[0].Blocks)
	assert.Contains(t, d, "*Wins*\n2", "both count in the company's numbers")
	assert.Contains(t, d, "*Hours saved*\n5h", "3h and 2h")
	team, err := h.fake.WaitBotMessages(salesCh, 1, wait)
	require.NoError(t, err)
	assert.Contains(t, blocksText(t, team[0].Blocks), "*Wins*\n1", "chloe's counts in Sales' numbers")
	rowsJSON, err := json.Marshal(cliRows(t, h))
	require.NoError(t, err)
	assert.NotContains(t, string(rowsJSON), chloe, "flywheel export --kind wins (the same rows) never names her")

	n := assertNeverLinked(t, h, s, chloe, "chloe")
	assertNeverLinked(t, h, s, dev, "") // dev did nothing but share it: his ID is nowhere else
	assert.Greater(t, n, 10, "the search covered the surfaces")

	// chloe's own App Home counts it as hers.
	home := h.homeTab(chloe, 1)
	assert.Contains(t, home, "*1 win* shared")
	assert.Contains(t, home, "cheered by *2 colleagues*")
	assert.Contains(t, home, "inspired *1 colleague*")
}

// replyText is the text of an ack's reply.
func replyText(t *testing.T, a slackfake.Ack) string {
	t.Helper()
	var reply struct{ Text string }
	require.NoError(t, json.Unmarshal(a.Payload, &reply))
	return reply.Text
}

// cliRows are the rows `flywheel export --kind wins` writes.
func cliRows(t *testing.T, h *harness) []digest.WinRow {
	t.Helper()
	var rows []digest.WinRow
	require.NoError(t, h.st.View(func(tx *store.Tx) (err error) {
		rows, err = digest.WinRows(tx, h.bot.Config(), time.Unix(0, 0), time.Now().Add(time.Hour))
		return err
	}))
	return rows
}

// TestTeamOnlyWin: ana (Sales, with a channel) shares a win with her team
// only: it is posted in the Sales channel and not the wins channel, counts
// in the company's numbers, and its words stay out of the company digest
// and the export.
func TestTeamOnlyWin(t *testing.T) {
	h := startWith(t, func(c *config.Config) { c.Teams[0].Channel = salesCh }, bot.Options{})
	s := watch(h.fake)
	const words = "Pipeline review notes drafted by ChatGPT, saved 1h"
	a := h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "--team "+words))
	assert.Contains(t, replyText(t, a), "on its way to <#"+salesCh+">")
	assert.Contains(t, replyText(t, a), "Shared with Sales only")
	posts, err := h.fake.WaitBotMessages(salesCh, 1, wait)
	require.NoError(t, err)
	assert.Contains(t, posts[0].Text, "Win from <@"+ana+">, shared with Sales only")
	assert.Contains(t, posts[0].Text, "Pipeline review notes")
	h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", "Claude did the ops report, saved 2h"))
	h.winPosts(1)
	eventually(t, func() bool { n, _ := h.st.OutboxLen(); return n == 0 }, "outbox drained")
	for _, m := range h.fake.BotMessages(winsCh) {
		assert.NotContains(t, m.Text, "Pipeline review notes", "not in the wins channel")
	}

	a = h.ack(h.fake.SendSlashCommand(ana, salesCh, "/flywheel", "digest preview"))
	assert.Contains(t, string(a.Payload), "*Wins*\\n2", "it counts in the company's numbers")
	assert.NotContains(t, string(a.Payload), "Pipeline review notes", "its words stay out of the company digest")
	rows := h.exportRows(ana)
	for _, r := range rows[1:] {
		if r[2] == ana {
			assert.Empty(t, r[12], "nor in the export")
			assert.Equal(t, "60", r[6], "its numbers are")
		}
	}
	for _, act := range s.seenBy(h.fake, ana) {
		if act.Channel == salesCh {
			continue
		}
		assert.NotContains(t, activityText(act), "Pipeline review notes", "team-only words outside the team's channel (%s)", act.Kind)
	}

	t.Run("ErrNoTeamChannel", func(t *testing.T) {
		a := h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", "--team Claude sorted the rota"))
		assert.Contains(t, string(a.Payload), "Ops has no team channel set up")
		assert.Contains(t, string(a.Payload), "Nothing was recorded.")
		assert.Len(t, h.wins(), 2)
	})
	t.Run("ErrTurnedOff", func(t *testing.T) {
		next := *h.bot.Config()
		off := false
		next.Wins.AllowTeamOnly, next.Wins.AllowAnonymous = &off, &off
		h.bot.SetConfig(&next)
		a := h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "--anon Claude sorted the rota"))
		assert.Contains(t, string(a.Payload), "Sharing without your name is turned off here")
		a = h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "help"))
		assert.NotContains(t, string(a.Payload), "--anon", "help offers only what is allowed")
		h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", ""))
		m := h.modal(1)
		assert.False(t, m.has("visibility"), "only Everyone is left: no choice to make")
		a = h.ack(h.fake.SendViewSubmission(ana, "win_modal", "", map[string]map[string]string{
			"what": {"what": "Forged team-only win"}, "visibility": {"visibility": "option:team"}}))
		assert.Contains(t, string(a.Payload), "Sharing with your team only is turned off here")
		assert.Len(t, h.wins(), 2)
	})
}

func TestWinHelpExplainsWhoSeesIt(t *testing.T) {
	h := start(t)
	a := h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "help"))
	assert.Contains(t, string(a.Payload), "`/win --anon …` shares it without your name")
	assert.Contains(t, string(a.Payload), "`/win --team …` shares it in your team's channel only")
	a = h.ack(h.fake.SendSlashCommand(ana, salesCh, "/win", "—anon"))
	assert.Contains(t, string(a.Payload), "Add what happened after the flag", "a flag alone records nothing")
	assert.Empty(t, h.wins())
}

// TestShareOwnMessageWithoutName: the "Share as a win" shortcut on one's
// own message opens the form with "Who sees it"; shared without a name, a
// colleague's shortcut on the same message says it is already a win and
// never whose.
func TestShareOwnMessageWithoutName(t *testing.T) {
	h := start(t)
	s := watch(h.fake)
	ts, env := h.fake.PostAsUser(salesCh, chloe, "Claude turned the RFP into a checklist, saved 2h", "")
	h.ack(env)
	h.ack(h.fake.SendMessageShortcut(chloe, salesCh, ts, "share_as_win"))
	m := h.modal(1)
	assert.Equal(t, "win_modal", m.CallbackID)
	assert.True(t, m.has("visibility"), "the shortcut's form asks who sees it")
	h.ack(h.fake.SendViewSubmission(chloe, "win_modal", "", map[string]map[string]string{
		"what": {"what": m.initial("what")}, "visibility": {"visibility": "option:anonymous"}}))
	post := h.winPosts(1)[0]
	assert.Contains(t, post.Text, "A colleague shared a win", "Sales has 2 people: too few to name")
	h.ack(h.fake.SendMessageShortcut(ben, salesCh, ts, "share_as_win"))
	done := h.modal(2)
	assert.Equal(t, "share_as_win_done", done.CallbackID)
	assert.Contains(t, viewText(t, done.raw), "already been shared as a win")
	h.ack(h.fake.SendReaction(true, dev, "trophy", salesCh, ts, chloe))
	eventually(t, func() bool { n, _ := h.st.OutboxLen(); return n == 0 }, "outbox drained")
	assert.Len(t, h.wins(), 1, "the trophy on the message cheers it, no second win")
	assertNeverLinked(t, h, s, chloe, "chloe")

	t.Run("ErrForgedChoice", func(t *testing.T) {
		a := h.ack(h.fake.SendViewSubmission(ana, "win_modal", "", map[string]map[string]string{
			"what": {"what": "Anything"}, "visibility": {"visibility": "option:everyone-but-legal"}}))
		assert.Contains(t, string(a.Payload), `"visibility":"Choose who sees it."`)
		assert.Len(t, h.wins(), 1)
	})
}
