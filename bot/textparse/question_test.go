package textparse

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadLabelled runs Read over the labelled messages in questions.tsv and
// reports how often each judgement agrees with the human label. Stage and
// tool detection must agree at least 90% of the time.
func TestReadLabelled(t *testing.T) {
	rows := readTSV(t, "questions.tsv", 5)
	require.GreaterOrEqual(t, len(rows), 85)
	m := NewToolMatcher(testRegistry)
	var question, permission, stage, tools int
	for _, r := range rows {
		text := r.fields[4]
		got := Read(text, m)
		wantQ, wantP := r.fields[0] == "yes", r.fields[1] == "yes"
		wantStage := Stage(strings.TrimPrefix(r.fields[2], "-"))
		var wantTools []string
		if r.fields[3] != "-" {
			wantTools = strings.Split(r.fields[3], ",")
		}
		where := func(what string, want, got any) {
			t.Logf("questions.tsv:%d: %s: want %v, got %v: %q", r.line, what, want, got, text)
		}
		if got.IsQuestion == wantQ {
			question++
		} else {
			where("is_question", wantQ, got.IsQuestion)
		}
		if got.IsPermission == wantP {
			permission++
		} else {
			where("is_permission", wantP, got.IsPermission)
		}
		if got.Stage == wantStage {
			stage++
		} else {
			where("stage", wantStage, got.Stage)
		}
		if strings.Join(got.Tools, ",") == strings.Join(wantTools, ",") {
			tools++
		} else {
			where("tools", wantTools, got.Tools)
		}
	}
	n := len(rows)
	pct := func(k int) float64 { return 100 * float64(k) / float64(n) }
	t.Logf("is_question accuracy %d/%d = %.1f%%", question, n, pct(question))
	t.Logf("is_permission accuracy %d/%d = %.1f%%", permission, n, pct(permission))
	t.Logf("stage accuracy %d/%d = %.1f%%", stage, n, pct(stage))
	t.Logf("tool accuracy %d/%d = %.1f%%", tools, n, pct(tools))
	assert.GreaterOrEqual(t, pct(stage), 90.0, "stage accuracy")
	assert.GreaterOrEqual(t, pct(tools), 90.0, "tool accuracy")
	assert.GreaterOrEqual(t, pct(question), 90.0, "is_question accuracy")
}

func TestRead(t *testing.T) {
	m := NewToolMatcher(testRegistry)
	cases := []struct {
		name, text string
		want       Reading
	}{
		{"PermissionIsAccess", "Can I use ChatGPT to summarize customer calls?",
			Reading{IsQuestion: true, IsPermission: true, Stage: StageAccess, Tools: []string{"ChatGPT"}}},
		{"HowCanIUseIsNotPermission", "how can i use chatgpt to write sql",
			Reading{IsQuestion: true, Stage: StageHow, Tools: []string{"ChatGPT"}}},
		{"TypoAccess", "how do i aceess copilot",
			Reading{IsQuestion: true, Stage: StageAccess, Tools: []string{"Copilot"}}},
		{"Build", "how do I build an agent that files my expense reports?",
			Reading{IsQuestion: true, Stage: StageBuild}},
		{"What", "what is copilot?", Reading{IsQuestion: true, Stage: StageWhat, Tools: []string{"Copilot"}}},
		{"StatementWithWin", "Used Copilot, went from 4 hours to 20 min",
			Reading{Tools: []string{"Copilot"}, MinutesSaved: 220}},
		{"Thanks", "thanks!", Reading{}},
		{"Rhetorical", "who knew? claude nailed it", Reading{Tools: []string{"Claude"}}},
		{"QuestionMarkInCode", "run `ls -la | grep ?` and paste the output", Reading{}},
		{"QuestionMarkInURL", "see https://example.com/page?id=3 for the deck", Reading{}},
		{"NotAboutAI", "anyone free for lunch?", Reading{IsQuestion: true}},
		{"NilMatcher", "is claude approved?", Reading{IsQuestion: true, IsPermission: true, Stage: StageAccess}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			matcher := m
			if c.name == "NilMatcher" {
				matcher = nil
			}
			got := Read(c.text, matcher)
			c.want.Text = c.text
			assert.Equal(t, c.want, got)
		})
	}
}

func TestFixWord(t *testing.T) {
	for typo, want := range map[string]string{
		"aceess": "access", "acess": "access", "promt": "prompt", "lisence": "license", "licnese": "license",
		"automte": "automate", "integarte": "integrate", "aproved": "approved", "u": "you",
		// real words stay as typed
		"thought": "thought", "accept": "accept", "logic": "logic", "access": "access",
	} {
		assert.Equal(t, want, fixWord(typo), typo)
	}
}

func TestWithin1(t *testing.T) {
	assert.True(t, within1("access", "access"))
	assert.True(t, within1("aceess", "access"), "substitution")
	assert.True(t, within1("acces", "access"), "deletion")
	assert.True(t, within1("accesss", "access"), "insertion")
	assert.True(t, within1("acecss", "access"), "swap")
	assert.False(t, within1("assess", "access"))
	assert.False(t, within1("ac", "access"))
}
