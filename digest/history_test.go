package digest

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/config"
	"flywheel/store"
)

// History that holds still: once a week's digest is posted, its numbers
// never change, whatever retention, forget, late reactions, daylight-saving
// changes or a new schedule do. Each test has a fixed clock.

// numbersAt recomputes the company digest of the week ending at end.
func numbersAt(t *testing.T, st *store.Store, cfg *config.Config, end time.Time) Numbers {
	t.Helper()
	in, err := Load(st, end)
	require.NoError(t, err)
	return NumbersOf(Build(in, cfg, end))
}

func forget(t *testing.T, st *store.Store, cfg *config.Config, user string) {
	t.Helper()
	team, _ := cfg.TeamOf(user)
	require.NoError(t, st.Update(func(tx *store.Tx) error { _, err := tx.Forget(user, team.Name); return err }))
}

// cheer sets a reaction at the store clock's time (the clock is *now).
func cheer(t *testing.T, st *store.Store, now *time.Time, at time.Time, win uint64, user string, added bool) {
	t.Helper()
	*now = at
	require.NoError(t, st.Update(func(tx *store.Tx) error {
		_, err := tx.SetReaction(win, user, "tada", added, fmt.Sprintf("%d.000900", at.Unix()))
		return err
	}))
}

// winID finds a fixture win by its text.
func winID(t *testing.T, st *store.Store, text string) uint64 {
	t.Helper()
	wins, err := st.WinsBetween(time.Unix(0, 0), end.AddDate(1, 0, 0))
	require.NoError(t, err)
	for _, w := range wins {
		if w.Text == text {
			return w.ID
		}
	}
	t.Fatalf("no win %q", text)
	return 0
}

// openClocked is openFixture whose store clock the test moves.
func openClocked(t *testing.T, wins []fxWin) (*store.Store, *time.Time) {
	t.Helper()
	st, now := openFixtureClock(t, installed, wins, fxQuestions)
	*now = end
	return st, now
}

// TestPruneKeepsPastWeeks: retention deletes a veteran's first win, and
// they do not become a "new contributor" again.
func TestPruneKeepsPastWeeks(t *testing.T) {
	veteran := fxWin{name: "V0", at: end.AddDate(0, 0, -120), author: "UEVA", team: "Eng", minutes: 30, text: "Long ago"}
	st, _ := openClocked(t, append([]fxWin{veteran}, fxWins...))
	cfg := testConfig()
	before := numbersAt(t, st, cfg, end)
	pruned, err := st.Prune(end.AddDate(0, 0, -config.MinRetentionDays))
	require.NoError(t, err)
	require.Equal(t, 1, pruned.Wins, "the veteran's first win is past retention")
	assert.Equal(t, before, numbersAt(t, st, cfg, end))
	assert.Equal(t, 1, before.Headline.NewContributors.Now, "UEVA is no newcomer; UOMAR is")
}

// TestLateCheersLeaveThePostedWeek: cheers given, and taken back, after a
// week was posted don't change it; the people cheering are active in the
// week they cheered.
func TestLateCheersLeaveThePostedWeek(t *testing.T) {
	st, now := openClocked(t, fxWins)
	cfg := testConfig()
	posted := numbersAt(t, st, cfg, end)
	later := end.Add(3 * 24 * time.Hour)
	w2, p4, w3 := winID(t, st, "Saved 10 hours on the quarterly forecast"), winID(t, st, "Rewrote the whole playbook"), winID(t, st, "Automated the Project Falcon route planning")
	cheer(t, st, now, later, w2, "UOLGA", true) // W2 (600 min) would pass the two-cheer bar
	cheer(t, st, now, later, w2, "UENZO", true)
	cheer(t, st, now, later, p4, "USARA", true) // P4, the week before, likewise
	cheer(t, st, now, later, p4, "UOLGA", true)
	cheer(t, st, now, later, w3, "USAM", false) // W3 (900 min) would fall under it
	assert.Equal(t, posted, numbersAt(t, st, cfg, end))

	next := numbersAt(t, st, cfg, end.AddDate(0, 0, 7))
	// USVEN's win W8, and the three people who cheered that week.
	assert.Equal(t, 4, next.Headline.ActiveUsers.Now)
}

// TestForgottenAmplifiersStillLiftTheCap: two forgotten people who cheered
// a win stay two cheers, and forgetting changes no number of a past week.
func TestForgottenAmplifiersStillLiftTheCap(t *testing.T) {
	st, _ := openClocked(t, fxWins)
	cfg := testConfig()
	posted := numbersAt(t, st, cfg, end)
	forget(t, st, cfg, "USAM") // cheered W3, authored five wins, answered twice
	forget(t, st, cfg, "UENZO")
	after := numbersAt(t, st, cfg, end)
	assert.Equal(t, posted, after)
	i := slices.IndexFunc(after.TopWins, func(w WinNumbers) bool { return w.Amplifiers == 2 && w.Minutes == 900 })
	assert.GreaterOrEqual(t, i, 0, "W3 still counts its 900 minutes: %+v", after.TopWins)
}

