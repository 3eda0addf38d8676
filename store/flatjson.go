package store

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// flatCodec decodes a storage record of type R from the JSON the store
// writes, without encoding/json's reflection walk: encoding/json spends
// about 6 µs on one win record, and the weekly digest reads tens of
// thousands of them in one go. The fast path takes exactly the JSON that
// json.Marshal produces for a flat struct of strings, integers, booleans,
// string slices and times; anything else (whitespace, unknown or
// differently cased keys, escapes it does not handle, invalid UTF-8, a
// number that does not fit) falls back to json.Unmarshal, so the result is
// always what json.Unmarshal would give. The store's tests check that
// equivalence on random and fuzzed input.
type flatCodec[R any] struct {
	fields map[string]flatField // by JSON name; nil: R is not flat, always fall back
	// order is the fields in struct order, which is the order json.Marshal
	// writes them in: the next key is checked against it before the map.
	order []flatField
	// part: R is a part of the record (newFlatPartCodec); fields and order
	// are the whole record's, those R leaves out with index -1.
	part bool
}

type flatField struct {
	name  string
	index int // in the struct; -1: not in it, checked and passed over
	pos   int // in order
	kind  flatKind
}

type flatKind uint8

const (
	flatString flatKind = iota + 1
	flatInt
	flatUint
	flatBool
	flatStrings
	flatTime
)

var timeType = reflect.TypeFor[time.Time]()

// newFlatCodec reads R's fields and json tags once.
func newFlatCodec[R any]() *flatCodec[R] {
	fields, order := flatFields(reflect.TypeFor[R]())
	return &flatCodec[R]{fields: fields, order: order}
}

// newFlatPartCodec decodes R, a few of Full's fields under the same JSON
// names, from a Full record: the other keys of Full are passed over
// without being decoded, so a reader that needs a few fields of many
// records to choose which to read in full pays for those few. Like
// json.Unmarshal into R, it ignores the rest; anything the fast path does
// not take falls back to json.Unmarshal into R.
func newFlatPartCodec[R, Full any]() *flatCodec[R] {
	mine, _ := flatFields(reflect.TypeFor[R]())
	fields, order := flatFields(reflect.TypeFor[Full]())
	if mine == nil || fields == nil {
		return &flatCodec[R]{}
	}
	for i, f := range order {
		m, ok := mine[f.name]
		switch {
		case !ok:
			f.index = -1
		case m.kind != f.kind:
			return &flatCodec[R]{} // not a part of Full: always fall back
		default:
			f.index = m.index
			delete(mine, f.name)
		}
		order[i], fields[f.name] = f, f
	}
	if len(mine) > 0 {
		return &flatCodec[R]{} // fields Full does not have
	}
	return &flatCodec[R]{fields: fields, order: order, part: true}
}

// flatFields reads t's fields and json tags: nil when t is not flat.
func flatFields(t reflect.Type) (map[string]flatField, []flatField) {
	fields := map[string]flatField{}
	var order []flatField
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if tag == "-" || !f.IsExported() {
			continue
		}
		var kind flatKind
		switch ft := f.Type; {
		case f.Anonymous || slices.Contains(strings.Split(opts, ","), "string"):
		case ft == timeType:
			kind = flatTime
		case ft.Kind() == reflect.String:
			kind = flatString
		case ft.Kind() == reflect.Bool:
			kind = flatBool
		case ft.Kind() == reflect.Int || ft.Kind() == reflect.Int64:
			kind = flatInt
		case ft.Kind() == reflect.Uint64:
			kind = flatUint
		case ft.Kind() == reflect.Slice && ft.Elem() == reflect.TypeFor[string]():
			kind = flatStrings
		}
		if kind == 0 || name == "" {
			return nil, nil // not flat, or matched case-insensitively: leave it to encoding/json
		}
		ff := flatField{name: name, index: i, pos: len(order), kind: kind}
		fields[name] = ff
		order = append(order, ff)
	}
	return fields, order
}

// decode fills *r, which must be the zero value, from raw.
func (c *flatCodec[R]) decode(raw []byte, r *R) error {
	if c.fields != nil {
		d := flatDecoder{b: raw}
		if !c.part {
			// A whole record: its strings share one copy of it. A part
			// keeps a few short strings, each copied on its own.
			d.s = string(raw)
		}
		if d.object(c.fields, c.order, reflect.ValueOf(r).Elem()) {
			return nil
		}
		var zero R
		*r = zero
	}
	return json.Unmarshal(raw, r)
}

