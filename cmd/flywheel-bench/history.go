package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"flywheel/config"
	"flywheel/store"
)

// historyVersion names the generator in the cache file names; bump it when
// what generate writes changes, so old caches are not reused.
const historyVersion = 1

// digestEnd is the digest's firing: Monday 23 Nov 2026, 09:00 UTC. The
// history ends there.
var digestEnd = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// The people of the history: 2,000 in 100 teams of 20, 70 teams enrolled.
const (
	histTeams      = 100
	histTeamSize   = 20
	histEnrolled   = 70
	answeredPct    = 75 // of questions
	genTxRecords   = 50_000
	histWinsCh     = "C0WINS"
	histHelpCh     = "C0HELP"
	histChampionCh = "C0CHAMPS"
)

func histUser(i int) string { return fmt.Sprintf("U%07d", i%(histTeams*histTeamSize)) }
func histTeam(i int) string {
	return fmt.Sprintf("Team %03d", (i%(histTeams*histTeamSize))/histTeamSize)
}

// historyConfig is the config the digest is built with.
func historyConfig() *config.Config {
	cfg := config.Default()
	cfg.WinsChannel, cfg.HelpChannels, cfg.ChampionsChannel = histWinsCh, []string{histHelpCh}, histChampionCh
	cfg.Digest.Channels = []string{"C0ALL"}
	cfg.Guardrails.BlockTerms = []string{"Project Falcon"}
	for t := range histTeams {
		team := config.Team{Name: fmt.Sprintf("Team %03d", t), Enrolled: t < histEnrolled}
		for m := range histTeamSize {
			team.Members = append(team.Members, histUser(t*histTeamSize+m))
		}
		cfg.Teams = append(cfg.Teams, team)
	}
	return cfg
}

// history is one generated store: records wins and questions in total,
// weekWins wins and weekQs questions every week (the digest's week too),
// plus the answers to 75% of the questions and about one peer reaction per
// win. Every week holds as many records in every store; bigger stores
// reach further back, so the digest reads as many records from each.
type history struct {
	records          int
	weekWins, weekQs int
	path             string
}

func prepareHistories(ctx context.Context, p params, logf func(string, ...any)) ([]history, error) {
	if err := os.MkdirAll(p.cacheDir, 0o755); err != nil {
		return nil, err
	}
	var out []history
	for _, n := range p.sizes {
		if p.maxRecords > 0 && n > p.maxRecords {
			logf("history: skipping %d records (-max-records %d)", n, p.maxRecords)
			continue
		}
		h := history{records: n, weekWins: p.weekWins, weekQs: p.weekQs}
		h.path = filepath.Join(p.cacheDir, fmt.Sprintf("history-v%d-s%d-w%d-q%d-n%d.db", historyVersion, store.SchemaVersion, h.weekWins, h.weekQs, n))
		if _, err := os.Stat(h.path); err == nil {
			// Opening it for writing once creates any bucket added since it
			// was generated, as `flywheel run` would.
			st, err := store.Open(h.path, store.Options{})
			if err != nil {
				return nil, fmt.Errorf("cached store %s: %w", h.path, err)
			}
			if err := st.Close(); err != nil {
				return nil, err
			}
			logf("history: reusing %s", h.path)
			out = append(out, h)
			continue
		}
		logf("history: generating %d records into %s", n, h.path)
		start := time.Now()
		if err := generate(ctx, h); err != nil {
			return nil, err
		}
		fi, err := os.Stat(h.path)
		if err != nil {
			return nil, err
		}
		logf("history: %d records in %v (%.0f records/s, %d MB)", n, time.Since(start).Round(time.Millisecond),
			float64(n)/time.Since(start).Seconds(), fi.Size()>>20)
		out = append(out, h)
	}
	return out, nil
}

// generate writes h with large Update transactions through the store API,
// oldest week first (so keys are appended, as in production), into a
// temporary file renamed into place once complete.
func generate(ctx context.Context, h history) error {
	tmp := h.path + ".tmp"
	_ = os.Remove(tmp)
	perWeek := h.weekWins + h.weekQs
	weeks := (h.records + perWeek - 1) / perWeek
	start := digestEnd.AddDate(0, 0, -7*weeks)
	st, err := store.Open(tmp, store.Options{Now: func() time.Time { return start }})
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	g := &generator{h: h}
	// The oldest week is partial: it takes what is left over.
	left := h.records - (weeks-1)*perWeek
	for w := range weeks {
		if ctx.Err() != nil {
			_ = st.Close()
			return ctx.Err()
		}
		wins, qs := h.weekWins, h.weekQs
		if w == 0 && left < perWeek {
			wins = left * h.weekWins / perWeek
			qs = left - wins
		}
		from := start.AddDate(0, 0, 7*w)
		if err := g.week(st, from, wins, qs); err != nil {
			_ = st.Close()
			return fmt.Errorf("generate week %d: %w", w, err)
		}
	}
	if err := st.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, h.path)
}

