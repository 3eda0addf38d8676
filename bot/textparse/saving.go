package textparse

import "math"

// connector is a word between two durations that says how they relate.
type connector int

const (
	connNone    connector = iota
	connInstead           // new, then old: "20 min instead of 4 hours"
	connVersus            // either order: "20 min vs 4 hours"
	connArrow             // old, then new: "4 hours → 20 min", "down to", "into"
	connTo                // old "to" new, only after "from" or a cutting verb
	connIn                // "3 hours of work in 20 min", "a 2-hour task took 10 min"
	connFrom              // new "from" old, only after "to": "down to 20 min from 2 hours"
)

// connectorAt returns the connector at toks[k] and its length in tokens.
func connectorAt(toks []token, k int) (connector, int) {
	t := at(toks, k)
	switch {
	case seq(toks, k, "instead", "of"), seq(toks, k, "rather", "than"),
		seq(toks, k, "compared", "to"), seq(toks, k, "compared", "with"), seq(toks, k, "in", "place", "of"):
		return connInstead, 2 + b2i(t.is("in"))
	case seq(toks, k, "as", "opposed", "to"):
		return connInstead, 3
	case t.is("not"):
		return connInstead, 1
	case t.is("vs") || t.is("versus") || t.is("v"):
		return connVersus, 1
	case t.is("→") || t.is("into") || t.is("became") || t.is("becomes"):
		return connArrow, 1
	case seq(toks, k, "down", "to"):
		return connArrow, 2
	case t.is("to"):
		return connTo, 1
	case t.is("from"):
		return connFrom, 1
	case t.is("in") || t.is("within") || t.is("took") || t.is("takes") || t.is("taking"):
		return connIn, 1
	}
	return connNone, 0
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// cutVerbs make "X to Y" a before/after pair without "from":
// "cut 3 hours to 45 minutes".
var cutVerbs = newPhraseSet([][]string{
	{"from"}, {"cut"}, {"cuts"}, {"reduced"}, {"brought"}, {"dropped"}, {"went"}, {"goes"},
	{"slashed"}, {"shrunk"}, {"trimmed"}, {"turned"},
})

// Markers of the old way ("usually takes 3 hours") and of the new one ("now
// it's 15 minutes") for pairs written in separate clauses.
var (
	usualBefore = newPhraseSet([][]string{
		{"usually"}, {"normally"}, {"typically"}, {"usual"}, {"normal"}, {"manually"}, {"previously"},
		{"otherwise"}, {"originally"}, {"before"}, {"historically"}, {"traditionally"}, {"formerly"},
		{"without"}, {"would", "have"}, {"would've"}, {"wouldve"}, {"it'd"}, {"used", "to"},
		{"by", "hand"}, {"last", "time"}, {"in", "the", "past"}, {"old", "way"},
		{"estimated"}, {"estimate"}, {"eta"}, {"quoted"}, {"planned"}, {"budgeted"},
	})
	usualAfter = newPhraseSet([][]string{
		{"manually"}, {"before"}, {"usually"}, {"normally"}, {"previously"}, {"by", "hand"},
		{"last", "time"}, {"last", "week"}, {"last", "month"}, {"last", "year"}, {"last", "quarter"},
	})
	nowBefore = newPhraseSet([][]string{{"now"}, {"down", "to"}, {"only"}, {"just"}, {"today"}, {"this", "time"}})
	nowAfter  = newPhraseSet([][]string{{"now"}, {"today"}, {"this", "time"}, {"this", "week"}, {"this", "morning"}})
	toWord    = newPhraseSet([][]string{{"to"}})
)

// pairs applies the before/after rules and returns the total saving.
func (s *scan) pairs() float64 {
	total := 0.0
	for i := range s.ds {
		if !s.ds[i].claimed {
			total += s.pairAfter(i)
		}
	}
	// "instead of 3 hours, it took 20 minutes": the connector comes first.
	for k := range s.toks {
		if c, n := connectorAt(s.toks, k); c == connInstead && !s.toks[k].is("not") {
			if old := s.next(k+n, 7); old >= 0 {
				if cur := s.next(s.ds[old].end, 10); cur >= 0 {
					total += s.saving(old, cur)
				}
			}
		}
	}
	for i := range s.ds {
		if !s.ds[i].claimed {
			total += s.markedPair(i)
		}
	}
	return total
}

// pairAfter looks for a connector right after duration i and a second
// duration right after the connector.
func (s *scan) pairAfter(i int) float64 {
	d := s.ds[i]
	for k := d.end; k < len(s.toks) && k < d.end+5; k++ {
		if s.toks[k].end() || s.durationAt(k) >= 0 {
			return 0
		}
		c, n := connectorAt(s.toks, k)
		var other int
		switch c {
		case connInstead:
			if other = s.next(k+n, 7); other >= 0 {
				return s.saving(other, i)
			}
		case connVersus:
			if other = s.next(k+n, 7); other >= 0 {
				s.ds[i].claimed, s.ds[other].claimed = true, true
				return math.Abs(d.min - s.ds[other].min)
			}
		case connArrow:
			if other = s.next(k+n, 4); other >= 0 {
				return s.saving(i, other)
			}
		case connTo:
			if s.hasBefore(d.start, 4, cutVerbs) {
				if other = s.next(k+n, 3); other >= 0 {
					return s.saving(i, other)
				}
			}
		case connFrom:
			if s.hasBefore(d.start, 2, toWord) {
				if other = s.next(k+n, 3); other >= 0 {
					return s.saving(other, i)
				}
			}
		case connIn:
			if d.adj || at(s.toks, d.end).is("of") || at(s.toks, d.end).is("worth") {
				if other = s.next(k+n, 4); other >= 0 {
					return s.saving(i, other)
				}
			}
		}
	}
	return 0
}

// markedPair pairs a duration marked as the old way ("normally takes 3
// hours", "3 hours by hand") with the nearest unmarked one, or a duration
// marked as the new way ("now 15 min") with the nearest one before it.
func (s *scan) markedPair(i int) float64 {
	now := func(j int) bool {
		return s.hasBefore(s.ds[j].start, 4, nowBefore) || s.hasAfter(s.ds[j].end, 3, nowAfter)
	}
	// "took half a day before, now 10 minutes": the nearer "now" marks the
	// second duration, though "before" is also within reach of it.
	usual := func(j int) bool {
		return !now(j) && (s.hasBefore(s.ds[j].start, 6, usualBefore) || s.hasAfter(s.ds[j].end, 3, usualAfter))
	}
	if usual(i) {
		if j := s.nearest(i, func(j int) bool { return !usual(j) }); j >= 0 {
			return s.saving(i, j)
		}
		return 0
	}
	if now(i) {
		if j := s.nearest(i, func(j int) bool { return j < i }); j >= 0 {
			return s.saving(j, i)
		}
	}
	return 0
}

// nearest returns the unclaimed duration closest to i (within 40 tokens)
// that satisfies ok, or -1.
func (s *scan) nearest(i int, ok func(int) bool) int {
	const window = 40
	best, bestDist := -1, window+1
	for j := i - 1; j >= 0 && s.ds[i].start-s.ds[j].end < window; j-- {
		if !s.ds[j].claimed && ok(j) {
			best, bestDist = j, s.ds[i].start-s.ds[j].end
			break
		}
	}
	for j := i + 1; j < len(s.ds) && s.ds[j].start-s.ds[i].end < bestDist; j++ {
		if !s.ds[j].claimed && ok(j) {
			return j
		}
	}
	return best
}

// Saving words before a duration ("saved me 2h", "freed up half a day",
// "gave me back an hour") and after one ("2.5 hours saved", "2h faster").
var (
	saveBefore = map[string]bool{
		"save": true, "saved": true, "saves": true, "savd": true, "saaved": true, "svaed": true, "saving": true, "savings": true, "saver": true,
		"freed": true, "frees": true, "freeing": true, "cut": true, "cuts": true, "cutting": true,
		"shaved": true, "shaves": true, "shaving": true, "shave": true, "reduced": true, "reduces": true,
		"reducing": true, "reduce": true, "reclaimed": true, "gained": true, "gain": true, "gains": true,
		"trimmed": true, "knocked": true, "slashed": true, "back": true, "spared": true, "avoided": true,
	}
	saveAfter = map[string]bool{
		"saved": true, "save": true, "saving": true, "savings": true, "back": true, "less": true,
		"faster": true, "quicker": true, "sooner": true, "earlier": true, "shorter": true,
		"freed": true, "reclaimed": true, "gained": true,
	}
	// Words that end the link between a saving word and a duration:
	// "saved the file and spent 2 hours" is not a 2-hour saving.
	saveBlockers = map[string]bool{
		"took": true, "take": true, "takes": true, "taking": true, "spent": true, "spend": true,
		"spending": true, "spends": true, "in": true, "on": true, "for": true, "to": true, "with": true,
		"while": true, "when": true, "after": true, "before": true, "and": true, "but": true, "then": true,
		"instead": true, "than": true, "until": true, "during": true, "since": true, "because": true,
		"every": true, "each": true, "per": true, "was": true, "were": true, "is": true, "are": true,
		"=": true, // "10 people x 2 hours saved = 20 hours" restates one saving
	}
	negations = map[string]bool{"not": true, "didn't": true, "didnt": true, "never": true, "won't": true, "doesn't": true, "don't": true, "no": true}
)

// verbs applies the saving-word rule and returns the total saving.
func (s *scan) verbs() float64 {
	var claims []int
	for k, t := range s.toks {
		if !t.isIn(saveBefore) {
			continue
		}
		// "didn't save 2 hours": the duration is used up, not counted.
		negated := at(s.toks, k-1).isIn(negations)
		for p := k + 1; p < len(s.toks) && p <= k+8; p++ {
			if s.toks[p].end() || s.toks[p].isIn(saveBlockers) {
				break
			}
			if i := s.durationAt(p); i >= 0 {
				if !s.ds[i].claimed && s.ds[i].start == p {
					s.ds[i].claimed = true
					if !negated {
						claims = append(claims, i)
						claims = s.andMore(i, claims)
					}
				}
				break
			}
		}
	}
	// After a duration the saving word must follow closely, in the same
	// clause, and the duration must not be an adjective: "took 30 minutes,
	// saved me a lot" and "our 2 day offsite saved time" are not savings.
	for i, d := range s.ds {
		if d.claimed || d.adj {
			continue
		}
		for p := d.end; p < len(s.toks) && p <= d.end+4; p++ {
			if t := s.toks[p]; t.end() || t.is(",") || t.isIn(saveBlockers) || s.durationAt(p) >= 0 {
				break
			}
			if s.toks[p].isIn(saveAfter) {
				s.ds[i].claimed = true
				claims = append(claims, i)
				break
			}
		}
	}
	total, seen, rate := 0.0, map[float64]bool{}, false
	for _, i := range claims {
		d := s.ds[i]
		if seen[d.min] || (d.rate && rate) {
			continue // the same saving said twice
		}
		seen[d.min], rate = true, rate || d.rate
		total += d.min
	}
	return total
}

// andMore claims the durations listed after a claimed one with "and" or
// "plus": "saved 2 hours on monday and 3 hours on friday".
func (s *scan) andMore(i int, claims []int) []int {
	for {
		joined := false
		next := -1
		for p := s.ds[i].end; p < len(s.toks) && p < s.ds[i].end+10; p++ {
			t := s.toks[p]
			if n := at(s.toks, p+1); t.end() && (n.end() || n.is("and") || n.is("plus")) {
				continue // "saved an hour.\nand another half hour"
			}
			if t.end() || t.isIn(spendWords) {
				return claims
			}
			if t.is("and") || t.is("plus") {
				joined = true
			}
			if next = s.durationAt(p); next >= 0 {
				break
			}
		}
		if !joined || next < 0 || s.ds[next].claimed {
			return claims
		}
		s.ds[next].claimed = true
		claims = append(claims, next)
		i = next
	}
}

// spendWords end a list of savings: "saved 20 minutes and then spent 2
// hours fixing it".
var spendWords = map[string]bool{
	"took": true, "take": true, "takes": true, "taking": true, "spent": true, "spend": true,
	"spending": true, "spends": true, "instead": true, "than": true, "but": true, "then": true,
	"vs": true, "versus": true, "→": true, "to": true, "into": true,
}
