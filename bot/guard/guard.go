// Package guard finds sensitive data in text before the bot repeats it in a
// public channel: email addresses, phone numbers, API keys and tokens, card
// numbers and the organisation's own block terms. A visible slip (a customer
// email in the wins channel) is what kills trust in AI; holding the post and
// asking the author is cheap.
package guard

import (
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"
)

// Kind names what was found.
type Kind string

// The kinds of sensitive data guard finds.
const (
	Email     Kind = "email address"
	Phone     Kind = "phone number"
	Secret    Kind = "API key or token"
	Card      Kind = "card number"
	BlockTerm Kind = "blocked term"
)

// Finding is one sensitive span of text.
type Finding struct {
	Kind       Kind
	Start, End int // byte offsets
	Text       string
}

var (
	emailRE = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	// Known token formats: Slack, OpenAI and Anthropic style sk- keys, AWS
	// access key IDs, GitHub tokens, Google API keys.
	tokenRE = regexp.MustCompile(`\b(?:xox[abposr]-[A-Za-z0-9-]{10,}|xapp-[A-Za-z0-9-]{10,}|sk-(?:[A-Za-z0-9_-]*[A-Za-z0-9]){20,}|(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|AIza[0-9A-Za-z_-]{35})`)
	hexRE   = regexp.MustCompile(`\b[0-9a-fA-F]{32,}\b`)
	b64RE   = regexp.MustCompile(`[A-Za-z0-9+/_-]{40,}={0,2}`)
	cardRE  = regexp.MustCompile(`\b\d(?:[ -]?\d){12,18}\b`)
	// A phone number: optional +country code, then digit groups separated
	// by spaces, dots, dashes or parentheses; 9 to 15 digits in all.
	phoneRE = regexp.MustCompile(`(?:\+\d{1,3}[\s.-]?)?\(\d{1,4}\)[\s.-]?\d{2,4}(?:[\s.-]\d{2,4}){1,3}\b|(?:\+\d{1,3}[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,4}){2,4}\b|\+\d{9,15}\b`)
	urlRE   = regexp.MustCompile(`https?://[^\s<>|]+`)
)

// Scan returns the sensitive spans in text, in order, without overlaps.
// blockTerms are matched case-insensitively on whole words.
//
// Every /win is scanned, so Scan first takes a census of the text in one
// pass and skips each pattern that cannot match: no '@', no email; fewer
// than 9 digits, no phone number. The regexps then run only where they
// might find something (scanAll, without the census, is the reference the
// tests compare against).
func Scan(text string, blockTerms []string) []Finding {
	return scan(text, blockTerms, takeCensus(text))
}

// scanAll runs every pattern regardless of the census.
func scanAll(text string, blockTerms []string) []Finding {
	return scan(text, blockTerms, census{all: true})
}

// census is what one pass over the text learns about which patterns could
// match it.
type census struct {
	all         bool // run everything
	digits      int  // ASCII digits in the text
	at, http    bool // contains '@', contains "http"
	tokenPrefix bool // contains the start of a known token format
	hexRun      int  // longest run of hex digits
	b64Run      int  // longest run of base64 / base64url characters
}

// tokenPrefixes: every alternative of tokenRE starts with one of these.
var tokenPrefixes = []string{"xox", "xapp-", "sk-", "AKIA", "ASIA", "gh", "github_pat_", "AIza"}

func takeCensus(text string) census {
	c := census{at: strings.IndexByte(text, '@') >= 0, http: strings.Contains(text, "http")}
	for _, p := range tokenPrefixes {
		if strings.Contains(text, p) {
			c.tokenPrefix = true
			break
		}
	}
	hex, b64 := 0, 0
	for i := 0; i < len(text); i++ {
		ch := text[i]
		isDigit := ch >= '0' && ch <= '9'
		isHex := isDigit || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')
		isB64 := isDigit || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '+' || ch == '/' || ch == '_' || ch == '-'
		if isDigit {
			c.digits++
		}
		if isHex {
			hex++
			c.hexRun = max(c.hexRun, hex)
		} else {
			hex = 0
		}
		if isB64 {
			b64++
			c.b64Run = max(c.b64Run, b64)
		} else {
			b64 = 0
		}
	}
	return c
}

// could says whether a pattern needing the condition is worth running.
func (c census) could(cond bool) bool { return c.all || cond }

