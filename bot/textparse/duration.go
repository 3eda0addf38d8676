package textparse

import "strings"

// Working time, not clock time: a day of work is 8 hours, a week 5 days and
// a month 4 weeks. "Saved me a day" means a working day.
const (
	minutesPerHour  = 60
	minutesPerDay   = 8 * minutesPerHour
	minutesPerWeek  = 5 * minutesPerDay
	minutesPerMonth = 4 * minutesPerWeek
	// A morning or an afternoon is half a working day.
	minutesPerDayPart = minutesPerDay / 2
)

// unit is one spelling of a time unit.
type unit struct {
	min    float64
	abbrev bool // only after a numeral: "2h", "20m", "3d"
	single bool // a singular full word: "a 3 hour task" is an adjective
}

// units lists the spellings of time units, including common typos.
var units = func() map[string]unit {
	m := map[string]unit{}
	add := func(min float64, abbrev, single bool, ws ...string) {
		for _, w := range ws {
			m[w] = unit{min: min, abbrev: abbrev, single: single}
		}
	}
	// No "s": "100s of hours" means hundreds, and seconds never add up to
	// a minute anyway.
	add(1.0/60, false, false, "sec", "secs", "seconds")
	add(1.0/60, false, true, "second")
	add(1, true, false, "m")
	add(1, false, false, "min", "mins", "mn", "mns", "mnts", "minutes", "minuts", "mintues", "minites", "minuets")
	add(1, false, true, "minute", "minut")
	add(minutesPerHour, true, false, "h")
	add(minutesPerHour, false, false, "hr", "hrs", "hrz", "hours", "hous", "hors", "houres", "hourse", "horus", "hoursss")
	add(minutesPerHour, false, true, "hour")
	add(minutesPerDay, true, false, "d")
	add(minutesPerDay, false, false, "days", "workdays", "dys")
	add(minutesPerDay, false, true, "day", "workday")
	add(minutesPerWeek, true, false, "w")
	add(minutesPerWeek, false, false, "wk", "wks", "weeks")
	add(minutesPerWeek, false, true, "week")
	add(minutesPerMonth, true, false, "mo")
	add(minutesPerMonth, false, false, "months", "mos")
	add(minutesPerMonth, false, true, "month")
	add(minutesPerDayPart, false, false, "morning", "afternoon", "evening", "mornings", "afternoons", "evenings")
	return m
}()

func lookupUnit(t token) (unit, bool) {
	if t.kind != tokWord {
		return unit{}, false
	}
	u, ok := units[strings.TrimSuffix(t.text, "'s")]
	return u, ok
}

// numberWords are the spelled-out numbers people use for durations.
var numberWords = map[string]float64{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
	"eighteen": 18, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40,
	"fifty": 50, "sixty": 60, "ninety": 90,
}

// Vague amounts, chosen on the low side so digests never overclaim:
// "a couple" is 2, "a few" and "several" are 3. A range ("2-3 hours") counts
// its lower end.
const (
	aCouple = 2
	aFew    = 3
)

// duration is a stretch of time written in the text, in minutes.
type duration struct {
	start, end int // token span, including a rate like "a week"
	min        float64
	adj        bool // used as an adjective: "a 3-hour task", "the 2 hour report"
	rate       bool // recurring: "2 hours a week", "10 min per email"
	claimed    bool // already used by a rule
}

// notBefore are words that make the following duration a point in time or
// a frequency, not an amount: "last 2 weeks", "every 2 days".
var notBefore = map[string]bool{
	"last": true, "past": true, "next": true, "this": true, "these": true, "those": true,
	"every": true, "each": true, "per": true, "first": true, "/": true,
}

// frequencies before "a day", "a week" make it a frequency: "twice a week".
var frequencies = map[string]bool{"once": true, "twice": true, "thrice": true, "times": true, "x": true}

// notAfter are words that make the preceding duration a point in time.
var notAfter = map[string]bool{"ago": true, "old": true, "later": true}

