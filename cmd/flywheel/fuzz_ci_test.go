package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var fuzzFuncRE = regexp.MustCompile(`(?m)^func (Fuzz\w+)\(f \*testing\.F\)`)

// TestFuzzBounded runs every fuzz target in the module for a bounded time.
// Their seed corpora run as plain tests everywhere; the fuzzing itself runs
// in CI (CI=true), or locally with FLYWHEEL_FUZZ=1, because it takes minutes.
func TestFuzzBounded(t *testing.T) {
	if os.Getenv("CI") != "true" && os.Getenv("FLYWHEEL_FUZZ") == "" {
		t.Skip("bounded fuzzing runs in CI (CI=true) or with FLYWHEEL_FUZZ=1; the seed corpora already ran as tests")
	}
	fuzztime := os.Getenv("FLYWHEEL_FUZZTIME")
	if fuzztime == "" {
		fuzztime = "10s"
	}
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	targets := map[string][]string{} // package dir -> targets
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range fuzzFuncRE.FindAllStringSubmatch(string(src), -1) {
			dir := "./" + filepath.ToSlash(must(filepath.Rel(root, filepath.Dir(path))))
			targets[dir] = append(targets[dir], m[1])
		}
		return nil
	})
	require.NoError(t, err)
	require.NotEmpty(t, targets, "the module has fuzz targets")
	for dir, fns := range targets {
		for _, fn := range fns {
			t.Run(strings.TrimPrefix(dir, "./")+"/"+fn, func(t *testing.T) {
				var out []byte
				var err error
				for attempt := 1; attempt <= 2; attempt++ {
					cmd := exec.Command("go", "test", "-run=^$", "-fuzz=^"+fn+"$", "-fuzztime="+fuzztime, dir)
					cmd.Dir = root
					out, err = cmd.CombinedOutput()
					// Go's fuzzing engine sometimes ends a run with "context
					// deadline exceeded" when -fuzztime expires mid-input,
					// without any failing input. A real failure always
					// writes its input to testdata/fuzz; only the engine's
					// hiccup is retried.
					if err == nil || strings.Contains(string(out), "Failing input written to") ||
						!strings.Contains(string(out), "context deadline exceeded") {
						break
					}
					t.Logf("%s: fuzzing engine timed out without a failing input (attempt %d); retrying", fn, attempt)
				}
				require.NoError(t, err, "fuzzing %s found a failure:\n%s", fn, out)
				t.Logf("%s %s: %s", dir, fn, lastLine(string(out)))
			})
		}
	}
}

func must(s string, err error) string {
	if err != nil {
		panic(err)
	}
	return s
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
