package digest

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"flywheel/config"
	"flywheel/store"
)

// Tips: the rules every surface ranks and counts them by (the tips
// library of /flywheel tips and App Home, the registry's answers, the
// digest's "People teaching each other", the exports).

// TipFacts is a tip with the colleagues who saved it and who said they'd
// try it (distinct people, never its author), and every such mark with
// its time, so a week counts the marks made in it.
type TipFacts struct {
	store.Win
	Savers, Triers []string
	Marks          []store.TipMark
}

// TipFactsOf reads a tip's saves and tries as of now.
func TipFactsOf(tx *store.Tx, w store.Win) (TipFacts, error) {
	marks, err := tx.TipMarks(w.ID)
	if err != nil {
		return TipFacts{}, fmt.Errorf("tip %d: %w", w.ID, err)
	}
	f := TipFacts{Win: w}
	for _, m := range marks {
		if m.User == w.Author || m.User == "" {
			continue // one's own tip: no colleague taught
		}
		f.Marks = append(f.Marks, m)
		switch m.Kind {
		case store.MarkSave:
			f.Savers = append(f.Savers, m.User)
		case store.MarkTry:
			f.Triers = append(f.Triers, m.User)
		}
	}
	return f, nil
}

// TipScore ranks the tips library: each colleague who saved a tip and each
// who said they'd try it counts one.
func TipScore(f TipFacts) int { return len(f.Savers) + len(f.Triers) }

// Listable says whether a tip's words may be listed for anyone: not held
// by the guardrails, kept private, still being fetched, awaiting its
// author's approval, or forgotten (its words gone, its author a
// placeholder).
func Listable(w store.Win) bool {
	return w.IsTip() && !w.Held && !w.Private && !w.Pending && !w.AwaitingApproval && w.Text != "" && !store.IsForgotten(w.Author)
}

// TipQuery reads "/flywheel tips [tool or words]": a registry tool (by name
// or alias) matches the tips naming it, other words the tips whose text
// holds all of them; "" matches every tip.
func TipQuery(cfg *config.Config, query string) func(store.Win) bool {
	query = strings.TrimSpace(query)
	if query == "" {
		return func(store.Win) bool { return true }
	}
	if t, ok := cfg.Tool(query); ok {
		return func(w store.Win) bool { return hasTool(w.Tools, t.Name) }
	}
	words := strings.Fields(strings.ToLower(query))
	return func(w store.Win) bool {
		text := strings.ToLower(w.Text)
		for _, word := range words {
			if !strings.Contains(text, word) {
				return false
			}
		}
		return true
	}
}

func hasTool(tools []string, name string) bool {
	return slices.ContainsFunc(tools, func(t string) bool { return strings.EqualFold(t, name) })
}

