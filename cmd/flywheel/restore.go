package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"flywheel/config"
	"flywheel/store"
)

// runRestore is `flywheel restore --from FILE`: it puts a verified backup in
// place of the database at FLYWHEEL_DB, keeping the file it replaces. The
// bot must be stopped; a running one holds the lock and the restore refuses.
func runRestore(_ context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "the backup file to restore (a flywheel-*.db from backup.dir)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *from == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: flywheel restore --from FILE   (restores into FLYWHEEL_DB; stop the bot first)")
		return errUsage
	}
	db := strings.TrimSpace(getenv("FLYWHEEL_DB"))
	if db == "" {
		db = config.DefaultDBPath
	}
	previous, err := store.Restore(*from, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Restored %s from %s.\n", db, *from)
	if previous != "" {
		fmt.Fprintf(stdout, "The database it replaced is kept as %s.\n", previous)
	}
	return nil
}
