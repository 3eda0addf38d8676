package textparse

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMinutesSavedLabelled checks every labelled win in minutes.tsv.
func TestMinutesSavedLabelled(t *testing.T) {
	rows := readTSV(t, "minutes.tsv", 2)
	require.GreaterOrEqual(t, len(rows), 45)
	ok := 0
	for _, r := range rows {
		want, err := strconv.Atoi(r.fields[0])
		require.NoError(t, err, "minutes.tsv:%d", r.line)
		if got := MinutesSaved(r.fields[1]); assert.Equal(t, want, got, "minutes.tsv:%d: %q", r.line, r.fields[1]) {
			ok++
		}
	}
	t.Logf("minutes accuracy %d/%d = %.1f%%", ok, len(rows), 100*float64(ok)/float64(len(rows)))
}

// TestMinutesSaved pins the individual rules, one group per rule.
func TestMinutesSaved(t *testing.T) {
	groups := map[string][]struct {
		text string
		want int
	}{
		"BeforeAfter": {
			{"in 30 minutes instead of 3 hours", 150},
			{"instead of 3 hours it took 30 minutes", 150},
			{"4 hours vs 20 min", 220},
			{"20 min vs. 4 hours", 220},
			{"4h->20m", 220},
			{"4h => 20m", 220},
			{"4h ➡️ 20m", 220},
			{"4 hours :arrow_right: 20 minutes", 220},
			{"from 2 hours down to 20 minutes", 100},
			{"down to 20 minutes from 2 hours", 100},
			{"reduced the time from 2 hours to 30 minutes", 90},
			{"took 1 week, now 1 day", 1920},
			{"was 2 hours, now 20 min", 100},
			{"2 hours before, 20 min now", 100},
			{"took 3 hours last week, 20 min this week", 160},
			{"took 20 min (normally 3 hours)", 160},
			{"took 20 minutes, would have taken 3 hours", 160},
			{"the 2 hour report now takes 10 min", 110},
			{"estimated 3 days, done in 4 hours", 1200},
			{"3-4h → 45min", 135}, // a range counts its lower end
			{"3 hours → 20 minutes → 5 minutes", 160},
			{"took 2 hours instead of 30 minutes", 0}, // slower: no saving
		},
		"SavingWord": {
			{"saved 2h", 120},
			{"SAVED 2 HOURS", 120},
			{"saved 2hrs", 120},
			{"saved an hr", 60},
			{"saved 2d", 960},
			{"saved 2 working days", 960},
			{"saved a days work", 480},
			{"saved 2 weeks", 4800},
			{"saved a month", 9600},
			{"saved a morning", 240},
			{"saved half day", 240},
			{"saved half-a-day", 240},
			{"saved 1/2 day", 240},
			{"saved 1/2 hour", 30},
			{"saved 1½ hours", 90},
			{"½ hour saved", 30},
			{"saved 2:30 hours", 150},
			{"saved 2h30m", 150},
			{"saved 1h45", 105},
			{"saved 1 h 45 min", 105},
			{"saved 2 hrs and 30 mins", 150},
			{"saved 2 and a half hours", 150},
			{"saved twenty-five minutes", 25},
			{"saved a couple hours", 120},
			{"saved 1 or 2 hours", 60},
			{"saved between 1 and 2 hours", 60},
			{"saved an hour or two", 60},
			{"saved 2+ hours", 120},
			{"saved 2ish hours", 120},
			{"saved c. 2h", 120},
			{"saved me so much time, like 2 hours", 120},
			{"saved a solid 2 hours", 120},
			{"saved another hour", 60},
			{"3 hours faster", 180},
			{"done 2 hours earlier", 120},
			{"time saved: 2h", 120},
			{"savings: 3 hours", 180},
			{"saved 1,000 minutes", 1000},
			{"saved 2h before the 3pm meeting", 120},
			{"gpt-4o saved 3h", 180},
			{"saved 2 hours on the v2 api docs", 120},
			{"the 3 month pilot saved 40 hours total", 2400},
			{"saved an hour on the deck.\nand another half hour on the email", 90},
		},
		"Recurring": {
			{"saves ~2 hours a week", 120},
			{"saves 2 hours/week", 120},
			{"saves me 2 hours weekly", 120},
			{"saving 1 hour/day", 60},
			{"i save 20 minutes every day", 20},
			{"saves 15 min a day, 75 min a week", 15},
			{"saved 5 min on each of 40 emails", 5},
		},
		"Repeated": {
			{"Saved 2.5h! 30 min instead of 3h", 150},
			{"saved 30 min, 30 min, 30 min", 30},
			{"10 people x 2 hours saved = 20 hours", 120},
			{"saved 2 hours on monday and 3 hours on friday", 300},
		},
		"NoSaving": {
			{"", 0},
			{"took 30 minutes", 0},
			{"spent 30 minutes", 0},
			{"30 minutes", 0},
			{"3x faster", 0},
			{"saved hours", 0},
			{"saved hours and hours", 0},
			{"saved 100s of hours", 0},
			{"saved 50%", 0},
			{"cut the time in half", 0},
			{"meeting at 10:30", 0},
			{"saved 10:30", 0},
			{"saved $200", 0},
			{"saved 5 emails", 0},
			{"saved 0h", 0},
			{"no time saved", 0},
			{"not saved 2 hours", 0},
			{"didn't save 2 hours, saved 3", 0},
			{"it won't save 2 hours", 0},
			{"a 3 hour meeting got summarised", 0},
			{"spent half a day on it", 0},
			{"session times out after 30 minutes, saved work is lost", 0},
			{"took 30 minutes, saved me a lot of hassle though", 0},
			{"chatgpt saves your history for 30 days", 0},
			{"we cut 2 meetings a week thanks to notion ai", 0},
			{"i use it twice a week and it saves me time", 0},
			{"our 2 day offsite saved a lot of time", 0},
			{"saved the file 2 hours ago", 0},
			{"saved 10 prompts in 2 minutes", 0},
			{"saved 2 hours 3 days ago", 120},
			{"every 2 weeks it saves me an hour", 60},
		},
		"Markup": {
			{"<@U024BE7LH> saved me 2 hours :tada:", 120},
			{"saved 2h on <https://example.com/3-hours|the 3 hours doc>", 120},
			{"saved 2h, see https://example.com/took-5-hours", 120},
			{"saved &lt;2h&gt; lol", 120},
			{"*saved 2 hours*", 120},
			{"_saved_ ~2 hours~", 120},
		},
		"Clamped": {
			{"saved 100000 hours", MaxMinutes},
			{"saved 99999999999999999999999 hours", MaxMinutes},
			{"saved 5 months", MaxMinutes},
		},
	}
	for name, cases := range groups {
		t.Run(name, func(t *testing.T) {
			for _, c := range cases {
				assert.Equal(t, c.want, MinutesSaved(c.text), "%q", c.text)
			}
		})
	}
}

// TestMinutesSavedLongText checks that a saving in a long message is still
// found and that the result stays in range.
func TestMinutesSavedLongText(t *testing.T) {
	filler := strings.Repeat("we talked about the roadmap and the budget. ", 500)
	assert.Equal(t, 150, MinutesSaved(filler+"in 30 minutes instead of 3 hours"))
	var many strings.Builder
	for i := 1; i <= 2000; i++ {
		fmt.Fprintf(&many, "saved %d hours on task %d. ", i, i)
	}
	assert.Equal(t, MaxMinutes, MinutesSaved(many.String()))
}

// TestMinutesSavedNoise checks that case, a leading mention and a trailing
// emoji do not change what a labelled win reads as.
func TestMinutesSavedNoise(t *testing.T) {
	for _, r := range readTSV(t, "minutes.tsv", 2) {
		text := r.fields[1]
		want := MinutesSaved(text)
		for _, v := range []string{strings.ToUpper(text), "<@U0123ABC> " + text + " :tada::tada:"} {
			assert.Equal(t, want, MinutesSaved(v), "minutes.tsv:%d: %q", r.line, v)
		}
	}
}
