package bot_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot/slackfake"
	"flywheel/store"
)

func TestExportUploadsThisQuartersWinsToTheAdmin(t *testing.T) {
	h := start(t)
	h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", "ChatGPT cleaned the CRM export, saved 3h"))
	h.ack(h.fake.SendSlashCommand(chloe, salesCh, "/win", "=HYPERLINK(\"x\") Copilot wrote the macro, saved 1h"))
	h.ack(h.fake.SendSlashCommand(dev, salesCh, "/win", "Claude answered jane.doe@example.com in 5 min instead of 1h"))
	h.winPosts(2)
	eventually(t, func() bool { return len(h.wins()) == 3 && h.wins()[0].PostTS != "" }, "posts recorded")
	h.ack(h.fake.SendReaction(true, ana, "fire", winsCh, h.wins()[0].PostTS, ""))
	now := time.Now().UTC()
	quarterStart := time.Date(now.Year(), time.Month((int(now.Month())-1)/3*3+1), 1, 0, 0, 0, 0, time.UTC)
	require.NoError(t, h.st.Update(func(tx *store.Tx) error {
		return tx.AddWin(&store.Win{At: quarterStart.Add(-time.Hour), Author: ben, Text: "last quarter", Source: store.SourceCommand})
	}))

	a := h.ack(h.fake.SendSlashCommand(ana, salesCh, "/flywheel", "export"))
	assert.Contains(t, string(a.Payload), "Preparing your export…")

	eventually(t, func() bool { return len(h.fake.Calls("files.completeUploadExternal")) == 1 }, "upload completed")
	get := h.fake.Calls("files.getUploadURLExternal")[0]
	label := fmt.Sprintf("%d-Q%d", now.Year(), (int(now.Month())-1)/3+1)
	assert.Equal(t, "flywheel-wins-"+label+".csv", get.Params["filename"])
	done := h.fake.Calls("files.completeUploadExternal")[0]
	dm := h.fake.DMChannel(ana)
	assert.Equal(t, dm, done.Params["channel_id"], "shared in the admin's DM")
	var files []struct {
		ID string `json:"id"`
	}
	require.NoError(t, json.Unmarshal([]byte(done.Params["files"]), &files))
	require.Len(t, files, 1)
	data, _, ok := h.fake.UploadedFile(files[0].ID)
	require.True(t, ok)
	assert.Equal(t, get.Params["length"], strconv.Itoa(len(data)), "the declared length is what was sent")

	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 4, "a header and this quarter's three wins, not last quarter's")
	assert.Equal(t, []string{"id", "at", "author", "nominator", "team", "source", "minutes_saved", "counted_minutes",
		"tools", "cheers", "cheered_by", "permalink", "text"}, rows[0], "the CLI's columns")
	byAuthor := map[string][]string{}
	for _, r := range rows[1:] {
		byAuthor[r[2]] = r
	}
	assert.Equal(t, "Ops", byAuthor[ben][4])
	assert.Equal(t, "180", byAuthor[ben][6])
	assert.Equal(t, "1", byAuthor[ben][9])
	assert.Equal(t, ana, byAuthor[ben][10])
	assert.Contains(t, byAuthor[ben][11], "https://slack.com/archives/"+winsCh+"/p")
	assert.Equal(t, "ChatGPT cleaned the CRM export, saved 3h", byAuthor[ben][12])
	assert.Equal(t, `'=HYPERLINK("x") Copilot wrote the macro, saved 1h`, byAuthor[chloe][12], "no formulas")
	assert.Empty(t, byAuthor[dev][12], "a held win's text stays out of the file")
	assert.Equal(t, "55", byAuthor[dev][6], "its numbers stay in")

	msgs, err := h.fake.WaitBotMessages(dm, 1, wait)
	require.NoError(t, err)
	assert.Equal(t, []string{files[0].ID}, msgs[len(msgs)-1].FileIDs)
	assert.Contains(t, msgs[len(msgs)-1].Text, label+"): 3 wins")
}

func TestExportIsForAdminsOnly(t *testing.T) {
	h := start(t)
	a := h.ack(h.fake.SendSlashCommand(ben, salesCh, "/flywheel", "export"))
	var reply struct{ Text string }
	require.NoError(t, json.Unmarshal(a.Payload, &reply))
	assert.Contains(t, reply.Text, "only Flywheel admins can export")
	assert.Contains(t, reply.Text, "<@"+ana+">")
	n, err := h.st.OutboxLen()
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.Empty(t, h.fake.Calls("files.getUploadURLExternal"))
}

// TestExportRetriesAfterAFailedUpload: a failed step retries the whole
// upload from the outbox; the admin gets one file.
func TestExportRetriesAfterAFailedUpload(t *testing.T) {
	h := start(t)
	h.fake.Fail("files.completeUploadExternal", 1, 500, 0)
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/flywheel", "export"))
	eventually(t, func() bool {
		n, err := h.st.OutboxLen()
		return err == nil && n == 0 && len(h.fake.Calls("files.completeUploadExternal")) == 2
	}, "upload retried and completed")
	msgs := h.fake.BotMessages(h.fake.DMChannel(ana))
	require.Len(t, msgs, 1)
	assert.Len(t, msgs[0].FileIDs, 1)
	assert.Contains(t, msgs[0].Text, "no wins")
}

// TestExportRetriesOnlyTheFailedCSV: the wins CSV goes out, then the tips
// CSV's upload fails; the retry sends the tips CSV alone, so the admin gets
// each file once.
func TestExportRetriesOnlyTheFailedCSV(t *testing.T) {
	h := start(t)
	h.ack(h.fake.SendSlashCommand(ben, salesCh, "/tip", "In ChatGPT, Ctrl+K searches all your old chats"))
	h.fake.Fail("files.completeUploadExternal", 1, slackfake.Normal, 0) // the wins CSV
	h.fake.Fail("files.completeUploadExternal", 1, 500, 0)              // the tips CSV, once
	h.ack(h.fake.SendSlashCommand(ana, salesCh, "/flywheel", "export"))
	h.outboxEmpty()
	var names []string
	for _, c := range h.fake.Calls("files.getUploadURLExternal") {
		names = append(names, strings.SplitN(c.Params["filename"], "-2", 2)[0])
	}
	assert.Equal(t, []string{"flywheel-wins", "flywheel-tips", "flywheel-tips"}, names, "the wins CSV once, the tips CSV retried")
	var shared int
	for _, m := range h.fake.BotMessages(h.fake.DMChannel(ana)) {
		shared += len(m.FileIDs)
	}
	assert.Equal(t, 2, shared, "two files in the admin's DM")
}

// TestRedeliveredExportSendsOne: Slack redelivers `/flywheel export` (the
// ack was lost): the same answer, and one export, not two.
func TestRedeliveredExportSendsOne(t *testing.T) {
	h := start(t)
	h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", "ChatGPT cleaned the CRM export, saved 3h"))
	h.winPosts(1)
	env := h.fake.SendSlashCommand(ana, salesCh, "/flywheel", "export")
	first := h.ack(env)
	again := h.ack(h.fake.Redeliver(env))
	assert.JSONEq(t, string(first.Payload), string(again.Payload), "the same answer")
	h.outboxEmpty()
	assert.Len(t, h.fake.Calls("files.completeUploadExternal"), 1, "one export")
	assert.Equal(t, 1.0, testutil.ToFloat64(h.bot.Metrics().Duplicates))
}
