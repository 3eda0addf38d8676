package digest

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"flywheel/config"
	"flywheel/store"
)

// Viewer runs fn in one read transaction (a *store.Store does). When it
// also has Update, Trends keeps the weeks it counted as rollups.
type Viewer interface {
	View(fn func(*store.Tx) error) error
}

type updater interface {
	Update(fn func(*store.Tx) error) error
}

// rollupVersion changes whenever TrendWeek or a rule it is counted by
// changes, so old rollups are recounted instead of trusted. (3: a chain
// whose inspiring win was pruned counts by the team kept on the win.)
const rollupVersion = 3

// Trends counts the weeks weeks before end (DefaultTrendWeeks when 0, at
// most MaxTrendWeeks) for team ("" for the company), oldest first, with
// their claims and question -> win conversion.
//
// A week that has closed (it ended store.SettleTime ago or more) is
// counted once and kept as a rollup under the rules' settings (teams, the
// per-win cap, the tool registry, the time zone): later calls read it
// instead of the records, so twelve weeks cost about what the open week
// costs. A record written into a closed week later drops the rollups it
// makes stale in its own transaction (store.SettleTime), and figures
// counted before such a change are not kept. Rollups are written only
// when db can write (the running bot); a read-only caller counts what is
// missing and keeps nothing.
func Trends(db Viewer, cfg *config.Config, end time.Time, weeks int, team string) (Trend, error) {
	return trends(db, cfg, end, weeks, team, true)
}

