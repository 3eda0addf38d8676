package digest

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/config"
	"flywheel/store"
)

// end is the representative digest's firing: Monday 23 Nov 2026, 09:00 UTC.
// The week is [Mon 16 Nov 09:00, Mon 23 Nov 09:00), the previous week
// [Mon 9 Nov 09:00, Mon 16 Nov 09:00).
var end = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// installed is when the test database was created (its CreatedAt).
var installed = time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)

func nov(day, hour, minute int) time.Time {
	return time.Date(2026, 11, day, hour, minute, 0, 0, time.UTC)
}

// testConfig: six teams, four enrolled. Support is enrolled but quiet;
// Legal and Finance are not in the rollout yet.
func testConfig() *config.Config {
	cfg := config.Default()
	cfg.Digest.Channels = []string{"C0ALL"}
	cfg.Guardrails.BlockTerms = []string{"Project Falcon"}
	cfg.Teams = []config.Team{
		{Name: "Sales", Channel: "C0SALES", Members: []string{"USAM", "USARA", "USVEN"}, Enrolled: true},
		{Name: "Ops", Channel: "C0OPS", Members: []string{"UOLGA", "UOMAR"}, Enrolled: true},
		{Name: "Eng", Members: []string{"UENZO", "UEVA"}, Enrolled: true},
		{Name: "Support", Members: []string{"USUE"}, Enrolled: true},
		{Name: "Legal", Members: []string{"ULENA", "ULUKE"}},
		{Name: "Finance", Members: []string{"UFRED"}},
	}
	return cfg
}

type fxWin struct {
	name      string
	at        time.Time
	author    string
	team      string
	nominator string
	minutes   int
	amps      []string
	text      string
}

type fxAnswer struct {
	at   time.Time
	by   string
	team string
}

type fxQuestion struct {
	name     string
	at       time.Time
	asker    string
	team     string
	enrolled bool
	stage    string
	tools    []string
	access   bool // AccessRequest
	bot      bool // answered by the registry
	deleted  bool
	answers  []fxAnswer
}

// Wins of the representative fixture. Counted minutes use the 480 cap.
var fxWins = []fxWin{
	// Weeks -4 to -2: only first wins and one cross-team cheer.
	{name: "E1", at: time.Date(2026, 10, 20, 10, 0, 0, 0, time.UTC), author: "USAM", team: "Sales", minutes: 60, text: "First try"},
	{name: "E3", at: time.Date(2026, 10, 28, 10, 0, 0, 0, time.UTC), author: "UENZO", team: "Eng", minutes: 45, amps: []string{"ULENA"}, text: "Test data with Copilot"},
	{name: "E2", at: nov(3, 10, 0), author: "USARA", team: "Sales", minutes: 30, text: "Meeting notes"},
	// Previous week.
	{name: "P1", at: nov(10, 10, 0), author: "USAM", team: "Sales", minutes: 90, amps: []string{"USARA"}, text: "Proposal outline"},
	{name: "P2", at: nov(11, 10, 0), author: "USARA", team: "Sales", minutes: 120, text: "Price comparison"},
	{name: "P3", at: nov(12, 10, 0), author: "UOLGA", team: "Ops", minutes: 200, text: "Shift plan"},
	{name: "P4", at: nov(13, 10, 0), author: "USAM", team: "Sales", minutes: 1000, text: "Rewrote the whole playbook"},
	// This week.
	{name: "W1", at: nov(17, 10, 0), author: "USAM", team: "Sales", minutes: 150, amps: []string{"USARA", "UOLGA", "UENZO"},
		text: "Used ChatGPT to draft 40 cold emails in 30 minutes instead of 3 hours\nDetails in the thread"},
	{name: "W2", at: nov(18, 11, 0), author: "USARA", team: "Sales", minutes: 600, amps: []string{"USAM"}, text: "Saved 10 hours on the quarterly forecast"},
	{name: "W3", at: nov(19, 14, 0), author: "UOLGA", team: "Ops", minutes: 900, amps: []string{"USAM", "UENZO"}, text: "Automated the Project Falcon route planning"},
	{name: "W4", at: nov(20, 16, 0), author: "UENZO", team: "Eng", minutes: 30, text: "Regex with Claude"},
	{name: "W5", at: nov(21, 9, 30), author: "UEVA", team: "Eng", minutes: 60, amps: []string{"UOMAR"}, text: "Summarised 3 vendor PDFs <!channel> & compared prices > in an hour"},
	{name: "W6", at: nov(22, 12, 0), author: "UOMAR", team: "Ops", nominator: "UOLGA", minutes: 45, amps: []string{"UOLGA"}, text: "Cleaned up the depot spreadsheet"},
	{name: "W7", at: time.Date(2026, 11, 23, 8, 59, 59, 0, time.UTC), author: "USAM", team: "Sales", minutes: 20, text: "Quick summary"},
	// At the end instant: the next week's.
	{name: "W8", at: end, author: "USVEN", team: "Sales", minutes: 100, text: "Next week's win"},
}

