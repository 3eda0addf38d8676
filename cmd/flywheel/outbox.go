package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"flywheel/config"
	"flywheel/store"
)

const outboxUsage = `usage: flywheel outbox [--dead] [--json]
       flywheel outbox retry ID|--all   (with the bot stopped)`

// outboxRow is one entry as `flywheel outbox` shows it: what it is, where
// it goes, how long it has waited and why. Never the message's text.
type outboxRow struct {
	ID        uint64 `json:"id"`
	Kind      string `json:"kind"`
	To        string `json:"to"`
	QueuedAt  string `json:"queued_at"`
	AgeSecs   int64  `json:"age_seconds"`
	Attempts  int    `json:"attempts"`
	NextTry   string `json:"next_try,omitempty"`
	Sending   bool   `json:"sending,omitempty"`
	LastError string `json:"last_error,omitempty"`
}

// outboxCommand is `flywheel outbox [--dead] [--json]`: the Slack calls
// the bot still owes (or, with --dead, those it gave up on). A read
// command: it runs through the running bot, or on the file when stopped.
func outboxCommand(_ context.Context, rc readCtx, args []string) error {
	fs := flag.NewFlagSet("outbox", flag.ContinueOnError)
	fs.SetOutput(rc.stderr)
	dead := fs.Bool("dead", false, "list the dead letters instead of what is pending")
	asJSON := fs.Bool("json", false, "one JSON array")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		fmt.Fprintln(rc.stderr, outboxUsage)
		return errUsage
	}
	now := rc.now()
	rows := []outboxRow{}
	err := rc.db.View(func(tx *store.Tx) error {
		return tx.EachOutbox(*dead, func(e store.OutboxEntry) error {
			r := outboxRow{ID: e.ID, Kind: e.Kind, To: e.Target(), Attempts: e.Attempts, Sending: e.Sending, LastError: e.LastError}
			if !e.CreatedAt.IsZero() {
				r.QueuedAt = e.CreatedAt.UTC().Format(time.RFC3339)
				r.AgeSecs = int64(now.Sub(e.CreatedAt).Seconds())
			}
			if !*dead && e.Due().After(now) {
				r.NextTry = e.Due().UTC().Format(time.RFC3339)
			}
			rows = append(rows, r)
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("read the outbox: %w", err)
	}
	if *asJSON {
		enc := json.NewEncoder(rc.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	return printOutbox(rc.stdout, rows, *dead)
}

func printOutbox(w io.Writer, rows []outboxRow, dead bool) error {
	what := "pending"
	if dead {
		what = "dead"
	}
	if len(rows) == 0 {
		_, err := fmt.Fprintf(w, "no %s outbox entries\n", what)
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tTO\tAGE\tATTEMPTS\tNEXT TRY\tLAST ERROR")
	for _, r := range rows {
		next := "now"
		if dead {
			next = "-"
		} else if r.NextTry != "" {
			next = r.NextTry
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%s\n", r.ID, r.Kind, r.To,
			(time.Duration(r.AgeSecs) * time.Second).String(), r.Attempts, next, r.LastError)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d %s\n", len(rows), what)
	return err
}

// runOutboxRetry is `flywheel outbox retry ID|--all`: it moves dead letters
// back to the outbox, due now with a fresh 24 hours. It writes the
// database, so it runs with the bot stopped; the bot sends what was
// requeued when it starts.
func runOutboxRetry(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("outbox retry", flag.ContinueOnError)
	fs.SetOutput(stderr)
	all := fs.Bool("all", false, "requeue every dead letter")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintln(stderr, outboxUsage)
		return errUsage
	}
	var id uint64
	switch {
	case *all && fs.NArg() == 0:
	case !*all && fs.NArg() == 1:
		n, err := strconv.ParseUint(fs.Arg(0), 10, 64)
		if err != nil {
			fmt.Fprintf(stderr, "flywheel outbox retry: %q is not an entry ID (see `flywheel outbox --dead`)\n%s\n", fs.Arg(0), outboxUsage)
			return errUsage
		}
		id = n
	default:
		fmt.Fprintln(stderr, outboxUsage)
		return errUsage
	}
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		return err
	}
	st, err := store.Open(cfg.DBPath, store.Options{Timeout: readOnlyTimeout})
	if errors.Is(err, store.ErrLocked) {
		return fmt.Errorf("%w: stop the bot first (`flywheel outbox retry` writes the database; the bot sends what was requeued when it starts)", err)
	}
	if err != nil {
		return err
	}
	n := 1
	err = st.Update(func(tx *store.Tx) (err error) {
		if *all {
			n, err = tx.RequeueAll()
			return err
		}
		return tx.Requeue(id)
	})
	err = errors.Join(err, st.Close())
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no dead letter %d (see `flywheel outbox --dead`)", id)
	}
	if err != nil {
		return fmt.Errorf("requeue: %w", err)
	}
	if n == 1 {
		fmt.Fprintln(stdout, "requeued 1 dead letter; the bot sends it when it starts")
	} else {
		fmt.Fprintf(stdout, "requeued %d dead letters; the bot sends them when it starts\n", n)
	}
	return nil
}
