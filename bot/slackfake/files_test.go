package slackfake

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"testing"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func tinyPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// upload runs slack-go's UploadFile (files.getUploadURLExternal, the POST,
// files.completeUploadExternal) with no channel: the file stays private to
// the app, as a chart referenced from an image block does.
func upload(t *testing.T, api *slack.Client, name string, data []byte) *slack.FileSummary {
	t.Helper()
	f, err := api.UploadFileContext(t.Context(), slack.UploadFileParameters{
		Filename: name, Title: name, Reader: bytes.NewReader(data), FileSize: len(data)})
	require.NoError(t, err)
	return f
}

func imageBlock(file *slack.SlackFileObject, alt string) slack.Block {
	return slack.NewImageBlockSlackFile(file, alt, "chart", nil)
}

func TestUploadFlow(t *testing.T) {
	f := newFake(t)
	api := newAPI(f)
	data := tinyPNG(t)
	file := upload(t, api, "chart.png", data)
	got, name, ok := f.UploadedFile(file.ID)
	require.True(t, ok)
	assert.Equal(t, "chart.png", name)
	assert.Equal(t, data, got)
	assert.True(t, f.FileCompleted(file.ID))
	assert.Empty(t, f.BotMessages(winsCh), "no channel: the file is private to the app, nothing posted")

	get := f.Calls("files.getUploadURLExternal")
	require.Len(t, get, 1)
	assert.Equal(t, "chart.png", get[0].Params["filename"])
	assert.Equal(t, strconv.Itoa(len(data)), get[0].Params["length"], "length is the byte count")

	t.Run("CompleteBeforeUpload", func(t *testing.T) {
		u, err := api.GetUploadURLExternalContext(t.Context(), slack.GetUploadURLExternalParameters{FileName: "x.png", FileSize: 10})
		require.NoError(t, err)
		_, err = api.CompleteUploadExternalContext(t.Context(), slack.CompleteUploadExternalParameters{
			Files: []slack.FileSummary{{ID: u.FileID}}})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "file_not_found")
	})
	t.Run("BadLength", func(t *testing.T) {
		_, err := api.GetUploadURLExternalContext(t.Context(), slack.GetUploadURLExternalParameters{FileName: "x.png", FileSize: -3})
		require.Error(t, err)
	})
}

func TestImageBlocksNeedAnUploadedImage(t *testing.T) {
	f := newFake(t)
	api := newAPI(f)
	chart := upload(t, api, "chart.png", tinyPNG(t))
	csv := upload(t, api, "wins.csv", []byte("id,text\n1,hello\n"))
	pending, err := api.GetUploadURLExternalContext(t.Context(), slack.GetUploadURLExternalParameters{FileName: "late.png", FileSize: 67})
	require.NoError(t, err)
	require.NoError(t, api.UploadToURL(t.Context(), slack.UploadToURLParameters{UploadURL: pending.UploadURL,
		Reader: bytes.NewReader(tinyPNG(t)), Filename: "late.png"}))

	cases := []struct {
		name  string
		block slack.Block
		err   string
	}{
		{"ByID", imageBlock(&slack.SlackFileObject{ID: chart.ID}, "Wins per week: 3, 5, 8"), ""},
		{"ByURLPrivate", imageBlock(&slack.SlackFileObject{URL: fileURL(chart.ID, "chart.png")}, "chart"), ""},
		{"UnknownFile", imageBlock(&slack.SlackFileObject{ID: "F0NOPE"}, "chart"), "invalid slack file [json-pointer:/blocks/0/slack_file]"},
		{"NotCompleted", imageBlock(&slack.SlackFileObject{ID: pending.FileID}, "chart"), "invalid slack file"},
		{"NotAnImage", imageBlock(&slack.SlackFileObject{ID: csv.ID}, "chart"), "invalid slack file"},
		{"BothIDAndURL", imageBlock(&slack.SlackFileObject{ID: chart.ID, URL: fileURL(chart.ID, "chart.png")}, "chart"), "invalid slack file"},
		{"NoAltText", imageBlock(&slack.SlackFileObject{ID: chart.ID}, ""), "[json-pointer:/blocks/0/alt_text]"},
		{"AltTextTooLong", imageBlock(&slack.SlackFileObject{ID: chart.ID}, string(bytes.Repeat([]byte("a"), 2001))), "alt_text"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := api.PostMessageContext(t.Context(), winsCh, slack.MsgOptionText("chart", false), slack.MsgOptionBlocks(c.block))
			if c.err == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "invalid_blocks")
			calls := f.Calls("chat.postMessage")
			assert.Equal(t, "invalid_blocks", calls[len(calls)-1].Error)
			var se slack.SlackErrorResponse
			require.ErrorAs(t, err, &se)
			assert.Contains(t, se.ResponseMetadata.Messages[0], c.err)
		})
	}
	t.Run("HomeTab", func(t *testing.T) {
		home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{
			imageBlock(&slack.SlackFileObject{ID: chart.ID}, "Wins per week")}}}
		_, err := api.PublishViewContext(t.Context(), slack.PublishViewContextRequest{UserID: ana, View: home})
		assert.NoError(t, err)
		home.Blocks.BlockSet[0] = imageBlock(&slack.SlackFileObject{ID: csv.ID}, "Wins per week")
		_, err = api.PublishViewContext(t.Context(), slack.PublishViewContextRequest{UserID: ana, View: home})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "invalid_arguments")
	})
}
