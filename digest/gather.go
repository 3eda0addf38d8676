package digest

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"flywheel/store"
)

// GatherWeeks is how many weeks before the digest's end Gather should read:
// the week itself, the previous week for the comparisons, and the further
// weeks "emerging champions" are checked against.
const GatherWeeks = 1 + EmergingWeeks

// gatherMargin widens the scanned range: Build cuts weeks as calendar days
// in the digest time zone, and a daylight-saving change moves a week's
// start by up to an hour against end.AddDate in another zone. Records in the
// margin are read and then ignored.
const gatherMargin = 24 * time.Hour

// WinFacts is a win with its unique peer amplifiers.
type WinFacts struct {
	store.Win
	// Amplifiers are the distinct people other than the author with a live
	// reaction on the win's post at the end of the gathered range.
	Amplifiers []string
	// Cheers are the times each peer's reactions were live. Build counts a
	// past week with the cheers live at that week's end, so a cheer given
	// later never rewrites a posted week. Nil: Amplifiers hold at all times.
	Cheers []store.Cheer
}

// AmplifiersAt are the win's distinct peer amplifiers at the end of a
// window ending at end: cheers made before it and not removed before it.
func (w WinFacts) AmplifiersAt(end time.Time) []string {
	if w.Cheers == nil {
		return w.Amplifiers
	}
	same := len(w.Cheers) == len(w.Amplifiers)
	for _, c := range w.Cheers {
		same = same && c.LiveAt(end)
	}
	if same { // the common case: one cheer each, made before and kept
		return w.Amplifiers
	}
	return liveAt(w.Cheers, end)
}

// liveAt lists the distinct people with a cheer live at end.
func liveAt(cheers []store.Cheer, end time.Time) []string {
	return appendLiveAt(nil, cheers, end)
}

// appendLiveAt appends liveAt(cheers, end) to out.
func appendLiveAt(out []string, cheers []store.Cheer, end time.Time) []string {
	n := len(out)
	for _, c := range cheers { // in user order: duplicates are adjacent
		if c.LiveAt(end) && (len(out) == n || out[len(out)-1] != c.User) {
			out = append(out, c.User)
		}
	}
	return out
}

// Cheer is a reaction made on a win, with the win's author and team: the
// person cheering is active in the week they cheered, whatever the win's age.
type Cheer struct {
	store.CheerMade
	Author, Team string
}

// Input is the records Build needs: everything in the weeks before End.
type Input struct {
	End       time.Time
	Wins      []WinFacts
	Questions []store.Question
	Answers   []store.Answer
	// Cheers are the reactions made in the gathered range, on any win.
	Cheers []Cheer
	// FirstWin is when each author of a gathered win had their first win
	// ever (which can be long before the gathered weeks, and survives
	// retention).
	FirstWin map[string]time.Time
	// FirstTouch is each such author's first interaction with the bot
	// (zero when unknown, e.g. a win nominated by a colleague).
	FirstTouch map[string]time.Time
	// Inspirations are "I'll try this" clicks in the gathered weeks;
	// Inspiring holds the wins they and the gathered wins' links point at.
	Inspirations []store.Inspiration
	Inspiring    map[uint64]store.Win
	// ForgottenTeams are the teams forgotten people were in, by placeholder.
	ForgottenTeams map[string]string
	// Posted are the numbers of the company digests posted before End:
	// the lead digest's totals since the first one.
	Posted []Numbers
	// Tips are the tips shared in the gathered weeks and those saved or
	// tried in them, by ID (tips.go).
	Tips map[uint64]TipFacts
}

