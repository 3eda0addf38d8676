package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"flywheel/digest"
	"flywheel/store"
)

// uploadTipsExport follows the wins CSV of `/flywheel export` with the
// quarter's tips (digest.TipRows, the rows `flywheel export --kind tips`
// writes), when there are any.
func (b *Bot) uploadTipsExport(ctx context.Context, dm, label string, from, to time.Time) error {
	var data []byte
	var n int
	err := b.st.View(func(tx *store.Tx) (err error) {
		data, n, err = tipsCSV(tx, from, to)
		return err
	})
	if err != nil {
		return fmt.Errorf("build tips export: %w", err)
	}
	if n == 0 {
		return nil
	}
	_, err = b.api.UploadFileContext(ctx, slack.UploadFileParameters{
		Filename: "flywheel-tips-" + label + ".csv", Title: "Flywheel tips " + label,
		Content: string(data), FileSize: len(data), Channel: dm,
		InitialComment: fmt.Sprintf(":bulb: This quarter's tips (%s): %s, with the same columns as `flywheel export --kind tips`.",
			label, plural(n, "tip")),
	})
	return err
}

// tipsCSV writes the tips with from <= At < to as CSV and says how many.
func tipsCSV(tx *store.Tx, from, to time.Time) ([]byte, int, error) {
	rows, err := digest.TipRows(tx, from, to)
	if err != nil {
		return nil, 0, err
	}
	return csvOf(digest.TipHeader, rows)
}