// generator holds the running counters of one history.
type generator struct {
	h     history
	win   int // wins written so far
	q     int // questions written so far
	batch int // records in the open transaction
}

var histTexts = []string{
	"Drafted the quarterly report with ChatGPT in 40 minutes instead of 3 hours",
	"Claude summarised 120 support tickets into five themes, saved 2h",
	"Copilot wrote the unit tests for the billing module, from 4 hours to 20 min",
	"Used gpt to clean the CRM export before the Project Falcon review, saved half a day",
	"Translated the onboarding guide into German with Claude: 1.5 hours saved",
}

var histTools = [][]string{{"ChatGPT"}, {"Claude"}, {"Copilot"}, {"ChatGPT"}, {"Claude"}}

// week writes one week's wins (with their reactions), questions and answers,
// evenly spread over [from, from+7d).
func (g *generator) week(st *store.Store, from time.Time, wins, qs int) error {
	span := 7 * 24 * time.Hour
	var pending []func(*store.Tx) error
	flush := func() error {
		err := st.Update(func(tx *store.Tx) error {
			for _, fn := range pending {
				if err := fn(tx); err != nil {
					return err
				}
			}
			return nil
		})
		pending, g.batch = pending[:0], 0
		return err
	}
	add := func(records int, fn func(*store.Tx) error) error {
		pending = append(pending, fn)
		if g.batch += records; g.batch >= genTxRecords {
			return flush()
		}
		return nil
	}
	for i := range wins {
		at := from.Add(span / time.Duration(wins) * time.Duration(i))
		n := g.win
		g.win++
		err := add(1, func(tx *store.Tx) error { return addHistoryWin(tx, n, at) })
		if err != nil {
			return err
		}
	}
	for i := range qs {
		at := from.Add(span/time.Duration(qs)*time.Duration(i) + time.Minute)
		n := g.q
		g.q++
		if err := add(1, func(tx *store.Tx) error { return addHistoryQuestion(tx, n, at) }); err != nil {
			return err
		}
	}
	return flush()
}

func addHistoryWin(tx *store.Tx, n int, at time.Time) error {
	author := histUser(n * 7)
	w := store.Win{At: at, Author: author, Team: histTeam(n * 7), Text: histTexts[n%len(histTexts)],
		Tools: histTools[n%len(histTools)], MinutesSaved: (n * 37) % 700, Source: store.SourceCommand,
		PostChannel: histWinsCh, PostTS: fmt.Sprintf("%d.%06d", at.Unix(), n%1_000_000)}
	if err := tx.AddWin(&w); err != nil {
		return err
	}
	// About one peer reaction per win: 0, 1 or 2, from colleagues in
	// other teams now and then.
	for r := range n % 3 {
		reactor := histUser(n*7 + 1 + r*histTeamSize*(n%2))
		if reactor == author {
			continue
		}
		if _, err := tx.SetReaction(w.ID, reactor, benchEmojis[r], true, w.PostTS); err != nil {
			return err
		}
	}
	return nil
}

func addHistoryQuestion(tx *store.Tx, n int, at time.Time) error {
	stages := []string{"what", "access", "how", "build", "build"}
	asker := histUser(n * 11)
	team := (n * 11 % (histTeams * histTeamSize)) / histTeamSize
	q := store.Question{At: at, Asker: asker, Team: histTeam(n * 11), Enrolled: team < histEnrolled,
		Source: store.SourceHelpChannel, Channel: histHelpCh, TS: fmt.Sprintf("%d.%06d", at.Unix(), n%1_000_000),
		Text: "Can I use " + histTools[n%len(histTools)][0] + " for customer emails?", Stage: stages[(n/3)%5],
		Tools: histTools[n%len(histTools)]}
	q.AccessRequest = !q.Enrolled && q.Stage == "access"
	answered := n%100 < answeredPct
	if answered {
		q.FirstAnswerAt, q.FirstAnswerer, q.Answers = at.Add(time.Duration(n%300)*time.Minute), histUser(n*11+1+n%3), 1
	}
	if err := tx.AddQuestion(&q); err != nil {
		return err
	}
	if !answered {
		return nil
	}
	a := store.Answer{At: q.FirstAnswerAt, QuestionID: q.ID, Answerer: q.FirstAnswerer, Team: histTeam(n*11 + 1 + n%3),
		AskerTeam: q.Team, Channel: histHelpCh, TS: fmt.Sprintf("%d.%06d", q.FirstAnswerAt.Unix(), n%1_000_000+1), Latency: q.FirstAnswerAt.Sub(at)}
	return tx.AddAnswer(&a)
}

// footprintStore picks the store `flywheel run` is started on: the 1M one,
// or the largest below it.
func footprintStore(hs []history) history {
	best := hs[0]
	for _, h := range hs {
		if h.records <= 1_000_000 && h.records > best.records {
			best = h
		}
	}
	return best
}
