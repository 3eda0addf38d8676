package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"flywheel/config"
	"flywheel/digest"
	"flywheel/store"
)

const digestUsage = "usage: flywheel digest --dry-run [--json] [--lead] [--team NAME] [--at TIME] [--chart FILE.png]"

// digestCommand is `flywheel digest --dry-run`: it prints the digest for
// the 7 days before --at (default now) as text or Block Kit JSON, without
// posting. Posting is `flywheel run`'s job, on digest.schedule, so that
// each firing posts exactly once.
func digestCommand(_ context.Context, rc readCtx, args []string) error {
	stdout, stderr, cfg := rc.stdout, rc.stderr, rc.cfg
	fs := flag.NewFlagSet("digest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dryRun := fs.Bool("dry-run", false, "print the digest instead of posting it (required)")
	asJSON := fs.Bool("json", false, `print Block Kit JSON ({"blocks":[...]}) to paste into Slack's Block Kit Builder`)
	lead := fs.Bool("lead", false, "print the lead digest (names, rollout, unanswered questions, capped wins) instead of the public one")
	admin := fs.Bool("admin", false, "the same as --lead (its earlier name)")
	team := fs.String("team", "", "print this team's slice instead of the company digest")
	at := fs.String("at", "", "end of the 7-day window: RFC3339 (2026-11-23T09:00:00Z) or a date (midnight in digest.timezone); default now")
	chartFile := fs.String("chart", "", "also write the digest's chart (the last 12 weeks) to this PNG file")
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
	var err error
	end := rc.now()
	if *at != "" {
		if end, err = parseTime(*at, cfg.Location()); err != nil {
			fmt.Fprintf(stderr, "flywheel digest: --at: %v\n%s\n", err, digestUsage)
			return errUsage
		}
	}
	if *team != "" && !hasTeam(cfg, *team) {
		fmt.Fprintf(stderr, "flywheel digest: --team: no team named %q in the config (teams: %s)\n", *team, teamNames(cfg))
		return errUsage
	}
	var in digest.Input
	err = rc.db.View(func(tx *store.Tx) (err error) {
		in, err = digest.Gather(tx, end, digest.GatherWeeks)
		return err
	})
	if err != nil {
		return fmt.Errorf("read the week: %w", err)
	}
	var d digest.Digest
	if *team != "" {
		d = digest.BuildTeam(in, cfg, end, *team)
	} else {
		d = digest.Build(in, cfg, end)
	}
	// The weeks before, as the posted digest shows them (the chart itself
	// is a Slack upload: --chart writes it here instead).
	tr, err := digest.Trends(rc.db, cfg, end, digest.DefaultTrendWeeks, *team)
	if err != nil {
		return err
	}
	if *chartFile != "" {
		if err := writeChart(rc, *chartFile, tr); err != nil {
			return err
		}
	}
	m := digest.RenderMessage(d, digest.RenderOptions{Lead: *lead || *admin, Trend: &tr})
	if !*asJSON {
		_, err = io.WriteString(stdout, m.Transcript)
		return err
	}
	raw, err := digest.BuilderJSON(m.Blocks)
	if err != nil {
		return fmt.Errorf("encode blocks: %w", err)
	}
	_, err = stdout.Write(raw)
	return err
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

// writeChart draws tr to path as a PNG.
func writeChart(rc readCtx, path string, tr digest.Trend) error {
	png, err := digest.ChartPNG(tr)
	if err != nil {
		return fmt.Errorf("draw chart: %w", err)
	}
	f, err := rc.create(path)
	if err != nil {
		return fmt.Errorf("--chart: %w", err)
	}
	if _, err := f.Write(png); err != nil {
		_ = f.Close()
		return fmt.Errorf("--chart: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--chart: write %s: %w", path, err)
	}
	fmt.Fprintf(rc.stderr, "chart written to %s\n", path)
	return nil
}
