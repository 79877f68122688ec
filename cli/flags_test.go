package cli

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/internal/command"
)

func TestParseTakesFlagsAnywhereOnTheLine(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		format string
		force  bool
		files  []string
	}{
		{"flags first", []string{"--format", "markdown", "a.json", "b.json"}, "markdown", false, []string{"a.json", "b.json"}},
		{"flags last", []string{"a.json", "b.json", "--format", "markdown"}, "markdown", false, []string{"a.json", "b.json"}},
		{"flags between", []string{"a.json", "--force", "b.json", "--format=csv"}, "csv", true, []string{"a.json", "b.json"}},
		{"-- ends the flags", []string{"a.json", "--", "--format", "-b.json"}, "text", false, []string{"a.json", "--format", "-b.json"}},
		{"no arguments", []string{"--force"}, "text", true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			format := fs.String("format", "text", "")
			force := fs.Bool("force", false, "")
			require.NoError(t, command.Parse(fs, tc.args))
			assert.Equal(t, tc.format, *format, "--format")
			assert.Equal(t, tc.force, *force, "--force")
			if tc.files == nil {
				assert.Empty(t, fs.Args())
			} else {
				assert.Equal(t, tc.files, fs.Args())
			}
		})
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	err := command.Parse(fs, []string{"a.json", "--nope"})
	require.Error(t, err, "an unknown flag after an argument is still an error")
	var ee *command.ExitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, 2, ee.Code)
}

func TestCompareTakesFlagsAfterTheFiles(t *testing.T) {
	dir := t.TempDir()
	a := synth(t, dir, "a.json", "", 1)
	b := synth(t, dir, "b.json", "pool/2", 0.8)
	code, out, errOut := runKitchen(t, "compare", a, b, "--format", "markdown")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "| ", "a markdown table")
	assert.NotContains(t, errOut, "no such file")

	page := filepath.Join(dir, "r.html")
	code, _, errOut = runKitchen(t, "report", a, "--out", page)
	require.Equal(t, 0, code, errOut)
	assert.FileExists(t, page, "report FILE --out PAGE writes the page")
}

// TestOutInTheWayStopsBeforeMeasuring: every command that writes --out and
// takes --force refuses a file already there before it does any work
// (run and knee would otherwise measure, then lose the measurements), with
// exit 2 and the flag to give; with --force it goes ahead.
func TestOutInTheWayStopsBeforeMeasuring(t *testing.T) {
	ref, err := filepath.Abs(filepath.Join("..", "reference", "2cpu.json"))
	require.NoError(t, err)
	t.Chdir(t.TempDir())
	for _, tc := range []struct {
		out  string
		args []string
	}{
		{"r.json", []string{"run", "--menus", "banquet", "--strategies", "sync", "--cores", "1", "--count", "1", "--duration", "5ms"}},
		{"k.json", []string{"knee", "--menus", "banquet", "--strategies", "sync", "--cores", "1"}},
		{"m.json", []string{"merge", ref, ref}},
		{"p.html", []string{"report", ref}},
	} {
		t.Run(tc.args[0], func(t *testing.T) {
			require.NoError(t, os.WriteFile(tc.out, []byte("keep me"), 0o644))
			code, stdout, stderr := runKitchen(t, append(tc.args, "--out", tc.out)...)
			assert.Equal(t, 2, code, "exit status; stderr:\n%s", stderr)
			assert.Contains(t, stderr, tc.out+" already exists: not overwriting it without --force")
			assert.Empty(t, stdout, "nothing measured or printed")
			data, err := os.ReadFile(tc.out)
			require.NoError(t, err)
			assert.Equal(t, "keep me", string(data), "the file is kept")
		})
	}
	t.Run("twin", func(t *testing.T) {
		require.NoError(t, os.WriteFile("t.txt", []byte("keep me"), 0o644))
		code, _, stderr := runKitchen(t, "run", "--menus", "banquet", "--strategies", "sync", "--cores", "1", "--count", "1", "--duration", "5ms", "--out", "t.json")
		assert.Equal(t, 2, code, "exit status; stderr:\n%s", stderr)
		assert.Contains(t, stderr, "t.txt already exists", "the .txt twin is checked too")
	})
	t.Run("force", func(t *testing.T) {
		code, _, stderr := runKitchen(t, "merge", ref, ref, "--out", "m.json", "--force")
		assert.Equal(t, 0, code, "exit status; stderr:\n%s", stderr)
	})
}
