package digest

// Pull is how strongly a team or site that is not in the rollout yet is
// asking to be in it, read from what its people did.
//
// Each week's signals earn points:
//
//	PullAccessQuestion (3)  per question about getting access
//	PullHowQuestion    (2)  per question about using or building with AI
//	                        (the how and build stages)
//	PullTry            (2)  per "I'll try this" click on another team's win
//	PullInspiredWin    (3)  per win its people shared that a colleague's
//	                        win inspired
//	PullCheer          (1)  per cheer (a reaction by one person on one win)
//	                        on another team's win, in the week it was given
//	PullAnswerReceived (1)  per answer a colleague gave to its questions
//
// and a week's points fade with its age: the week that just ended counts
// in full, the one before 7/8, and so on down to 1/8 for the eighth;
// older weeks count nothing:
//
//	pull = Σ_k points(week k) × (PullWeeks − k) / PullWeeks,  k = 0 … PullWeeks−1
//
// Asking for access and sharing a win a colleague inspired weigh most:
// both mean people want in because they heard about results.
const (
	PullWeeks          = 8
	PullAccessQuestion = 3
	PullHowQuestion    = 2
	PullTry            = 2
	PullInspiredWin    = 3
	PullCheer          = 1
	PullAnswerReceived = 1
)

// PullSignals counts the pull signals of one team or site, in one week or
// summed over several.
type PullSignals struct {
	AccessQuestions int `json:"access_questions"`
	HowQuestions    int `json:"how_questions"`
	Tries           int `json:"tries"`
	InspiredWins    int `json:"inspired_wins"`
	Cheers          int `json:"cheers"`
	AnswersReceived int `json:"answers_received"`
}

// Points is the week's points before fading.
func (s PullSignals) Points() int {
	return PullAccessQuestion*s.AccessQuestions + PullHowQuestion*s.HowQuestions + PullTry*s.Tries +
		PullInspiredWin*s.InspiredWins + PullCheer*s.Cheers + PullAnswerReceived*s.AnswersReceived
}

// add sums two weeks' (or two teams') signals.
func (s PullSignals) add(o PullSignals) PullSignals {
	return PullSignals{
		AccessQuestions: s.AccessQuestions + o.AccessQuestions,
		HowQuestions:    s.HowQuestions + o.HowQuestions,
		Tries:           s.Tries + o.Tries,
		InspiredWins:    s.InspiredWins + o.InspiredWins,
		Cheers:          s.Cheers + o.Cheers,
		AnswersReceived: s.AnswersReceived + o.AnswersReceived,
	}
}

// Pull is the pull score of weekly signals, weeks[0] being the week that
// just ended (see the formula above). Every surface that ranks teams or
// sites by pull calls this function.
func Pull(weeks []PullSignals) float64 {
	total := 0
	for k, w := range weeks[:min(len(weeks), PullWeeks)] {
		total += w.Points() * (PullWeeks - k)
	}
	return float64(total) / PullWeeks
}
