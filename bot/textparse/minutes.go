package textparse

import "math"

// MaxMinutes is the largest saving MinutesSaved reports: 30 days around the
// clock. Anything larger is a typo or a joke.
const MaxMinutes = 60 * 24 * 30

// MinutesSaved returns the minutes of time saved that text claims, or 0 when
// it states no saving that can be read as a number.
//
// A saving is read from one of these shapes, tried in this order; each
// duration in the text is used by at most one of them:
//
//   - a before/after pair: "in 30 minutes instead of 3 hours" (150),
//     "20 min vs 4 hours", "from 4 hours to 20 min", "4h → 20m",
//     "cut it from 3 hours to 45 minutes", "did 3 hours of work in 20 min",
//     "a 2-hour task now takes 15 minutes", "usually takes 3 hours ... took
//     20 min". The saving is the old time minus the new; a pair that got
//     slower counts 0.
//   - a duration next to a saving word: "saved 2h", "saves me ~2 hours a
//     week", "2.5 hours saved", "freed up half a day", "gave me back an
//     hour", "finished 2 hours faster".
//
// When both shapes are present their totals are not added (people often say
// the same saving twice: "Saved 2.5h! 30 min instead of 3h"): the larger
// one wins. Several savings of the same shape add up, except that a figure
// repeated verbatim and a second recurring figure ("2h a week, so 8h a
// month") count once.
//
// A duration with no saving context counts 0: "spent 30 minutes on it" or
// "took 30 minutes" is time spent, not time saved, and "3x faster" or
// "saved hours" has no absolute number, so nothing is guessed. The same
// holds for "half a day": "spent half a day on it" is 0, "saved half a day"
// is 240, and "it took half a day before, now 10 minutes" is a pair, 230.
// A recurring claim ("2 hours a week", "10 min per email") counts once.
//
// Units are working time: a day is 8 hours, a week 5 days, a month 4 weeks,
// a morning or afternoon half a day. "A couple" is 2, "a few" and "several"
// are 3, a range ("2-3 hours") its lower end; "1/2 day", "1½ hours" and
// "2:30 hours" are read as numbers. The result is rounded and
// clamped to [0, MaxMinutes].
func MinutesSaved(text string) int {
	toks := tokenize(plainText(text, false, " "))
	ds := findDurations(toks)
	if len(ds) == 0 {
		return 0
	}
	s := newScan(toks, ds)
	pairs := s.pairs()
	verbs := s.verbs()
	return clampMinutes(math.Max(pairs, verbs))
}

func clampMinutes(m float64) int {
	switch {
	case math.IsNaN(m) || m <= 0:
		return 0
	case m >= MaxMinutes:
		return MaxMinutes
	}
	return int(math.Round(m))
}

// scan holds one message's tokens and durations while the rules run.
type scan struct {
	toks  []token
	ds    []duration
	cover []int // cover[k] is 1 + the index of the duration token k is in, or 0
}

func newScan(toks []token, ds []duration) *scan {
	s := &scan{toks: toks, ds: ds, cover: make([]int, len(toks))}
	for i, d := range ds {
		for k := d.start; k < d.end && k < len(toks); k++ {
			s.cover[k] = i + 1
		}
	}
	return s
}

// durationAt returns the duration token k belongs to, or -1.
func (s *scan) durationAt(k int) int {
	if k < 0 || k >= len(s.cover) {
		return -1
	}
	return s.cover[k] - 1
}

// next returns the first unclaimed duration starting within limit tokens
// from k in the same sentence, or -1.
func (s *scan) next(k, limit int) int {
	for end := min(k+limit, len(s.toks)); k < end; k++ {
		if s.toks[k].end() {
			return -1
		}
		if i := s.durationAt(k); i >= 0 {
			if s.ds[i].claimed {
				return -1
			}
			return i
		}
	}
	return -1
}

// phraseSet is a list of phrases indexed by their first and last words, so
// a lookup at a position costs one map access, not one per phrase.
type phraseSet struct {
	byFirst, byLast map[string][][]string
}

func newPhraseSet(phrases [][]string) phraseSet {
	ps := phraseSet{byFirst: map[string][][]string{}, byLast: map[string][][]string{}}
	for _, ph := range phrases {
		ps.byFirst[ph[0]] = append(ps.byFirst[ph[0]], ph)
		ps.byLast[ph[len(ph)-1]] = append(ps.byLast[ph[len(ph)-1]], ph)
	}
	return ps
}

// endsAt reports whether one of the phrases ends at toks[p].
func (ps phraseSet) endsAt(toks []token, p int) bool {
	if toks[p].kind == tokNum {
		return false
	}
	for _, ph := range ps.byLast[toks[p].text] {
		if seq(toks, p-len(ph)+1, ph...) {
			return true
		}
	}
	return false
}

// startsAt returns the length of the phrase starting at toks[p], or 0.
func (ps phraseSet) startsAt(toks []token, p int) int {
	if toks[p].kind == tokNum {
		return 0
	}
	for _, ph := range ps.byFirst[toks[p].text] {
		if seq(toks, p, ph...) {
			return len(ph)
		}
	}
	return 0
}

// hasBefore reports whether one of the phrases ends within limit tokens
// before k, in the same sentence and with no other duration in between.
func (s *scan) hasBefore(k, limit int, phrases phraseSet) bool {
	for p := k - 1; p >= 0 && p >= k-limit; p-- {
		if s.toks[p].end() || s.durationAt(p) >= 0 {
			return false
		}
		if phrases.endsAt(s.toks, p) {
			return true
		}
	}
	return false
}

// hasAfter reports whether one of the phrases starts within limit tokens
// from k, in the same sentence and with no other duration in between. A
// phrase right before another duration belongs to that one: in "20 min
// (normally 3 hours)", "normally" marks the 3 hours.
func (s *scan) hasAfter(k, limit int, phrases phraseSet) bool {
	for p := k; p < len(s.toks) && p < k+limit; p++ {
		if s.toks[p].end() || s.durationAt(p) >= 0 {
			return false
		}
		if n := phrases.startsAt(s.toks, p); n > 0 {
			e := p + n
			return s.durationAt(e) < 0 && (at(s.toks, e).end() || s.durationAt(e+1) < 0)
		}
	}
	return false
}

// saving claims durations old and new and returns old - new, or 0 when the
// work got slower.
func (s *scan) saving(old, new int) float64 {
	s.ds[old].claimed, s.ds[new].claimed = true, true
	return math.Max(0, s.ds[old].min-s.ds[new].min)
}
