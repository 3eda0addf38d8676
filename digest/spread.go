package digest

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"flywheel/store"
)

// Spread is adoption moving from peer to peer: who started because of a
// colleague, which wins inspired the most people, and across which teams.
type Spread struct {
	// NewAdopters are people whose first win ever is in the week and is
	// linked to a colleague's win.
	NewAdopters []Adopter
	// Inspiring are the week's most inspiring wins: distinct people who
	// clicked "I'll try this" on them in the week or whose win this week
	// links to them.
	Inspiring []InspiringWin
	// Chains count links crossing team boundaries ("Sales → Ops").
	Chains []Chain
	// Ratio is new adopters inspired per active adopter (people with a win
	// in the week); Prev is last week's.
	Ratio, PrevRatio float64
	Active           int
	// FirstTimers are the people whose first win ever is in the week
	// (PrevFirstTimers: the week before; PrevNewAdopters how many of them
	// started from a colleague's win).
	FirstTimers, PrevFirstTimers, PrevNewAdopters int
}

// Adopter is someone who started because of a peer.
type Adopter struct {
	User, Team, InspiredBy, InspiredByTeam string
	// Colleague names an adopter whose first win was shared without a
	// name (User is then ""); InspiredBy is "" when the inspiring win was.
	Colleague string
}

// InspiringWin is a win and how many people it inspired this week.
type InspiringWin struct {
	WinID     uint64
	Author    string // "" for a win shared without a name
	Colleague string // see TopWin.Colleague
	Excerpt   string
	People    int
	// Clicked are the people who clicked "I'll try this" on it in the
	// week; Followed those whose win this week links to it (a person may
	// be both: People counts them once).
	Clicked, Followed int
}

// Chain is a number of inspirations from one team to another.
type Chain struct {
	From, To string
	Count    int
}

// MaxInspiring bounds the inspiring wins listed.
const MaxInspiring = 5

// computeSpread works on Input's wins, inspirations and the inspiring wins
// looked up by Gather. A win held or kept private is never excerpted.
func computeSpread(in Input, cur, prev window, r roster) *Spread {
	s := &Spread{}
	s.NewAdopters, s.Active, s.FirstTimers = adopters(in, cur, r)
	prevAdopters, prevActive, prevFirst := adopters(in, prev, r)
	s.Ratio = ratio(len(s.NewAdopters), s.Active)
	s.PrevRatio = ratio(len(prevAdopters), prevActive)
	s.PrevFirstTimers, s.PrevNewAdopters = prevFirst, len(prevAdopters)

	people := map[uint64]map[string]bool{}
	clicked, followed := map[uint64]map[string]bool{}, map[uint64]map[string]bool{}
	note := func(win uint64, user string, how map[uint64]map[string]bool) {
		for _, m := range []map[uint64]map[string]bool{people, how} {
			if m[win] == nil {
				m[win] = map[string]bool{}
			}
			m[win][user] = true
		}
	}
	for _, i := range in.Inspirations {
		if cur.has(i.At) {
			note(i.WinID, i.User, clicked)
		}
	}
	for i := range in.Wins {
		if w := &in.Wins[i]; cur.has(w.At) && w.InspiredBy != 0 {
			note(w.InspiredBy, w.Author, followed)
		}
	}
	for id, users := range people {
		src, ok := in.Inspiring[id]
		if !ok {
			continue
		}
		iw := InspiringWin{WinID: id, Author: src.Author, People: len(users), Clicked: len(clicked[id]), Followed: len(followed[id])}
		if !Credited(src) {
			iw.Author, iw.Colleague = "", Colleague(src)
		}
		if !src.Held && !src.Private && !src.Pending && ShownTo(src, "") {
			iw.Excerpt = excerpt(src.Text, ExcerptRunes)
		}
		s.Inspiring = append(s.Inspiring, iw)
	}
	slices.SortFunc(s.Inspiring, func(a, b InspiringWin) int {
		return cmp.Or(-cmp.Compare(a.People, b.People), cmp.Compare(a.WinID, b.WinID))
	})
	s.Inspiring = first(s.Inspiring, MaxInspiring)
	s.Chains = teamChains(in, cur, r)
	return s
}

