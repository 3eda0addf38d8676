package guard

import (
	"bufio"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var blockTerms = []string{"Project Falcon", "Globex"}

// labels maps the corpus's short labels to kinds.
var labels = map[string]Kind{"email": Email, "phone": Phone, "secret": Secret, "card": Card, "blocked term": BlockTerm}

// TestCorpus checks every labelled message and reports the false-positive
// rate: a guard that cries wolf gets turned off.
func TestCorpus(t *testing.T) {
	f, err := os.Open("../../testdata/guard/corpus.tsv")
	require.NoError(t, err)
	defer f.Close()
	var clean, falsePos, sensitive, caught int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		label, text, ok := strings.Cut(line, "\t")
		require.True(t, ok, "bad line %q", line)
		fs := Scan(text, blockTerms)
		require.Equal(t, scanAll(text, blockTerms), fs, "census skipped a match in %q", text)
		got := Kinds(fs)
		sort.Strings(got)
		if label == "none" {
			clean++
			if len(got) > 0 {
				falsePos++
				t.Logf("false positive %v: %s", got, text)
			}
			continue
		}
		sensitive++
		var want []string
		for _, l := range strings.Split(label, ",") {
			want = append(want, string(labels[l]))
		}
		sort.Strings(want)
		if assert.Equal(t, want, got, text) {
			caught++
		}
	}
	require.NoError(t, sc.Err())
	t.Logf("sensitive caught %d/%d; false positives %d/%d = %.1f%%", caught, sensitive, falsePos, clean, 100*float64(falsePos)/float64(clean))
	assert.Equal(t, sensitive, caught, "every sensitive message is caught")
	assert.LessOrEqual(t, float64(falsePos)/float64(clean), 0.05, "false-positive rate at most 5%")
}

func TestRedact(t *testing.T) {
	text := "mail jane@acme.com or call +44 20 7946 0958, key sk-abcdefghijklmnopqrstuvwxyz123"
	out := Redact(text, Scan(text, nil))
	assert.Equal(t, "mail [email address removed] or call [phone number removed], key [API key or token removed]", out)
	assert.Empty(t, Scan(out, nil), "a redacted text is clean")
}

func TestLuhn(t *testing.T) {
	assert.True(t, luhn("4111 1111 1111 1111"))
	assert.False(t, luhn("4111 1111 1111 1112"))
	assert.False(t, luhn("1234"))
}

func FuzzScan(f *testing.F) {
	f.Add("mail jane@acme.com +44 20 7946 0958 4111111111111111 sk-abcdefghijklmnopqrstuvwxyz")
	f.Add("Project Falcon globex")
	f.Fuzz(func(t *testing.T, text string) {
		fs := Scan(text, blockTerms)
		require.Equal(t, scanAll(text, blockTerms), fs, "the census must never skip a pattern that matches")
		last := 0
		for _, x := range fs {
			if x.Start < last || x.End > len(text) || x.Start >= x.End {
				t.Fatalf("bad finding %+v", x)
			}
			last = x.End
		}
		_ = Redact(text, fs)
	})
}

// TestCensusEdges: texts at the census's thresholds, where skipping a
// pattern one character too early would lose a finding.
func TestCensusEdges(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"eight digits: no phone", "call 020 794 60", nil},
		{"phone at nine digits", "call 020 794 6095", []string{string(Phone)}},
		{"card at thirteen digits", "card 4222222222222", []string{string(Card)}},
		{"hex at thirty-two", "token " + strings.Repeat("a1", 16), []string{string(Secret)}},
		{"hex at thirty-one", "token " + strings.Repeat("a1", 15) + "a", nil},
		{"base64 at forty", "key " + strings.Repeat("aB3", 13) + "z", []string{string(Secret)}},
		{"email", "x@y.io", []string{string(Email)}},
		{"github token", "ghp_" + strings.Repeat("A", 36), []string{string(Secret)}},
		{"block term, any case", "the GLOBEX deal", []string{string(BlockTerm)}},
		{"plain win", "Used ChatGPT to draft 12 emails in 30 minutes instead of 3 hours", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := Scan(tt.text, blockTerms)
			assert.Equal(t, scanAll(tt.text, blockTerms), fs)
			assert.Equal(t, tt.want, Kinds(fs))
		})
	}
}

// BenchmarkScan: a typical clean win (every pattern ruled out by the
// census) and one carrying an email and a phone number, with and without
// the census.
func BenchmarkScan(b *testing.B) {
	texts := map[string]string{
		"clean":     "Used ChatGPT to draft 12 cold emails in 30 minutes instead of 3 hours",
		"sensitive": "Drafted the reply to jane@acme.com in 5 min with Claude, she called back on +44 20 7946 0958",
	}
	for name, text := range texts {
		b.Run(name+"/census", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Scan(text, blockTerms)
			}
		})
		b.Run(name+"/all", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				scanAll(text, blockTerms)
			}
		})
	}
}
