package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// backupStamp is the UTC time in a backup's name: fixed width, so the names
// sort in time order.
const backupStamp = "20060102T150405Z"

// backupName matches the files Backup writes; Backup prunes only those.
var backupName = regexp.MustCompile(`^flywheel-\d{8}T\d{6}Z\.db$`)

// ErrCorruptBackup means a file given to Restore is not a sound Flywheel
// database. Nothing was changed: neither that file nor the database.
var ErrCorruptBackup = errors.New("the backup file is not a sound Flywheel database; nothing was changed")

// Backup writes a consistent snapshot of the database to
// dir/flywheel-YYYYMMDDTHHMMSSZ.db (the store's clock, UTC) and returns its
// path, then deletes all but the keep newest such files (keep <= 0 keeps
// all). It runs while the bot serves: the snapshot is one read transaction,
// so writers carry on and the copy holds exactly what was committed when it
// began. Two backups in the same second share a name; the later one wins.
func (s *Store) Backup(dir string, keep int) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	path := filepath.Join(dir, "flywheel-"+s.now().UTC().Format(backupStamp)+".db")
	err := writeAtomically(path, func(f *os.File) error {
		s.mu.RLock()
		defer s.mu.RUnlock()
		return s.db.View(func(tx *bolt.Tx) error {
			_, err := tx.WriteTo(f)
			return err
		})
	})
	if err != nil {
		return "", fmt.Errorf("backup to %s: %w", dir, err)
	}
	if err := pruneBackups(dir, keep); err != nil {
		return path, fmt.Errorf("backup written to %s, but pruning old ones failed: %w", path, err)
	}
	return path, nil
}

// pruneBackups deletes all but the keep newest backups in dir.
func pruneBackups(dir string, keep int) error {
	if keep <= 0 {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && backupName.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names) // the stamp sorts in time order
	var errs []error
	for len(names) > keep {
		if err := os.Remove(filepath.Join(dir, names[0])); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
		names = names[1:]
	}
	return errors.Join(errs...)
}

// Restore verifies that from is a sound Flywheel database (it opens
// read-only at the current schema and passes bbolt's consistency check),
// then puts a copy of it at path. The file it replaces is kept as
// path.before-restore-YYYYMMDDTHHMMSSZ, whose name it returns ("" when
// there was none). It refuses with ErrLocked while a bot has path open, and
// with ErrCorruptBackup, changing nothing, when from is unsound.
//
// The swap is atomic: a copy is written and synced beside path, then renamed
// over it, so path is always either the old database or the new one.
func Restore(from, path string) (previous string, err error) {
	if same, _ := sameFile(from, path); same {
		return "", fmt.Errorf("restore: %s is the database itself; give a backup file", from)
	}
	if err := verifyBackup(from); err != nil {
		return "", fmt.Errorf("restore from %s: %w", from, err)
	}
	// Hold a shared lock on the current database until the swap is done: a
	// running bot (exclusive lock) makes this fail, and a bot starting now
	// waits for us, then opens the restored file.
	cur, err := Open(path, Options{ReadOnly: true, Timeout: time.Second})
	switch {
	case errors.Is(err, ErrLocked):
		return "", fmt.Errorf("restore to %s: %w; stop the bot first", path, ErrLocked)
	case err == nil:
		defer cur.Close()
	}
	// Any other error (missing, corrupt, older schema) is a file we replace.

	err = writeAtomically(path, func(f *os.File) error {
		src, err := os.Open(from)
		if err != nil {
			return err
		}
		defer src.Close()
		_, err = io.Copy(f, src)
		return err
	}, func() error {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		previous = path + ".before-restore-" + time.Now().UTC().Format(backupStamp)
		return keepCopy(path, previous)
	})
	if err != nil {
		return "", fmt.Errorf("restore to %s: %w", path, err)
	}
	return previous, nil
}

// verifyBackup opens from read-only and runs bbolt's consistency check.
func verifyBackup(from string) error {
	info, err := os.Stat(from)
	if err != nil {
		return err
	}
	// A copy cut short (a full disk) makes bbolt read past the end of the
	// mapped file: a fatal fault, not a panic. Check the size its metadata
	// claims before reading any page beyond the first two.
	db, err := bolt.Open(from, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		if err = classifyOpenError(err); errors.Is(err, ErrLocked) {
			return fmt.Errorf("%w (is that the live database?)", err)
		}
		return fmt.Errorf("%w: %w", ErrCorruptBackup, err)
	}
	var need int64
	_ = db.View(func(tx *bolt.Tx) error { need = tx.Size(); return nil })
	_ = db.Close()
	if need > info.Size() {
		return fmt.Errorf("%w: the file is %d bytes but its metadata needs %d (truncated?)", ErrCorruptBackup, info.Size(), need)
	}
	// Turn a fault on a damaged page into a panic that Open recovers from.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	s, err := Open(from, Options{ReadOnly: true, Timeout: time.Second})
	if errors.Is(err, ErrLocked) {
		return fmt.Errorf("%w (is that the live database?)", err)
	} else if err != nil {
		return fmt.Errorf("%w: %w", ErrCorruptBackup, err)
	}
	defer s.Close()
	if err := s.Check(); err != nil {
		return fmt.Errorf("%w: consistency check: %w", ErrCorruptBackup, err)
	}
	return nil
}