// Gather reads the records of the weeks weeks before end (pass GatherWeeks)
// with range scans only: wins, questions, answers and reactions made in the
// range, each win's cheers and each author's first win by index lookups.
// Its cost follows the weeks read, not the size of the history.
func Gather(tx *store.Tx, end time.Time, weeks int) (Input, error) {
	from := gatherStart(end, weeks)
	in := Input{End: end, FirstWin: map[string]time.Time{}, FirstTouch: map[string]time.Time{}, ForgottenTeams: tx.ForgottenTeams()}
	// Each win is decoded straight into its WinFacts: no slice of wins to
	// copy from.
	in.Wins = make([]WinFacts, 0, tx.CountWinsBetween(from, end))
	// Each person's ID and each team's name is kept once, shared by all
	// the records: Build looks people and teams up in maps again and
	// again, and a key read from one small copy is read from cache, not
	// from wherever each record was decoded.
	one := oneCopy{}
	// The wins' cheers and amplifiers share backing arrays: one each per
	// few hundred wins, not one each per win.
	arena := factsArena{chunk: 1024}
	err := tx.EachWinBetween(from, end, func(w *store.Win) error {
		if w.AwaitingApproval {
			return nil // a nomination its author has not approved counts nowhere
		}
		author := one.of(w.Author)
		if _, seen := in.FirstWin[author]; !seen {
			first, err := tx.FirstWinAt(author)
			if err != nil {
				return fmt.Errorf("gather first win of %s: %w", author, err)
			}
			in.FirstWin[author] = first
			touch, err := tx.FirstInteraction(author)
			if err != nil {
				return fmt.Errorf("gather first interaction of %s: %w", author, err)
			}
			in.FirstTouch[author] = touch
		}
		w.Author, w.Team = author, one.of(w.Team)
		f, err := arena.factsOf(tx, *w, end)
		if err != nil {
			return err
		}
		for i := range f.Cheers {
			f.Cheers[i].User = one.of(f.Cheers[i].User)
		}
		for i := range f.Amplifiers {
			f.Amplifiers[i] = one.of(f.Amplifiers[i])
		}
		in.Wins = append(in.Wins, f)
		return nil
	})
	if err != nil {
		return Input{}, fmt.Errorf("gather wins: %w", err)
	}
	if in.Questions, err = tx.QuestionsBetween(from, end); err != nil {
		return Input{}, fmt.Errorf("gather questions: %w", err)
	}
	for i := range in.Questions {
		q := &in.Questions[i]
		q.Asker, q.Team = one.of(q.Asker), one.of(q.Team)
	}
	if in.Answers, err = tx.AnswersBetween(from, end); err != nil {
		return Input{}, fmt.Errorf("gather answers: %w", err)
	}
	for i := range in.Answers {
		a := &in.Answers[i]
		a.Answerer, a.Team, a.AskerTeam = one.of(a.Answerer), one.of(a.Team), one.of(a.AskerTeam)
	}
	if err := gatherCheers(tx, &in, from); err != nil {
		return Input{}, err
	}
	if err := gatherSpread(tx, &in, from); err != nil {
		return Input{}, err
	}
	if err := gatherPosted(tx, &in); err != nil {
		return Input{}, err
	}
	if err := gatherTips(tx, &in, from); err != nil {
		return Input{}, err
	}
	return in, nil
}

// oneCopy keeps one copy of each string it is given.
type oneCopy map[string]string

func (o oneCopy) of(s string) string {
	if c, ok := o[s]; ok || s == "" {
		return c
	}
	c := strings.Clone(s)
	o[c] = c
	return c
}

// gatherStart is where Gather's range scans of weeks weeks before end start
// (at least two weeks, and gatherMargin before them).
func gatherStart(end time.Time, weeks int) time.Time {
	return end.AddDate(0, 0, -7*max(weeks, 2)).Add(-gatherMargin)
}

// gatherCheers reads the reactions made in [from, in.End), looking up the
// author and team of wins older than the range.
func gatherCheers(tx *store.Tx, in *Input, from time.Time) error {
	made, err := tx.CheersMadeBetween(from, in.End)
	if err != nil {
		return fmt.Errorf("gather cheers: %w", err)
	}
	gathered := winIndex(in.Wins)
	older := map[uint64]store.Win{}
	in.Cheers = make([]Cheer, 0, len(made))
	for _, c := range made {
		var w store.Win
		if i, ok := gathered(c.WinID); ok {
			w = in.Wins[i].Win
		} else if w, ok = older[c.WinID]; !ok {
			if w, err = tx.Win(c.WinID); err != nil {
				return fmt.Errorf("gather cheer on win %d: %w", c.WinID, err)
			}
			older[c.WinID] = w
		}
		if w.IsTip() {
			continue // a reaction on a tip cheers no win
		}
		in.Cheers = append(in.Cheers, Cheer{CheerMade: c, Author: w.Author, Team: w.Team})
	}
	return nil
}

