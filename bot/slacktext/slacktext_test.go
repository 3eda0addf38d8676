package slacktext

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDecode(t *testing.T) {
	cases := []struct{ name, wire, want string }{
		{"Plain", "saved 2h with ChatGPT", "saved 2h with ChatGPT"},
		{"Entities", "R&amp;D notes -&gt; summary &lt;3", "R&D notes -> summary <3"},
		{"EntityTypedLiterally", "I typed &amp;lt; here", "I typed &lt; here"},
		{"UserWithName", "thanks <@U024BE7LH|bob>!", "thanks @bob!"},
		{"UserWithoutName", "thanks <@U024BE7LH>!", "thanks @U024BE7LH!"},
		{"Channel", "see <#C123ABC|sales> or <#C999|>", "see #sales or #C999"},
		{"Broadcasts", "<!here> <!channel> <!everyone> <!here|@here>", "@here @channel @everyone @here"},
		{"UserGroup", "ping <!subteam^S0614TZR7|@devs> and <!subteam^S0614TZR7>", "ping @devs and @S0614TZR7"},
		{"Date", "<!date^1392734382^{date_short}|Feb 18, 2014>", "Feb 18, 2014"},
		{"LabelledLink", "read <https://wiki.example.com/ai?a=1&amp;b=2|the AI page>", "read the AI page (https://wiki.example.com/ai?a=1&b=2)"},
		{"BareLink", "<https://example.com/x>", "https://example.com/x"},
		{"SelfLabelledLink", "<http://www.example.com|www.example.com>", "http://www.example.com"},
		{"Mailto", "mail <mailto:ana@example.com|ana@example.com>", "mail ana@example.com"},
		{"LinkLabelWithEntities", "<https://x.io|Q&amp;A &lt;draft&gt;>", "Q&A <draft> (https://x.io)"},
		{"Unterminated", "a &lt; b <oops", "a < b <oops"},
		{"Empty", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, Decode(c.wire))
		})
	}
}

// TestDecodedTextIsInert: whatever Slack sends, decoding and encoding it
// again leaves no markup that could ping or link.
func TestDecodedTextIsInert(t *testing.T) {
	for _, wire := range []string{"<!channel> hi", "<@U1> <#C1> <!subteam^S1>", "<https://evil.example|click>", "&lt;!here&gt;"} {
		out := Escape(Decode(wire))
		assert.NotContains(t, out, "<", wire)
		assert.NotContains(t, out, ">", wire)
	}
}

func TestEscapeDecodeRoundTrip(t *testing.T) {
	for _, s := range []string{"R&D -> Q&A <3", "&amp; already", "<@U1>", "plain"} {
		assert.Equal(t, s, Decode(Escape(s)))
	}
}

func TestCut(t *testing.T) {
	cases := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{"Fits", "hello", 5, "hello"},
		{"Cuts", "hello world", 6, "hello…"},
		{"NeverSplitsAnEntity", "R&amp;D", 4, "R…"},
		{"KeepsWholeEntity", "R&amp;D", 7, "R&amp;D"},
		{"NeverSplitsAToken", "see <https://x.io/long|the doc> now", 12, "see …"},
		{"KeepsWholeToken", "<@U1> wins big", 8, "<@U1> w…"},
		{"EmojiCountsTwo", "😀😀😀", 5, "😀😀…"},
		{"Zero", "abc", 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Cut(c.in, c.n)
			assert.Equal(t, c.want, got)
			assert.LessOrEqual(t, Len(got), c.n)
		})
	}
}

func TestFitCountsTheEscapedText(t *testing.T) {
	// A pasted prompt template: 2,400 characters that escape to 9,600.
	plain := strings.Repeat("<&>", 800)
	got := Fit(plain, 3000)
	assert.LessOrEqual(t, Len(got), 3000)
	assert.True(t, strings.HasSuffix(got, Ellipsis))
	assert.Equal(t, strings.TrimSuffix(got, Ellipsis), Escape(Decode(strings.TrimSuffix(got, Ellipsis))), "only whole entities")
}

func TestQuote(t *testing.T) {
	assert.Equal(t, ">a &amp; b\n>&lt;c&gt;", Quote("a & b\n<c>"))
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{"<@U1|a>", "&amp;lt;", "<", "<|>", "<!subteam^>", "<https://x|>", "&", "\xff<\xfe>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, wire string) {
		plain := Decode(wire)
		if out := Escape(plain); strings.ContainsAny(out, "<>") {
			t.Fatalf("Escape(Decode(%q)) = %q keeps markup", wire, out)
		}
		if Decode(Escape(plain)) != plain {
			t.Fatalf("round trip of %q changed it", plain)
		}
	})
}

func FuzzCut(f *testing.F) {
	f.Add("R&D <3 -> Q&A", 5)
	f.Add("😀<@U1>&amp;", 3)
	f.Fuzz(func(t *testing.T, plain string, n int) {
		n = n % 5000
		if n < 0 {
			n = -n
		}
		got := Fit(plain, n)
		if Len(got) > n {
			t.Fatalf("Fit(%q, %d) = %q is %d long", plain, n, got, Len(got))
		}
		body := strings.TrimSuffix(got, Ellipsis)
		if strings.ContainsAny(body, "<>") || Escape(Decode(body)) != body {
			t.Fatalf("Fit(%q, %d) = %q split an entity", plain, n, got)
		}
	})
}
