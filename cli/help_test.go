package cli

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every subcommand's -h prints its whole help text (help/NAME.txt), with
// an example, then its flags.
func TestEveryCommandsHelpPrintsItsText(t *testing.T) {
	names := []string{"check --against"}
	for _, c := range program.Commands {
		names = append(names, c.Name)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			text := helpText(name)
			assert.Contains(t, text, "Usage: kitchen "+strings.Fields(name)[0])
			assert.Contains(t, text, "Example:")
			args := append(strings.Fields(name), "-h")
			if name == "check --against" {
				args = []string{"check", "--against", "HEAD", "-h"}
			}
			code, _, errOut := runKitchen(t, args...)
			assert.Equal(t, 0, code, "%s -h", name)
			assert.True(t, strings.HasPrefix(errOut, text), "%s -h = %q; want it to start with its help text", name, errOut)
			assert.Contains(t, errOut, "\nFlags:\n")
		})
	}
}

// `kitchen help NAME` prints what `kitchen NAME -h` does, to stdout.
func TestHelpNamePrintsTheCommandsHelp(t *testing.T) {
	for _, c := range program.Commands {
		t.Run(c.Name, func(t *testing.T) {
			code, out, errOut := runKitchen(t, "help", c.Name)
			require.Equal(t, 0, code, "help %s; stderr:\n%s", c.Name, errOut)
			assert.Empty(t, errOut, "help %s prints to stdout", c.Name)
			_, _, want := runKitchen(t, c.Name, "-h")
			assert.Equal(t, want, out, "help %s = %s -h", c.Name, c.Name)
			assert.True(t, strings.HasPrefix(out, helpText(c.Name)), "help %s starts with its help text", c.Name)
		})
	}
	for _, args := range [][]string{{"help"}, {"help", "help"}, {"-h"}, {"--help"}} {
		code, out, _ := runKitchen(t, args...)
		assert.Equal(t, 0, code, "%q", args)
		assert.Equal(t, program.Usage(), out, "%q prints the usage", args)
	}
	code, out, errOut := runKitchen(t, "help", "bake")
	assert.Equal(t, 2, code, "help of an unknown command")
	assert.Empty(t, out)
	assert.Contains(t, errOut, `kitchen: unknown command "bake"`)
}

// Bare `kitchen` prints the usage and fails, as go and git do; it does
// not start a run (which would write ./runs/ wherever it was typed).
func TestNoArgumentsPrintsUsage(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	code, out, errOut := runKitchen(t)
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Equal(t, program.Usage()+"kitchen: no command given\n", errOut)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "nothing written")
}

// A bad value of a plain Go flag, or an unknown flag, is one error line
// that says what the flag wants, with no help after it; -h still prints
// the whole help.
func TestBadFlagIsOneLine(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--count", "abc"}, `kitchen: --count "abc": want a whole number`},
		{[]string{"run", "--duration", "5"}, `kitchen: --duration "5": want a duration such as 50ms or 2s`},
		{[]string{"run", "--timeout", "x"}, `kitchen: --timeout "x": want a duration such as 50ms or 2s`},
		{[]string{"run", "--force=maybe"}, `kitchen: --force "maybe": want true or false`},
		{[]string{"advise", "--cpu", "abc"}, `kitchen: --cpu "abc": want a duration such as 50ms or 2s`},
		{[]string{"knee", "--cores", "x"}, `kitchen: --cores "x": want a whole number`},
		{[]string{"history", "--alpha", "x"}, `kitchen: --alpha "x": want a number`},
		{[]string{"grill-server", "--max-hold", "x"}, `kitchen: --max-hold "x": want a duration such as 50ms or 2s`},
		{[]string{"menus", "--cores", "x"}, `kitchen: --cores "x": want a whole number`},
		{[]string{"compare", "a.json", "b.json", "--nosuch"}, `kitchen: unknown flag --nosuch; run 'kitchen compare -h' for its flags`},
		{[]string{"merge", "a.json", "-out"}, `kitchen: --out needs a value: FILE.json`},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := runKitchen(t, tc.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Equal(t, tc.want+"\n", errOut)
		})
	}
	code, _, errOut := runKitchen(t, "run", "--count", "3", "--help")
	assert.Equal(t, 0, code, "--help after a flag")
	assert.True(t, strings.HasPrefix(errOut, helpText("run")), "run --help prints run's help")
	assert.Contains(t, errOut, "\nFlags:\n")
}
