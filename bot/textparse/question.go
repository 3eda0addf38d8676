package textparse

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Stage is where a question sits on the adoption path, from "what is it?"
// to "how do I build with it?".
type Stage string

// The stages, in the order people usually meet them.
const (
	// StageNone is for statements and for questions that are not about AI
	// tools ("anyone free for lunch?").
	StageNone Stage = ""
	// StageWhat asks what a tool is or is good for, or which to pick.
	StageWhat Stage = "what"
	// StageAccess asks how to get, install or log in to a tool, or whether
	// using it is allowed.
	StageAccess Stage = "access"
	// StageHow asks how to use a tool well: tips, prompts, best ways.
	StageHow Stage = "how"
	// StageBuild asks how to build, automate or integrate with a tool.
	StageBuild Stage = "build"
)

// Reading is how the bot understood one message.
type Reading struct {
	Text         string   // the message as given
	IsQuestion   bool     // it asks something (or requests help)
	IsPermission bool     // it asks whether something is allowed; implies IsQuestion
	Stage        Stage    // StageNone unless IsQuestion
	Tools        []string // registry tools mentioned, see ToolMatcher.Find
	MinutesSaved int      // see MinutesSaved
}

// Read classifies text with keyword and pattern rules that a person can
// follow; the same text always reads the same way. m may be nil (no tools).
//
// A message is a question when a sentence ends in "?" (unless it is
// rhetorical: "who knew?", "how cool is that?"), when a sentence opens like
// a question even without "?" ("can i use chatgpt for this", "how do i
// aceess copilot", "anyone tried gemini", "is claude approved"), or when it
// contains a request for help anywhere ("does anyone know", "any tips",
// "i was wondering if", "need help"). Text in code blocks and addresses is
// ignored; common typos of key words are corrected first ("aceess",
// "promt", "lisence").
//
// It asks permission when it asks whether using or sharing is allowed:
// "can I use/paste/upload…" (but not "how can I use…"), "is it ok/safe/
// allowed to", "am I allowed", "approved", "against policy".
//
// The stage is set by the first rule that matches: giving a tool access to
// data is build; a permission question is access; a difference or a short
// definition ("what's an agent?", "what does fine-tuning mean?") is what;
// obtaining a tool (access, license, seat, sign up, log in, who to ask) is
// access; building, automating or integrating is build; installing or
// enabling is access; using a tool well (how do I, tips, prompts, best way)
// is how; finding a tool is access; understanding or choosing (what is, vs,
// any good, which one) is what, and so is any other question naming a
// registry tool.
//
// The part that asks is judged before the rest, so a story around a
// question does not steer it: first the clauses that ask on their own
// ("claude is approved for us, | but how do I get it to…?"), then the
// sentences that do, then the whole message. A tool's approval stated in
// passing ("now that copilot is approved, …") is not a permission question.
func Read(text string, m *ToolMatcher) Reading {
	r := Reading{Text: text, Tools: m.Find(text), MinutesSaved: MinutesSaved(text)}
	q := newQText(text, m)
	if r.IsQuestion = q.isQuestion(); !r.IsQuestion {
		return r
	}
	sentences := q.asking()
	for _, part := range []*qtext{q.askingClauses(), sentences} {
		if part.joined == q.joined || len(part.sents) == 0 {
			continue // nothing narrower than the whole message
		}
		r.IsPermission = r.IsPermission || part.isPermission()
		if r.Stage = part.stage(r.IsPermission, false); r.Stage != StageNone {
			// "getting a 429 from the openai api in our nightly script, how
			// do we batch requests?": how, asked about something being
			// built, is build.
			if r.Stage == StageHow && part != sentences && sentences.builds() {
				r.Stage = StageBuild
			}
			return r
		}
	}
	r.IsPermission = r.IsPermission || q.isPermission()
	r.Stage = q.stage(r.IsPermission, len(r.Tools) > 0)
	return r
}

// qtext is a message prepared for the question rules: lower-case words by
// sentence, typos corrected, tool aliases replaced by toolWord.
type qtext struct {
	sents  [][]string
	asked  []bool  // the sentence ended with "?"
	cuts   [][]int // per sentence, where a clause starts after a comma
	joined string  // " w w | w w | ": every word padded, "|" between sentences
}

