package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/slack-go/slack"

	"flywheel/bot"
	"flywheel/bot/slackfake"
	"flywheel/config"
	"flywheel/digest"
	htmlreport "flywheel/digest/report"
	"flywheel/store"
)

// trendResult is what trends cost on one history.
type trendResult struct {
	Records int
	// Recount is 12 weeks counted from the records (no rollup kept yet);
	// Firing is 12 weeks when 11 are kept and the week that just closed is
	// counted (what a digest firing does); Kept is 12 weeks all read from
	// rollups (every later read: App Home, reports, the next preview).
	Recount, Firing, Kept opCost
	Chart                 opCost // the 12-week chart PNG
	Report52              opCost // 52 weeks: trends from rollups and the HTML report
	ReportBytes           int
}

// homeResult is the admins' App Home on one history: built from the store
// and published to the fake Slack, timed end to end.
type homeResult struct {
	Records       int
	N             int
	P50, P99, Max time.Duration
}

// measureTrends times trends on a copy of h (rollups are written).
func measureTrends(ctx context.Context, h history, p params, dir string) (trendResult, error) {
	res := trendResult{Records: h.records}
	st, done, err := openCopy(h, filepath.Join(dir, "trends.db"), store.Options{})
	if err != nil {
		return res, err
	}
	defer done()
	cfg := historyConfig()
	runs := digestRuns
	if p.quick {
		runs = 1 // a smoke run: every row reported, the numbers not
	}
	// dropRollups drops the week rollups of the weeks ending after at (all
	// of them at the zero time), as a change to the past would.
	dropRollups := func(at time.Time) error {
		return st.Update(func(tx *store.Tx) error { return tx.DropWeekRollupsAfter(at) })
	}
	var tr digest.Trend
	timed := func(prepare func() error, fn func() error) func() ([]time.Duration, error) {
		return func() ([]time.Duration, error) {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if err := prepare(); err != nil {
				return nil, err
			}
			start := time.Now()
			err := fn()
			return []time.Duration{time.Since(start)}, err
		}
	}
	twelve := func() (err error) {
		tr, err = digest.Trends(st, cfg, digestEnd, digest.DefaultTrendWeeks, "")
		return err
	}
	none := func() error { return nil }
	costs, err := measure(runs, timed(func() error { return dropRollups(time.Time{}) }, twelve))
	if err != nil {
		return res, err
	}
	res.Recount = costs[0]
	var kept int
	if err := st.View(func(tx *store.Tx) error { kept = tx.CountWeekRollups(); return nil }); err != nil {
		return res, err
	}
	if kept != len(tr.Weeks) {
		return res, fmt.Errorf("trends kept %d of %d closed weeks", kept, len(tr.Weeks))
	}
	// The weeks ending after the newest week's start: that week alone.
	newest := tr.Weeks[len(tr.Weeks)-1].Start
	costs, err = measure(runs, timed(func() error { return dropRollups(newest) }, twelve))
	if err != nil {
		return res, err
	}
	res.Firing = costs[0]
	if costs, err = measure(runs, timed(none, twelve)); err != nil {
		return res, err
	}
	res.Kept = costs[0]
	if tr.Weeks[len(tr.Weeks)-1].Wins == 0 {
		return res, fmt.Errorf("the trend is empty")
	}
	if costs, err = measure(runs, timed(none, func() error { _, err := digest.ChartPNG(tr); return err })); err != nil {
		return res, err
	}
	res.Chart = costs[0]
	// 52 weeks: count them once (kept from then on), then time the report.
	if _, err := digest.Trends(st, cfg, digestEnd, digest.MaxTrendWeeks, ""); err != nil {
		return res, err
	}
	var in digest.Input
	if err := st.View(func(tx *store.Tx) (err error) { in, err = digest.Gather(tx, digestEnd, digest.GatherWeeks); return err }); err != nil {
		return res, err
	}
	latest := digest.Build(in, cfg, digestEnd)
	var cw countWriter
	costs, err = measure(runs, timed(none, func() error {
		t52, err := digest.Trends(st, cfg, digestEnd, digest.MaxTrendWeeks, "")
		if err != nil {
			return err
		}
		cw = 0
		return htmlreport.Write(&cw, htmlreport.Input{Generated: digestEnd, Trend: t52, Latest: latest})
	}))
	if err != nil {
		return res, err
	}
	res.Report52, res.ReportBytes = costs[0], int(cw)
	return res, nil
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

// homeSamples is how many times the admins' Home tab is published.
const homeSamples = 200

// homeAt is when the admins' Home is opened: a minute before the digest
// of the history's last week fires, so the week the Home shows holds all
// its records (10k wins) and so does the week before: the most records a
// Home tab reads. The digest posted before it is the previous week's.
var homeAt = digestEnd.Add(-time.Minute)

// measureAdminHome publishes an admin's App Home (the bot's HomeView, then
// views.publish through slack-go to the fake Slack) on a copy of h at
// homeAt, after the digest of the week before was posted, and reports the
// latencies. The clock is fixed, so a run measures the same Home whatever
// the day.
func measureAdminHome(ctx context.Context, h history, p params, dir string) (homeResult, error) {
	res := homeResult{Records: h.records}
	posted := digestEnd.AddDate(0, 0, -7)
	clock := posted
	st, done, err := openCopy(h, filepath.Join(dir, "home.db"), store.Options{Now: func() time.Time { return clock }})
	if err != nil {
		return res, err
	}
	defer done()
	fake := slackfake.New()
	defer fake.Close()
	cfg := historyConfig()
	admin := cfg.Teams[0].Members[0]
	cfg.Admins = []string{admin}
	fake.AddUser(admin, "admin")
	log := logrus.New()
	log.SetOutput(io.Discard)
	cfg.APIURL, cfg.BotToken, cfg.AppToken = fake.APIURL(), "xoxb-bench", "xapp-bench"
	b := bot.New(cfg, st, bot.Options{Log: log})
	// The digest of the week before, as posted at its firing: its numbers
	// are kept and its weeks' rollups counted.
	if err := digest.NewScheduler(st, func() *config.Config { return cfg }, log, nil).FireAt(ctx, posted); err != nil {
		return res, err
	}
	clock = homeAt
	api := slack.New(cfg.BotToken, slack.OptionAPIURL(fake.APIURL()))
	samples := homeSamples
	if p.quick {
		samples = 5
	}
	var ds []time.Duration
	for range samples {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		start := time.Now()
		view, err := b.HomeView(admin)
		if err != nil {
			return res, err
		}
		if _, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: admin, View: view}); err != nil {
			return res, fmt.Errorf("views.publish: %w", err)
		}
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	res.N = len(ds)
	res.P50, res.P99, res.Max = ds[len(ds)/2], ds[max(0, (len(ds)*99+99)/100-1)], ds[len(ds)-1]
	return res, nil
}

// openCopy opens a writable copy of h's store at db; done closes and
// removes it. Measurements that write (rollups, a posted digest) never
// touch the cached history.
func openCopy(h history, db string, opts store.Options) (st *store.Store, done func(), err error) {
	if err := copyFile(h.path, db); err != nil {
		return nil, nil, fmt.Errorf("copy the store: %w", err)
	}
	if st, err = store.Open(db, opts); err != nil {
		_ = os.Remove(db)
		return nil, nil, err
	}
	return st, func() { _ = st.Close(); _ = os.Remove(db) }, nil
}
