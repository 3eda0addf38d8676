package bot

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/sirupsen/logrus"
	"github.com/slack-go/slack"

	"flywheel/digest"
	"flywheel/store"
)

// attachChart draws and uploads an entry's chart, once, and names the file in its
// blocks. The upload is shared in no channel: the image block shows it.
// If Slack can never take the file (say the app lacks files:write), the
// post goes out without the chart; a passing failure is retried.
func (b *Bot) attachChart(ctx context.Context, e *store.OutboxEntry) error {
	if len(e.Chart) > 0 && e.ChartFileID == "" {
		var spec digest.ChartSpec
		png, err := []byte(nil), json.Unmarshal(e.Chart, &spec)
		if err == nil {
			png, err = drawChart(e.Chart, spec)
		}
		if err != nil { // a chart that cannot be drawn never will be
			b.log.WithError(err).WithField("outbox_id", e.ID).Error("cannot draw the chart; posting without it")
			e.Blocks, e.Chart = withoutChart(e.Blocks), nil
			return nil
		}
		// Three calls, one carrying the file: give them room.
		cctx, cancel := context.WithTimeout(ctx, 3*b.opts.CallTimeout)
		f, err := b.api.UploadFileContext(cctx, slack.UploadFileParameters{
			Filename: "flywheel-trend.png", Title: spec.Title, Reader: bytes.NewReader(png), FileSize: len(png),
			AltTxt: "Flywheel's weekly trend chart"})
		cancel()
		switch {
		case err != nil && permanent(err):
			b.log.WithError(err).WithField("outbox_id", e.ID).Warn("cannot upload the chart; posting without it")
			e.Blocks, e.Chart = withoutChart(e.Blocks), nil
			return nil
		case err != nil:
			return fmt.Errorf("upload chart: %w", err)
		}
		e.ChartFileID = f.ID
		err = b.st.Update(func(tx *store.Tx) error {
			if e.ChartKey != "" {
				if err := digest.RememberChart(tx, e.ChartKey, f.ID); err != nil {
					return err
				}
			}
			_, err := tx.UpdateOutbox(e.ID, func(s *store.OutboxEntry) { s.ChartFileID = f.ID })
			return err
		})
		if err != nil {
			return fmt.Errorf("record chart upload: %w", err)
		}
		b.log.WithFields(logrus.Fields{"outbox_id": e.ID, "file": f.ID}).Debug("chart uploaded")
	}
	if e.ChartFileID != "" {
		e.Blocks = bytes.ReplaceAll(e.Blocks, []byte(digest.ChartFilePlaceholder), []byte(e.ChartFileID))
	}
	return nil
}

// chartRefused: Slack refused the blocks of a post that shows a chart
// (invalid_blocks; for a fresh upload Slack can still be processing it).
func chartRefused(e store.OutboxEntry, err error) bool {
	var se slack.SlackErrorResponse
	return errors.As(err, &se) && se.Err == "invalid_blocks" &&
		bytes.Contains(e.Blocks, []byte(`"block_id":"`+digest.ChartBlockID+`"`))
}

// withoutChart drops the chart's image block.
func withoutChart(raw json.RawMessage) json.RawMessage {
	var blocks []json.RawMessage
	if json.Unmarshal(raw, &blocks) != nil {
		return raw
	}
	out := blocks[:0]
	for _, b := range blocks {
		if !bytes.Contains(b, []byte(`"block_id":"`+digest.ChartBlockID+`"`)) {
			out = append(out, b)
		}
	}
	kept, err := json.Marshal(out)
	if err != nil {
		return raw
	}
	return kept
}

// drawnCharts keeps the last few charts drawn, by their figures: drawing
// is pure and costs tens of milliseconds, and a firing's team slices and
// a retried post often draw the same figures again.
var drawnCharts = struct {
	sync.Mutex
	keys [][32]byte
	pngs [][]byte
}{}

const keepDrawnCharts = 8

func drawChart(raw []byte, spec digest.ChartSpec) ([]byte, error) {
	key := sha256.Sum256(raw)
	drawnCharts.Lock()
	for i, k := range drawnCharts.keys {
		if k == key {
			png := drawnCharts.pngs[i]
			drawnCharts.Unlock()
			return png, nil
		}
	}
	drawnCharts.Unlock()
	png, err := spec.PNG()
	if err != nil {
		return nil, err
	}
	drawnCharts.Lock()
	defer drawnCharts.Unlock()
	if len(drawnCharts.keys) == keepDrawnCharts {
		drawnCharts.keys, drawnCharts.pngs = drawnCharts.keys[1:], drawnCharts.pngs[1:]
	}
	drawnCharts.keys, drawnCharts.pngs = append(drawnCharts.keys, key), append(drawnCharts.pngs, png)
	return png, nil
}
