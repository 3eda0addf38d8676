package digest

import (
	"context"
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/config"
	"flywheel/store"
)

// newTestScheduler runs on st with cfg and a clock fixed at now; notified
// counts the notify calls.
func newTestScheduler(st *store.Store, cfg *config.Config, now time.Time) (s *Scheduler, notified *atomic.Int32) {
	notified = &atomic.Int32{}
	s = NewScheduler(st, func() *config.Config { return cfg }, nil, func() { notified.Add(1) })
	s.now = func() time.Time { return now }
	return s, notified
}

func outboxChannels(t *testing.T, st *store.Store) []string {
	t.Helper()
	entries, err := st.Outbox(1000)
	require.NoError(t, err)
	var chans []string
	for _, e := range entries {
		chans = append(chans, e.Channel)
	}
	return chans
}

func TestFireAtPostsOncePerChannel(t *testing.T) {
	cases := []struct {
		name      string
		preposted []string // channels a previous run queued before crashing
		want      []string
	}{
		{"OK", nil, []string{"C0ALL", "C0SALES", "C0OPS"}},
		{"ResumesAfterCrash", []string{"C0ALL"}, []string{"C0SALES", "C0OPS"}},
		{"AllDone", []string{"C0ALL", "C0SALES", "C0OPS"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := openFixture(t, fxWins, fxQuestions)
			require.NoError(t, st.Update(func(tx *store.Tx) error {
				for _, ch := range c.preposted {
					require.NoError(t, tx.MarkFiring(end, ch))
				}
				return nil
			}))
			s, notified := newTestScheduler(st, testConfig(), end)
			require.NoError(t, s.FireAt(context.Background(), end))
			require.NoError(t, s.FireAt(context.Background(), end), "the same firing again")
			assert.Equal(t, c.want, outboxChannels(t, st))
			wantNotify := int32(0)
			if len(c.want) > 0 {
				wantNotify = 1
			}
			assert.Equal(t, wantNotify, notified.Load(), "notify only when something was queued")
			require.NoError(t, st.View(func(tx *store.Tx) error {
				for _, ch := range []string{"C0ALL", "C0SALES", "C0OPS"} {
					assert.True(t, tx.FiringPosted(end, ch), ch)
				}
				return nil
			}))
		})
	}
}

func TestFireAtQueuesTheDigest(t *testing.T) {
	st := openFixture(t, fxWins, fxQuestions)
	cfg := testConfig()
	cfg.Admins = []string{"UADMIN1", "UADMIN2"}
	s, _ := newTestScheduler(st, cfg, end)
	require.NoError(t, s.FireAt(context.Background(), end))
	entries, err := st.Outbox(10)
	require.NoError(t, err)
	require.Len(t, entries, 5, "three public posts, and the lead digest to each admin")
	want := map[string]string{
		"C0ALL":   "7 wins saved 28 hours this week (+3), from 6 people, 2 of them new.",
		"C0SALES": "Sales: 3 wins saved 11 hours this week",
		"C0OPS":   "Ops: 2 wins saved 16 hours this week",
		"UADMIN1": "Lead digest · 7 wins saved 28 hours",
		"UADMIN2": "Lead digest · 7 wins saved 28 hours",
	}
	for _, e := range entries {
		assert.Equal(t, store.OutboxPost, e.Kind)
		assert.True(t, strings.HasPrefix(e.Text, want[e.Channel]), "%s: %s", e.Channel, e.Text)
		// What the sender does with it: the blocks parse back.
		var blocks slack.Blocks
		require.NoError(t, json.Unmarshal(e.Blocks, &blocks))
		assert.NotEmpty(t, blocks.BlockSet)
		assert.Equal(t, slack.MBTHeader, blocks.BlockSet[0].BlockType())
		lead := strings.HasPrefix(e.Channel, "U")
		assert.Equal(t, lead, strings.Contains(string(e.Blocks), "@ULENA"), "%s: only the lead digest names people asking for access", e.Channel)
		assert.Equal(t, lead, strings.Contains(string(e.Blocks), "Wins counted at the cap"), e.Channel)
	}
}

// TestLeadTargets: the lead digest goes to digest.lead_channel when set,
// else to each admin's DM; never to a public digest channel twice.
func TestLeadTargets(t *testing.T) {
	cfg := testConfig()
	cfg.Admins = []string{"UADMIN1"}
	cfg.Digest.LeadChannel = "G0LEADS"
	assert.Contains(t, Targets(cfg), Target{Channel: "G0LEADS", Lead: true})
	assert.NotContains(t, Targets(cfg), Target{Channel: "UADMIN1", Lead: true}, "a lead channel replaces the DMs")
	cfg.Digest.LeadChannel = ""
	assert.Contains(t, Targets(cfg), Target{Channel: "UADMIN1", Lead: true})
	cfg.Admins = nil
	for _, tg := range Targets(cfg) {
		assert.False(t, tg.Lead, "no lead channel and no admins: no lead digest")
	}
}