// flatDecoder is a cursor over one record; every method reports false at
// the first byte it does not expect. s is b as one string: the record's
// plain strings are substrings of it, so a record costs one allocation for
// all of them instead of one each. Without s each string is copied from b.
type flatDecoder struct {
	b []byte
	s string
	i int
}

// sub is b[start:end] as a string.
func (d *flatDecoder) sub(start, end int) string {
	if d.s == "" {
		return string(d.b[start:end])
	}
	return d.s[start:end]
}

func (d *flatDecoder) eat(c byte) bool {
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

func (d *flatDecoder) word(w string) bool {
	if end := d.i + len(w); end <= len(d.b) && string(d.b[d.i:end]) == w {
		d.i += len(w)
		return true
	}
	return false
}

func (d *flatDecoder) object(fields map[string]flatField, order []flatField, v reflect.Value) bool {
	if !d.eat('{') {
		return false
	}
	if d.eat('}') {
		return d.i == len(d.b)
	}
	next := 0
	for {
		start, end, ok := d.plainString()
		if !ok || !d.eat(':') {
			return false
		}
		// Keys come in struct order, fields left empty left out: look for
		// the key among the fields after the last one before the map.
		// (Neither comparison copies the key.)
		key := d.b[start:end]
		var f flatField
		j := next
		for j < len(order) && order[j].name != string(key) {
			j++
		}
		if j < len(order) {
			f = order[j]
		} else if f, ok = fields[string(key)]; !ok {
			return false
		}
		next = f.pos + 1
		if f.index < 0 {
			ok = d.pass(f.kind)
		} else {
			ok = d.value(f.kind, v.Field(f.index))
		}
		if !ok {
			return false
		}
		if d.eat(',') {
			continue
		}
		return d.eat('}') && d.i == len(d.b)
	}
}

func (d *flatDecoder) value(kind flatKind, f reflect.Value) bool {
	if d.word("null") {
		// encoding/json leaves a field alone on null, except a slice,
		// which it sets to nil; in a zero record both are the zero value.
		return true
	}
	switch kind {
	case flatString:
		s, ok := d.str()
		f.SetString(s)
		return ok
	case flatInt:
		n, ok := d.integer(true)
		if !ok || f.OverflowInt(int64(n)) {
			return false
		}
		f.SetInt(int64(n))
		return true
	case flatUint:
		n, ok := d.integer(false)
		if !ok {
			return false
		}
		f.SetUint(n)
		return true
	case flatBool:
		switch {
		case d.word("true"):
			f.SetBool(true)
		case d.word("false"):
		default:
			return false
		}
		return true
	case flatStrings:
		if !d.eat('[') {
			return false
		}
		list := []string{}
		for !d.eat(']') {
			if len(list) > 0 && !d.eat(',') {
				return false
			}
			s, ok := d.str()
			if !ok {
				return false
			}
			list = append(list, s)
		}
		// Set through a pointer: f.Set(reflect.ValueOf(list)) would box
		// the slice header, an allocation per record. flatFields took the
		// field for a slice of string, so this is its layout.
		*(*[]string)(f.Addr().UnsafePointer()) = list
		return true
	case flatTime:
		// time.Time parses its own JSON literal, as encoding/json lets it.
		// The literal is checked as str would, without building it.
		start := d.i
		if !d.passString() {
			return false
		}
		t := (*time.Time)(f.Addr().UnsafePointer())
		// The store writes its times in one layout: read that directly,
		// anything else as time.Time would.
		if v, ok := parseStoreTime(d.b[start+1 : d.i-1]); ok {
			*t = v
			return true
		}
		return t.UnmarshalJSON(d.b[start:d.i]) == nil
	}
	return false
}

// pass reads a value of kind as value does and keeps nothing: strings are
// checked, not copied.
func (d *flatDecoder) pass(kind flatKind) bool {
	if d.word("null") {
		return true
	}
	switch kind {
	case flatString, flatTime:
		return d.passString()
	case flatInt, flatUint:
		_, ok := d.integer(kind == flatInt)
		return ok
	case flatBool:
		return d.word("true") || d.word("false")
	case flatStrings:
		if !d.eat('[') {
			return false
		}
		for n := 0; !d.eat(']'); n++ {
			if n > 0 && !d.eat(',') {
				return false
			}
			if !d.passString() {
				return false
			}
		}
		return true
	}
	return false
}

// passString reads a JSON string as str does (taking what str takes),
// without building it.
func (d *flatDecoder) passString() bool {
	if !d.eat('"') {
		return false
	}
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			return true
		case c < 0x20:
			return false
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(d.b[d.i:])
			if r == utf8.RuneError && size == 1 {
				return false
			}
			d.i += size
		case c != '\\':
			d.i++
		default:
			if d.i+1 >= len(d.b) {
				return false
			}
			esc := d.b[d.i+1]
			d.i += 2
			switch esc {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if r, ok := d.hex4(); !ok || utf16IsSurrogate(r) {
					return false
				}
			default:
				return false
			}
		}
	}
	return false
}