// TestRepeatedHourPostsOnce: 01:30 on Sunday in London happens twice on
// 25 Oct 2026 (BST, then GMT); the week is posted once.
func TestRepeatedHourPostsOnce(t *testing.T) {
	st := openFixture(t, nil, nil)
	cfg := testConfig()
	cfg.Digest.Schedule, cfg.Digest.Timezone = "30 1 * * SUN", "Europe/London"
	sched, err := config.ParseSchedule(cfg.Digest.Schedule)
	require.NoError(t, err)
	for _, at := range []time.Time{
		time.Date(2026, 10, 25, 0, 30, 1, 0, time.UTC), // 01:30:01 BST
		time.Date(2026, 10, 25, 1, 30, 1, 0, time.UTC), // 01:30:01 GMT
		time.Date(2026, 10, 25, 1, 31, 0, 0, time.UTC), // a restart right after: catch-up
	} {
		s, _ := newTestScheduler(st, cfg, at)
		s.fire(context.Background(), sched, cfg.Location())
		require.NoError(t, s.CatchUp(context.Background()))
	}
	assert.Equal(t, []string{"C0ALL", "C0SALES", "C0OPS"}, outboxChannels(t, st))
}

// TestScheduleChangeAfterFiringPostsNothingMore: a new digest.timezone or
// digest.schedule after the day's firing doesn't post the week again; the
// next week posts as usual.
func TestScheduleChangeAfterFiringPostsNothingMore(t *testing.T) {
	st := openFixture(t, fxWins, fxQuestions)
	cfg := testConfig()
	s, _ := newTestScheduler(st, cfg, end)
	require.NoError(t, s.FireAt(context.Background(), end))
	require.Len(t, outboxChannels(t, st), 3)

	berlin := testConfig()
	berlin.Digest.Timezone = "Europe/Berlin" // 09:00 there was 08:00 UTC: "missed", caught up on reload
	s, _ = newTestScheduler(st, berlin, end.Add(time.Hour))
	require.NoError(t, s.CatchUp(context.Background()))
	later := testConfig()
	later.Digest.Schedule = "0 11 * * MON"
	s, _ = newTestScheduler(st, later, end.Add(3*time.Hour))
	require.NoError(t, s.CatchUp(context.Background()))
	assert.Len(t, outboxChannels(t, st), 3, "the same week, not posted again")

	s, _ = newTestScheduler(st, later, end.AddDate(0, 0, 7).Add(2*time.Hour))
	require.NoError(t, s.CatchUp(context.Background()))
	assert.Len(t, outboxChannels(t, st), 6, "next week's firing of the new schedule posts")
}

// TestSchedulerUsesTheStoreClock: with no clock of its own, the scheduler
// reads the store's, so a fixed store clock pins its firings.
func TestSchedulerUsesTheStoreClock(t *testing.T) {
	st, now := openFixtureClock(t, installed, nil, nil)
	*now = end.Add(2 * time.Hour)
	s := NewScheduler(st, func() *config.Config { return testConfig() }, nil, nil)
	require.NoError(t, s.CatchUp(context.Background()))
	require.NoError(t, st.View(func(tx *store.Tx) error {
		assert.True(t, tx.FiringPosted(end, "C0ALL"), "the firing two hours before the store's now")
		return nil
	}))
}

// TestPostedWeeksHoldStill is the property: for a random history and
// random operations (retention prunes, forgets, late and withdrawn
// reactions, late answers, reopening the database), every posted week
// recomputes to the numbers that were posted, as long as retention still
// keeps the weeks it reads. What was posted is what the scheduler stored
// with the post (store.RecordWeek).
func TestPostedWeeksHoldStill(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint("Seed", seed), func(t *testing.T) { holdStill(t, seed) })
	}
}

