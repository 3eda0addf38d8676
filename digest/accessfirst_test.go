package digest

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"flywheel/config"
	"flywheel/store"
)

// TestAccessFirst checks the access-first ranking on made-up activity:
// scores by hand, ties by user ID, at most MaxAccessFirst, the forgotten
// never named, other teams and zero scores left out.
func TestAccessFirst(t *testing.T) {
	cfg := config.Default()
	members := []string{store.ForgottenUser}
	for i := range 7 {
		members = append(members, fmt.Sprintf("U%d", i))
	}
	cfg.Teams = []config.Team{{Name: "Legal", Members: members}, {Name: "Ops", Members: []string{"UOPS"}}}
	r := newRoster(cfg, Input{})
	nat := map[string]*natural{
		// 2·2 asked + 1 cheered = 5
		"U0": {asked: 2, cheered: map[string]bool{"UOPS": true}},
		// champion score 3 (one cross-team answer, one cheer of a win) = 3
		"U1": {champ: Champion{Answered: 1, CrossTeamAnswers: 1, AnswerScore: 2, CrossTeamReach: 1, Score: 3}},
		// 2 tried = 4
		"U2":                {tried: map[uint64]bool{1: true, 2: true}},
		"U3":                {asked: 1}, // 2
		"U4":                {asked: 1}, // 2, after U3 by ID
		"U5":                {asked: 1}, // 2, sixth: left out
		"U6":                {},         // 0: never named
		store.ForgottenUser: {asked: 9},
		"UOPS":              {asked: 9}, // another team
	}
	got := accessFirst(nat, r, func(team string) bool { return team == "Legal" }, nil)
	assert.Equal(t, []Pick{
		{User: "U0", Team: "Legal", Score: 5, Reason: "asked 2 how-to questions, cheered 1 person in other teams"},
		{User: "U2", Team: "Legal", Score: 4, Reason: "tried 2 colleagues' wins"},
		{User: "U1", Team: "Legal", Score: 3, Reason: "answered 1 question (1 for other teams), wins cheered by 1 person in other teams"},
		{User: "U3", Team: "Legal", Score: 2, Reason: "asked 1 how-to question"},
		{User: "U4", Team: "Legal", Score: 2, Reason: "asked 1 how-to question"},
	}, got)

	skipped := accessFirst(nat, r, func(team string) bool { return team == "Legal" }, func(u string) bool { return u == "U0" })
	assert.Equal(t, "U2", skipped[0].User, "skip leaves champions out")
}
