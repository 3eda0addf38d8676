package textparse

// Rules for messages that mix topics: a question that mentions a tool's
// approval or an access word in passing, and short definitional questions
// whose subject sounds like building ("what's an agent?").

// askingClauses returns the clauses (parts of sentences between commas)
// that ask something on their own: in "copilot got approved last week, how
// do i get it to write docstrings?" only the second does. A clause takes
// its sentence's "?" only when it ends the sentence.
func (q *qtext) askingClauses() *qtext {
	a := &qtext{}
	for i, ws := range q.sents {
		from := 0
		for k, c := range append(q.cuts[i], len(ws)) {
			clause := ws[from:c]
			asked := q.asked[i] && k == len(q.cuts[i])
			from = c
			one := &qtext{sents: [][]string{clause}, asked: []bool{asked}}
			one.join()
			if len(clause) > 0 && one.isQuestion() {
				a.sents, a.asked = append(a.sents, clause), append(a.asked, asked)
			}
		}
	}
	a.cuts = make([][]int, len(a.sents))
	a.join()
	return a
}

// approvalStated reports whether the "approved" at ws[i] tells rather than
// asks: "now that claude is approved, …", "copilot got approved", "how long
// to get a seat approved?". A sentence that opens like a question keeps
// asking: "is gemini approved?", "which tools are approved?".
func approvalStated(ws []string, i int) bool {
	for _, w := range ws[max(0, i-4):i] {
		if isIn(w, "get", "getting", "got", "gets") {
			return true
		}
	}
	k := i - 1
	for k >= 0 && isIn(ws[k], "just", "already", "now", "finally", "officially", "recently", "fully", "also", "been") {
		k--
	}
	if k < 0 {
		return false
	}
	if relativeApproval(ws, k) {
		return true
	}
	stated := k > 0 && isIn(ws[k], "is", "was", "are", "were", "has", "have") || isContracted(ws[k])
	if !stated {
		return false
	}
	start := skipGreeting(ws)
	return !auxiliaries[start[0]] && !isIn(start[0], "which", "what", "what's", "why", "when", "where", "who", "how")
}

// relativeApproval reports "the claude we (have) approved", "our tools
// security approved": a thing named with "the" or "our", then who approved
// it, says it is approved, even inside a question ("is it a separate tool
// from the claude we have approved?"). ws[k] is the word before
// "approved".
func relativeApproval(ws []string, k int) bool {
	if isIn(ws[k], "have", "has", "had") && k > 0 {
		k--
	}
	if !isIn(ws[k], "we", "we've", "they", "they've", "you", "you've", "i", "i've", "legal", "security", "it", "management") {
		return false
	}
	return k >= 2 && isIn(ws[k-2], "the", "our")
}

// isContracted reports "claude's", "it's", "<tool>'s": a subject and "is".
func isContracted(w string) bool {
	return len(w) > 2 && w[len(w)-2:] == "'s" && !isIn(w, "what's", "who's", "where's", "how's", "when's", "let's")
}

// asksDefinition reports a sentence that asks what a thing is, with
// nothing about doing it: "what's an agent?", "what are embeddings
// exactly", "what does fine-tuning mean?", "is an agent just a script…?".
// "what's the best way to automate…" and "what's a good prompt for…" ask
// how, and "what's the process to…" asks for access: they don't match.
func (q *qtext) asksDefinition() bool {
	for _, ws := range q.sents {
		ws = skipGreeting(ws)
		if len(ws) < 2 {
			continue
		}
		if ws[0] == "what" && len(ws) > 2 && isIn(ws[1], "exactly", "actually", "even") {
			ws = append([]string{"what"}, ws[2:]...) // "what exactly is an agent"
		}
		switch {
		case ws[0] == "what's" || ws[0] == "what" && isIn(ws[1], "is", "are"):
			rest := ws[1:]
			if ws[0] == "what" {
				rest = ws[2:]
			}
			if len(rest) > 0 && isIn(rest[0], "a", "an", "the") {
				rest = rest[1:]
			}
			if n := subjectLen(rest, definitionStop); n > 0 && (n == len(rest) || definitionTail[rest[n]] ||
				isIn(rest[n], "vs", "versus") || rest[n] == "and" && asksOn(rest[n+1:])) {
				return true
			}
		case isIn(ws[0], "what") && isIn(ws[1], "does", "do"):
			rest := ws[2:]
			if len(rest) > 0 && isIn(rest[0], "a", "an", "the") {
				rest = rest[1:]
			}
			if n := subjectLen(rest, meanings); n > 0 && n < len(rest) && meanings[rest[n]] && (n+1 == len(rest) || rest[n] == "mean" || rest[n] == "means") {
				return true
			}
		case isIn(ws[0], "is", "are"):
			rest := ws[1:]
			if len(rest) > 0 && isIn(rest[0], "a", "an", "the") {
				rest = rest[1:]
			}
			if n := subjectLen(rest, merely); n > 0 && n < len(rest) && merely[rest[n]] {
				return true
			}
		}
	}
	return false
}

// subjectLen is how many words (1 to 4: "a no code automation tool") name
// the thing asked about before one of the stop words, or 0 when the words
// are not a plain name: a definition has no judgement ("best", "good"), no
// pronoun and no process ("the way", "the status") in it.
func subjectLen(ws []string, stop map[string]bool) int {
	n := 0
	for n < len(ws) && !stop[ws[n]] {
		if notASubject[ws[n]] {
			return 0
		}
		n++
	}
	if n > 4 {
		return 0
	}
	return n
}

// asksOn reports a second question joined by "and": "what is prompt
// injection and should i worry about it?".
func asksOn(ws []string) bool {
	return len(ws) >= 2 && auxiliaries[ws[0]] && subjects[ws[1]]
}

var (
	// definitionStop ends the thing named in "what is X …": a tail
	// (definitionTail), a comparison ("what is an agent vs a chatbot") or
	// a second question ("… and should i worry about it?").
	definitionStop = func() map[string]bool {
		m := set("vs", "versus", "and")
		for w := range definitionTail {
			m[w] = true
		}
		return m
	}()
	// definitionTail may follow the thing in "what is X …": "what is an
	// api, in plain words?", "what are embeddings exactly".
	definitionTail = set("exactly", "mean", "means", "in", "anyway", "again", "actually", "really", "though", "like", "for",
		"roughly", "briefly", "basically", "simply", "honestly")
	// meanings end "what does X mean/do".
	meanings = set("mean", "means", "do", "stand")
	// merely follows the subject of "is X just/basically…".
	merely = set("just", "basically", "simply")
	// notASubject are words that make "what is …" ask about something
	// other than what a thing is.
	notASubject = set("best", "good", "easiest", "easy", "right", "fastest", "simplest", "quickest", "better", "go",
		"favorite", "favourite", "your", "my", "our", "their", "his", "her", "this", "that", "it", "the", "process",
		"way", "status", "difference", "plan", "policy", "rule", "rules", "limit", "cost", "price", "deal", "point",
		"i", "we", "you", "they", "to", "with", "on", "of", "between", "vs", "or", "and", "if", "when", "where",
		// what's the API key, the login, the link: something to be given
		"key", "keys", "password", "login", "link", "url", "address", "email", "contact", "owner", "admin",
		"deadline", "timeline", "eta", "next", "quickest", "fastest", "cheapest", "most", "least")
)
