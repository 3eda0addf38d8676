package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"flywheel/config"
	"flywheel/store"
)

// A read command (digest --dry-run, export, report, rollout) only reads the
// database. While `flywheel run` holds bbolt's lock, the command runs
// inside the bot, against the bot's open store, asked through a Unix socket
// beside the database (see readserver.go); when no bot answers there, it
// opens the file read-only itself. Either way the same function does the
// work, so the output is the same.
type readCommand func(ctx context.Context, rc readCtx, args []string) error

// readCtx is what a read command works with.
type readCtx struct {
	cfg            *config.Config
	db             viewer
	stdout, stderr io.Writer
	// create opens an output file (a chart, a report) by the path the user
	// gave; through the socket the bytes go back to the command line, which
	// writes the file where the user ran it.
	create func(path string) (io.WriteCloser, error)
	now    func() time.Time
}

// viewer runs fn in one read transaction: *store.Store does.
type viewer interface {
	View(fn func(*store.Tx) error) error
}

// readCommands are the commands a running bot serves on its socket.
var readCommands = map[string]readCommand{
	"digest":  digestCommand,
	"export":  exportCommand,
	"report":  reportCommand,
	"rollout": rolloutCommand,
	"outbox":  outboxCommand,
}

// readOnlyTimeout bounds the wait for the database lock when no bot answered
// on the socket: a bot holding the file saying so beats hanging.
const readOnlyTimeout = time.Second

// runRead runs read command name: through the running bot when one answers
// on the socket beside FLYWHEEL_DB, else against the file.
func runRead(ctx context.Context, name string, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		return err
	}
	if served, err := askBot(ctx, socketPath(cfg.DBPath), name, args, stdout, stderr); served {
		return err
	}
	db := &lazyStore{cfg: cfg, command: name}
	defer db.close()
	rc := readCtx{cfg: cfg, db: db, stdout: stdout, stderr: stderr, now: time.Now,
		create: func(path string) (io.WriteCloser, error) { return os.Create(path) }}
	if err := readCommands[name](ctx, rc, args); err != nil {
		return err
	}
	return db.close()
}

// lazyStore opens the database on first use, so a command that stops at a
// usage error never needs (or complains about) the file.
type lazyStore struct {
	cfg     *config.Config
	command string
	once    sync.Once
	st      *store.Store
	err     error
}

func (l *lazyStore) View(fn func(*store.Tx) error) error {
	l.once.Do(func() { l.st, l.err = openReadOnly(l.cfg, l.command) })
	if l.err != nil {
		return l.err
	}
	return l.st.View(fn)
}

func (l *lazyStore) close() error {
	if l.st == nil {
		return nil
	}
	st := l.st
	l.st = nil
	return st.Close()
}

// openReadOnly opens the database for a read command when no bot answered
// on its socket. A bot that holds the file anyway (an older version, or its
// socket could not be made) gets an error saying what to do.
func openReadOnly(cfg *config.Config, command string) (*store.Store, error) {
	st, err := store.Open(cfg.DBPath, store.Options{ReadOnly: true, Timeout: readOnlyTimeout})
	switch {
	case errors.Is(err, store.ErrLocked):
		return nil, fmt.Errorf("%w; no bot answered on %s, so `flywheel %s` can read it once the bot is stopped",
			err, socketPath(cfg.DBPath), command)
	case errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("no database at %s: set FLYWHEEL_DB to the file `flywheel run` uses", cfg.DBPath)
	}
	return st, err
}

// socketPath is where a running bot answers read commands: beside the
// database, so whoever can read the database finds it and nobody else can.
func socketPath(dbPath string) string { return dbPath + ".sock" }
