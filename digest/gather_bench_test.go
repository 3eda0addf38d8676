package digest

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"flywheel/store"
)

// BenchmarkGather reads the digest's input from a real store: five weeks
// (the digest's week, the one before, and the weeks emerging champions are
// checked against) of 10,000 wins with their reactions and 2,000 questions
// with their answers. BenchmarkBuild and BenchmarkRender take it from there.
// cmd/flywheel-bench measures the same against histories of up to 10M
// records.
func BenchmarkGather(b *testing.B) {
	st, err := store.Open(filepath.Join(b.TempDir(), "gather.db"), store.Options{Now: func() time.Time { return end }})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	start := end.AddDate(0, 0, -7*GatherWeeks)
	const wins, questions = 10_000 * GatherWeeks, 2_000 * GatherWeeks
	span := end.Sub(start)
	err = st.Update(func(tx *store.Tx) error {
		for i := range wins {
			at := start.Add(span / wins * time.Duration(i))
			w := store.Win{At: at, Author: hugeUser(i%40, (i/40)%10), Team: fmt.Sprintf("Team %02d", i%40), Source: store.SourceCommand,
				Text: "Drafted the quarterly report with ChatGPT in 40 minutes instead of 3 hours", Tools: []string{"ChatGPT"},
				MinutesSaved: (i * 37) % 700, PostChannel: "C0WINS", PostTS: fmt.Sprintf("%d.%06d", at.Unix(), i)}
			if err := tx.AddWin(&w); err != nil {
				return err
			}
			for r := range i % 3 {
				if _, err := tx.SetReaction(w.ID, hugeUser((i+r+1)%40, r), "tada", true, w.PostTS); err != nil {
					return err
				}
			}
		}
		for i := range questions {
			at := start.Add(span/questions*time.Duration(i) + time.Minute)
			q := store.Question{At: at, Asker: hugeUser(i%40, i%10), Team: fmt.Sprintf("Team %02d", i%40), Source: store.SourceHelpChannel,
				Channel: "C0HELP", TS: fmt.Sprintf("%d.%06d", at.Unix(), i), Text: "Can I use Claude for customer emails?", Stage: "access"}
			if i%4 != 0 {
				q.FirstAnswerAt, q.FirstAnswerer, q.Answers = at.Add(time.Hour), hugeUser((i+1)%40, 1), 1
			}
			if err := tx.AddQuestion(&q); err != nil {
				return err
			}
			if i%4 != 0 {
				a := store.Answer{At: q.FirstAnswerAt, QuestionID: q.ID, Answerer: q.FirstAnswerer, Channel: "C0HELP",
					TS: fmt.Sprintf("%d.%06d", q.FirstAnswerAt.Unix(), i), Latency: time.Hour}
				if err := tx.AddAnswer(&a); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		in, err := Load(st, end)
		if err != nil {
			b.Fatal(err)
		}
		if len(in.Wins) < wins*4/5 {
			b.Fatalf("gathered %d wins", len(in.Wins))
		}
	}
}
