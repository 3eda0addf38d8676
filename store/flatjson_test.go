package store

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFlatCodecsCoverTheRecords(t *testing.T) {
	// A record type with a field the fast path does not handle still
	// decodes (through encoding/json), only slower: adding one should be
	// a conscious choice.
	assert.NotNil(t, winCodec.fields, "winRecord")
	assert.NotNil(t, questionCodec.fields, "questionRecord")
	assert.NotNil(t, answerCodec.fields, "answerRecord")
	assert.NotNil(t, reactionCodec.fields, "reactionRecord")
}

// sameAsJSON decodes raw with the codec and with json.Unmarshal and
// requires the same record and the same success.
func sameAsJSON[R any](t *testing.T, c *flatCodec[R], raw []byte) {
	t.Helper()
	var fast, slow R
	errFast, errSlow := c.decode(raw, &fast), json.Unmarshal(raw, &slow)
	require.Equal(t, errSlow == nil, errFast == nil, "%s: json says %v, codec says %v", raw, errSlow, errFast)
	require.True(t, reflect.DeepEqual(slow, fast), "%s:\njson  %#v\ncodec %#v", raw, slow, fast)
}

var palette = []string{"", "a", "Used ChatGPT to draft 40 emails", "<@U123> & <#C1|x>", `"quoted" \ back\slash /`,
	"tab\tnew\nline\r\x00\x1f", "héllo 日本 🚀", "\u2028\u2029", "bad \xff utf8 \xc3", "&lt;b&gt;", "ü"}

// randomFill sets every field of the record v points to at random.
func randomFill(rng *rand.Rand, v reflect.Value) {
	for i := range v.NumField() {
		f := v.Field(i)
		switch {
		case f.Type() == timeType:
			switch rng.IntN(4) {
			case 0: // zero
			case 1:
				f.Set(reflect.ValueOf(time.Unix(rng.Int64N(4e9), rng.Int64N(1e9)).UTC()))
			case 2:
				f.Set(reflect.ValueOf(time.Unix(rng.Int64N(4e9), 0).In(time.FixedZone("", 5*3600+1800))))
			default:
				f.Set(reflect.ValueOf(t0.Add(time.Duration(rng.Int64N(1e15)))))
			}
		case f.Kind() == reflect.String:
			f.SetString(palette[rng.IntN(len(palette))])
		case f.Kind() == reflect.Bool:
			f.SetBool(rng.IntN(2) == 0)
		case f.Kind() == reflect.Int || f.Kind() == reflect.Int64:
			f.SetInt([]int64{0, 1, -1, 42, math.MaxInt64, math.MinInt64, rng.Int64()}[rng.IntN(7)])
		case f.Kind() == reflect.Uint64:
			f.SetUint([]uint64{0, 1, math.MaxUint64, rng.Uint64()}[rng.IntN(4)])
		case f.Kind() == reflect.Slice:
			switch n := rng.IntN(4); n {
			case 0: // nil
			default:
				list := []string{}
				for range n - 1 {
					list = append(list, palette[rng.IntN(len(palette))])
				}
				f.Set(reflect.ValueOf(list))
			}
		}
	}
}

func checkRandom[R any](t *testing.T, c *flatCodec[R]) { checkRandomPart[R, R](t, c) }

// checkRandomPart: a codec of R (the whole record Full, or a part of it)
// decodes random records of Full as json.Unmarshal into R does, and
// whatever json.Marshal writes takes the fast path.
func checkRandomPart[R, Full any](t *testing.T, c *flatCodec[R]) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var full Full
		randomFill(rng, reflect.ValueOf(&full).Elem())
		raw, err := json.Marshal(full)
		require.NoError(t, err)
		sameAsJSON(t, c, raw)
		var again R
		d := flatDecoder{b: raw}
		if !c.part {
			d.s = string(raw)
		}
		require.True(t, d.object(c.fields, c.order, reflect.ValueOf(&again).Elem()), "fell back on %s", raw)
	}
}