func newQText(text string, m *ToolMatcher) *qtext {
	q := &qtext{}
	var cur []string
	var cuts []int
	flush := func(asked bool) {
		if len(cur) == 0 {
			if asked && len(q.asked) > 0 {
				q.asked[len(q.asked)-1] = true // "is it ok?!?"
			} else if asked {
				q.sents, q.asked, q.cuts = append(q.sents, nil), append(q.asked, true), append(q.cuts, nil)
			}
			return
		}
		// Tools are marked clause by clause (a tool's name never spans a
		// comma), so the cuts follow when "github copilot" becomes one word.
		var ws []string
		var marked []int
		from := 0
		for _, c := range append(cuts, len(cur)) {
			if from > 0 {
				marked = append(marked, len(ws))
			}
			ws = append(ws, m.markTools(cur[from:c])...)
			from = c
		}
		q.sents, q.asked, q.cuts = append(q.sents, ws), append(q.asked, asked), append(q.cuts, marked)
		cur, cuts = nil, nil
	}
	s := plainText(text, true, "\n")
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isWordRune(r):
			end := wordEnd(s, i)
			for end < len(s) {
				r2, n := utf8.DecodeRuneInString(s[end:])
				if !isWordRune(r2) {
					break
				}
				end = wordEnd(s, end+n) // letters and digits together: "gpt4o"
			}
			cur = append(cur, fixWord(s[i:end]))
			i = end
			continue
		case r == '?':
			flush(true)
		case r == '.':
			if i+1 >= len(s) || isSpaceByte(s[i+1]) {
				flush(false)
			}
		case r == '-':
			// A spaced dash joins two sentences: "claude's approved now -
			// how do i…" ("—" and "–" arrive as " - ").
			if i > 0 && isSpaceByte(s[i-1]) && (i+1 >= len(s) || isSpaceByte(s[i+1])) {
				flush(false)
			}
		case r == ',':
			if len(cur) > 0 && (len(cuts) == 0 || cuts[len(cuts)-1] < len(cur)) {
				cuts = append(cuts, len(cur))
			}
		case r == '!' || r == ';' || r == ':' || r == '\n':
			flush(false)
		}
		i += size
	}
	flush(false)
	q.join()
	return q
}

func (q *qtext) join() {
	var b strings.Builder
	b.WriteByte(' ')
	for _, ws := range q.sents {
		for _, w := range ws {
			b.WriteString(w)
			b.WriteByte(' ')
		}
		b.WriteString("| ")
	}
	q.joined = b.String()
}

// asking returns the sentences that ask something on their own.
func (q *qtext) asking() *qtext {
	a := &qtext{}
	for i, ws := range q.sents {
		one := &qtext{sents: [][]string{ws}, asked: []bool{q.asked[i]}}
		one.join()
		if one.isQuestion() {
			a.sents, a.asked = append(a.sents, ws), append(a.asked, q.asked[i])
		}
	}
	a.join()
	return a
}

// has reports whether any of the phrases (made by pad) occurs as whole words.
func (q *qtext) has(phrases []string) bool {
	for _, p := range phrases {
		if strings.Contains(q.joined, p) {
			return true
		}
	}
	return false
}

// pad surrounds each phrase with spaces, so that has matches whole words.
func pad(phrases ...string) []string {
	out := make([]string, len(phrases))
	for i, p := range phrases {
		out[i] = " " + p + " "
	}
	return out
}

func (q *qtext) isQuestion() bool {
	for i, ws := range q.sents {
		ws = skipGreeting(ws)
		if q.asked[i] && !startsWithAny(ws, rhetorical) {
			return true
		}
		if opensQuestion(ws) {
			return true
		}
	}
	return q.has(askAnywhere)
}

// isPermission applies the permission rules; the caller knows it is a
// question.
func (q *qtext) isPermission() bool {
	if q.has(permissionPhrases) {
		return true
	}
	for _, ws := range q.sents {
		for i, w := range ws {
			// "is claude approved?" asks permission; "how long to get a seat
			// approved?" asks about the process, and "now that claude is
			// approved, …" says what is already allowed.
			if w == "approved" && !approvalStated(ws, i) {
				return true
			}
		}
		for i := 0; i+2 < len(ws); i++ {
			if !isIn(ws[i], "can", "could", "may") || !isIn(ws[i+1], "i", "we") {
				continue
			}
			if i > 0 && isIn(ws[i-1], "how", "where", "what", "which", "why", "when", "who") {
				continue // "how can i use…" asks how, not whether
			}
			v := ws[i+2]
			if isIn(v, "still", "also", "just", "actually", "legally") && i+3 < len(ws) {
				v = ws[i+3]
			}
			if permissionVerbs[v] {
				return true
			}
		}
	}
	return false
}