// BestTips lists up to limit listable tips that match (nil: all), best
// first: by TipScore, then newest. It reads the tips' own index, so it
// costs the tips stored, not the wins.
func BestTips(tx *store.Tx, match func(store.Win) bool, limit int) ([]TipFacts, error) {
	var out []TipFacts
	err := tx.EachTipBetween(time.Unix(0, 0), endOfTime, func(w store.Win) error {
		if !Listable(w) || (match != nil && !match(w)) {
			return nil
		}
		f, err := TipFactsOf(tx, w)
		if err != nil {
			return err
		}
		out = append(out, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("best tips: %w", err)
	}
	slices.SortFunc(out, func(a, b TipFacts) int {
		return cmp.Or(-cmp.Compare(TipScore(a), TipScore(b)), b.At.Compare(a.At), cmp.Compare(b.ID, a.ID))
	})
	return first(out, max(limit, 0)), nil
}

// gatherTips adds the tips shared in [from, in.End) and those saved or
// tried in it, with their marks. A tip awaiting its author's approval
// counts nowhere.
func gatherTips(tx *store.Tx, in *Input, from time.Time) error {
	in.Tips = map[uint64]TipFacts{}
	add := func(w store.Win) error {
		if _, seen := in.Tips[w.ID]; seen || !w.IsTip() || w.AwaitingApproval {
			return nil
		}
		f, err := TipFactsOf(tx, w)
		if err == nil {
			in.Tips[w.ID] = f
		}
		return err
	}
	if err := tx.EachTipBetween(from, in.End, add); err != nil {
		return fmt.Errorf("gather tips: %w", err)
	}
	marks, err := tx.TipMarksBetween(from, in.End)
	if err != nil {
		return fmt.Errorf("gather tips: %w", err)
	}
	for _, m := range marks {
		if _, seen := in.Tips[m.TipID]; seen {
			continue
		}
		w, err := tx.Win(m.TipID)
		if err != nil {
			continue // pruned or deleted since
		}
		if err := add(w); err != nil {
			return fmt.Errorf("gather tips: %w", err)
		}
	}
	return nil
}

// Teaching is the digest's "People teaching each other": tips shared,
// tips tried across teams, and the week's most-tried tips.
type Teaching struct {
	// Tips shared in the week, and the distinct people who shared them:
	// people teaching each other, a signal of momentum nobody mandated.
	Tips, Teachers Count
	// CrossTeamTips are the tips someone from another team than the tip's
	// said they'd try in the week.
	CrossTeamTips Count
	// MostTried are the week's most-tried tips (by colleagues trying them
	// in the week), at most KeepTopTips.
	MostTried []TopTip
}

// TopTip is one tip in "most tried".
type TopTip struct {
	ID     uint64
	Author string
	Team   string
	// Excerpt is the tip's first line, cut to ExcerptRunes, not escaped;
	// "" when Withheld.
	Excerpt  string
	Withheld bool
	// Tries are the colleagues who said they'd try it in the week; Saves
	// those who saved it before the week ended.
	Tries, Saves int
	Link         string
}

// KeepTopTips is how many most-tried tips a digest keeps.
const KeepTopTips = 3

// teachingWeek is one window's tip numbers.
type teachingWeek struct {
	tips, teachers, crossTeam int
	tries                     map[uint64]int
}

func measureTeaching(in Input, w window, r roster) teachingWeek {
	m := teachingWeek{tries: map[uint64]int{}}
	teachers := map[string]bool{}
	cross := map[uint64]bool{}
	for _, t := range in.Tips {
		if w.has(t.At) {
			m.tips++
			teachers[t.Author] = true
		}
		team := r.winTeam(t.Win)
		for _, mk := range t.Marks {
			if mk.Kind != store.MarkTry || !w.has(mk.At) {
				continue
			}
			m.tries[t.ID]++
			if other := r.of(mk.User); other != "" && team != "" && other != team {
				cross[t.ID] = true
			}
		}
	}
	m.teachers, m.crossTeam = len(teachers), len(cross)
	return m
}

// computeTeaching compares the week with the one before and lists the
// week's most-tried tips (ties: the newer tip first).
func computeTeaching(in Input, cur, prev window, blocked []string, r roster) *Teaching {
	now, before := measureTeaching(in, cur, r), measureTeaching(in, prev, r)
	t := &Teaching{
		Tips:          Count{now.tips, before.tips},
		Teachers:      Count{now.teachers, before.teachers},
		CrossTeamTips: Count{now.crossTeam, before.crossTeam},
	}
	for id, n := range now.tries {
		f := in.Tips[id]
		tt := TopTip{ID: id, Author: f.Author, Team: r.winTeam(f.Win), Tries: n, Saves: savesBefore(f, cur.to),
			Link: Permalink(f.PostChannel, f.PostTS)}
		if !Listable(f.Win) || mentionsAny(f.Text, blocked) {
			tt.Withheld = true
		} else {
			tt.Excerpt = excerpt(f.Text, ExcerptRunes)
		}
		t.MostTried = append(t.MostTried, tt)
	}
	slices.SortFunc(t.MostTried, func(a, b TopTip) int {
		return cmp.Or(-cmp.Compare(a.Tries, b.Tries), -cmp.Compare(a.Saves, b.Saves), cmp.Compare(b.ID, a.ID))
	})
	t.MostTried = first(t.MostTried, KeepTopTips)
	return t
}

// savesBefore counts a tip's saves made before end: a week recomputed
// later says what it said, whatever was saved since.
func savesBefore(f TipFacts, end time.Time) int {
	n := 0
	for _, m := range f.Marks {
		if m.Kind == store.MarkSave && m.At.Before(end) {
			n++
		}
	}
	return n
}

// TeachingNumbers are the section's figures, kept with a posted week.
type TeachingNumbers struct {
	Tips, Teachers, CrossTeamTips Count
	MostTried                     []int // tries, per listed tip
}

func teachingNumbers(t *Teaching) *TeachingNumbers {
	if t == nil {
		return nil
	}
	n := &TeachingNumbers{Tips: t.Tips, Teachers: t.Teachers, CrossTeamTips: t.CrossTeamTips}
	for _, tt := range t.MostTried {
		n.MostTried = append(n.MostTried, tt.Tries)
	}
	return n
}

// showTopTips is how many most-tried tips the section lists.
const showTopTips = KeepTopTips

// Active says whether the section has anything to say: tips shared this
// week or last, or tried this week.
func (t *Teaching) Active() bool {
	return t != nil && (t.Tips.Now > 0 || t.Tips.Prev > 0 || len(t.MostTried) > 0)
}

// TeachingText renders "People teaching each other".
func TeachingText(t *Teaching) string {
	var b strings.Builder
	fmt.Fprintf(&b, ":mortar_board: *People teaching each other*: %s shared %s (%s)",
		plural(t.Teachers.Now, "person", "people"), plural(t.Tips.Now, "tip", "tips"), signed(t.Tips.Delta()))
	if n := t.CrossTeamTips.Now; n > 0 {
		fmt.Fprintf(&b, " · %s tried by someone from another team", plural(n, "tip", "tips"))
	}
	if len(t.MostTried) == 0 {
		b.WriteString("\nNo tip was tried this week yet. *I'll try this* on a tip, or `/tip` to share yours.")
		return b.String()
	}
	b.WriteString("\n*Most tried this week*")
	for _, tt := range first(t.MostTried, showTopTips) {
		quote := "_(text not shown)_"
		if !tt.Withheld {
			quote = "“" + escape(tt.Excerpt) + "”"
		}
		line := fmt.Sprintf("\n• %s %s · tried by %s", mention(tt.Author), quote, plural(tt.Tries, "colleague", "colleagues"))
		if tt.Saves > 0 {
			line += " · " + plural(tt.Saves, "save", "saves")
		}
		if tt.Link != "" {
			line += " · " + link(tt.Link, "see it")
		}
		b.WriteString(line)
	}
	return b.String()
}

// TeachingLine is the public digest's one line on people teaching each
// other: how many shared a tip and how many tips crossed teams, no names
// (the lead digest has them); "" when no tip was shared or tried.
func TeachingLine(t *Teaching) string {
	if t == nil || (t.Tips.Now == 0 && len(t.MostTried) == 0) {
		return ""
	}
	line := fmt.Sprintf(":mortar_board: *People teaching each other*: %s shared %s", plural(t.Teachers.Now, "person", "people"),
		plural(t.Tips.Now, "tip", "tips"))
	if n := t.CrossTeamTips.Now; n > 0 {
		line += fmt.Sprintf(", %s tried across teams", plural(n, "tip", "tips"))
	}
	return line + ". Know a shortcut? `/tip` shares it."
}
