package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"flywheel/digest"
	"flywheel/store"
)

const exportUsage = "usage: flywheel export --kind wins|tips|questions [--format csv|json] [--since DATE]"

// exportedQuestion is one row of `flywheel export --kind questions`.
type exportedQuestion struct {
	ID            uint64   `json:"id"`
	At            string   `json:"at"`
	Asker         string   `json:"asker"`
	Team          string   `json:"team"`
	Enrolled      bool     `json:"enrolled"`
	Source        string   `json:"source"`
	Stage         string   `json:"stage"`
	Tools         []string `json:"tools"`
	Permission    bool     `json:"permission"`
	AccessRequest bool     `json:"access_request"`
	BotAnswered   bool     `json:"bot_answered"`
	FirstAnswerAt string   `json:"first_answer_at"`
	FirstAnswerer string   `json:"first_answerer"`
	Answers       int      `json:"answers"`
	Deleted       bool     `json:"deleted"`
	Permalink     string   `json:"permalink"`
	Text          string   `json:"text"`
}

var questionHeader = []string{"id", "at", "asker", "team", "enrolled", "source", "stage", "tools", "permission",
	"access_request", "bot_answered", "first_answer_at", "first_answerer", "answers", "deleted", "permalink", "text"}

func (q exportedQuestion) row() []string {
	b := strconv.FormatBool
	return []string{strconv.FormatUint(q.ID, 10), q.At, q.Asker, q.Team, b(q.Enrolled), q.Source, q.Stage, strings.Join(q.Tools, "; "),
		b(q.Permission), b(q.AccessRequest), b(q.BotAnswered), q.FirstAnswerAt, q.FirstAnswerer, strconv.Itoa(q.Answers), b(q.Deleted),
		q.Permalink, q.Text}
}

// runExport is `flywheel export`: wins, tips or questions as CSV (with a header
// row) or one JSON array, for spreadsheets. People are Slack user IDs,
// never display names; times are RFC3339 in UTC.
func exportCommand(_ context.Context, rc readCtx, args []string) error {
	stdout, stderr, cfg := rc.stdout, rc.stderr, rc.cfg
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "csv", "csv or json")
	kind := fs.String("kind", "", "wins, tips or questions")
	since := fs.String("since", "", "only records from this time: a date (midnight in digest.timezone) or RFC3339")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 || (*format != "csv" && *format != "json") || (*kind != "wins" && *kind != "tips" && *kind != "questions") {
		fmt.Fprintln(stderr, exportUsage)
		return errUsage
	}
	var err error
	from := time.Unix(0, 0)
	if *since != "" {
		if from, err = parseTime(*since, cfg.Location()); err != nil {
			fmt.Fprintf(stderr, "flywheel export: --since: %v\n%s\n", err, exportUsage)
			return errUsage
		}
	}
	st := rc.db
	// Read everything first, then write: a slow pipe must not hold a read
	// transaction open.
	var header []string
	var rows [][]string
	var records any
	switch *kind {
	case "wins":
		// The same rows, counted by the same rule, as /flywheel export.
		var wins []digest.WinRow
		err = st.View(func(tx *store.Tx) (err error) { wins, err = digest.WinRows(tx, cfg, from, endOfTime); return err })
		header, records = digest.WinHeader, nonNil(wins)
		for _, w := range wins {
			rows = append(rows, w.Cells())
		}
	case "tips":
		// The same rows, counted by the same rule, as /flywheel export.
		var tips []digest.TipRow
		err = st.View(func(tx *store.Tx) (err error) { tips, err = digest.TipRows(tx, from, endOfTime); return err })
		header, records = digest.TipHeader, nonNil(tips)
		for _, t := range tips {
			rows = append(rows, t.Cells())
		}
	default:
		var qs []exportedQuestion
		err = st.View(func(tx *store.Tx) (err error) { qs, err = exportQuestions(tx, from); return err })
		header, records = questionHeader, nonNil(qs)
		for _, q := range qs {
			rows = append(rows, q.row())
		}
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", *kind, err)
	}
	out := bufio.NewWriter(stdout)
	if *format == "json" {
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(records); err != nil {
			return fmt.Errorf("export %s: %w", *kind, err)
		}
	} else {
		w := csv.NewWriter(out)
		_ = w.Write(header)
		for _, r := range rows {
			_ = w.Write(digest.GuardCells(r))
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return fmt.Errorf("export %s: %w", *kind, err)
		}
	}
	return out.Flush()
}

// endOfTime ends every range: later than any record.
var endOfTime = time.Unix(0, math.MaxInt64)

func exportQuestions(tx *store.Tx, from time.Time) ([]exportedQuestion, error) {
	qs, err := tx.QuestionsBetween(from, endOfTime)
	if err != nil {
		return nil, err
	}
	out := make([]exportedQuestion, 0, len(qs))
	for _, q := range qs {
		e := exportedQuestion{ID: q.ID, At: rfc3339(q.At), Asker: q.Asker, Team: q.Team, Enrolled: q.Enrolled, Source: string(q.Source),
			Stage: q.Stage, Tools: nonNil(q.Tools), Permission: q.Permission, AccessRequest: q.AccessRequest, BotAnswered: q.BotAnswered,
			FirstAnswerer: q.FirstAnswerer, Answers: q.Answers, Deleted: q.Deleted, Permalink: digest.Permalink(q.Channel, q.TS), Text: q.Text}
		if !q.FirstAnswerAt.IsZero() {
			e.FirstAnswerAt = rfc3339(q.FirstAnswerAt)
		}
		if q.Deleted {
			e.Text = "" // its author took it back: the count stays, the words go
		}
		out = append(out, e)
	}
	return out, nil
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