// integer reads a JSON integer (no fraction, no exponent). For signed
// fields the result is the two's complement of a negative number; it
// reports false if the magnitude does not fit in 63 (signed) or 64 bits.
func (d *flatDecoder) integer(signed bool) (uint64, bool) {
	neg := signed && d.eat('-')
	start := d.i
	var n uint64
	for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
		digit := uint64(d.b[d.i] - '0')
		if n > (1<<64-1-digit)/10 {
			return 0, false
		}
		n = n*10 + digit
		d.i++
	}
	digits := d.i - start
	if digits == 0 || (digits > 1 && d.b[start] == '0') {
		return 0, false
	}
	if d.i < len(d.b) && (d.b[d.i] == '.' || d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		return 0, false
	}
	if signed {
		if n > 1<<63 || (!neg && n == 1<<63) {
			return 0, false
		}
		if neg {
			n = -n
		}
	}
	return n, true
}

// plainString reads a string without escapes or non-ASCII bytes and
// returns where its contents are in b.
func (d *flatDecoder) plainString() (start, end int, ok bool) {
	if !d.eat('"') {
		return 0, 0, false
	}
	start = d.i
	for d.i < len(d.b) && plainByte[d.b[d.i]] {
		d.i++
	}
	if d.i < len(d.b) && d.b[d.i] == '"' {
		d.i++
		return start, d.i - 1, true
	}
	return 0, 0, false
}

// plainByte says which bytes a plain string holds as they are: printable
// ASCII but the quote and the backslash. One table lookup a byte: a win's
// text is most of the bytes the digest decodes.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// str reads a JSON string: plain ASCII is copied as is; escapes and UTF-8
// are decoded as encoding/json does, except that invalid UTF-8 and UTF-16
// surrogates (which json.Marshal never writes) send the record to the
// fallback.
func (d *flatDecoder) str() (string, bool) {
	save := d.i
	if start, end, ok := d.plainString(); ok {
		return d.sub(start, end), true
	}
	d.i = save
	if !d.eat('"') {
		return "", false
	}
	// The decoded string is never longer than its JSON: size it once.
	size := 0
	for j := d.i; j < len(d.b) && d.b[j] != '"'; j++ {
		if d.b[j] == '\\' {
			j++
		}
		size = j - d.i + 1
	}
	var out strings.Builder
	out.Grow(size)
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			return out.String(), true
		case c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(d.b[d.i:])
			if r == utf8.RuneError && size == 1 {
				return "", false
			}
			out.Write(d.b[d.i : d.i+size])
			d.i += size
		case c != '\\':
			out.WriteByte(c)
			d.i++
		default:
			if d.i+1 >= len(d.b) {
				return "", false
			}
			esc := d.b[d.i+1]
			d.i += 2
			switch esc {
			case '"', '\\', '/':
				out.WriteByte(esc)
			case 'b':
				out.WriteByte('\b')
			case 'f':
				out.WriteByte('\f')
			case 'n':
				out.WriteByte('\n')
			case 'r':
				out.WriteByte('\r')
			case 't':
				out.WriteByte('\t')
			case 'u':
				r, ok := d.hex4()
				if !ok || utf16IsSurrogate(r) {
					return "", false
				}
				out.WriteRune(r)
			default:
				return "", false
			}
		}
	}
	return "", false
}

func (d *flatDecoder) hex4() (rune, bool) {
	if d.i+4 > len(d.b) {
		return 0, false
	}
	var r rune
	for _, c := range d.b[d.i : d.i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	d.i += 4
	return r, true
}

func utf16IsSurrogate(r rune) bool { return r >= 0xd800 && r < 0xe000 }

// The codecs of the records read in bulk: wins, questions and answers by
// the digest's range scans, reactions for each win's amplifiers.
var (
	winCodec      = newFlatCodec[winRecord]()
	questionCodec = newFlatCodec[questionRecord]()
	answerCodec   = newFlatCodec[answerRecord]()
	reactionCodec = newFlatCodec[reactionRecord]()
)
