package digest

import (
	"fmt"
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
	// reaction on the win's post, as of when it was gathered.
	Amplifiers []string
}

// Input is the records Build needs: everything in the weeks before End.
type Input struct {
	End       time.Time
	Wins      []WinFacts
	Questions []store.Question
	Answers   []store.Answer
	// FirstWin is when each author of a gathered win had their first win
	// ever (which can be long before the gathered weeks).
	FirstWin map[string]time.Time
	// FirstTouch is each such author's first interaction with the bot
	// (zero when unknown, e.g. a win nominated by a colleague).
	FirstTouch map[string]time.Time
	// Inspirations are "I'll try this" clicks in the gathered weeks;
	// Inspiring holds the wins they and the gathered wins' links point at.
	Inspirations []store.Inspiration
	Inspiring    map[uint64]store.Win
}

// Gather reads the records of the weeks weeks before end (pass GatherWeeks)
// with range scans only: wins, questions and answers in the range, each
// win's amplifiers and each author's first win by index lookups. Its cost
// follows the weeks read, not the size of the history.
func Gather(tx *store.Tx, end time.Time, weeks int) (Input, error) {
	if weeks < 2 {
		weeks = 2
	}
	from := end.AddDate(0, 0, -7*weeks).Add(-gatherMargin)
	in := Input{End: end, FirstWin: map[string]time.Time{}, FirstTouch: map[string]time.Time{}}
	// Each win is decoded straight into its WinFacts: no slice of wins to
	// copy from.
	in.Wins = make([]WinFacts, 0, tx.CountWinsBetween(from, end))
	err := tx.EachWinBetween(from, end, func(w *store.Win) error {
		if w.AwaitingApproval {
			return nil // a nomination its author has not approved counts nowhere
		}
		amps, err := tx.Amplifiers(w.ID)
		if err != nil {
			return fmt.Errorf("gather amplifiers of win %d: %w", w.ID, err)
		}
		in.Wins = append(in.Wins, WinFacts{Win: *w, Amplifiers: peers(amps, w.Author)})
		if _, seen := in.FirstWin[w.Author]; !seen {
			first, err := tx.FirstWinAt(w.Author)
			if err != nil {
				return fmt.Errorf("gather first win of %s: %w", w.Author, err)
			}
			in.FirstWin[w.Author] = first
			touch, err := tx.FirstInteraction(w.Author)
			if err != nil {
				return fmt.Errorf("gather first interaction of %s: %w", w.Author, err)
			}
			in.FirstTouch[w.Author] = touch
		}
		return nil
	})
	if err != nil {
		return Input{}, fmt.Errorf("gather wins: %w", err)
	}
	if in.Questions, err = tx.QuestionsBetween(from, end); err != nil {
		return Input{}, fmt.Errorf("gather questions: %w", err)
	}
	if in.Answers, err = tx.AnswersBetween(from, end); err != nil {
		return Input{}, fmt.Errorf("gather answers: %w", err)
	}
	if err := gatherSpread(tx, &in, from); err != nil {
		return Input{}, err
	}
	return in, nil
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

// peers drops the author from a win's amplifiers: cheering your own win is
// not amplification (the bot doesn't record it; this keeps the numbers
// honest even if an older record did).
func peers(amps []string, author string) []string {
	out := amps[:0:0]
	for _, u := range amps {
		if u != author && u != "" {
			out = append(out, u)
		}
	}
	return out
}
