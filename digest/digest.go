// Package digest builds, renders and schedules Flywheel's weekly digest.
//
// It is three steps with one job each:
//   - Gather reads the records of the last few weeks from the store (range
//     scans only, so the cost follows the week, not the history);
//   - Build turns those records into a Digest: pure, no store, no Slack, no
//     clock, so every number can be checked by hand in a test;
//   - Render turns a Digest into a Block Kit message and its text fallback,
//     within Slack's limits.
//
// The Scheduler posts the digest on digest.schedule, exactly once per firing
// and channel, through the store's outbox.
package digest

import "time"

// Digest is everything one weekly message says. Counts compare the 7 days
// before End with the 7 days before that.
type Digest struct {
	// Team is "" for the company digest, or the team whose slice this is.
	Team string
	// Start and End bound the window [Start, End), in the digest time zone;
	// PrevStart starts the previous window [PrevStart, Start).
	Start, End, PrevStart time.Time
	// MaxMinutesPerWin is the cap applied to a single win's claimed minutes.
	MaxMinutesPerWin int

	Headline Headline
	// AccessRequests are teams not yet in the rollout whose members asked
	// how to get access: the strongest signal, so it is shown near the top.
	// Empty in team slices.
	AccessRequests []AccessTeam
	// TopWins are the week's wins by unique peer amplification (at most
	// KeepTopWins of them); Headline.Wins.Now says how many there were.
	TopWins []TopWin
	// Answerers are the people who answered questions, by AnswerScore.
	Answerers []Champion
	// Bridges are the people whose wins were amplified by other teams, by
	// CrossTeamReach.
	Bridges []Champion
	// Emerging are champions this week who were not champions in any of
	// the previous EmergingWeeks weeks (user IDs, sorted).
	Emerging []string
	// Mix is the question-stage mix: what, access, how, build (and "other"
	// when some questions have no stage).
	Mix []StageShare
	// Rollout is the rollout stage and what the next one needs; nil in team
	// slices.
	Rollout *Rollout
	// Spread is peer-to-peer adoption ("I'll try this" and linked wins);
	// nil in team slices.
	Spread *Spread
	// Nudge is the one gentle nudge of the week, or nil.
	Nudge *Nudge
	// Teaching is "People teaching each other" (tips.go); nil in team
	// slices.
	Teaching *Teaching
	// Capped lists the wins whose claimed minutes were counted at the cap.
	// It is for the lead digest only (RenderOptions.Lead).
	Capped []CappedWin
	// Lead is what only the lead digest shows; nil in team slices.
	Lead *LeadFacts
}

// Count is one headline number this week and the week before.
type Count struct{ Now, Prev int }

// Delta is the change against the previous week.
func (c Count) Delta() int { return c.Now - c.Prev }

// Latency is a median duration this week and the week before; N counts the
// answers it was taken over (0 means there was nothing to measure).
type Latency struct {
	Now, Prev   time.Duration
	NowN, PrevN int
}

// Headline is the numbers at the top of the digest.
type Headline struct {
	Wins Count
	// MinutesSaved is the sum over wins of their counted minutes (claimed
	// minutes, capped at MaxMinutesPerWin unless at least two other people
	// amplified the win).
	MinutesSaved Count
	// PeerConfirmedMinutes is the part of MinutesSaved from wins that at
	// least one other person amplified.
	PeerConfirmedMinutes Count
	// Sharers are the distinct people credited with a win.
	Sharers Count
	// NewContributors are sharers whose first win ever is in the window.
	NewContributors Count
	// Questions asked (deleted ones excluded) and, of those, answered
	// before the window ended, by a person or by the tool registry.
	Questions, Answered Count
	// MedianFirstAnswer is the median time from a question to its first
	// answer by a person, over the window's questions answered before its
	// end. Registry answers are instant and would hide how fast people
	// are, so they are left out.
	MedianFirstAnswer Latency
	// TimeToFirstWin is, for people whose first win ever is in the window,
	// the median time from their first interaction with the bot (a
	// question, the home tab, a button) to that win: "could a curious
	// employee get started in under an hour?"
	TimeToFirstWin Latency
	// ActiveUsers are the distinct people who shared a win, amplified one,
	// asked a question or answered one in the window.
	ActiveUsers Count
}

// TopWin is one win in the "top wins" list.
type TopWin struct {
	ID     uint64
	Author string // "" for a win shared without a name: see Colleague
	// Colleague names the author of a win shared without a name ("a
	// colleague in Sales", digest.Colleague); "" for every other win.
	Colleague string
	Team      string
	// Excerpt is the win's first line, cut to ExcerptRunes, not yet
	// escaped. It is "" when Withheld or when the text is not in yet.
	Excerpt string
	// Withheld is true when the text mentions a guardrails.block_terms term,
	// or the win was shared with its team only and this is not its team's
	// digest.
	Withheld bool
	// Minutes are the counted minutes; Amplifiers the unique peers.
	Minutes    int
	Amplifiers int
	// Link is the wins-channel post's permalink, "" if it was never posted.
	Link string
}

// CappedWin is a win counted at the cap instead of its claimed minutes.
type CappedWin struct {
	ID         uint64
	Author     string // "" for a win shared without a name
	Colleague  string // see TopWin.Colleague
	Claimed    int
	Counted    int
	Amplifiers int
	Link       string
}

// Champion is one person's champion activity in the window.
type Champion struct {
	User string
	Team string
	// Answered is the number of distinct questions they answered;
	// CrossTeamAnswers how many of those were asked by another team.
	Answered, CrossTeamAnswers int
	// AnswerScore weighs each answered question CrossTeamWeight when the
	// asker is in another team, SameTeamWeight otherwise.
	AnswerScore int
	// CrossTeamReach is the number of distinct people of other teams who
	// amplified their wins.
	CrossTeamReach int
	// Score is AnswerScore + CrossTeamReach; ChampionMinScore makes a champion.
	Score int
}

// AccessTeam is a not-yet-enrolled team whose members asked for access.
type AccessTeam struct {
	Team      string
	People    []string // user IDs, sorted
	Questions int
	Tools     []string // most asked first
	// AccessFirst are the team's natural champions, to enable first (see
	// accessFirst).
	AccessFirst []Pick
}

// StageShare is one question stage this week and the week before; the
// percentages are of all questions in each week, rounded.
type StageShare struct {
	Stage           string
	Now, Prev       int
	NowPct, PrevPct int
}

// NudgeKind says which nudge the digest gives.
type NudgeKind string

// The nudges, in the order Build considers them: the first that applies is
// the one given.
const (
	// NudgeQuietTeams: enrolled teams with no win this week (Teams).
	NudgeQuietTeams NudgeKind = "quiet_teams"
	// NudgeUnanswered: questions from this week still without any answer (Count).
	NudgeUnanswered NudgeKind = "unanswered"
	// NudgeUncheered: wins nobody has reacted to yet (Count).
	NudgeUncheered NudgeKind = "uncheered"
	// NudgeNoWins: nothing was shared at all this week.
	NudgeNoWins NudgeKind = "no_wins"
)

// Nudge is the one gentle suggestion of the week.
type Nudge struct {
	Kind  NudgeKind
	Teams []string
	Count int
}
