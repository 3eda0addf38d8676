package digest

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"flywheel/store"
)

// BenchmarkBestTips ranks a library of 2,000 tips with 3 marks each, as
// /flywheel tips, App Home and every registry "Yes" do: it reads the tips'
// own index, so 20,000 wins beside them cost nothing (compare the two).
func BenchmarkBestTips(b *testing.B) {
	for _, wins := range []int{0, 20000} {
		b.Run(fmt.Sprintf("Wins%d", wins), func(b *testing.B) {
			st, err := store.Open(filepath.Join(b.TempDir(), "flywheel.db"), store.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
			err = st.Update(func(tx *store.Tx) error {
				for i := range wins {
					w := store.Win{At: at.Add(time.Duration(i) * time.Second), Author: fmt.Sprintf("U%05d", i%300), Text: "a win with ChatGPT",
						MinutesSaved: 30, Source: store.SourceCommand, Tools: []string{"ChatGPT"}}
					if err := tx.AddWin(&w); err != nil {
						return err
					}
				}
				for i := range 2000 {
					w := store.Win{At: at.Add(time.Duration(i) * time.Minute), Author: fmt.Sprintf("U%05d", i%300), Text: "a tip for ChatGPT",
						Source: store.SourceCommand, Kind: store.KindTip, Tools: []string{"ChatGPT"}}
					if err := tx.AddWin(&w); err != nil {
						return err
					}
					for j, kind := range []store.TipMarkKind{store.MarkSave, store.MarkTry, store.MarkTry} {
						if _, err := tx.MarkTip(w.ID, fmt.Sprintf("UM%03d", (i+j)%500), kind); err != nil {
							return err
						}
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				err := st.View(func(tx *store.Tx) error {
					_, err := BestTips(tx, TipQuery(testConfig(), "chatgpt"), 5)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
