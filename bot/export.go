package bot

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"time"

	"github.com/slack-go/slack"

	"flywheel/config"
	"flywheel/digest"
	"flywheel/store"
)

// exportCommand is `/flywheel export` (admins): it queues the upload of
// this quarter's wins as a CSV to the admin's DM and answers at once. The
// CSV is built and uploaded by the sender, never on the ack path; the
// entry is committed with the envelope's dedupe mark, so a redelivered
// envelope sends one export, not two.
func (b *Bot) exportCommand(tx *store.Tx, cmd slack.SlashCommand) (any, error) {
	cfg := b.Config()
	if !cfg.IsAdmin(cmd.UserID) {
		return ephemeral("Sorry, only Flywheel admins can export the wins. Ask one of them: " + mentions(cfg.Admins)), nil
	}
	if _, err := tx.Enqueue(store.OutboxEntry{Kind: store.OutboxExport, User: cmd.UserID}); err != nil {
		return nil, err
	}
	_, _, label := quarterOf(tx.Now(), cfg.Location())
	return ephemeral(fmt.Sprintf("Preparing your export… I'll DM you this quarter's wins (%s) as a CSV in a moment.", label)), nil
}

// quarterOf is the calendar quarter holding t in loc, as [from, to) and a
// label like "2026-Q4".
func quarterOf(t time.Time, loc *time.Location) (from, to time.Time, label string) {
	t = t.In(loc)
	q := (int(t.Month()) - 1) / 3
	from = time.Date(t.Year(), time.Month(q*3+1), 1, 0, 0, 0, 0, loc)
	return from, from.AddDate(0, 3, 0), fmt.Sprintf("%d-Q%d", t.Year(), q+1)
}

// sendExport builds the CSV of the quarter the request was made in (its
// CreatedAt) from a read snapshot, then uploads it to the admin's DM:
// conversations.open, files.getUploadURLExternal, the upload itself,
// files.completeUploadExternal. A retry after a crash between the upload
// and the entry's removal sends the file again: a duplicate export is
// harmless, a lost one is not.
func (b *Bot) sendExport(ctx context.Context, e store.OutboxEntry) error {
	cfg := b.Config()
	from, to, label := quarterOf(e.CreatedAt, cfg.Location())
	var data []byte
	var n int
	err := b.st.View(func(tx *store.Tx) (err error) {
		data, n, err = winsCSV(tx, cfg, from, to)
		return err
	})
	if err != nil {
		return fmt.Errorf("build export: %w", err)
	}
	cctx, cancel := context.WithTimeout(ctx, b.opts.CallTimeout)
	dm, _, _, err := b.api.OpenConversationContext(cctx, &slack.OpenConversationParameters{Users: []string{e.User}})
	cancel()
	if err != nil {
		return fmt.Errorf("conversations.open: %w", err)
	}
	// Three calls, one of them carrying the file: give them room.
	cctx, cancel = context.WithTimeout(ctx, 3*b.opts.CallTimeout)
	defer cancel()
	if !slices.Contains(e.Done, exportWinsSent) {
		_, err = b.api.UploadFileContext(cctx, slack.UploadFileParameters{
			Filename: "flywheel-wins-" + label + ".csv", Title: "Flywheel wins " + label,
			Content: string(data), FileSize: len(data), Channel: dm.ID,
			InitialComment: fmt.Sprintf(":bar_chart: This quarter's wins (%s): %s, with the same columns as `flywheel export --kind wins`.",
				label, plural(n, "win")),
		})
		if err != nil {
			return err
		}
		// Noted before the tips CSV goes, so a retry after it fails does
		// not send the wins CSV again.
		err = b.st.Update(func(tx *store.Tx) error {
			_, err := tx.UpdateOutbox(e.ID, func(s *store.OutboxEntry) { s.Done = append(s.Done, exportWinsSent) })
			return err
		})
		if err != nil {
			return fmt.Errorf("note the wins CSV sent: %w", err)
		}
	}
	return b.uploadTipsExport(cctx, dm.ID, label, from, to)
}

// exportWinsSent is the step (OutboxEntry.Done) of an export whose wins
// CSV has been uploaded.
const exportWinsSent = "wins_csv"

// winsCSV writes the wins with from <= At < to as CSV (digest.WinRows,
// the rows `flywheel export --kind wins` writes) and says how many.
func winsCSV(tx *store.Tx, cfg *config.Config, from, to time.Time) ([]byte, int, error) {
	rows, err := digest.WinRows(tx, cfg, from, to)
	if err != nil {
		return nil, 0, err
	}
	return csvOf(digest.WinHeader, rows)
}

// csvOf writes header and rows as CSV and says how many rows: the one
// writer of every export's file.
func csvOf[R interface{ Cells() []string }](header []string, rows []R) ([]byte, int, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(header)
	for _, r := range rows {
		_ = w.Write(r.Cells())
	}
	w.Flush()
	return buf.Bytes(), len(rows), w.Error()
}