// findDurations returns the durations in toks, in order, without overlaps.
func findDurations(toks []token) []duration {
	var ds []duration
	for i := 0; i < len(toks); {
		d, next, ok := parseDuration(toks, i)
		if ok {
			ds = append(ds, d)
		}
		i = next
	}
	return ds
}

// parseDuration reads a duration starting at toks[i]. next is where to
// continue scanning: past the duration even when it was rejected, so that
// "every 2 weeks" is not read again from "2".
func parseDuration(toks []token, i int) (d duration, next int, ok bool) {
	q, j, numeric, ok := parseQuantity(toks, i)
	if !ok {
		return duration{}, i + 1, false
	}
	hyphen := false
	if at(toks, j).is("+") || at(toks, j).is("ish") {
		j++ // "2+ hours", "2ish hours"
	}
	if at(toks, j).is("-") {
		hyphen = true // "a 2-hour task"
		j++
	}
	if w := at(toks, j); w.is("full") || w.is("whole") || w.is("solid") || w.is("entire") {
		if _, ok := lookupUnit(at(toks, j+1)); ok {
			j++ // "2 full days"
		}
	}
	if w := at(toks, j); w.is("working") || w.is("work") || w.is("business") {
		if u, ok := lookupUnit(at(toks, j+1)); ok && u.min >= minutesPerDay {
			j++ // "2 working days", "a full work day"
		}
	}
	u, ok := lookupUnit(at(toks, j))
	if !ok || (u.abbrev && !numeric) {
		return duration{}, i + 1, false
	}
	d = duration{start: i, min: q * u.min}
	d.adj = hyphen || (numeric && u.single && (q > 1 || at(toks, i-1).is("a") || at(toks, i-1).is("an")))
	k := j + 1
	switch {
	case seq(toks, k, "and", "a", "half"):
		d.min += u.min / 2 // "an hour and a half"
		k += 3
	case u.min >= minutesPerHour:
		k, d.min = addSmaller(toks, k, u, d.min)
	}
	prev := at(toks, i-1)
	reject := prev.isIn(notBefore) || at(toks, k).isIn(notAfter) || seq(toks, k, "from", "now")
	// "$20 a month", "2 meetings a week", "twice a day": a rate on something
	// else.
	if !numeric && (prev.kind == tokNum || prev.is("$") || prev.is("€") || prev.is("£") ||
		prev.isIn(frequencies) || (prev.kind == tokWord && at(toks, i-2).kind == tokNum)) {
		reject = true
	}
	if n := rateLen(toks, k); n > 0 {
		d.rate = true
		k += n
	}
	d.end = k
	return d, k, !reject
}

