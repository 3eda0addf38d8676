package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/slack-go/slack"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/config"
	"flywheel/digest"
	"flywheel/store"
)

// homeBenchEnd is the digest firing the Home benchmark's history ends at:
// Monday 23 Nov 2026, 09:00 UTC (the default schedule, Monday 9:00).
var homeBenchEnd = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// Home benchmark sizes: cmd/flywheel-bench's history (10,000 wins and 2,000
// questions a week from 2,000 people in 100 teams of 20), three weeks of it.
const (
	homeBenchTeams, homeBenchTeamSize  = 100, 20
	homeBenchWeekWins, homeBenchWeekQs = 10_000, 2_000
	homeBenchWeeks                     = 3
)

// homeOutsider is in no configured team; their wins are recorded without
// one, and the digest learns their team from a question they asked.
const homeOutsider = "UOUTSIDE1"

func homeBenchUser(i int) string {
	return fmt.Sprintf("U%07d", i%(homeBenchTeams*homeBenchTeamSize))
}

func homeBenchTeam(i int) string {
	return fmt.Sprintf("Team %03d", i%(homeBenchTeams*homeBenchTeamSize)/homeBenchTeamSize)
}

func homeBenchConfig() *config.Config {
	cfg := config.Default()
	cfg.WinsChannel, cfg.HelpChannels = "C0WINS", []string{"C0HELP"}
	cfg.Digest.Channels = []string{"C0ALL"}
	cfg.Tools = []config.Tool{{Name: "ChatGPT", Status: config.StatusApproved}, {Name: "Claude", Status: config.StatusApproved}}
	for t := range homeBenchTeams {
		team := config.Team{Name: homeBenchTeam(t * homeBenchTeamSize), Enrolled: t < 70}
		for m := range homeBenchTeamSize {
			team.Members = append(team.Members, homeBenchUser(t*homeBenchTeamSize+m))
		}
		cfg.Teams = append(cfg.Teams, team)
	}
	cfg.Admins = []string{homeBenchUser(0)}
	return cfg
}

