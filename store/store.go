// Package store keeps Flywheel's records (wins, amplifications, questions,
// the outbox of posts the bot owes) in one embedded bbolt file.
//
// Every public method runs in one transaction. Handlers that must commit
// several records atomically (a win, its dedupe mark and the outbox entry
// for its wins-channel post) use Update with a *Tx.
package store

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the version of the on-disk layout this code writes.
// Opening an older file runs the migrations up to it; a newer one is refused.
const SchemaVersion = 5

var (
	// ErrLocked means another process (usually a running bot) holds the file.
	ErrLocked = errors.New("database is in use by another process (is `flywheel run` running?)")
	// ErrCorrupt means the file is not a readable Flywheel database. The file is left untouched.
	ErrCorrupt = errors.New("database file is corrupt or not a Flywheel database (the file was left untouched; restore a backup or move it aside)")
	// ErrNewerSchema means the file was written by a newer Flywheel.
	ErrNewerSchema = errors.New("database was written by a newer Flywheel version; upgrade flywheel to open it")
	// ErrNotFound is returned when a record does not exist.
	ErrNotFound = errors.New("not found")
)

var (
	bucketMeta          = []byte("meta")
	bucketWins          = []byte("wins")             // timeKey -> winRecord
	bucketWinIDs        = []byte("wins_by_id")       // u64 id -> timeKey
	bucketWinByPost     = []byte("wins_by_post")     // channel/ts of the wins-channel post -> u64 id
	bucketWinBySource   = []byte("wins_by_src")      // channel/ts of a nominated message -> u64 id
	bucketWinByUser     = []byte("wins_by_user")     // user 0x00 timeKey -> nil
	bucketReactions     = []byte("reactions")        // u64 id ‖ reactor 0x00 emoji -> reactionRecord
	bucketDedupe        = []byte("dedupe")           // key -> dedupeRecord
	bucketOutbox        = []byte("outbox")           // u64 seq -> outboxRecord
	bucketDead          = []byte("outbox_dead")      // u64 seq -> outboxRecord (gave up; kept for admins)
	bucketOutboxDue     = []byte("outbox_due")       // lane ‖ u64(due) ‖ u64 seq -> target hash ‖ kind (outbox_due.go)
	bucketWinByTool     = []byte("wins_by_tool")     // lower(tool) 0x00 timeKey -> nil: recent wins with a tool
	bucketQuestions     = []byte("questions")        // timeKey -> questionRecord
	bucketQuestionIDs   = []byte("questions_by_id")  // u64 id -> timeKey
	bucketQuestionByMsg = []byte("questions_by_msg") // channel/ts -> u64 id
	bucketAnswers       = []byte("answers")          // timeKey -> answerRecord
	bucketAnswerByMsg   = []byte("answers_by_msg")   // channel/ts -> u64 id
	bucketFirings       = []byte("digest_firings")   // firing key ‖ 0x00 ‖ channel -> time posted: exactly-once digests
	bucketInspirations  = []byte("inspirations")     // timeKey -> inspirationRecord
	bucketInspByWin     = []byte("insp_by_win")      // u64 win ‖ user -> timeKey: one per person per win
	bucketInspByUser    = []byte("insp_by_user")     // user 0x00 timeKey -> u64 win
	bucketDue           = []byte("due")              // u64(dueAt) ‖ u64(id) ‖ kind -> nil: scheduled follow-ups and nudges
	allBuckets          = [][]byte{bucketMeta, bucketWins, bucketWinIDs, bucketWinByPost, bucketWinBySource, bucketWinByUser, bucketReactions, bucketDedupe, bucketOutbox, bucketDead, bucketOutboxDue, bucketWinByTool,
		bucketQuestions, bucketQuestionIDs, bucketQuestionByMsg, bucketAnswers, bucketAnswerByMsg, bucketDue, bucketFirings,
		bucketInspirations, bucketInspByWin, bucketInspByUser}
	keySchema  = []byte("schema_version")
	keyCreated = []byte("created_at")
)

// Options tunes Open.
type Options struct {
	// Timeout bounds the wait for the file lock; a second process gets
	// ErrLocked instead of hanging. Default 2s.
	Timeout time.Duration
	// ReadOnly opens the file with a shared lock (for the digest and export
	// commands). A read-only open never creates or migrates the file.
	ReadOnly bool
	// Now is the clock used for record timestamps; tests inject a fixed one.
	Now func() time.Time
	// WriteFault, when set, is asked before every write transaction; an
	// error fails the write as a full disk would. Fault-injection tests use
	// it to prove that a failed commit is never acked.
	WriteFault func() error
}

// Store is an open Flywheel database.
type Store struct {
	// mu pauses every transaction while Compact swaps the file: each
	// transaction holds it shared, Compact holds it alone. db changes only
	// under the exclusive lock.
	mu    sync.RWMutex
	db    *bolt.DB
	path  string
	opts  Options
	now   func() time.Time
	fault func() error
}

