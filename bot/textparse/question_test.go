package textparse

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadLabelled runs Read over the labelled messages in questions.tsv and
// reports how often each judgement agrees with the human label, with the
// stage confusion matrix. Stage must agree at least 97% of the time and
// question detection 99%; permission and tools 95%.
func TestReadLabelled(t *testing.T) {
	rows := readTSV(t, "questions.tsv", 5)
	require.GreaterOrEqual(t, len(rows), 250)
	m := NewToolMatcher(testRegistry)
	var question, permission, stage, tools int
	stages := confusion{}
	var questions [2][2]int // [want][got], 1 = a question
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
		questions[b2i(wantQ)][b2i(got.IsQuestion)]++
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
		stages.add(wantStage, got.Stage)
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
	t.Logf("stage confusion matrix (rows: label, columns: Read):\n%s", stages)
	t.Logf("question detection (rows: label, columns: Read):\n%12s %8s %8s\n%12s %8d %8d\n%12s %8d %8d",
		"", "no", "yes", "no", questions[0][0], questions[0][1], "yes", questions[1][0], questions[1][1])
	assert.GreaterOrEqual(t, pct(stage), 97.0, "stage accuracy")
	assert.GreaterOrEqual(t, pct(question), 99.0, "is_question accuracy")
	assert.GreaterOrEqual(t, pct(permission), 95.0, "is_permission accuracy")
	assert.GreaterOrEqual(t, pct(tools), 95.0, "tool accuracy")
}

// confusion counts (label, reading) pairs of stages.
type confusion map[[2]Stage]int

func (c confusion) add(want, got Stage) { c[[2]Stage{want, got}]++ }

// String is the matrix as a table, one row per label.
func (c confusion) String() string {
	order := []Stage{StageWhat, StageAccess, StageHow, StageBuild, StageNone}
	name := func(s Stage) string {
		if s == StageNone {
			return "-"
		}
		return string(s)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%12s", "")
	for _, got := range order {
		fmt.Fprintf(&b, " %8s", name(got))
	}
	for _, want := range order {
		fmt.Fprintf(&b, "\n%12s", name(want))
		for _, got := range order {
			fmt.Fprintf(&b, " %8d", c[[2]Stage{want, got}])
		}
	}
	return b.String()
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
		{"ApprovalInPassingHow", "now that claude is approved, how do i get it to write minutes?",
			Reading{IsQuestion: true, Stage: StageHow, Tools: []string{"Claude"}}},
		{"ApprovalInPassingBuild", "copilot got approved, could we build a bot on it?",
			Reading{IsQuestion: true, Stage: StageBuild, Tools: []string{"Copilot"}}},
		{"ApprovalAskedStaysPermission", "which tools are approved for customer data?",
			Reading{IsQuestion: true, IsPermission: true, Stage: StageAccess}},
		{"AccessHeldInPassing", "we have the copilot license, but how do i make it stop suggesting whole files?",
			Reading{IsQuestion: true, Stage: StageHow, Tools: []string{"Copilot"}}},
		{"ClausesAfterAToolOfTwoWords", "hey, github copilot is approved for us, so how do i use it for code review?",
			Reading{IsQuestion: true, Stage: StageHow, Tools: []string{"Copilot"}}},
		{"EmojiEndsSentence", "got my claude seat :tada: how do i keep its answers short?",
			Reading{IsQuestion: true, Stage: StageHow, Tools: []string{"Claude"}}},
		{"DashEndsSentence", "gemini is approved - which model is best for research?",
			Reading{IsQuestion: true, Stage: StageWhat, Tools: []string{"Gemini"}}},
		{"HowInBuildContextIsBuild", "our nightly script hits the openai api, how do we batch requests?",
			Reading{IsQuestion: true, Stage: StageBuild, Tools: []string{"ChatGPT"}}},
		{"DefinitionWithBuildWord", "what's an agent?", Reading{IsQuestion: true, Stage: StageWhat}},
		{"DefinitionMean", "what does fine-tuning mean?", Reading{IsQuestion: true, Stage: StageWhat}},
		{"JustAScript", "is an agent just a script in a loop?", Reading{IsQuestion: true, Stage: StageWhat}},
		{"BestWayIsNoDefinition", "what's the best way to automate the weekly report?", Reading{IsQuestion: true, Stage: StageBuild}},
		{"IntegrationTestsAreTests", "any tips for getting copilot to write integration tests?",
			Reading{IsQuestion: true, Stage: StageHow, Tools: []string{"Copilot"}}},
		{"PolicyDocsAreNoPolicyQuestion", "which tool is best for summarising long policy docs?",
			Reading{IsQuestion: true, Stage: StageWhat}},
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
