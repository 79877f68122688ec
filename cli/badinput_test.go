package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/internal/command"
)

// kitchenCall runs the command in-process as main does, returning its exit
// status and everything it printed. A command line that is unexpectedly
// accepted cannot run for long: ctx ends it.
func kitchenCall(t *testing.T, args ...string) (code int, out string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	err := run(ctx, &stdout, &stderr, args)
	code = command.Status(ctx, &stderr, "kitchen", err)
	return code, stdout.String() + stderr.String()
}

// assertNoTrace fails if out holds a panic or a goroutine dump.
func assertNoTrace(t *testing.T, out string) {
	t.Helper()
	for _, s := range []string{"panic:", "goroutine "} {
		assert.NotContains(t, out, s, "output shows a stack trace")
	}
}

type badFlags struct {
	line int
	args []string
	want string
}

func readBadFlags(t *testing.T, path string) []badFlags {
	t.Helper()
	var cases []badFlags
	for i, line := range fileLines(t, path) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		args, want, ok := strings.Cut(line, " => ")
		require.True(t, ok, "%s:%d: want ARGS => TEXT, got %q", path, i+1, line)
		cases = append(cases, badFlags{i + 1, strings.Fields(args), strings.TrimSpace(want)})
	}
	return cases
}

// corpus returns the absolute paths of the files that pattern (from this
// folder) matches, failing t where there are none.
func corpus(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(pattern)
	require.NoError(t, err)
	require.NotEmpty(t, files, "corpus %s", pattern)
	for i, f := range files {
		files[i], err = filepath.Abs(f)
		require.NoError(t, err)
	}
	return files
}

func TestBadFlagsExitTwo(t *testing.T) {
	path, err := filepath.Abs(filepath.Join("testdata", "bad-flags.txt"))
	require.NoError(t, err)
	cases := readBadFlags(t, path)
	require.NotEmpty(t, cases)
	// Relative file names (missing.json) must not be found, and a command
	// line that is wrongly accepted must not leave results here.
	t.Chdir(t.TempDir())
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out := kitchenCall(t, tc.args...)
			assert.Equal(t, 2, code, "bad-flags.txt:%d: kitchen %s exit status; output:\n%s", tc.line, strings.Join(tc.args, " "), out)
			assert.Contains(t, out, "kitchen: ", "bad-flags.txt:%d: error line", tc.line)
			assert.Contains(t, out, tc.want, "bad-flags.txt:%d: kitchen %s output", tc.line, strings.Join(tc.args, " "))
			assertNoTrace(t, out)
		})
	}
}

func TestBadResultFilesExitTwo(t *testing.T) {
	for _, f := range corpus(t, filepath.Join("..", "results", "testdata", "bad", "*")) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			code, out := kitchenCall(t, "compare", f, f)
			assert.Equal(t, 2, code, "kitchen compare %s %s exit status; output:\n%s", f, f, out)
			assert.Contains(t, out, f, "kitchen compare %s: error names the file", f)
			assertNoTrace(t, out)
		})
	}
}

// TestBadMenuFilesExitTwo feeds the bad-menu corpus (whose messages
// kitchen's own tests check) to `kitchen menus --check FILE` and `kitchen
// run --menu FILE`.
func TestBadMenuFilesExitTwo(t *testing.T) {
	files := corpus(t, filepath.Join("..", "kitchen", "testdata", "bad-menus", "*.yaml"))
	t.Chdir(t.TempDir()) // a run wrongly started leaves no results here
	for _, tc := range []struct {
		argv []string // the file goes last
	}{
		{[]string{"menus", "--check"}},
		{[]string{"run", "--out", "-", "--menu"}},
	} {
		t.Run(strings.Join(tc.argv, " "), func(t *testing.T) {
			for _, f := range files {
				t.Run(filepath.Base(f), func(t *testing.T) {
					args := append(slices.Clone(tc.argv), f)
					code, out := kitchenCall(t, args...)
					assert.Equal(t, 2, code, "kitchen %s exit status; output:\n%s", strings.Join(args, " "), out)
					assert.Contains(t, out, f+":", "kitchen %s: error names the file", strings.Join(args, " "))
					assertNoTrace(t, out)
				})
			}
		})
	}
}
