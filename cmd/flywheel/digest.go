package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"flywheel/config"
	"flywheel/digest"
	"flywheel/store"
)

// readOnlyTimeout bounds the wait for the database lock in the read-only
// commands: a running bot holds the file, and saying so beats hanging.
const readOnlyTimeout = time.Second

const digestUsage = "usage: flywheel digest --dry-run [--json] [--admin] [--team NAME] [--at TIME]"

// runDigest is `flywheel digest --dry-run`: it prints the digest for the 7
// days before --at (default now) as text or Block Kit JSON, without
// posting. Posting is `flywheel run`'s job, on digest.schedule, so that
// each firing posts exactly once.
func runDigest(_ context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("digest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dryRun := fs.Bool("dry-run", false, "print the digest instead of posting it (required)")
	asJSON := fs.Bool("json", false, `print Block Kit JSON ({"blocks":[...]}) to paste into Slack's Block Kit Builder`)
	admin := fs.Bool("admin", false, "include the admins' section (wins counted at the cap)")
	team := fs.String("team", "", "print this team's slice instead of the company digest")
	at := fs.String("at", "", "end of the 7-day window: RFC3339 (2026-11-23T09:00:00Z) or a date (midnight in digest.timezone); default now")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, digestUsage)
		return errUsage
	}
	if !*dryRun {
		fmt.Fprintln(stderr, "flywheel digest: the digest is posted by `flywheel run` on digest.schedule, exactly once per firing;"+
			" this command only previews it. Run `flywheel digest --dry-run` to print it.")
		return errUsage
	}
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		return err
	}
	end, err := atFlag(*at, cfg, "digest", digestUsage, stderr)
	if err != nil {
		return err
	}
	if *team != "" && !hasTeam(cfg, *team) {
		fmt.Fprintf(stderr, "flywheel digest: --team: no team named %q in the config (teams: %s)\n", *team, teamNames(cfg))
		return errUsage
	}
	var in digest.Input
	if err := readOnly(cfg, "digest", func(st *store.Store) (err error) { in, err = digest.Load(st, end); return err }); err != nil {
		return fmt.Errorf("read the week: %w", err)
	}
	var d digest.Digest
	if *team != "" {
		d = digest.BuildTeam(in, cfg, end, *team)
	} else {
		d = digest.Build(in, cfg, end)
	}
	text, blocks := digest.Render(d, digest.RenderOptions{Admin: *admin})
	if !*asJSON {
		_, err = io.WriteString(stdout, text)
		return err
	}
	raw, err := digest.BuilderJSON(blocks)
	if err != nil {
		return fmt.Errorf("encode blocks: %w", err)
	}
	_, err = stdout.Write(raw)
	return err
}

// openReadOnly opens the database for a read-only command (digest,
// export). A running bot holds the file; the error then says what to do.
func openReadOnly(cfg *config.Config, command string) (*store.Store, error) {
	st, err := store.Open(cfg.DBPath, store.Options{ReadOnly: true, Timeout: readOnlyTimeout})
	switch {
	case errors.Is(err, store.ErrLocked):
		return nil, fmt.Errorf("%w; `flywheel %s` can read it once the bot is stopped", err, command)
	case errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("no database at %s: set FLYWHEEL_DB to the file `flywheel run` uses", cfg.DBPath)
	}
	return st, err
}

// readOnly opens the database for a read-only command, runs read on it
// and closes it, keeping the first error.
func readOnly(cfg *config.Config, command string, read func(*store.Store) error) error {
	st, err := openReadOnly(cfg, command)
	if err != nil {
		return err
	}
	err = read(st)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	return err
}

// atFlag is a read-only command's --at: now when empty, else parseTime in
// digest.timezone; a bad value prints the usage and is errUsage.
func atFlag(at string, cfg *config.Config, command, usage string, stderr io.Writer) (time.Time, error) {
	if at == "" {
		return time.Now(), nil
	}
	t, err := parseTime(at, cfg.Location())
	if err != nil {
		fmt.Fprintf(stderr, "flywheel %s: --at: %v\n%s\n", command, err, usage)
		return time.Time{}, errUsage
	}
	return t, nil
}

// parseTime reads RFC3339 or a plain date, which means midnight in loc.
func parseTime(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is neither RFC3339 (2026-11-23T09:00:00Z) nor a date (2026-11-23)", s)
}

func hasTeam(cfg *config.Config, name string) bool {
	for _, t := range cfg.Teams {
		if t.Name == name {
			return true
		}
	}
	return false
}

func teamNames(cfg *config.Config) string {
	if len(cfg.Teams) == 0 {
		return "none"
	}
	names := make([]string, len(cfg.Teams))
	for i, t := range cfg.Teams {
		names[i] = t.Name
	}
	return strings.Join(names, ", ")
}
