package store

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

// TestMigration opens a file written by an older schema: the migration runs
// once, in the same transaction as the version bump; a failing migration
// leaves the file at its old version.
func TestMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := Open(path, Options{})
	require.NoError(t, err)
	require.NoError(t, s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchema, u64(SchemaVersion-1))
	}))
	require.NoError(t, s.Close())

	kept := migrations[SchemaVersion-1]
	t.Cleanup(func() { migrations[SchemaVersion-1] = kept })
	t.Run("ErrMigrationFails", func(t *testing.T) {
		migrations[SchemaVersion-1] = func(tx *bolt.Tx) error { return errors.New("boom") }
		_, err := Open(path, Options{})
		require.ErrorContains(t, err, "boom")
		ro, err := Open(path, Options{ReadOnly: true})
		require.Error(t, err, "still at the old version")
		assert.Nil(t, ro)
	})
	t.Run("OK", func(t *testing.T) {
		ran := 0
		migrations[SchemaVersion-1] = func(tx *bolt.Tx) error { ran++; return tx.Bucket(bucketMeta).Put([]byte("migrated"), []byte("yes")) }
		s, err := Open(path, Options{})
		require.NoError(t, err)
		require.NoError(t, s.Close())
		s, err = Open(path, Options{})
		require.NoError(t, err)
		defer s.Close()
		assert.Equal(t, 1, ran, "a migration runs once")
		require.NoError(t, s.db.View(func(tx *bolt.Tx) error {
			assert.Equal(t, "yes", string(tx.Bucket(bucketMeta).Get([]byte("migrated"))))
			v, err := schemaOf(tx)
			assert.Equal(t, SchemaVersion, v)
			return err
		}))
	})
}