var fxQuestions = []fxQuestion{
	// Previous week.
	{name: "R1", at: nov(10, 10, 0), asker: "USVEN", team: "Sales", enrolled: true, stage: "what", answers: []fxAnswer{{nov(10, 13, 0), "USARA", "Sales"}}},
	// R2 is answered only in this week: unanswered in last week's numbers.
	{name: "R2", at: nov(11, 10, 0), asker: "UOMAR", team: "Ops", enrolled: true, stage: "what", answers: []fxAnswer{{nov(16, 10, 0), "USARA", "Sales"}}},
	{name: "R3", at: nov(12, 10, 0), asker: "UENZO", team: "Eng", enrolled: true, stage: "how", answers: []fxAnswer{{nov(12, 10, 40), "USAM", "Sales"}}},
	{name: "R4", at: nov(13, 10, 0), asker: "ULENA", team: "Legal", stage: "access", tools: []string{"ChatGPT"}, access: true, bot: true},
	// This week.
	{name: "Q1", at: nov(17, 9, 0), asker: "ULENA", team: "Legal", stage: "access", tools: []string{"ChatGPT"}, access: true, bot: true},
	{name: "Q2", at: nov(18, 10, 0), asker: "ULUKE", team: "Legal", stage: "access", tools: []string{"Claude"}, access: true,
		answers: []fxAnswer{{nov(18, 12, 0), "UOLGA", "Ops"}, {nov(18, 12, 30), "UOLGA", "Ops"}}},
	{name: "Q3", at: nov(19, 10, 0), asker: "UFRED", team: "Finance", stage: "access", tools: []string{"ChatGPT"}, access: true,
		answers: []fxAnswer{{nov(19, 10, 30), "USAM", "Sales"}}},
	{name: "Q4", at: nov(19, 11, 0), asker: "USVEN", team: "Sales", enrolled: true, stage: "how",
		answers: []fxAnswer{{nov(19, 15, 0), "USAM", "Sales"}, {nov(19, 16, 0), "UOLGA", "Ops"}}},
	{name: "Q5", at: nov(20, 10, 0), asker: "UENZO", team: "Eng", enrolled: true, stage: "build", answers: []fxAnswer{{nov(20, 11, 0), "UOLGA", "Ops"}}},
	{name: "Q6", at: nov(21, 10, 0), asker: "UEVA", team: "Eng", enrolled: true, stage: "build"},
	{name: "Q7", at: nov(22, 10, 0), asker: "UOMAR", team: "Ops", enrolled: true, stage: "what", deleted: true},
	{name: "Q8", at: nov(22, 11, 0), asker: "UNOBODY", stage: "access", tools: []string{"Copilot"}, answers: []fxAnswer{{nov(22, 11, 20), "UENZO", "Eng"}}},
}

// openFixture opens a temp store created at installed, writes wins and
// questions, and checks the file when the test ends.
func openFixture(t testing.TB, wins []fxWin, questions []fxQuestion) *store.Store {
	t.Helper()
	return openFixtureAt(t, installed, wins, questions)
}

// openFixtureAt is openFixture for a database created at created.
func openFixtureAt(t testing.TB, created time.Time, wins []fxWin, questions []fxQuestion) *store.Store {
	t.Helper()
	st, _ := openFixtureClock(t, created, wins, questions)
	return st
}

// openFixtureClock is openFixtureAt with the store's clock, which the test
// may move; it is left at created.
func openFixtureClock(t testing.TB, created time.Time, wins []fxWin, questions []fxQuestion) (*store.Store, *time.Time) {
	t.Helper()
	clock := new(time.Time)
	*clock = created
	st, err := store.Open(filepath.Join(t.TempDir(), "flywheel.db"), store.Options{Now: func() time.Time { return *clock }})
	require.NoError(t, err)
	t.Cleanup(func() {
		assert.NoError(t, st.Check())
		assert.NoError(t, st.Close())
	})
	// Each win is recorded, and cheered, at its own time.
	for _, f := range wins {
		*clock = f.at
		require.NoError(t, st.Update(func(tx *store.Tx) error { return addWin(tx, f) }))
	}
	*clock = created
	require.NoError(t, st.Update(func(tx *store.Tx) error {
		for _, f := range questions {
			require.NoError(t, addQuestion(tx, f))
		}
		return nil
	}))
	return st, clock
}

func addWin(tx *store.Tx, f fxWin) error {
	src := store.SourceCommand
	if f.nominator != "" {
		src = store.SourceNomination
	}
	w := store.Win{At: f.at, Author: f.author, Nominator: f.nominator, Team: f.team, Text: f.text, MinutesSaved: f.minutes,
		Source: src, PostChannel: "C0WINS", PostTS: fmt.Sprintf("%d.000100", f.at.Unix())}
	if err := tx.AddWin(&w); err != nil {
		return err
	}
	for _, a := range f.amps {
		if _, err := tx.SetReaction(w.ID, a, "tada", true, fmt.Sprintf("%d.000200", f.at.Unix())); err != nil {
			return err
		}
	}
	return nil
}

func addQuestion(tx *store.Tx, f fxQuestion) error {
	q := store.Question{At: f.at, Asker: f.asker, Team: f.team, Enrolled: f.enrolled, Source: store.SourceHelpChannel,
		Channel: "C0HELP", TS: fmt.Sprintf("%d.000300", f.at.Unix()), Text: "question " + f.name, Stage: f.stage, Tools: f.tools,
		AccessRequest: f.access, BotAnswered: f.bot, Deleted: f.deleted}
	if err := tx.AddQuestion(&q); err != nil {
		return err
	}
	for i, a := range f.answers {
		ans := store.Answer{At: a.at, QuestionID: q.ID, Answerer: a.by, Team: a.team, AskerTeam: f.team, Channel: "C0HELP",
			TS: fmt.Sprintf("%d.%06d", a.at.Unix(), 400+i), Latency: a.at.Sub(f.at)}
		if err := tx.AddAnswer(&ans); err != nil {
			return err
		}
		if q.Answers == 0 {
			q.FirstAnswerAt, q.FirstAnswerer = a.at, a.by
		}
		q.Answers++
	}
	return tx.UpdateQuestion(&q)
}