func TestCatchUp(t *testing.T) {
	cases := []struct {
		name     string
		schedule string
		timezone string
		created  time.Time
		now      time.Time
		key      time.Time // the firing caught up, zero for none
	}{
		{"PostsMissedFiring", "0 9 * * MON", "UTC", installed, end.Add(3 * time.Hour), end},
		{"AlmostADayLate", "0 9 * * MON", "UTC", installed, end.Add(24*time.Hour - time.Second), end},
		{"TooLate", "0 9 * * MON", "UTC", installed, end.Add(24 * time.Hour), time.Time{}},
		{"InstalledAfterFiring", "0 9 * * MON", "UTC", end.Add(time.Hour), end.Add(3 * time.Hour), time.Time{}},
		{"EverySchedule", "@every 1h", "UTC", installed, end.Add(3 * time.Hour), time.Time{}},
		// 9:00 in Berlin on 23 Nov is 8:00 UTC.
		{"TimeZone", "0 9 * * MON", "Europe/Berlin", installed, end, end.Add(-time.Hour)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := openFixtureAt(t, c.created, fxWins, fxQuestions)
			cfg := testConfig()
			cfg.Digest.Schedule, cfg.Digest.Timezone = c.schedule, c.timezone
			s, notified := newTestScheduler(st, cfg, c.now)
			require.NoError(t, s.CatchUp(context.Background()))
			require.NoError(t, s.CatchUp(context.Background()), "a second start catches up nothing more")
			if c.key.IsZero() {
				assert.Empty(t, outboxChannels(t, st))
				assert.Zero(t, notified.Load())
				return
			}
			assert.Equal(t, []string{"C0ALL", "C0SALES", "C0OPS"}, outboxChannels(t, st))
			assert.Equal(t, int32(1), notified.Load())
			require.NoError(t, st.View(func(tx *store.Tx) error {
				assert.True(t, tx.FiringPosted(c.key.In(cfg.Location()), "C0ALL"))
				return nil
			}))
		})
	}
}

// TestLatest checks the schedule arithmetic as a pure function.
func TestLatest(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	mon9 := end // Monday 23 Nov 2026 09:00 UTC
	cases := []struct {
		name string
		spec string
		now  time.Time
		want time.Time // zero: none
	}{
		{"AtTheFiring", "0 9 * * MON", mon9, mon9},
		{"JustBefore", "0 9 * * MON", mon9.Add(-time.Second), time.Time{}},
		{"ADayLateLessASecond", "0 9 * * MON", mon9.Add(24*time.Hour - time.Second), mon9},
		{"ADayLate", "0 9 * * MON", mon9.Add(24 * time.Hour), time.Time{}},
		{"Daily", "@daily", mon9.Add(time.Hour), time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)},
		{"Every", "@every 5s", mon9, time.Time{}},
		{"Berlin", "0 9 * * MON", time.Date(2026, 11, 23, 9, 30, 0, 0, berlin), time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sched, err := config.ParseSchedule(c.spec)
			require.NoError(t, err)
			got, ok := Latest(sched, c.now, CatchUpWindow)
			assert.Equal(t, !c.want.IsZero(), ok)
			if ok {
				assert.True(t, c.want.Equal(got), "got %s, want %s", got, c.want)
			}
		})
	}
}

func TestNominal(t *testing.T) {
	weekly, err := config.ParseSchedule("0 9 * * MON")
	require.NoError(t, err)
	every, err := config.ParseSchedule("@every 5s")
	require.NoError(t, err)
	// A job that starts a moment late keeps its firing's time (and key).
	assert.Equal(t, end, nominal(weekly, end.Add(700*time.Millisecond)))
	assert.Equal(t, end, nominal(weekly, end.Add(1200*time.Millisecond)))
	assert.Equal(t, end.Add(3*time.Second), nominal(every, end.Add(3700*time.Millisecond)))
}

func TestSchedulerStartStop(t *testing.T) {
	t.Run("FiresOnSchedule", func(t *testing.T) {
		st := openFixture(t, nil, nil)
		cfg := testConfig()
		cfg.Digest.Schedule = "@every 1s"
		fired := make(chan struct{}, 10)
		s := NewScheduler(st, func() *config.Config { return cfg }, nil, func() { fired <- struct{}{} })
		require.NoError(t, s.Start(context.Background()))
		assert.Error(t, s.Start(context.Background()), "starting twice")
		select {
		case <-fired:
		case <-time.After(5 * time.Second):
			t.Fatal("the schedule did not fire")
		}
		s.Stop()
		s.Stop() // idempotent
		chans := outboxChannels(t, st)
		require.GreaterOrEqual(t, len(chans), 3)
		assert.Equal(t, []string{"C0ALL", "C0SALES", "C0OPS"}, chans[:3])
	})
	t.Run("ErrBadSchedule", func(t *testing.T) {
		st := openFixture(t, nil, nil)
		cfg := testConfig()
		cfg.Digest.Schedule = "every monday"
		s := NewScheduler(st, func() *config.Config { return cfg }, nil, nil)
		err := s.Start(context.Background())
		require.Error(t, err)
		assert.Contains(t, err.Error(), "digest.schedule")
		s.Stop()
	})
}
