package main

import (
	"context"
	"flag"
	"fmt"

	"flywheel/digest"
	"flywheel/digest/report"
	"flywheel/store"
)

const reportUsage = "usage: flywheel report --html FILE [--weeks N] [--team NAME] [--at TIME]"

// reportCommand is `flywheel report --html FILE`: the programme report
// for leadership, one self-contained HTML file with the trends of the last
// --weeks weeks (12 by default, at most 52), the stage drift, spread,
// champions, teams asking for access and the rollout stage.
func reportCommand(_ context.Context, rc readCtx, args []string) error {
	cfg, stderr := rc.cfg, rc.stderr
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("html", "", "write the report to this HTML file (required)")
	weeks := fs.Int("weeks", digest.DefaultTrendWeeks, fmt.Sprintf("weeks of trends, 1 to %d", digest.MaxTrendWeeks))
	team := fs.String("team", "", "report on this team only")
	at := fs.String("at", "", "end of the last week: RFC3339 or a date (midnight in digest.timezone); default now")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 || *file == "" || *weeks < 1 || *weeks > digest.MaxTrendWeeks {
		fmt.Fprintln(stderr, reportUsage)
		return errUsage
	}
	end := rc.now()
	if *at != "" {
		var err error
		if end, err = parseTime(*at, cfg.Location()); err != nil {
			fmt.Fprintf(stderr, "flywheel report: --at: %v\n%s\n", err, reportUsage)
			return errUsage
		}
	}
	if *team != "" && !hasTeam(cfg, *team) {
		fmt.Fprintf(stderr, "flywheel report: --team: no team named %q in the config (teams: %s)\n", *team, teamNames(cfg))
		return errUsage
	}
	tr, err := digest.Trends(rc.db, cfg, end, *weeks, *team)
	if err != nil {
		return err
	}
	var in digest.Input
	if err := rc.db.View(func(tx *store.Tx) (err error) { in, err = digest.Gather(tx, end, digest.GatherWeeks); return err }); err != nil {
		return fmt.Errorf("read the week: %w", err)
	}
	latest := digest.Build(in, cfg, end)
	if *team != "" {
		latest = digest.BuildTeam(in, cfg, end, *team)
	}
	f, err := rc.create(*file)
	if err != nil {
		return fmt.Errorf("--html: %w", err)
	}
	if err := report.Write(f, report.Input{Generated: rc.now(), Trend: tr, Latest: latest}); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--html: write %s: %w", *file, err)
	}
	fmt.Fprintf(rc.stdout, "report written to %s (%d weeks)\n", *file, len(tr.Weeks))
	return nil
}
