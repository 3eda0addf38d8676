package digest

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"flywheel/config"
)

// rolloutOf builds the rollout for a made-up week: teams configured (the
// first enrolled of them in the rollout), active users spread round-robin
// over the first activeTeams teams, champions taken from the active users
// of the first champTeams teams.
func rolloutOf(teams, enrolled, active, activeTeams, champions, champTeams, buildPct, peerPct int) *Rollout {
	cfg := config.Default()
	for i := range teams {
		cfg.Teams = append(cfg.Teams, config.Team{Name: fmt.Sprintf("T%d", i), Enrolled: i < enrolled})
	}
	act := map[string]bool{}
	champs := map[string]*Champion{}
	for k := range active {
		team := k % activeTeams
		user := fmt.Sprintf("U%dX%d", team, k)
		cfg.Teams[team].Members = append(cfg.Teams[team].Members, user)
		act[user] = true
		if team < champTeams && len(champs) < champions {
			champs[user] = &Champion{User: user, Score: ChampionMinScore}
		}
	}
	h := Headline{MinutesSaved: Count{Now: 100}, PeerConfirmedMinutes: Count{Now: peerPct}}
	mix := []StageShare{{Stage: "build", NowPct: buildPct}}
	return rollout(cfg, newRoster(cfg, Input{}), h, mix, act, []map[string]*Champion{champs})
}

func TestRolloutStages(t *testing.T) {
	cases := []struct {
		name string
		got  *Rollout
		want Stage
		next Stage
		gaps []Gap
	}{
		// 12 active users in a pilot: Walk wants 50, 10 champions, 3 teams.
		{"Crawl", rolloutOf(6, 2, 12, 2, 2, 1, 0, 0), Crawl, Walk,
			[]Gap{{"active users", 12, 50}, {"champions", 2, 10}, {"teams with champions", 1, 3}}},
		// 55 active, 10 champions in 3 teams: Walk. Run wants 76 active and all
		// 6 teams enrolled; 5 of 6 teams active meets ceil(80% of 6) = 5.
		{"Walk", rolloutOf(6, 4, 55, 5, 10, 3, 0, 0), Walk, Run,
			[]Gap{{"active users", 55, 76}, {"teams enrolled", 4, 6}}},
		// Exactly at Walk's bars.
		{"WalkAtBars", rolloutOf(6, 4, 50, 5, 10, 3, 0, 0), Walk, Run,
			[]Gap{{"active users", 50, 76}, {"teams enrolled", 4, 6}}},
		// One champion short of Walk.
		{"NineChampions", rolloutOf(6, 4, 60, 5, 9, 3, 0, 0), Crawl, Walk, []Gap{{"champions", 9, 10}}},
		// 80 active in 4 of 5 teams (ceil(80% of 5) = 4), all enrolled: Run;
		// 30% build questions is short of Fly's 40%.
		{"Run", rolloutOf(5, 5, 80, 4, 12, 4, 30, 60), Run, Fly, []Gap{{"% of questions about building", 30, 40}}},
		{"RunThreeOfFiveTeams", rolloutOf(5, 5, 80, 3, 12, 3, 30, 60), Walk, Run, []Gap{{"teams with active users", 3, 4}}},
		{"Fly", rolloutOf(5, 5, 80, 4, 12, 4, 45, 60), Fly, "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, c.got.Stage)
			assert.Equal(t, c.next, c.got.Next)
			assert.Equal(t, c.gaps, c.got.Gaps)
		})
	}
}
