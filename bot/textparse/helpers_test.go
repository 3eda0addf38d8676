package textparse

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// testRegistry is the tool registry the labelled phrase sets are written
// against.
var testRegistry = []Tool{
	{Name: "ChatGPT", Aliases: []string{"chatgpt", "gpt", "gpt-4", "gpt-4o", "openai"}},
	{Name: "Copilot", Aliases: []string{"github copilot", "gh copilot", "copilot"}},
	{Name: "Claude", Aliases: []string{"claude", "anthropic"}},
	{Name: "DeepSeek", Aliases: []string{"deepseek"}},
	{Name: "Midjourney", Aliases: []string{"midjourney", "mj"}},
	{Name: "Gemini", Aliases: []string{"gemini", "bard"}},
	{Name: "Notion AI", Aliases: []string{"notion ai"}},
}

// row is one labelled line of a TSV file under testdata/textparse.
type row struct {
	line   int
	fields []string
}

// readTSV reads testdata/textparse/name, skipping blank lines and lines
// starting with "#". Every row must have exactly n tab-separated fields; a
// literal \n in a field is a line break of a multi-line message.
func readTSV(tb testing.TB, name string, n int) []row {
	tb.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "textparse", name))
	require.NoError(tb, err)
	defer f.Close()
	var rows []row
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(strings.ReplaceAll(text, `\n`, "\n"), "\t")
		require.Len(tb, fields, n, "%s:%d: want %d tab-separated fields", name, line, n)
		rows = append(rows, row{line: line, fields: fields})
	}
	require.NoError(tb, sc.Err())
	return rows
}