// keepCopy makes previous a second name for the file at path (a hard link,
// or a copy where the file system has none). It never overwrites.
func keepCopy(path, previous string) error {
	if err := os.Link(path, previous); err == nil {
		return nil
	} else if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("keep the current database: %w", err)
	}
	src, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("keep the current database: %w", err)
	}
	defer src.Close()
	dst, err := os.OpenFile(previous, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("keep the current database: %w", err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		_ = dst.Close()
		return fmt.Errorf("keep the current database: %w", err)
	}
	if err := dst.Sync(); err != nil {
		_ = dst.Close()
		return fmt.Errorf("keep the current database: %w", err)
	}
	return dst.Close()
}

// writeAtomically fills a temporary file beside path with fill, syncs it,
// runs each before hook, renames it to path and syncs the directory, so a
// crash leaves either the old file or the complete new one, never half.
func writeAtomically(path string, fill func(*os.File) error, before ...func() error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".flywheel-*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if err := fill(f); err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	for _, fn := range before {
		if err := fn(); err != nil {
			return err
		}
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}

// sameFile reports whether a and b name the same existing file.
func sameFile(a, b string) (bool, error) {
	ai, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	bi, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(ai, bi), nil
}

// PruneStats says what Prune deleted.
type PruneStats struct {
	Wins, Reactions, Questions, Answers, Inspirations, Interactions, DeadLetters, Dedupe int
}

// Prune deletes what is older than before: wins (with their reactions and
// indexes; a win waits until every cheer on it is older too), questions (with their follow-ups), answers, "I'll try this"
// clicks, dead-lettered posts, and expired dedupe records. It is
// retention.days at work. Each person's first win and first interaction
// (a time, no words) and the numbers of posted digests are kept: they are
// what keeps a past week's "new contributors" and trends from changing.
// The records go in one transaction, so a failure deletes none of them;
// dedupe records are purged after it.
func (s *Store) Prune(before time.Time) (PruneStats, error) {
	var st PruneStats
	err := s.Update(func(t *Tx) error {
		st = PruneStats{}
		r := removal{wins: map[uint64][]byte{}, questions: map[uint64][]byte{}}
		end := timePrefix(before)
		older := func(bucket []byte, each func(k []byte)) {
			c := t.tx.Bucket(bucket).Cursor()
			for k, _ := c.First(); k != nil && bytes.Compare(k, end) < 0; k, _ = c.Next() {
				each(bytes.Clone(k))
			}
		}
		older(bucketWins, func(k []byte) { r.wins[readU64(k[8:])] = k })
		// A win cheered since the cut-off is still in use: its cheers count
		// people as active in recent weeks. It goes once they are old too.
		for id := range r.wins {
			cheers, err := t.Cheers(id)
			if err != nil {
				return err
			}
			for _, c := range cheers {
				if !c.From.Before(before) {
					delete(r.wins, id)
					break
				}
			}
		}
		older(bucketQuestions, func(k []byte) { r.questions[readU64(k[8:])] = k })
		older(bucketAnswers, func(k []byte) { r.answers = append(r.answers, k) })
		if err := t.notePruned(before); err != nil {
			return err
		}
		var err error
		if st, err = t.remove(r); err != nil {
			return err
		}
		if st.Inspirations, err = t.deleteInspirationsBefore(end); err != nil {
			return err
		}
		if st.Interactions, err = t.pruneInteractions(before); err != nil {
			return err
		}
		st.DeadLetters, err = t.pruneDead(before)
		return err
	})
	if err != nil {
		return PruneStats{}, fmt.Errorf("prune before %s: %w", before.UTC().Format(time.RFC3339), err)
	}
	if st.Dedupe, err = s.PurgeSeen(); err != nil {
		return st, fmt.Errorf("prune: %w", err)
	}
	return st, nil
}

// pruneDead deletes dead-lettered posts queued before before.
func (t *Tx) pruneDead(before time.Time) (int, error) {
	n := 0
	err := t.deleteWhere(bucketDead, func(_, v []byte) bool {
		var e OutboxEntry
		if json.Unmarshal(v, &e) != nil || e.CreatedAt.Before(before) {
			n++
			return true
		}
		return false
	})
	return n, err
}