// Open opens (creating if needed) the database at path, creates every bucket
// and migrates the schema. It never overwrites a file it cannot read.
func Open(path string, opts Options) (s *Store, err error) {
	if opts.Timeout <= 0 {
		opts.Timeout = 2 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ReadOnly {
		if _, statErr := os.Stat(path); statErr != nil {
			return nil, fmt.Errorf("open database %s: %w", path, statErr)
		}
	}
	// bbolt panics on some kinds of page corruption; turn that into ErrCorrupt.
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("open database %s: %w (%v)", path, ErrCorrupt, r)
		}
	}()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.Timeout, ReadOnly: opts.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, classifyOpenError(err))
	}
	s = &Store{db: db, path: path, opts: opts, now: opts.Now, fault: opts.WriteFault}
	if err := s.init(opts.ReadOnly); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return s, nil
}

func classifyOpenError(err error) error {
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return ErrLocked
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrVersionMismatch),
		errors.Is(err, bolterrors.ErrChecksum), errors.Is(err, bolterrors.ErrInvalidMapping):
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	case errors.Is(err, os.ErrPermission):
		return fmt.Errorf("%w (check the file and directory permissions, or set FLYWHEEL_DB to a writable path)", err)
	}
	return err
}

// init creates the buckets and runs migrations in one transaction.
func (s *Store) init(readOnly bool) error {
	if readOnly {
		return s.db.View(func(tx *bolt.Tx) error {
			v, err := schemaOf(tx)
			if err != nil {
				return err
			}
			if v > SchemaVersion {
				return ErrNewerSchema
			}
			if v < SchemaVersion {
				return fmt.Errorf("database schema %d is older than %d: start `flywheel run` once to migrate it", v, SchemaVersion)
			}
			return nil
		})
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		v, err := schemaOf(tx)
		if err != nil {
			return err
		}
		if v > SchemaVersion {
			return ErrNewerSchema
		}
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		for ; v < SchemaVersion; v++ {
			if m := migrations[v]; m != nil {
				if err := m(tx); err != nil {
					return fmt.Errorf("migrate schema %d to %d: %w", v, v+1, err)
				}
			}
		}
		if tx.Bucket(bucketMeta).Get(keyCreated) == nil {
			if err := tx.Bucket(bucketMeta).Put(keyCreated, u64(uint64(s.now().UnixNano()))); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, u64(SchemaVersion))
	})
}

// migrations[v] upgrades a file from schema v to v+1, inside the open
// transaction. Version 0 is a brand-new file: the buckets are all it needs.
// Version 2 added the inspiration and first-interaction buckets; init
// creates missing buckets before migrating, so 1 → 2 needs no code, but the
// bump makes a read-only open of a version-1 file ask for a migration instead
// of finding those buckets missing. Version 3 keeps each person's first win
// as its own record and indexes reactions by the time they were made.
// Version 4 indexes wins by tool. Version 5 keeps week rollups in their
// own bucket and the inspiring win's team on each inspired win.
var migrations = map[int]func(*bolt.Tx) error{
	2: migrateFirstWinsAndReactionTimes,
	3: indexWinTools,
	4: migrateWeekRollups,
}

func schemaOf(tx *bolt.Tx) (int, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		if tx.Bucket(bucketWins) != nil {
			return 0, fmt.Errorf("%w: buckets without a schema record", ErrCorrupt)
		}
		return 0, nil
	}
	raw := meta.Get(keySchema)
	if len(raw) != 8 {
		return 0, fmt.Errorf("%w: bad schema record", ErrCorrupt)
	}
	return int(readU64(raw)), nil
}

// Close closes the file.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.db.Close()
}

// Path is the file path of the database.
func (s *Store) Path() string { return s.path }

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// Tx is a transaction with the store's clock fixed at its start.
type Tx struct {
	tx  *bolt.Tx
	now time.Time
	// reactions is Amplifiers' cursor, reused within a read transaction.
	reactions *bolt.Cursor
}

// Now is the transaction's timestamp.
func (t *Tx) Now() time.Time { return t.now }

// OnCommit runs fn once the transaction has committed, and never if it
// does not: counters and other effects outside the file follow what was
// kept, even when a batch is rolled back and its jobs are run again.
func (t *Tx) OnCommit(fn func()) { t.tx.OnCommit(fn) }

// Update runs fn in one read-write transaction; nothing is kept if fn fails.
func (s *Store) Update(fn func(*Tx) error) error {
	if s.fault != nil {
		if err := s.fault(); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.db.Update(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx, now: s.now()}) })
}

// View runs fn in a read-only transaction. Don't talk to Slack inside it:
// a long read transaction holds old pages and grows the file.
func (s *Store) View(fn func(*Tx) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.db.View(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx, now: s.now()}) })
}

// Check runs bbolt's consistency check; tests call it after every scenario.
func (s *Store) Check() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.db.View(func(tx *bolt.Tx) error {
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		return errors.Join(errs...)
	})
}

// CreatedAt is when this database file was first opened by Flywheel.
func (t *Tx) CreatedAt() time.Time {
	raw := t.tx.Bucket(bucketMeta).Get(keyCreated)
	if len(raw) != 8 {
		return time.Time{}
	}
	return time.Unix(0, int64(readU64(raw))).UTC()
}
