package textparse

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tokWord tokKind = iota
	tokNum
	tokPunct
)

// token is one word, number or punctuation mark of a message. The sentence
// ends (".", "!", "?", ";" and line breaks) all become the punctuation "."
// so rules can stop at a sentence boundary with one check.
type token struct {
	kind  tokKind
	text  string  // the word or punctuation; empty for numbers
	num   float64 // the value of a number
	space bool    // whitespace (or an ignored symbol) came right before
}

// is reports whether t is the word or punctuation w.
func (t token) is(w string) bool { return t.kind != tokNum && t.text == w }

// isIn reports whether t is one of the words or punctuation in set.
func (t token) isIn(set map[string]bool) bool { return t.kind != tokNum && set[t.text] }

// end reports whether t ends a sentence.
func (t token) end() bool { return t.kind == tokPunct && t.text == "." }

// maxNumber caps numbers read from text so that arithmetic stays finite.
const maxNumber = 1e7

// abbrevs are words whose trailing "." does not end a sentence
// ("saved approx. 2 hours", "20 min vs. 4 hours").
var abbrevs = map[string]bool{"approx": true, "est": true, "ca": true, "c": true, "vs": true, "appr": true, "eg": true, "abt": true}

// kept punctuation; every other symbol (emoji, quotes, asterisks) only
// separates words.
var punctRunes = map[rune]string{
	'→': "→", '-': "-", '~': "~", '+': "+", '/': "/", ',': ",", ':': ":",
	'(': "(", ')': ")", '$': "$", '€': "€", '£': "£", '%': "%", '=': "=", '&': "&",
}

// tokenize splits lower-case text into tokens. Letters and digits are split
// apart ("2hrs" → 2, "hrs"), so spacing typos read like spaced text.
func tokenize(s string) []token {
	toks := make([]token, 0, len(s)/4)
	space := true
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\n':
			toks = append(toks, token{kind: tokPunct, text: ".", space: true})
			space = true
			i += size
		case unicode.IsSpace(r):
			space = true
			i += size
		case r >= '0' && r <= '9':
			n, end := readNumber(s, i)
			toks = append(toks, token{kind: tokNum, num: n, space: space})
			space = false
			i = end
		case r == '½':
			toks = append(toks, token{kind: tokNum, num: 0.5, space: space})
			space = false
			i += size
		case unicode.IsLetter(r):
			end := wordEnd(s, i)
			toks = append(toks, token{kind: tokWord, text: s[i:end], space: space})
			space = false
			i = end
		case r == '.' || r == '!' || r == '?' || r == ';':
			i += size
			if r == '.' && i < len(s) && !isSpaceByte(s[i]) {
				space = false // "e.g", "x.com": not a sentence end
				continue
			}
			if r == '.' && len(toks) > 0 && toks[len(toks)-1].isIn(abbrevs) {
				space = true
				continue
			}
			toks = append(toks, token{kind: tokPunct, text: ".", space: space})
			space = true
		default:
			if p, ok := punctRunes[r]; ok {
				toks = append(toks, token{kind: tokPunct, text: p, space: space})
				space = false
			} else {
				space = true
			}
			i += size
		}
	}
	return toks
}

func isSpaceByte(b byte) bool { return b == ' ' || b == '\n' || b == '\t' || b == '\r' }

// wordEnd returns the end of the word of letters starting at i; an
// apostrophe between letters stays inside ("day's", "don't").
func wordEnd(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) {
			i += size
			continue
		}
		if r == '\'' && i+1 < len(s) {
			if r2, _ := utf8.DecodeRuneInString(s[i+1:]); unicode.IsLetter(r2) {
				i++
				continue
			}
		}
		break
	}
	return i
}

// readNumber reads a number starting at the digit s[i]: "30", "2.5", "2,5"
// (a decimal comma), "1,000" (a thousands separator: exactly three digits
// after the comma) and "1½".
func readNumber(s string, i int) (float64, int) {
	intEnd := digitsEnd(s, i)
	digits := s[i:intEnd]
	end := intEnd
	frac := ""
	for end+1 < len(s) && (s[end] == '.' || s[end] == ',') && isDigit(s[end+1]) {
		fEnd := digitsEnd(s, end+1)
		f := s[end+1 : fEnd]
		if s[end] == ',' && len(f) == 3 && frac == "" {
			digits += f // 1,000
			end = fEnd
			continue
		}
		if frac == "" {
			frac = f
		}
		end = fEnd
		break
	}
	v := maxNumber
	if len(digits) <= 8 {
		if len(frac) > 6 {
			frac = frac[:6]
		}
		num := digits
		if frac != "" {
			num += "." + frac
		}
		if f, err := strconv.ParseFloat(num, 64); err == nil && f < maxNumber {
			v = f
		}
	}
	if r, size := utf8.DecodeRuneInString(s[end:]); r == '½' {
		v += 0.5
		end += size
	}
	return v, end
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func digitsEnd(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// seq reports whether the tokens at i are the words ws, in order.
func seq(toks []token, i int, ws ...string) bool {
	if i < 0 || i+len(ws) > len(toks) {
		return false
	}
	for k, w := range ws {
		if !toks[i+k].is(w) {
			return false
		}
	}
	return true
}

// at returns toks[i], or an empty punctuation token when i is out of range,
// so lookahead and lookbehind need no bounds checks.
func at(toks []token, i int) token {
	if i < 0 || i >= len(toks) {
		return token{kind: tokPunct}
	}
	return toks[i]
}