func scan(text string, blockTerms []string, c census) []Finding {
	var out []Finding
	add := func(k Kind, s, e int) { out = append(out, Finding{Kind: k, Start: s, End: e, Text: text[s:e]}) }
	var urls [][]int
	if c.could(c.http) {
		urls = urlRE.FindAllStringIndex(text, -1)
	}
	inURL := func(s, e int) bool {
		for _, u := range urls {
			if s >= u[0] && e <= u[1] {
				return true
			}
		}
		return false
	}
	if c.could(c.at) {
		for _, m := range emailRE.FindAllStringIndex(text, -1) {
			add(Email, m[0], m[1])
		}
	}
	if c.could(c.tokenPrefix) {
		for _, m := range tokenRE.FindAllStringIndex(text, -1) {
			add(Secret, m[0], m[1])
		}
	}
	for _, m := range findAll(c.could(c.hexRun >= 32), hexRE, text) {
		if !inURL(m[0], m[1]) {
			add(Secret, m[0], m[1])
		}
	}
	for _, m := range findAll(c.could(c.b64Run >= 40), b64RE, text) {
		if !inURL(m[0], m[1]) && looksRandom(text[m[0]:m[1]]) {
			add(Secret, m[0], m[1])
		}
	}
	for _, m := range findAll(c.could(c.digits >= 13), cardRE, text) {
		if luhn(text[m[0]:m[1]]) {
			add(Card, m[0], m[1])
		}
	}
	for _, m := range findAll(c.could(c.digits >= 9), phoneRE, text) {
		if d := digits(text[m[0]:m[1]]); len(d) >= 9 && len(d) <= 15 && !inURL(m[0], m[1]) && !looksLikeDate(text[m[0]:m[1]]) {
			add(Phone, m[0], m[1])
		}
	}
	for _, term := range blockTerms {
		t := strings.TrimSpace(term)
		if t == "" {
			continue
		}
		re := termRE(t)
		for _, m := range re.FindAllStringIndex(text, -1) {
			if wordEdge(text, m[0]-1) && wordEdge(text, m[1]) {
				add(BlockTerm, m[0], m[1])
			}
		}
	}
	return merge(out)
}

// findAll is re's matches in text, or none when the census rules it out.
func findAll(possible bool, re *regexp.Regexp, text string) [][]int {
	if !possible {
		return nil
	}
	return re.FindAllStringIndex(text, -1)
}

// termREs caches each block term's regexp: the terms come from config and
// rarely change, and compiling one per term per win would cost more than
// the scan.
var termREs sync.Map // string -> *regexp.Regexp

// termRE matches t case-insensitively. A case-insensitive regexp keeps byte
// offsets right where lowering the text would change its length.
func termRE(t string) *regexp.Regexp {
	if re, ok := termREs.Load(t); ok {
		return re.(*regexp.Regexp)
	}
	re, _ := termREs.LoadOrStore(t, regexp.MustCompile(`(?i)`+regexp.QuoteMeta(t)))
	return re.(*regexp.Regexp)
}

// merge sorts findings and drops those overlapping an earlier, longer one
// (a card number is not also a phone number).
func merge(fs []Finding) []Finding {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Start != fs[j].Start {
			return fs[i].Start < fs[j].Start
		}
		return fs[i].End-fs[i].Start > fs[j].End-fs[j].Start
	})
	var out []Finding
	for _, f := range fs {
		if len(out) > 0 && f.Start < out[len(out)-1].End {
			continue
		}
		out = append(out, f)
	}
	return out
}

// Redact replaces each finding with a label: "[email address removed]".
func Redact(text string, fs []Finding) string {
	var b strings.Builder
	last := 0
	for _, f := range fs {
		if f.Start < last || f.End > len(text) {
			continue
		}
		b.WriteString(text[last:f.Start])
		b.WriteString("[" + string(f.Kind) + " removed]")
		last = f.End
	}
	b.WriteString(text[last:])
	return b.String()
}

// Kinds lists the distinct kinds found, in order of first appearance.
func Kinds(fs []Finding) []string {
	var out []string
	seen := map[Kind]bool{}
	for _, f := range fs {
		if !seen[f.Kind] {
			seen[f.Kind] = true
			out = append(out, string(f.Kind))
		}
	}
	return out
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// luhn is the card-number checksum; it rules out most random digit runs.
func luhn(s string) bool {
	d := digits(s)
	if len(d) < 13 || len(d) > 19 {
		return false
	}
	sum, double := 0, false
	for i := len(d) - 1; i >= 0; i-- {
		n := int(d[i] - '0')
		if double {
			if n *= 2; n > 9 {
				n -= 9
			}
		}
		sum += n
		double = !double
	}
	return sum%10 == 0
}

// looksRandom tells a secret from a long word or path: it mixes upper and
// lower case letters and digits.
func looksRandom(s string) bool {
	var up, low, dig bool
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			up = true
		case unicode.IsLower(r):
			low = true
		case unicode.IsDigit(r):
			dig = true
		}
	}
	return up && low && dig
}

var dateRE = regexp.MustCompile(`^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$`)

func looksLikeDate(s string) bool { return dateRE.MatchString(strings.TrimSpace(s)) }

func wordEdge(s string, i int) bool {
	if i < 0 || i >= len(s) {
		return true
	}
	c := rune(s[i])
	return !(unicode.IsLetter(c) || unicode.IsDigit(c) || c == '_')
}
