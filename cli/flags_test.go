package cli

import (
	"flag"
	"io"
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
}
