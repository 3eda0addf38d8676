package bot_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot"
	"flywheel/config"
	"flywheel/store"
)

func TestScheduledBackup(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "backups")
		h := startWith(t, func(c *config.Config) {
			c.Backup = config.Backup{Schedule: "@every 1s", Dir: dir, Keep: 2}
		}, bot.Options{})
		h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", "ChatGPT drafted the QBR deck, saved 3h"))

		// The bot keeps serving; a backup taken after the win holds it.
		var authors []string
		eventually(t, func() bool {
			files, _ := filepath.Glob(filepath.Join(dir, "flywheel-*.db"))
			if len(files) == 0 {
				return false
			}
			b, err := store.Open(files[len(files)-1], store.Options{ReadOnly: true})
			if err != nil {
				return false
			}
			defer b.Close()
			require.NoError(t, b.Check())
			ws, err := b.WinsBetween(time.Unix(0, 0), time.Now().Add(time.Hour))
			require.NoError(t, err)
			authors = authors[:0]
			for _, w := range ws {
				authors = append(authors, w.Author)
			}
			return len(authors) == 1
		}, "a backup holding the win")
		assert.Equal(t, []string{ben}, authors)
		// The file is renamed into place just before the success is logged.
		eventually(t, func() bool { return strings.Contains(h.logs.String(), "backup written") }, "the backup is logged")
		files, err := filepath.Glob(filepath.Join(dir, "flywheel-*.db"))
		require.NoError(t, err)
		assert.LessOrEqual(t, len(files), 2, "backup.keep")
	})
	t.Run("ErrDirUnwritable", func(t *testing.T) {
		notDir := filepath.Join(t.TempDir(), "file")
		require.NoError(t, os.WriteFile(notDir, nil, 0o600))
		h := startWith(t, func(c *config.Config) {
			c.Backup = config.Backup{Schedule: "@every 1s", Dir: notDir, Keep: 2}
		}, bot.Options{})
		eventually(t, func() bool { return strings.Contains(h.logs.String(), "backup failed") }, "the failure is logged")
		a := h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", "Claude wrote the release notes, saved 1h"))
		assert.Contains(t, string(a.Payload), "Win recorded", "a failing backup doesn't stop the bot")
	})
}

func TestRetentionPrunesOnStart(t *testing.T) {
	h := startWith(t, func(c *config.Config) { c.Retention.Days = 30 }, bot.Options{})
	h.ack(h.fake.SendSlashCommand(ben, salesCh, "/win", "ChatGPT drafted the QBR deck, saved 3h"))
	require.NoError(t, h.st.Update(func(tx *store.Tx) error {
		old := store.Win{Author: ana, At: time.Now().AddDate(0, 0, -45), Text: "an old win", Source: store.SourceCommand}
		if err := tx.AddWin(&old); err != nil {
			return err
		}
		q := store.Question{Asker: ana, At: time.Now().AddDate(0, 0, -45), Text: "an old question?", Source: store.SourceAsk}
		return tx.AddQuestion(&q)
	}))
	require.Len(t, h.wins(), 2)

	// Retention runs daily and once at start.
	h.restart()
	eventually(t, func() bool { return len(h.wins()) == 1 }, "the old win pruned")
	assert.Equal(t, ben, h.wins()[0].Author, "recent records stay")
	assert.Empty(t, h.questions())
	eventually(t, func() bool { return strings.Contains(h.logs.String(), "retention: pruned old records") }, "logged")
}