// parseQuantity reads the amount that starts a duration: a number ("2",
// "2.5", "2-3", "2 and a half") or words ("an", "half a", "a couple of",
// "a few", "two", "forty five"). j is the index of the token after it;
// numeric reports whether it was written in digits.
func parseQuantity(toks []token, i int) (q float64, j int, numeric, ok bool) {
	t := at(toks, i)
	if t.kind == tokNum {
		q, j = t.num, i+1
		if n := at(toks, j+1); n.kind == tokNum && !n.space && !at(toks, j).space {
			switch u, _ := lookupUnit(at(toks, j+2)); {
			case at(toks, j).is("/") && n.num > 0:
				return q / n.num, j + 2, true, true // "1/2 day"
			case at(toks, j).is(":") && n.num < 60 && u.min >= 1 && u.min <= minutesPerHour:
				return q + n.num/60, j + 2, true, true // "2:30 hours", "1:30 min"
			}
		}
		if n := at(toks, j+1); n.kind == tokNum && (at(toks, j).is("-") || at(toks, j).is("to") || at(toks, j).is("or") || (at(toks, j).is("and") && at(toks, i-1).is("between"))) {
			if _, isUnit := lookupUnit(at(toks, j+2)); isUnit {
				q, j = min(q, n.num), j+2 // a range counts its lower end
			}
		}
		if seq(toks, j, "and", "a", "half") {
			q, j = q+0.5, j+3
		}
		return q, j, true, true
	}
	if t.kind != tokWord {
		return 0, 0, false, false
	}
	j = i + 1
	switch t.text {
	case "a", "an":
		switch at(toks, j).text {
		case "couple":
			j++
			if at(toks, j).is("of") {
				j++
			}
			return aCouple, j, false, true
		case "few":
			return aFew, j + 1, false, true
		case "half":
			j++
			if at(toks, j).is("-") {
				j++
			}
			return 0.5, j, false, true
		case "full", "whole", "entire", "solid", "good", "extra", "additional":
			return 1, j + 1, false, true
		}
		return 1, j, false, true
	case "half":
		for _, w := range []string{"-", "a", "-"} {
			if at(toks, j).is(w) || (w == "a" && at(toks, j).is("an")) {
				j++ // "half a day", "half-a-day", "half an hour"
			}
		}
		return 0.5, j, false, true
	case "couple":
		if at(toks, j).is("of") {
			j++
		}
		return aCouple, j, false, true
	case "few", "several":
		return aFew, j, false, true
	case "whole", "entire", "full", "another":
		return 1, j, false, true
	}
	if n, isNum := numberWords[t.text]; isNum {
		if at(toks, j).is("-") && at(toks, j+1).kind == tokWord {
			j++
		}
		if ones, isOnes := numberWords[at(toks, j).text]; isOnes && n >= 20 && ones < 10 && at(toks, j).kind == tokWord {
			n, j = n+ones, j+1 // "forty five"
		}
		if seq(toks, j, "and", "a", "half") {
			n, j = n+0.5, j+3
		}
		return n, j, false, true
	}
	if u, isUnit := lookupUnit(t); isUnit && u.min == minutesPerHour && seq(toks, j, "and", "a", "half") {
		return 1, i, false, true // "hour and a half" without "an"
	}
	return 0, 0, false, false
}

// addSmaller adds a smaller unit written right after a larger one:
// "1h30", "1h 30m", "1 hour and 30 minutes", "1 day 4 hours".
func addSmaller(toks []token, k int, u unit, total float64) (int, float64) {
	kk := k
	if at(toks, kk).is("and") {
		kk++
	}
	n := at(toks, kk)
	if n.kind != tokNum {
		return k, total
	}
	if u2, ok := lookupUnit(at(toks, kk+1)); ok {
		if u2.min < u.min {
			return kk + 2, total + n.num*u2.min
		}
		return k, total
	}
	// "1h30": minutes glued to the hours, with no unit of their own.
	if u.min == minutesPerHour && kk == k && !n.space && n.num < 60 {
		return kk + 1, total + n.num
	}
	return k, total
}

// periods can follow "a"/"an" to make a duration recurring: "2 hours a week".
var periods = map[string]bool{
	"day": true, "week": true, "month": true, "year": true, "sprint": true, "quarter": true,
	"wk": true, "yr": true, "mo": true, "workday": true, "weekday": true, "shift": true, "cycle": true,
}

// rateLen returns how many tokens at k make the preceding duration a rate
// ("a week", "per email", "every single day", "/wk", "weekly"), or 0.
func rateLen(toks []token, k int) int {
	t := at(toks, k)
	if t.kind != tokWord && !t.is("/") {
		return 0
	}
	switch t.text {
	case "daily", "weekly", "monthly", "yearly", "annually", "nightly":
		return 1
	case "a", "an":
		if at(toks, k+1).isIn(periods) {
			return 2
		}
	case "per", "every", "each", "/":
		n := 1
		if at(toks, k+n).is("single") {
			n++
		}
		if at(toks, k+n).kind == tokNum {
			n++
		}
		if at(toks, k+n).kind == tokWord {
			n++
		}
		return n
	}
	return 0
}
