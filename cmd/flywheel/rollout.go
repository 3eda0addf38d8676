package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"flywheel/config"
	"flywheel/digest"
	"flywheel/store"
)

const rolloutUsage = "usage: flywheel rollout [--json] [--at TIME]"

// runRollout is `flywheel rollout`: the rollout plan from the records of
// the weeks before --at (default now): the sites and teams not enrolled
// yet by pull, who to give access first, next month's batch, the stalled
// teams. It reads the database and changes nothing.
func runRollout(_ context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rollout", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the plan as JSON")
	at := fs.String("at", "", "plan as of TIME: RFC3339 (2026-11-23T09:00:00Z) or a date (midnight in digest.timezone); default now")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, rolloutUsage)
		return errUsage
	}
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		return err
	}
	end, err := atFlag(*at, cfg, "rollout", rolloutUsage, stderr)
	if err != nil {
		return err
	}
	var in digest.Input
	if err := readOnly(cfg, "rollout", func(st *store.Store) (err error) { in, err = digest.LoadPlan(st, end); return err }); err != nil {
		return fmt.Errorf("read the records: %w", err)
	}
	plan := digest.BuildPlan(in, cfg, end)
	if !*asJSON {
		_, err = io.WriteString(stdout, digest.PlanText(plan))
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(plan)
}
