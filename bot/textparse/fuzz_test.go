package textparse

import (
	"slices"
	"strings"
	"testing"
)

// hostile are inputs that have broken text parsers before: markup cut
// short, huge numbers, invalid UTF-8, long runs of one character.
var hostile = []string{
	"", "<", "<@", "<https://x|", "```", "`", ":", "::", "?", "→", "1h30h30h30", "saved 99999999999999999999 hours",
	"saved 1,000,000,000 days", "a a a a a half half an hour and a half and a half", "\xff\xfe saved 2h \xc3",
	"from from from to to to 4h to to 20m", strings.Repeat("saved 2h ", 50), strings.Repeat("?", 100),
}

// FuzzMinutesSaved checks that MinutesSaved never panics and stays within
// [0, MaxMinutes].
func FuzzMinutesSaved(f *testing.F) {
	for _, r := range readTSV(f, "minutes.tsv", 2) {
		f.Add(r.fields[1])
	}
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if got := MinutesSaved(text); got < 0 || got > MaxMinutes {
			t.Fatalf("MinutesSaved(%q) = %d, out of [0, %d]", text, got, MaxMinutes)
		}
	})
}

// registryNames are the canonical names of testRegistry.
func registryNames() []string {
	names := make([]string, 0, len(testRegistry))
	for _, tool := range testRegistry {
		names = append(names, tool.Name)
	}
	return names
}

// checkTools fails unless tools holds only registry names, each once.
func checkTools(t *testing.T, text string, tools []string) {
	t.Helper()
	names := registryNames()
	for i, name := range tools {
		if !slices.Contains(names, name) {
			t.Fatalf("tools of %q: %q is not a registry name", text, name)
		}
		if slices.Contains(tools[:i], name) {
			t.Fatalf("tools of %q: %q twice in %q", text, name, tools)
		}
	}
}

// FuzzFind checks that Find returns only registry names, without duplicates.
func FuzzFind(f *testing.F) {
	for _, r := range readTSV(f, "questions.tsv", 5) {
		f.Add(r.fields[4])
	}
	for _, s := range hostile {
		f.Add(s)
	}
	m := NewToolMatcher(testRegistry)
	f.Fuzz(func(t *testing.T, text string) {
		checkTools(t, text, m.Find(text))
	})
}

// FuzzRead checks that Read never panics and that its judgements agree:
// only questions have a stage or ask permission, and permission questions
// are at the access stage.
func FuzzRead(f *testing.F) {
	for _, r := range readTSV(f, "questions.tsv", 5) {
		f.Add(r.fields[4])
	}
	for _, r := range readTSV(f, "minutes.tsv", 2) {
		f.Add(r.fields[1])
	}
	for _, s := range hostile {
		f.Add(s)
	}
	m := NewToolMatcher(testRegistry)
	stages := []Stage{StageNone, StageWhat, StageAccess, StageHow, StageBuild}
	f.Fuzz(func(t *testing.T, text string) {
		r := Read(text, m)
		switch {
		case r.Text != text:
			t.Fatalf("Read(%q).Text = %q", text, r.Text)
		case !slices.Contains(stages, r.Stage):
			t.Fatalf("Read(%q).Stage = %q, not a stage", text, r.Stage)
		case !r.IsQuestion && (r.Stage != StageNone || r.IsPermission):
			t.Fatalf("Read(%q) = %+v: a stage or permission without a question", text, r)
		case r.IsPermission && r.Stage != StageAccess:
			t.Fatalf("Read(%q) = %+v: permission outside the access stage", text, r)
		case r.MinutesSaved < 0 || r.MinutesSaved > MaxMinutes:
			t.Fatalf("Read(%q).MinutesSaved = %d", text, r.MinutesSaved)
		}
		checkTools(t, text, r.Tools)
	})
}
