package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"

	"flywheel/digest"
)

const rolloutUsage = "usage: flywheel rollout [--json] [--at TIME]"

// rolloutCommand is `flywheel rollout`: the rollout plan from the records
// of the weeks before --at (default now): the sites and teams not enrolled
// yet by pull, who to give access first, next month's batch, the stalled
// teams. It only reads (see readcmd.go).
func rolloutCommand(_ context.Context, rc readCtx, args []string) error {
	stdout, stderr, cfg := rc.stdout, rc.stderr, rc.cfg
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
	end := rc.now()
	if *at != "" {
		var err error
		if end, err = parseTime(*at, cfg.Location()); err != nil {
			fmt.Fprintf(stderr, "flywheel rollout: --at: %v\n%s\n", err, rolloutUsage)
			return errUsage
		}
	}
	in, err := digest.LoadPlan(rc.db, end)
	if err != nil {
		return fmt.Errorf("read the records: %w", err)
	}
	plan := digest.BuildPlan(in, cfg, end)
	if !*asJSON {
		_, err = fmt.Fprint(stdout, digest.PlanText(plan))
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(plan)
}
