// Package textparse reads meaning from the free text people type in Slack:
// minutes saved, tools named, and what kind of question is being asked.
// It is pure code with no Slack and no database.
package textparse

import (
	"regexp"
	"strconv"
	"strings"
)

const maxMinutes = 60 * 24 * 30

// duration matches one amount of time: "30 minutes", "2.5h", "1h30", "half a day".
var durationRE = regexp.MustCompile(`(?i)(half an? hour|half a day|an hour and a half|a (?:full |whole )?day|an hour|a couple of hours|a few hours|a week|(\d+(?:[.,]\d+)?)\s*(hours?|hrs?|h|minutes?|mins?|m|days?|d|weeks?|wks?)\b(?:\s*(\d+)\s*(?:minutes?|mins?|m)?\b)?)`)

// minutesOf converts one duration match to minutes.
func minutesOf(m []string) int {
	phrase := strings.ToLower(m[1])
	switch {
	case strings.HasPrefix(phrase, "half an") || strings.HasPrefix(phrase, "half a hour"):
		return 30
	case phrase == "half a day":
		return 240
	case phrase == "an hour and a half":
		return 90
	case strings.HasPrefix(phrase, "a ") && strings.HasSuffix(phrase, "day"):
		return 480
	case phrase == "an hour":
		return 60
	case phrase == "a couple of hours":
		return 120
	case phrase == "a few hours":
		return 180
	case phrase == "a week":
		return 2400
	}
	n, err := strconv.ParseFloat(strings.ReplaceAll(m[2], ",", "."), 64)
	if err != nil {
		return 0
	}
	unit := strings.ToLower(m[3])
	var mins float64
	switch {
	case strings.HasPrefix(unit, "h"):
		mins = n * 60
	case strings.HasPrefix(unit, "d"):
		mins = n * 480
	case strings.HasPrefix(unit, "w"):
		mins = n * 2400
	default:
		mins = n
	}
	if m[4] != "" && strings.HasPrefix(unit, "h") {
		extra, _ := strconv.Atoi(m[4])
		mins += float64(extra)
	}
	return int(mins + 0.5)
}

var (
	savingVerbRE = regexp.MustCompile(`(?i)\b(sav(?:ed|es|ing|e)|freed up|shaved(?: off)?|cut|reduced by|gave me back|saves? me)\b`)
	insteadRE    = regexp.MustCompile(`(?i)\b(instead of|rather than|vs\.?|versus|compared to|compared with|→|->)\s*$`)
	fromToRE     = regexp.MustCompile(`(?i)\bfrom\s*$`)
	toRE         = regexp.MustCompile(`(?i)^\s*(?:to|down to|→|->)\s*$`)
)

// MinutesSaved reads how many minutes of work a message says AI saved.
// It understands "in 30 minutes instead of 3 hours" (150), "from 4 hours to
// 20 min" (220), "saved 2h" (120) and "half a day" (240, a day being 8
// working hours). A duration with no saving context ("took 30 minutes")
// is not a saving and reads as 0.
func MinutesSaved(text string) int {
	if len(text) > 20000 {
		text = text[:20000]
	}
	locs := durationRE.FindAllStringSubmatchIndex(text, -1)
	if len(locs) == 0 {
		return 0
	}
	type dur struct{ start, end, mins int }
	durs := make([]dur, 0, len(locs))
	for _, l := range locs {
		sub := make([]string, 5)
		for i := 0; i < 5; i++ {
			if l[2*i] >= 0 {
				sub[i] = text[l[2*i]:l[2*i+1]]
			}
		}
		durs = append(durs, dur{l[0], l[1], minutesOf(sub)})
	}
	// Pairs: "A instead of B" (B-A), "from A to B" (A-B), "A → B" (A-B).
	for i := 0; i+1 < len(durs); i++ {
		a, b := durs[i], durs[i+1]
		between := text[a.end:b.start]
		before := text[max(0, a.start-12):a.start]
		switch {
		case insteadRE.MatchString(strings.TrimSpace(between)+" ") || insteadRE.MatchString(between):
			if strings.Contains(between, "→") || strings.Contains(between, "->") {
				return clamp(a.mins - b.mins)
			}
			return clamp(b.mins - a.mins)
		case fromToRE.MatchString(before) && toRE.MatchString(between):
			return clamp(a.mins - b.mins)
		}
	}
	// A saving verb before a duration: "saved 2h", "saves ~2 hours a week".
	for _, d := range durs {
		before := text[max(0, d.start-40):d.start]
		after := text[d.end:min(len(text), d.end+12)]
		if savingVerbRE.MatchString(before) || regexp.MustCompile(`(?i)^\s*(saved|of work saved)`).MatchString(after) {
			return clamp(d.mins)
		}
	}
	return 0
}

func clamp(m int) int {
	if m < 0 {
		return 0
	}
	return min(m, maxMinutes)
}