// winIndex finds a win of wins by ID. Wins are gathered in time order,
// which is ID order unless a win was recorded with an earlier time than
// one added before it: a binary search then, a map otherwise (a map of
// five weeks of wins cost more to build than the lookups it served).
func winIndex(wins []WinFacts) func(id uint64) (int, bool) {
	sorted := true
	for i := 1; i < len(wins) && sorted; i++ {
		sorted = wins[i-1].ID < wins[i].ID
	}
	if sorted {
		return func(id uint64) (int, bool) {
			i := sort.Search(len(wins), func(i int) bool { return wins[i].ID >= id })
			return i, i < len(wins) && wins[i].ID == id
		}
	}
	byID := make(map[uint64]int, len(wins))
	for i := range wins {
		byID[wins[i].ID] = i
	}
	return func(id uint64) (int, bool) {
		i, ok := byID[id]
		return i, ok
	}
}

// Facts reads a win's peer amplifiers as of now: what App Home, the
// exports and the commands count a win with. The digest counts each week
// as of its end (WinFacts.AmplifiersAt).
func Facts(tx *store.Tx, w store.Win) (WinFacts, error) {
	return factsOf(tx, w, endOfTime)
}

// endOfTime is later than any record: "as of now", whatever the clock says.
var endOfTime = time.Unix(0, math.MaxInt64)

func factsOf(tx *store.Tx, w store.Win, end time.Time) (WinFacts, error) {
	var a factsArena // a backing array for this win alone
	return a.factsOf(tx, w, end)
}

// factsArena holds the backing arrays of many wins' cheers and amplifiers.
type factsArena struct {
	cheers []store.Cheer
	amps   []string
	// chunk is how many cheers (and amplifiers) a backing array holds; a
	// win with more than is left moves on to a larger one. 0: one win's.
	chunk int
}

func (a *factsArena) factsOf(tx *store.Tx, w store.Win, end time.Time) (WinFacts, error) {
	if a.chunk > 0 && cap(a.cheers)-len(a.cheers) < 16 {
		a.cheers = make([]store.Cheer, 0, a.chunk)
	}
	start := len(a.cheers)
	all, err := tx.AppendCheers(a.cheers, w.ID)
	if err != nil {
		return WinFacts{}, fmt.Errorf("gather amplifiers of win %d: %w", w.ID, err)
	}
	f := WinFacts{Win: w}
	if len(all) == start {
		return f, nil // no reactions: Cheers and Amplifiers stay nil
	}
	kept := all[start:start]
	for _, c := range all[start:] {
		if c.User != w.Author && c.User != "" { // cheering your own win is not amplification
			kept = append(kept, c)
		}
	}
	a.cheers = all[:start+len(kept)]
	f.Cheers = a.cheers[start:len(a.cheers):len(a.cheers)]
	if cap(a.amps)-len(a.amps) < len(f.Cheers) {
		a.amps = make([]string, 0, max(a.chunk, len(f.Cheers)))
	}
	from := len(a.amps)
	a.amps = appendLiveAt(a.amps, f.Cheers, end)
	if len(a.amps) > from {
		f.Amplifiers = a.amps[from:len(a.amps):len(a.amps)]
	}
	return f, nil
}

// Load gathers GatherWeeks weeks before end in one read transaction, which
// ends before Load returns: nothing talks to Slack while it is open.
func Load(st *store.Store, end time.Time) (in Input, err error) {
	err = st.View(func(tx *store.Tx) error {
		in, err = Gather(tx, end, GatherWeeks)
		return err
	})
	return in, err
}
