package report

import (
	"time"

	"flywheel/digest"
)

// fixture is 12 weeks of a programme that grows: wins 2, 3, 0, 5, … 18,
// questions moving from "what" to "build", Sales asking for access in the
// last three weeks, and one held win among the top wins.
func fixture() Input {
	start := time.Date(2026, 9, 7, 9, 0, 0, 0, time.UTC)
	wins := []int{2, 3, 0, 5, 6, 8, 7, 9, 12, 14, 15, 18}
	weeks := make([]digest.TrendWeek, len(wins))
	for i, n := range wins {
		w := digest.TrendWeek{Start: start.AddDate(0, 0, 7*i), End: start.AddDate(0, 0, 7*(i+1)), Wins: n,
			Minutes: n * 75, PeerMinutes: n * 40, Sharers: n - n/3, NewContributors: n / 4,
			NewAdopters: n / 5, Adopters: n - n/3, Questions: 15 + i, Answered: 12 + i,
			MedianFirstAnswer: time.Duration(40-i) * time.Minute, Timed: 10,
			Stages: [4]int{10 - i/2, 3, 2 + i/3, i}, ActiveUsers: 20 + 2*i}
		if i >= 9 {
			w.AccessTeams = []digest.TeamCount{{Team: "Sales", Count: i - 7}}
		}
		if i%3 == 0 {
			w.Chains = []digest.Chain{{From: "Ops", To: "Finance", Count: 1}, {From: "Finance", To: "Ops", Count: 2}}
		}
		weeks[i] = w
	}
	trend := digest.Trend{Weeks: weeks,
		Claims: []string{"Wins grew 4 weeks in a row", "Questions are moving on: how/build went from 13% to 55% in 11 weeks"},
		Conversion: digest.Conversion{All: digest.ConversionCount{Told: 5, Converted: 3},
			ByStage: []digest.ConversionRow{{Key: "how", ConversionCount: digest.ConversionCount{Told: 4, Converted: 3}}},
			ByTeam:  []digest.ConversionRow{{Key: "Ops", ConversionCount: digest.ConversionCount{Told: 5, Converted: 3}}}}}
	latest := digest.Digest{
		Answerers: []digest.Champion{{User: "U0ANA", Team: "Ops", Answered: 4, CrossTeamAnswers: 2}},
		Bridges:   []digest.Champion{{User: "U0BEN", Team: "Finance", CrossTeamReach: 3}},
		AccessRequests: []digest.AccessTeam{{Team: "Sales", People: []string{"U0CAT", "U0DAN"}, Questions: 4,
			Tools: []string{"ChatGPT"}}},
		TopWins: []digest.TopWin{{Author: "U0ANA", Excerpt: "Drafted the board pack in 40 minutes", Minutes: 200},
			{Author: "U0BEN", Excerpt: "", Withheld: true, Minutes: 60}},
		Rollout: &digest.Rollout{Stage: digest.Crawl, Next: digest.Walk, ActiveUsers: 42, Champions: 6, ChampionTeams: 2,
			Teams: 3, EnrolledTeams: 2, ActiveTeams: 2,
			Gaps: []digest.Gap{{What: "active users", Have: 42, Need: 50}}},
	}
	return Input{Generated: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC), Trend: trend, Latest: latest,
		Names: map[string]string{"U0ANA": "Ana Lima"}}
}
