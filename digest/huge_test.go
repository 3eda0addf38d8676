package digest

import (
	"fmt"
	"strings"
	"time"

	"flywheel/config"
	"flywheel/store"
)

// hugeConfig has 40 teams of 10; the first 25 are enrolled.
func hugeConfig() *config.Config {
	cfg := config.Default()
	cfg.Digest.Channels = []string{"C0ALL"}
	for i := range 40 {
		t := config.Team{Name: fmt.Sprintf("Team %02d", i), Enrolled: i < 25}
		for m := range 10 {
			t.Members = append(t.Members, hugeUser(i, m))
		}
		cfg.Teams = append(cfg.Teams, t)
	}
	return cfg
}

func hugeUser(team, member int) string { return fmt.Sprintf("U%02dM%02d", team, member) }

// hugeInput makes a deterministic week of wins and questions (and as many
// the week before) spread over the 400 people of hugeConfig, with long and
// hostile texts, claims over the cap and cheers across teams.
func hugeInput(wins, questions int) Input {
	in := Input{End: end, FirstWin: map[string]time.Time{}}
	step := func(n int) time.Duration { return 14 * 24 * time.Hour / time.Duration(n+1) }
	start := end.AddDate(0, 0, -14)
	for i := range 2 * wins {
		at := start.Add(time.Duration(i+1) * step(2*wins))
		team, member := (i*7)%40, (i/40)%10
		author := hugeUser(team, member)
		text := fmt.Sprintf("Win %d: drafted the <report> & the summary with ChatGPT", i)
		if i%97 == 0 {
			text = strings.Repeat("Very long win <b>&amp; text ", 140)
		}
		w := WinFacts{Win: store.Win{ID: uint64(i + 1), At: at, Author: author, Team: fmt.Sprintf("Team %02d", team), Text: text,
			MinutesSaved: (i * 37) % 700, Source: store.SourceCommand, PostChannel: "C0WINS", PostTS: fmt.Sprintf("%d.%06d", at.Unix(), i)}}
		cheers := i % 9
		if i%97 == 0 { // the long ones are the most cheered: they top the list
			cheers = 9
		}
		for a := range cheers {
			w.Amplifiers = append(w.Amplifiers, hugeUser((team+a+1)%40, (member+a)%10))
		}
		in.Wins = append(in.Wins, w)
		if _, ok := in.FirstWin[author]; !ok {
			switch team % 5 {
			case 0: // first win ever last week
				in.FirstWin[author] = at
			case 1: // first win ever this week
				in.FirstWin[author] = end.Add(-time.Hour)
			default:
				in.FirstWin[author] = start.AddDate(0, -2, 0)
			}
		}
	}
	stages := []string{"what", "access", "how", "build", "build"}
	for i := range 2 * questions {
		at := start.Add(time.Duration(i+1) * step(2*questions))
		team := (i * 11) % 40
		q := store.Question{ID: uint64(i + 1), At: at, Asker: hugeUser(team, (i/40)%10), Team: fmt.Sprintf("Team %02d", team),
			Enrolled: team < 25, Stage: stages[(i/3)%5], Tools: []string{[]string{"ChatGPT", "Claude", "Copilot"}[i%3]}}
		q.AccessRequest = !q.Enrolled && q.Stage == "access"
		if i%4 != 0 {
			answerer := (team + i%3) % 40
			q.FirstAnswerAt, q.FirstAnswerer, q.Answers = at.Add(time.Duration(i%300)*time.Minute), hugeUser(answerer, i%7), 1
			in.Answers = append(in.Answers, store.Answer{ID: uint64(i + 1), At: q.FirstAnswerAt, QuestionID: q.ID, Answerer: q.FirstAnswerer,
				Team: fmt.Sprintf("Team %02d", answerer), AskerTeam: q.Team, Latency: q.FirstAnswerAt.Sub(at)})
		}
		in.Questions = append(in.Questions, q)
	}
	return in
}
