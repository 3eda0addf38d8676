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
	Amplifiers     int      `json:"cheers"`
	AmplifiedBy    []string `json:"cheered_by"`
	Permalink      string   `json:"permalink"`
	Text           string   `json:"text"`
}

// WinHeader is the CSV header of a WinRow.
var WinHeader = []string{"id", "at", "author", "nominator", "team", "source", "minutes_saved", "counted_minutes",
	"tools", "cheers", "cheered_by", "permalink", "text"}

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

// TipRow is one tip as both exports write it (`flywheel export --kind
// tips` and `/flywheel export`); the JSON keys and TipHeader are a
// contract with admins' spreadsheets, like WinRow's.
type TipRow struct {
	ID        uint64   `json:"id"`
	At        string   `json:"at"`
	Author    string   `json:"author"`
	Nominator string   `json:"nominator"`
	Team      string   `json:"team"`
	Source    string   `json:"source"`
	Tools     []string `json:"tools"`
	Saves     int      `json:"saves"`
	Tries     int      `json:"tries"`
	SavedBy   []string `json:"saved_by"`
	TriedBy   []string `json:"tried_by"`
	Permalink string   `json:"permalink"`
	Text      string   `json:"text"`
}

// TipHeader is the CSV header of a TipRow.
var TipHeader = []string{"id", "at", "author", "nominator", "team", "source", "tools", "saves", "tries",
	"saved_by", "tried_by", "permalink", "text"}

// Cells is the row's CSV cells, guarded against formulas (GuardCells).
func (r TipRow) Cells() []string {
	return GuardCells([]string{strconv.FormatUint(r.ID, 10), r.At, r.Author, r.Nominator, r.Team, r.Source,
		strings.Join(r.Tools, "; "), strconv.Itoa(r.Saves), strconv.Itoa(r.Tries), strings.Join(r.SavedBy, " "),
		strings.Join(r.TriedBy, " "), r.Permalink, r.Text})
}

// TipRows reads the tips with from <= At < to, with their saves and tries
// as the tips library counts them (TipFactsOf). A tip awaiting its
// author's approval is not shared yet; a held or private tip keeps its
// numbers but not its text, as a win does (Win.ShareableText).
func TipRows(tx *store.Tx, from, to time.Time) ([]TipRow, error) {
	var out []TipRow
	err := tx.EachTipBetween(from, to, func(w store.Win) error {
		if w.AwaitingApproval {
			return nil
		}
		f, err := TipFactsOf(tx, w)
		if err != nil {
			return err
		}
		out = append(out, TipRow{ID: w.ID, At: w.At.UTC().Format(time.RFC3339), Author: w.Author, Nominator: w.Nominator,
			Team: w.Team, Source: string(w.Source), Tools: nonNil(w.Tools), Saves: len(f.Savers), Tries: len(f.Triers),
			SavedBy: nonNil(f.Savers), TriedBy: nonNil(f.Triers), Permalink: Permalink(w.PostChannel, w.PostTS), Text: w.ShareableText()})
		return nil
	})
	return out, err
}