// newHomeBench writes homeBenchWeeks weeks of history ending at homeBenchEnd,
// weekWins wins and weekQs questions a week (a fifth of them answered by
// the registry), and posts the digest of the week before the last, as the
// scheduler does. The store's clock is then a minute before homeBenchEnd:
// the week the Home shows is full (every record of it is there) and so is
// the week before: the most records a Home tab reads. Every 50th win is
// recorded without a team, half of them by homeOutsider.
func newHomeBench(tb testing.TB, weekWins, weekQs int) (*Bot, *time.Time) {
	tb.Helper()
	clock := new(time.Time)
	*clock = homeBenchEnd.AddDate(0, 0, -7*homeBenchWeeks)
	st, err := store.Open(filepath.Join(tb.TempDir(), "home.db"), store.Options{Now: func() time.Time { return *clock }})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := st.Check(); err != nil {
			tb.Error(err)
		}
		_ = st.Close()
	})
	start := *clock
	span := 7 * 24 * time.Hour
	tools := []string{"ChatGPT", "Claude", "Copilot"}
	stages := []string{"what", "access", "how", "build", "build"}
	for wk := range homeBenchWeeks {
		from := start.AddDate(0, 0, 7*wk)
		err := st.Update(func(tx *store.Tx) error {
			for i := range weekWins {
				n := wk*weekWins + i
				at := from.Add(span / time.Duration(weekWins) * time.Duration(i))
				w := store.Win{At: at, Author: homeBenchUser(n * 7), Team: homeBenchTeam(n * 7), Source: store.SourceCommand,
					Text: "Drafted the quarterly report with ChatGPT in 40 minutes instead of 3 hours <@U0000001> & co", Tools: []string{tools[n%3]},
					MinutesSaved: (n * 37) % 700, PostChannel: "C0WINS", PostTS: fmt.Sprintf("%d.%06d", at.Unix(), n)}
				if n%50 == 0 {
					w.Team = ""
					if n%100 == 0 {
						w.Author = homeOutsider
					}
				}
				if err := tx.AddWin(&w); err != nil {
					return err
				}
				for r := range n % 3 {
					reactor := homeBenchUser(n*7 + 1 + r*homeBenchTeamSize*(n%2))
					if _, err := tx.SetReaction(w.ID, reactor, "tada", true, w.PostTS); err != nil {
						return err
					}
				}
			}
			for i := range weekQs {
				n := wk*weekQs + i
				at := from.Add(span/time.Duration(weekQs)*time.Duration(i) + time.Minute)
				q := store.Question{At: at, Asker: homeBenchUser(n * 11), Team: homeBenchTeam(n * 11), Source: store.SourceHelpChannel,
					Channel: "C0HELP", TS: fmt.Sprintf("%d.%06d", at.Unix(), n), Text: "Can I use Claude for customer emails?",
					Stage: stages[(n/3)%5], Tools: []string{tools[n%3]}, BotAnswered: n%5 == 0}
				if n%4 != 0 {
					q.FirstAnswerAt, q.FirstAnswerer, q.Answers = at.Add(time.Hour), homeBenchUser(n*11+1), 1
				}
				if err := tx.AddQuestion(&q); err != nil {
					return err
				}
				if n%4 != 0 {
					a := store.Answer{At: q.FirstAnswerAt, QuestionID: q.ID, Answerer: q.FirstAnswerer, Team: homeBenchTeam(n*11 + 1),
						AskerTeam: q.Team, Channel: "C0HELP", TS: fmt.Sprintf("%d.%06d", q.FirstAnswerAt.Unix(), n), Latency: time.Hour}
					if err := tx.AddAnswer(&a); err != nil {
						return err
					}
				}
			}
			q := store.Question{At: from.Add(time.Hour), Asker: homeOutsider, Team: homeBenchTeam(3 * homeBenchTeamSize),
				Source: store.SourceAsk, Text: "What is Claude?", Stage: "what"}
			return tx.AddQuestion(&q)
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	cfg := homeBenchConfig()
	log := logrus.New()
	log.SetOutput(&strings.Builder{})
	posted := homeBenchEnd.AddDate(0, 0, -7)
	*clock = posted
	if err := digest.NewScheduler(st, func() *config.Config { return cfg }, log, nil).FireAt(context.Background(), posted); err != nil {
		tb.Fatal(err)
	}
	*clock = homeBenchEnd.Add(-time.Minute)
	return New(cfg, st, Options{Log: log}), clock
}

// BenchmarkHomeView builds the Home tab (no publish; cmd/flywheel-bench
// times the publish too) of an admin, who also gets the programme view,
// and of a member, on three full weeks of 10,000 wins.
func BenchmarkHomeView(b *testing.B) {
	bot, _ := newHomeBench(b, homeBenchWeekWins, homeBenchWeekQs)
	for _, c := range []struct{ name, user string }{{"admin", homeBenchUser(0)}, {"member", homeBenchUser(21)}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bot.HomeView(c.user); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// homeViewBefore builds the Home tab with the numbers HomeView read before
// digest.TeamWeekOf and digest.Outlook: the team's line from the team
// digest (BuildTeam on all that Gather reads of two weeks), the
// programme's rollout and access lines from the posted week's Numbers in
// full. The rest of the Home is read as HomeView reads it (the trend's
// conversion, read from the questions told "yes", is checked against a
// recount in digest's TestOpenConversionIsRecountedFromTheYesQuestions).
func homeViewBefore(t *testing.T, b *Bot, user string) slack.HomeTabViewRequest {
	t.Helper()
	cfg := b.Config()
	team, _ := b.teamOf(user)
	var st homeStats
	var now time.Time
	require.NoError(t, b.st.View(func(tx *store.Tx) (err error) {
		now = tx.Now()
		if st, err = gatherHome(tx, cfg, user, team.Name, now); err != nil || team.Name == "" {
			return err
		}
		end := digest.WeekEnd(cfg, now)
		in, err := digest.Gather(tx, end, 2)
		h := digest.BuildTeam(in, cfg, end, team.Name).Headline
		st.ThisWeek = weekTotals{h.Wins.Now, h.MinutesSaved.Now}
		st.LastWeek = weekTotals{h.Wins.Prev, h.MinutesSaved.Prev}
		return err
	}))
	view := homeView(cfg, st)
	if !cfg.IsAdmin(user) {
		return view
	}
	p, err := gatherProgramme(b.st, cfg, now)
	require.NoError(t, err)
	var week digest.Numbers
	require.NoError(t, b.st.View(func(tx *store.Tx) (err error) {
		p.posted, err = tx.PostedWeek(p.end, "", &week)
		return err
	}))
	p.week = digest.Outlook{AccessRequests: week.AccessRequests, Rollout: week.Rollout}
	view.Blocks.BlockSet = append(view.Blocks.BlockSet, programmeBlocks(p)...)
	return view
}

// TestHomeViewSameAsBefore: the Home tab read the faster way is the one
// the team digest and the posted week's full numbers give, block for
// block (so is its JSON, which is what views.publish sends): for an admin (with the programme view), members of other teams
// (one of them the team a teamless colleague's wins count for) and
// someone in no team, with both weeks full, mid-week and after a new
// week began.
func TestHomeViewSameAsBefore(t *testing.T) {
	b, clock := newHomeBench(t, 400, 80)
	users := []string{homeBenchUser(0), homeBenchUser(21), homeBenchUser(3 * homeBenchTeamSize), homeOutsider}
	for _, at := range []time.Time{homeBenchEnd.Add(-time.Minute), homeBenchEnd.AddDate(0, 0, -3), homeBenchEnd.Add(26 * time.Hour)} {
		*clock = at
		for _, user := range users {
			got, err := b.HomeView(user)
			require.NoError(t, err)
			want := homeViewBefore(t, b, user)
			gotJSON, err := json.Marshal(got)
			require.NoError(t, err)
			wantJSON, err := json.Marshal(want)
			require.NoError(t, err)
			require.JSONEq(t, string(wantJSON), string(gotJSON), "%s at %s", user, at)
			if user == homeBenchUser(0) {
				assert.Contains(t, string(gotJSON), "Programme (admins)")
				assert.Contains(t, string(gotJSON), "Rollout stage")
			}
		}
	}
	*clock = homeBenchEnd.Add(-time.Minute)
	got, err := b.HomeView(homeBenchUser(3 * homeBenchTeamSize))
	require.NoError(t, err)
	raw, err := json.Marshal(got)
	require.NoError(t, err)
	assert.Regexp(t, `Team 003\*? this week: \*\d+ wins\*`, string(raw), "the team's week is shown")
}
