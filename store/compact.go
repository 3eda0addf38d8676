package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// Compact copies the database into a fresh file and swaps it in. bbolt
// leaves deleted and overwritten values in free pages until they are
// reused, so after a forget the person's words would still be readable in
// the file; after Compact they are not. Every transaction waits while it
// runs: a pause of about the time it takes to copy the live data.
//
// The copy is synced and renamed over the database while both files are
// open and locked, so a crash leaves either the old file or the new one,
// and no other process can slip in between.
func (s *Store) Compact() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.opts.ReadOnly {
		return errors.New("compact: the database is open read-only")
	}
	tmp := s.path + ".compact"
	_ = os.Remove(tmp) // left by a crash during an earlier compaction
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: s.opts.Timeout})
	if err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	fail := func(err error) error {
		_ = dst.Close()
		_ = os.Remove(tmp)
		return fmt.Errorf("compact %s: %w", s.path, err)
	}
	if err := bolt.Compact(dst, s.db, 0); err != nil {
		return fail(err)
	}
	if err := dst.Sync(); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, s.path); err != nil {
		return fail(err)
	}
	if err := syncDir(filepath.Dir(s.path)); err != nil {
		return fmt.Errorf("compact %s: %w", s.path, err)
	}
	old := s.db
	s.db = dst
	if err := old.Close(); err != nil {
		return fmt.Errorf("compact %s: close the old file: %w", s.path, err)
	}
	return nil
}

// CopiesOf lists the files that hold copies of the database at path: the
// backups in backupDir ("" for none) and the files Restore kept beside
// path. Forget rewrites each of them.
func CopiesOf(path, backupDir string) ([]string, error) {
	var out []string
	if backupDir != "" {
		entries, err := os.ReadDir(backupDir)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("list backups: %w", err)
		}
		for _, e := range entries {
			if e.Type().IsRegular() && backupName.MatchString(e.Name()) {
				out = append(out, filepath.Join(backupDir, e.Name()))
			}
		}
	}
	kept, err := filepath.Glob(path + ".before-restore-*")
	if err != nil {
		return nil, fmt.Errorf("list restored copies: %w", err)
	}
	out = append(out, kept...)
	slices.Sort(out)
	return out, nil
}

// ForgetInCopy rewrites the database copy at path (a backup) without user,
// as ForgetAs with the same placeholder did to the live database, then
// compacts it so nothing of theirs stays in its free pages. A copy of an
// older schema is migrated on the way.
func ForgetInCopy(path, user, team, placeholder string) error {
	s, err := Open(path, Options{})
	if err != nil {
		return fmt.Errorf("rewrite %s: %w", path, err)
	}
	err = s.Update(func(tx *Tx) error {
		_, err := tx.ForgetAs(user, team, placeholder)
		return err
	})
	if err == nil {
		err = s.Compact()
	}
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("rewrite %s: %w", path, err)
	}
	return nil
}