func isIn(w string, set ...string) bool {
	for _, s := range set {
		if w == s {
			return true
		}
	}
	return false
}

// startsWithAny reports whether ws starts with one of the phrases.
func startsWithAny(ws []string, phrases []string) bool {
	if len(ws) == 0 {
		return false
	}
	line := strings.Join(ws[:min(len(ws), 6)], " ") + " "
	for _, p := range phrases {
		if strings.HasPrefix(line, p+" ") {
			return true
		}
	}
	return false
}

// skipGreeting drops the greetings and fillers a sentence may open with:
// "hey team quick q can i…" → "can i…".
func skipGreeting(ws []string) []string {
	for n := 0; len(ws) > 1 && n < 8 && greetings[ws[0]]; n++ {
		ws = ws[1:]
	}
	return ws
}

// opensQuestion reports whether a sentence opens the way questions do.
func opensQuestion(ws []string) bool {
	if len(ws) == 0 {
		return false
	}
	w0, w1 := ws[0], ""
	if len(ws) > 1 {
		w1 = ws[1]
	}
	switch w0 {
	case "how":
		return isIn(w1, "do", "does", "did", "can", "could", "should", "would", "to", "are", "is", "much", "many", "long", "often", "come", "about", "exactly", "we", "i")
	case "how's", "how'd", "howd", "hows", "what's", "whats", "what're", "which", "why", "where", "where's", "wheres", "who's", "whos", "whom", "whose", "when's", "anyone", "anybody", "anyone's", "wondering", "curious", "thoughts", "opinions", "feedback", "recommendations", "recs", "suggestions", "help":
		return !(w0 == "why" && w1 == "not") && !(w0 == "help" && w1 == "")
	case "what":
		return isIn(w1, "is", "are", "was", "were", "do", "does", "did", "should", "would", "could", "can", "will", "tool", "tools", "model", "models", "prompt", "prompts", "kind", "sort", "type", "version", "plan", "license", "app", "apps", "about", "even", "actually", "else", "happens", "happened", "exactly", "other", "has", "have", "if", toolWord)
	case "when":
		return isIn(w1, "is", "are", "do", "does", "did", "can", "will", "would", "should", "was")
	case "who":
		return isIn(w1, "is", "are", "can", "could", "do", "does", "did", "should", "would", "will", "has", "have", "knows", "owns", "approves", "manages", "handles", "runs", "gives", "decides", "else", "to",
			"turns", "enables", "grants", "sets", "provides", "pays", "buys", "signs")
	case "any":
		return w1 != "time" && w1 != ""
	case "someone", "somebody":
		return isIn(w1, "know", "knows", "help", "please", "explain", "tell", "share", "recommend", "point")
	case "did":
		if w1 == "it" {
			return false // "did it in 20 mins": a win, subject dropped
		}
	case "have", "has":
		if w1 == "a" || w1 == "an" {
			return false // "have a great weekend"
		}
	}
	return auxiliaries[w0] && (subjects[w1] || w1 == toolWord)
}

// fixWord normalises chat spellings and corrects common typos of the key
// words the rules look for; other words are returned unchanged.
func fixWord(w string) string {
	if f, ok := spellings[w]; ok {
		return f
	}
	if len(w) < 6 || vocabulary[w] {
		return w
	}
	for _, k := range typoTargets[w[0]] {
		if within1(w, k) {
			return k
		}
	}
	return w
}

// within1 reports whether a and b differ by at most one edit: a
// substitution, an insertion, a deletion or a swap of neighbours.
func within1(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	switch {
	case i == len(a):
		return true
	case len(a) < len(b):
		return a[i:] == b[i+1:]
	case a[i+1:] == b[i+1:]:
		return true
	}
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
}

// lettersOnly reports whether w has only letters (typo targets are words).
func lettersOnly(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}