func TestFlatDecodeMatchesJSON(t *testing.T) {
	t.Run("RandomWins", func(t *testing.T) { checkRandom(t, winCodec) })
	t.Run("RandomQuestions", func(t *testing.T) { checkRandom(t, questionCodec) })
	t.Run("RandomAnswers", func(t *testing.T) { checkRandom(t, answerCodec) })
	t.Run("RandomReactions", func(t *testing.T) { checkRandom(t, reactionCodec) })
	t.Run("RandomWinHeads", func(t *testing.T) {
		require.True(t, winHeadCodec.part, "a part of the record")
		checkRandomPart[winHeadRecord, winRecord](t, winHeadCodec)
	})
	t.Run("RandomQuestionHeads", func(t *testing.T) {
		require.True(t, questionHeadCodec.part, "a part of the record")
		checkRandomPart[questionHeadRecord, questionRecord](t, questionHeadCodec)
	})
	t.Run("RandomAnswerHeads", func(t *testing.T) {
		require.True(t, answerHeadCodec.part, "a part of the record")
		checkRandomPart[answerHeadRecord, answerRecord](t, answerHeadCodec)
	})
	t.Run("RandomReactionSpans", func(t *testing.T) {
		require.True(t, reactionLiveCodec.part, "a part of the record")
		require.NotNil(t, reactionLiveCodec.fields, "decoded without encoding/json")
		checkRandomPart[reactionLive, reactionRecord](t, reactionLiveCodec)
	})
	t.Run("Edges", func(t *testing.T) {
		for _, raw := range []string{
			`{}`, ` {}`, `{} `, `{"v":1}x`, `{"v":1,}`, `{"v":1 }`, `{"V":1}`, `{"nope":1}`, `{"v":1,"v":2}`,
			`{"v":1e2}`, `{"v":1.0}`, `{"v":01}`, `{"v":-0}`, `{"v":-}`, `{"v":9223372036854775807}`, `{"v":9223372036854775808}`,
			`{"v":-9223372036854775808}`, `{"v":-9223372036854775809}`, `{"id":18446744073709551615}`, `{"id":18446744073709551616}`,
			`{"id":-1}`, `{"v":null,"author":null,"tools":null,"at":null,"pending":null}`, `{"tools":[]}`, `{"tools":["a",null,"b"]}`,
			`{"tools":["a",]}`, `{"tools":"a"}`, `{"author":1}`, `{"v":"1"}`, `{"pending":true}`, `{"pending":1}`, `{"pending":tru}`,
			`{"author":"\u00e9\u20ac\ud83d\ude80"}`, `{"author":"\ud800"}`, `{"author":"\uZZZZ"}`, `{"author":"\x"}`, `{"author":"a\/b"}`,
			`{"author":"\u003c@U1\u003e \u0026"}`, "{\"author\":\"\x01\"}", "{\"author\":\"\xff\"}", `{"author":"unterminated}`,
			`{"at":"2026-11-23T09:00:00Z"}`, `{"at":"2026-11-23T09:00:00.123456789+05:30"}`, `{"at":"2026-11-23"}`, `{"at":"\u0032026-11-23T09:00:00Z"}`,
			`{"at":1}`, `{"text":"x","text":"y"}`, `{"author":"a"`, `{"author"`, `{`, ``, `null`, `[]`, `{"author":"a"}{}`,
		} {
			sameAsJSON(t, winCodec, []byte(raw))
			sameAsJSON(t, winHeadCodec, []byte(raw))
		}
		// Keys a head leaves out are checked, as json.Unmarshal checks
		// every value, whatever the field they would go to.
		for _, raw := range []string{`{"text":"a","author":"U1"}`, `{"text":1,"author":"U1"}`, `{"tools":[1],"team":"T"}`,
			`{"tools":["a","b"],"team":"T"}`, `{"tools":["a" "b"],"team":"T"}`, `{"at":"x","kind":"tip"}`, `{"at":null,"kind":"tip"}`,
			`{"minutes":1.5,"awaiting":true}`, `{"minutes":-7,"awaiting":true}`, `{"id":-1,"author":"U1"}`, `{"held":1,"author":"U1"}`,
			`{"held":true,"author":"U1"}`, `{"text":"\u00e9 \"q\" ü","team":"T"}`, `{"text":"\ud800","team":"T"}`, "{\"text\":\"\xff\",\"team\":\"T\"}",
			`{"text":"a"`, `{"text":}`, `{"Team":"T"}`, `{"TEXT":"x","team":"T"}`} {
			sameAsJSON(t, winHeadCodec, []byte(raw))
		}
		for _, raw := range []string{`{"latency":-5000000000}`, `{"latency":1.5}`, `{"q":3,"at":"2026-11-23T09:00:00Z"}`} {
			sameAsJSON(t, answerCodec, []byte(raw))
			sameAsJSON(t, answerHeadCodec, []byte(raw))
		}
	})
}

func FuzzFlatDecode(f *testing.F) {
	for _, w := range []Win{benchWin(1), {Author: "U1", Text: "<x> & \"y\" 🚀", At: t0, Tools: []string{"a", "b"}, ID: 7, Pending: true}} {
		raw, err := json.Marshal(w.record())
		require.NoError(f, err)
		f.Add(raw)
	}
	f.Add([]byte(`{"v":1,"tools":[],"at":null}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		sameAsJSON(t, winCodec, raw)
		sameAsJSON(t, winHeadCodec, raw)
	})
}
