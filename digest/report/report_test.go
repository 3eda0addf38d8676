package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"flywheel/digest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func render(t *testing.T, in Input) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, Write(&b, in))
	return b.String()
}

func TestReportIsSelfContained(t *testing.T) {
	html := render(t, fixture())
	assert.NotContains(t, strings.ToLower(html), "<script", "no scripts")
	assert.NotContains(t, html, "@import")
	assert.NotContains(t, html, "@font-face")
	assert.NotRegexp(t, regexp.MustCompile(`(src|href)=["']?(https?:)?//`), html, "nothing fetched")
	assert.NotContains(t, html, "url(http", "no remote CSS resources")
	assert.Contains(t, html, `name="viewport"`, "phone-readable")
	assert.Contains(t, html, "@media print")
	assert.Equal(t, html, render(t, fixture()), "pure: same input, same bytes")
}

func TestReportHidesWithheldText(t *testing.T) {
	in := fixture()
	in.Latest.TopWins[1].Excerpt = "secret plan for the merger"
	html := render(t, in)
	assert.NotContains(t, html, "secret plan", "a held or private win's text never appears")
	assert.Contains(t, html, "(text not shown)")
	assert.Contains(t, html, "Drafted the board pack in 40 minutes")
}

func TestReportEscapes(t *testing.T) {
	in := fixture()
	in.Trend.Team = `<b>R&D</b>`
	in.Trend.Weeks[0].Chains = []digest.Chain{{From: "<x>", To: "Ops", Count: 1}}
	in.Latest.TopWins[0].Excerpt = "R&D notes -> summary <3" // records hold plain text, as typed
	html := render(t, in)
	assert.Contains(t, html, "R&amp;D notes -&gt; summary &lt;3", "escaped once for HTML: shows as typed")
	assert.NotContains(t, html, "&amp;amp;")
	assert.NotContains(t, html, "<b>R&D</b>")
	assert.NotContains(t, html, "<x>")
	assert.Contains(t, html, "&lt;b&gt;R&amp;D&lt;/b&gt;")
}