// trends is Trends; without useRollups it recounts every week from the
// records (what the tests compare the rollups with).
func trends(db Viewer, cfg *config.Config, end time.Time, weeks int, team string, useRollups bool) (Trend, error) {
	if weeks <= 0 {
		weeks = DefaultTrendWeeks
	}
	weeks = min(weeks, MaxTrendWeeks)
	wins := weekWindows(end, cfg.Location(), weeks)
	slices.Reverse(wins) // oldest first
	fp := settingsFingerprint(cfg)
	out := make([]TrendWeek, weeks)
	var fresh []int  // weeks counted now that are closed: to keep
	var epoch uint64 // the changes to the past the count saw
	err := db.View(func(tx *store.Tx) error {
		now := tx.Now()
		epoch = tx.RollupEpoch()
		var missing []int
		for i, w := range wins {
			if !useRollups {
				missing = append(missing, i)
				continue
			}
			if raw := tx.WeekRollup(w.from, w.to, rollupName(team, fp)); raw != nil && json.Unmarshal(raw, &out[i]) == nil {
				continue
			}
			missing = append(missing, i)
		}
		if len(missing) == 0 {
			fresh = refreshConversion(tx, cfg, wins, out, team, now, nil)
			return nil
		}
		first, last := missing[0], missing[len(missing)-1]
		in, r, err := gatherTrend(tx, cfg, wins[last].to, last-first+1, team)
		if err != nil {
			return err
		}
		counted := map[int]bool{}
		for _, i := range missing {
			out[i] = weekFigures(in, cfg, wins[i], r, team)
			out[i].ConversionFinal = settled(wins[i].to.Add(ConversionWindow), now)
			counted[i] = true
			if settled(wins[i].to, now) {
				fresh = append(fresh, i)
			}
		}
		fresh = append(fresh, refreshConversion(tx, cfg, wins, out, team, now, counted)...)
		return nil
	})
	if err != nil {
		return Trend{}, fmt.Errorf("trends: %w", err)
	}
	if up, ok := db.(updater); ok && useRollups && len(fresh) > 0 {
		err := up.Update(func(tx *store.Tx) error {
			for _, i := range fresh {
				raw, err := json.Marshal(out[i])
				if err != nil {
					return err
				}
				// A change to the past since the count: keep nothing, the
				// next call counts again.
				if kept, err := tx.PutWeekRollup(wins[i].from, wins[i].to, rollupName(team, fp), raw, epoch); err != nil || !kept {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return Trend{}, fmt.Errorf("trends: keep rollups: %w", err)
		}
	}
	t := Trend{Team: team, Weeks: out, Conversion: sumConversion(out)}
	t.Claims = Claims(t)
	return t, nil
}

// gatherTrend reads the records of n weeks before end, with the wins of
// askers told "yes", sliced to team.
func gatherTrend(tx *store.Tx, cfg *config.Config, end time.Time, n int, team string) (trendInput, roster, error) {
	raw, err := Gather(tx, end, n)
	if err != nil {
		return trendInput{}, roster{}, err
	}
	r := newRoster(cfg, raw)
	if team != "" {
		raw = r.slice(raw, team)
	}
	in := trendInput{Input: raw}
	if err := gatherAskerWins(tx, cfg, &in); err != nil {
		return trendInput{}, roster{}, fmt.Errorf("gather askers' wins: %w", err)
	}
	return in, r, nil
}

// refreshConversion recounts conversion for kept weeks whose
// ConversionWindow had not passed when they were counted: a "yes" last week
// can still turn into a win this week. Only those weeks' questions told
// "yes" (and their askers' wins) are read. It returns the weeks whose
// conversion has now become final, to keep again.
func refreshConversion(tx *store.Tx, cfg *config.Config, wins []window, out []TrendWeek, team string, now time.Time, skip map[int]bool) (final []int) {
	for i, w := range wins {
		if skip[i] || out[i].ConversionFinal {
			continue
		}
		// Only questions told "yes" count, so only those are decoded; the
		// roster learns from every question's head, as newRoster would
		// from the whole week's questions.
		r := configuredRoster(cfg, nil)
		qs, err := tx.QuestionsBetweenWhere(w.from, w.to, func(h store.QuestionHead) bool {
			r.learn(h.Asker, h.Team)
			return registryAnswered(h.BotAnswered, h.Deleted)
		})
		if err != nil {
			continue // keep what was counted; the next call tries again
		}
		in := trendInput{Input: Input{End: w.to, Questions: qs}}
		if team != "" {
			in.Input = r.slice(in.Input, team)
		}
		if gatherAskerWins(tx, cfg, &in) != nil {
			continue
		}
		out[i].Conversion = conversionCells(in, cfg, w, r)
		if settled(w.to.Add(ConversionWindow), now) {
			out[i].ConversionFinal = true
			final = append(final, i)
		}
	}
	return final
}

// settled: at was store.SettleTime or more before now. A record written
// for a later moment is "now" to the store and drops no rollup, so only
// figures that such a record cannot change are kept.
func settled(at, now time.Time) bool { return !at.Add(store.SettleTime).After(now) }

// rollupName names the figures of one team under one set of settings (the
// store keeps them by week).
func rollupName(team string, fp uint64) []byte {
	return binary.BigEndian.AppendUint64(fmt.Appendf(nil, "v%d\x00%s\x00", rollupVersion, team), fp)
}

// RecountAfterForget drops the rollups of weeks that still have records
// (those ending within retention.days, or all when nothing is pruned), so
// trends recount them without the forgotten person's records, as a full
// recount would. Older weeks' records are gone already: their rollups are
// all that remains of them and stay. Call it in the transaction that
// forgets.
func RecountAfterForget(tx *store.Tx, cfg *config.Config) error {
	keep := time.Time{}
	if cfg.Retention.Days > 0 {
		keep = tx.Now().AddDate(0, 0, -cfg.Retention.Days)
	}
	return tx.DropWeekRollupsAfter(keep)
}

// settingsFingerprint hashes the settings a week's figures depend on, so
// a config change recounts instead of mixing rules.
func settingsFingerprint(cfg *config.Config) uint64 {
	h := fnv.New64a()
	_ = json.NewEncoder(h).Encode(struct {
		Teams  []config.Team
		Max    int
		Tools  []config.Tool
		Zone   string
		Blocks []string
	}{cfg.Teams, MaxMinutes(cfg), cfg.Tools, cfg.Location().String(), cfg.Guardrails.BlockTerms})
	return h.Sum64()
}
