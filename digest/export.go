package digest

import (
	"strconv"
	"strings"
	"time"

	"flywheel/config"
	"flywheel/store"
)

// WinRow is one win as both exports (`flywheel export --kind wins` and
// `/flywheel export`) write it; the JSON keys and WinHeader are a contract
// with admins' spreadsheets.
type WinRow struct {
	ID             uint64   `json:"id"`
	At             string   `json:"at"`
	Author         string   `json:"author"`
	Nominator      string   `json:"nominator"`
	Team           string   `json:"team"`
	Source         string   `json:"source"`
	MinutesSaved   int      `json:"minutes_saved"`
	CountedMinutes int      `json:"counted_minutes"`
	Tools          []string `json:"tools"`
	Amplifiers     int      `json:"amplifiers"`
	AmplifiedBy    []string `json:"amplified_by"`
	Permalink      string   `json:"permalink"`
	Text           string   `json:"text"`
}

// WinHeader is the CSV header of a WinRow.
var WinHeader = []string{"id", "at", "author", "nominator", "team", "source", "minutes_saved", "counted_minutes",
	"tools", "amplifiers", "amplified_by", "permalink", "text"}

// Cells is the row's CSV cells, guarded against formulas (GuardCells).
func (r WinRow) Cells() []string {
	return GuardCells([]string{strconv.FormatUint(r.ID, 10), r.At, r.Author, r.Nominator, r.Team, r.Source, strconv.Itoa(r.MinutesSaved),
		strconv.Itoa(r.CountedMinutes), strings.Join(r.Tools, "; "), strconv.Itoa(r.Amplifiers), strings.Join(r.AmplifiedBy, " "),
		r.Permalink, r.Text})
}

// WinRows reads the wins with from <= At < to, counted as everywhere else
// (Facts, CountedMinutes with the cap in force); a nomination awaiting its
// author's approval is not a win yet. Held and private wins keep their
// numbers but not their text (Win.ShareableText). A win shared without a
// name says AnonymousAuthor in the author column; a team-only win keeps its
// words in its team.
func WinRows(tx *store.Tx, cfg *config.Config, from, to time.Time) ([]WinRow, error) {
	maxMin := MaxMinutes(cfg)
	out := make([]WinRow, 0, tx.CountWinsBetween(from, to))
	err := tx.EachWinBetween(from, to, func(w *store.Win) error {
		if w.AwaitingApproval {
			return nil // not a win until its author approves
		}
		f, err := Facts(tx, *w)
		if err != nil {
			return err
		}
		counted, _ := CountedMinutes(f, maxMin)
		out = append(out, WinRow{ID: w.ID, At: w.At.UTC().Format(time.RFC3339), Author: exportedAuthor(*w), Nominator: w.Nominator, Team: w.Team,
			Source: string(w.Source), MinutesSaved: w.MinutesSaved, CountedMinutes: counted, Tools: nonNil(w.Tools),
			Amplifiers: len(f.Amplifiers), AmplifiedBy: nonNil(f.Amplifiers), Permalink: Permalink(w.PostChannel, w.PostTS), Text: w.ShareableText()})
		return nil
	})
	return out, err
}

// GuardCells stops spreadsheets from running user text as a formula: a
// cell starting with = + - @ (or a tab or carriage return) gets a leading
// apostrophe, as OWASP advises for CSV exports.
func GuardCells(row []string) []string {
	for i, c := range row {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			row[i] = "'" + c
		}
	}
	return row
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// AnonymousAuthor is what the exports write as the author of a win shared
// without a name.
const AnonymousAuthor = "anonymous"

func exportedAuthor(w store.Win) string {
	if !Credited(w) {
		return AnonymousAuthor
	}
	return w.Author
}