// teamChains counts the window's wins linked to a win of another team, by
// pair of teams, most first.
func teamChains(in Input, w window, r roster) []Chain {
	chains := map[[2]string]int{}
	for i := range in.Wins {
		win := &in.Wins[i]
		if !w.has(win.At) || win.InspiredBy == 0 {
			continue
		}
		from, to := inspiringTeam(in, win.Win, r), r.winTeam(win.Win)
		if from != to && from != "" && to != "" {
			chains[[2]string{from, to}]++
		}
	}
	var out []Chain
	for k, n := range chains {
		out = append(out, Chain{From: k[0], To: k[1], Count: n})
	}
	slices.SortFunc(out, func(a, b Chain) int {
		return cmp.Or(-cmp.Compare(a.Count, b.Count), cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	return out
}

// inspiringTeam is the team of the win w links to: the team recorded on
// that win, or, once retention has pruned it, the one w kept when the link
// was saved. A chain across teams counts the same before and after.
func inspiringTeam(in Input, w store.Win, r roster) string {
	if src, ok := in.Inspiring[w.InspiredBy]; ok {
		return r.winTeam(src)
	}
	return w.InspiredByTeam
}

// adopters finds the window's new adopters inspired by a peer, how many
// people had a win in it, and how many of those had their first win ever.
func adopters(in Input, w window, r roster) ([]Adopter, int, int) {
	active, firsts := map[string]bool{}, map[string]bool{}
	var out []Adopter
	seen := map[string]bool{}
	for i := range in.Wins {
		win := &in.Wins[i]
		if !w.has(win.At) {
			continue
		}
		active[win.Author] = true
		first, ok := in.FirstWin[win.Author]
		if ok && w.has(first) { // measure's rule for new contributors: "0 of 3 first-timers" matches "3 of them new"
			firsts[win.Author] = true
		}
		if !ok || !first.Equal(win.At) || win.InspiredBy == 0 || seen[win.Author] {
			continue
		}
		seen[win.Author] = true
		a := Adopter{User: win.Author, Team: r.winTeam(win.Win)}
		if !Credited(win.Win) {
			a.User, a.Colleague = "", Colleague(win.Win)
		}
		a.InspiredByTeam = inspiringTeam(in, win.Win, r)
		if src, ok := in.Inspiring[win.InspiredBy]; ok {
			a.InspiredBy = src.Author
			if !Credited(src) {
				a.InspiredBy = ""
			}
		}
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b Adopter) int { return cmp.Compare(a.User, b.User) })
	return out, len(active), len(firsts)
}

func ratio(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// gatherSpread adds the inspirations since from and the wins they point
// at: the spread section reads the last two weeks of them, access-first
// picks and the rollout plan the weeks they gather.
func gatherSpread(tx *store.Tx, in *Input, from time.Time) error {
	var err error
	if in.Inspirations, err = tx.InspirationsBetween(from, in.End); err != nil {
		return fmt.Errorf("gather inspirations: %w", err)
	}
	in.Inspiring = map[uint64]store.Win{}
	want := map[uint64]bool{}
	for _, i := range in.Inspirations {
		want[i.WinID] = true
	}
	for i := range in.Wins {
		if w := &in.Wins[i]; w.InspiredBy != 0 {
			want[w.InspiredBy] = true
		}
	}
	for id := range want {
		w, err := tx.Win(id)
		if err != nil {
			continue // pruned or forgotten since
		}
		in.Inspiring[id] = w
	}
	return nil
}

// SpreadText renders the spread section (also used by /flywheel spread).
func SpreadText(s *Spread) string {
	var b strings.Builder
	b.WriteString(":link: *Spread*: adoption moving from peer to peer\n")
	const hint = "The *I'll try this* button on every win is how it begins."
	if s.FirstTimers == 0 {
		b.WriteString("Nobody shared a first win this week.")
	} else {
		// The ratio, "0 of 3 first-timers started from a colleague's
		// win", even at 0: that is the number the lead watches.
		fmt.Fprintf(&b, "*%s of %s started from a colleague's win*", thousands(len(s.NewAdopters)),
			plural(s.FirstTimers, "first-timer", "first-timers"))
		if s.PrevFirstTimers > 0 {
			fmt.Fprintf(&b, " (last week: %s of %s)", thousands(s.PrevNewAdopters), thousands(s.PrevFirstTimers))
		}
	}
	if len(s.NewAdopters) == 0 && len(s.Inspiring) == 0 {
		return b.String() + "\n" + hint
	}
	b.WriteString("\n")
	for i, a := range s.NewAdopters {
		if i == 8 {
			fmt.Fprintf(&b, "_…and %d more_\n", len(s.NewAdopters)-8)
			break
		}
		line := "• " + named(a.User, a.Colleague)
		if a.InspiredBy != "" {
			line += " after " + mention(a.InspiredBy) + "'s win"
		}
		b.WriteString(line + "\n")
	}
	if len(s.Inspiring) > 0 {
		b.WriteString("*Most inspiring wins*\n")
		for _, w := range s.Inspiring {
			quote := "_(text not shown)_"
			if w.Excerpt != "" {
				quote = "“" + escape(w.Excerpt) + "”"
			}
			fmt.Fprintf(&b, "• %s %s: %s\n", named(w.Author, w.Colleague), quote, inspiredText(w))
		}
	}
	if len(s.Chains) > 0 {
		var cs []string
		for _, c := range s.Chains {
			cs = append(cs, fmt.Sprintf("%s → %s (%d)", escape(c.From), escape(c.To), c.Count))
		}
		b.WriteString("*Across teams*: " + strings.Join(cs, ", ") + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// inspiredText says what was counted for an inspiring win: clicks on
// "I'll try this", and wins that followed it.
func inspiredText(w InspiringWin) string {
	var parts []string
	if w.Clicked > 0 {
		verb := "clicked"
		parts = append(parts, plural(w.Clicked, "person", "people")+" "+verb+" I'll try this")
	}
	if w.Followed > 0 {
		parts = append(parts, plural(w.Followed, "person", "people")+" shared a win after it")
	}
	return strings.Join(parts, ", ")
}