func holdStill(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 17))
	cfg := testConfig()
	cfg.Digest.Timezone = "Europe/London" // the weeks cross the October change
	loc := cfg.Location()
	people := []string{"USAM", "USARA", "USVEN", "UOLGA", "UOMAR", "UENZO", "UEVA", "USUE", "ULENA", "ULUKE", "UFRED", "UNOBODY"}
	first := time.Date(2026, 7, 6, 9, 0, 0, 0, loc) // a Monday
	now := first.AddDate(0, 0, -1)
	path := filepath.Join(t.TempDir(), "history.db")
	open := func() *store.Store {
		st, err := store.Open(path, store.Options{Now: func() time.Time { return now }})
		require.NoError(t, err)
		return st
	}
	st := open()
	defer func() { assert.NoError(t, st.Check()); _ = st.Close() }()
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	teamOf := func(u string) string { tm, _ := cfg.TeamOf(u); return tm.Name }
	var wins []uint64
	type reaction struct {
		win  uint64
		user string
	}
	var reactions []reaction
	type question struct {
		id   uint64
		at   time.Time
		team string
	}
	var questions []question
	var posted []time.Time
	cutoff := time.Time{}
	ts := 0
	update := func(at time.Time, fn func(tx *store.Tx) error) {
		now = at
		require.NoError(t, st.Update(fn))
	}

	for week := range 20 {
		start := first.AddDate(0, 0, 7*week)
		end := start.AddDate(0, 0, 7)
		var times []time.Time
		for range 5 + rng.IntN(20) {
			times = append(times, start.Add(time.Duration(rng.Int64N(int64(end.Sub(start))))))
		}
		slices.SortFunc(times, time.Time.Compare)
		for _, at := range times {
			ts++
			eventTS := fmt.Sprintf("%d.%06d", at.Unix(), ts)
			switch r := rng.IntN(100); {
			case r < 35:
				author := pick(people)
				update(at, func(tx *store.Tx) error {
					if rng.IntN(3) > 0 {
						require.NoError(t, tx.NoteInteraction(author))
					}
					w := store.Win{Author: author, Team: teamOf(author), Text: "win " + eventTS, Source: store.SourceCommand,
						MinutesSaved: []int{0, 30, 120, 600, 1000}[rng.IntN(5)]}
					require.NoError(t, tx.AddWin(&w))
					wins = append(wins, w.ID)
					return nil
				})
			case r < 65 && len(wins) > 0: // on any win still kept: often a late cheer
				id, user := wins[rng.IntN(len(wins))], pick(people)
				update(at, func(tx *store.Tx) error {
					w, err := tx.Win(id)
					if err != nil || w.Author == user {
						return nil // pruned, or their own
					}
					_, err = tx.SetReaction(id, user, pick([]string{"tada", "fire"}), true, eventTS)
					reactions = append(reactions, reaction{id, user})
					return err
				})
			case r < 72 && len(reactions) > 0:
				re := reactions[rng.IntN(len(reactions))]
				update(at, func(tx *store.Tx) error {
					for _, e := range []string{"tada", "fire"} {
						if _, err := tx.SetReaction(re.win, re.user, e, false, eventTS); err != nil {
							return err
						}
					}
					return nil
				})
			case r < 87:
				asker := pick(people)
				team, _ := cfg.TeamOf(asker)
				stage := pick(Stages)
				update(at, func(tx *store.Tx) error {
					require.NoError(t, tx.NoteInteraction(asker))
					q := store.Question{Asker: asker, Team: team.Name, Enrolled: team.Enrolled, Source: store.SourceAsk, Text: "q " + eventTS,
						Stage: stage, Tools: []string{"ChatGPT"}, AccessRequest: stage == "access" && !team.Enrolled, BotAnswered: rng.IntN(5) == 0}
					require.NoError(t, tx.AddQuestion(&q))
					questions = append(questions, question{q.ID, q.At, q.Team})
					return nil
				})
			case len(questions) > 0: // an answer, often in a later week
				q := questions[max(0, len(questions)-1-rng.IntN(8))]
				by := pick(people)
				update(at, func(tx *store.Tx) error {
					stored, err := tx.Question(q.id)
					if err != nil || stored.Asker == by {
						return nil
					}
					a := store.Answer{QuestionID: q.id, Answerer: by, Team: teamOf(by), AskerTeam: q.team, Channel: "CHELP", TS: eventTS, Latency: at.Sub(q.at)}
					require.NoError(t, tx.AddAnswer(&a))
					if stored.Answers == 0 {
						stored.FirstAnswerAt, stored.FirstAnswerer = at, by
					}
					stored.Answers++
					return tx.UpdateQuestion(&stored)
				})
			}
		}
		// The firing: the scheduler, on the store's clock, queues and keeps
		// the week's numbers.
		now = end
		s := NewScheduler(st, func() *config.Config { return cfg }, nil, nil)
		require.NoError(t, s.FireAt(context.Background(), end))
		posted = append(posted, end)

		// Random operations between firings.
		var did []string
		if rng.IntN(3) == 0 {
			cutoff = end.AddDate(0, 0, -config.MinRetentionDays)
			_, err := st.Prune(cutoff)
			require.NoError(t, err)
			did = append(did, "prune")
		}
		if rng.IntN(4) == 0 {
			user := pick(people)
			forget(t, st, cfg, user)
			did = append(did, "forget "+user)
		}
		if rng.IntN(4) == 0 {
			require.NoError(t, st.Close())
			st = open()
			did = append(did, "reload")
		}
		for _, p := range posted {
			if p.AddDate(0, 0, -7*GatherWeeks).Add(-gatherMargin).Before(cutoff) {
				continue // retention no longer keeps what this week read
			}
			for _, tg := range Targets(cfg) {
				var want Numbers
				var ok bool
				require.NoError(t, st.View(func(tx *store.Tx) (err error) {
					ok, err = tx.PostedWeek(p, tg.Team, &want)
					return err
				}))
				require.True(t, ok, "week %s for %q was posted", p, tg.Team)
				in, err := Load(st, p)
				require.NoError(t, err)
				got := NumbersOf(BuildTeam(in, cfg, p, tg.Team))
				wantJSON, _ := json.Marshal(want)
				gotJSON, _ := json.Marshal(got)
				require.JSONEq(t, string(wantJSON), string(gotJSON), "week ending %s, team %q, after week %d (%v)", p, tg.Team, week, did)
			}
		}
	}
}
