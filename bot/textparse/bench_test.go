package textparse

import (
	"strings"
	"testing"
)

const typical = "hey team :wave: used <https://chat.openai.com|ChatGPT> + github copilot to draft 40 cold emails " +
	"in 30 minutes instead of 3 hours :rocket: can i use claude for the follow-ups too?"

// long is a 20,000-character message built from realistic sentences, so
// every rule has work to do all the way through.
var long = func() string {
	parts := []string{
		typical,
		"went from 4h to 20m on the weekly report, saves ~2 hours a week.",
		"how do i build an agent that files expense reports with the openai api?",
		"is it ok to paste contracts into deepseek? `grep -r ? .` did not help.",
		"normally takes half a day, this time 45 min. thanks <@U123>!",
	}
	var b strings.Builder
	for i := 0; b.Len() < 20000; i++ {
		b.WriteString(parts[i%len(parts)])
		b.WriteString("\n")
	}
	return b.String()[:20000]
}()

func benchInputs(b *testing.B, run func(b *testing.B, text string)) {
	b.Run("Typical", func(b *testing.B) { run(b, typical) })
	b.Run("20000Chars", func(b *testing.B) { run(b, long) })
}

func BenchmarkMinutesSaved(b *testing.B) {
	benchInputs(b, func(b *testing.B, text string) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			MinutesSaved(text)
		}
	})
}

func BenchmarkFind(b *testing.B) {
	m := NewToolMatcher(testRegistry)
	benchInputs(b, func(b *testing.B, text string) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			m.Find(text)
		}
	})
}

func BenchmarkRead(b *testing.B) {
	m := NewToolMatcher(testRegistry)
	benchInputs(b, func(b *testing.B, text string) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			Read(text, m)
		}
	})
}
