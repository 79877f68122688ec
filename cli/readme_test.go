package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestREADMECommands runs every kitchen command the README shows in its
// ```sh blocks, as benchstat's doc test checks its examples: each with -h
// appended, which checks the subcommand and every flag name on the line
// (flags may come anywhere), and the cheap ones (menus, compare, report,
// history) for real on the committed reference result or a temporary
// directory. The lines come from the README itself, so an edit to it is
// tested without editing this test.
func TestREADMECommands(t *testing.T) {
	lines := readmeCommands(t, filepath.Join("..", "README.md"))
	require.NotEmpty(t, lines, "the README shows no kitchen command in a ```sh block")
	for _, line := range lines {
		args := commandArgs(line)
		t.Run(line, func(t *testing.T) {
			if strings.Contains(line, "://") {
				t.Skipf("%q: needs the network", line)
			}
			var out, errOut bytes.Buffer
			code := Main(context.Background(), append(slices.Clone(args), "-h"), &out, &errOut)
			if !assert.Equal(t, 0, code, "kitchen %s -h: %s", strings.Join(args, " "), lastLine(errOut.String())) {
				return
			}
			if len(args) == 0 || !slices.Contains([]string{"menus", "compare", "report", "history"}, args[0]) {
				return
			}
			real := realArgs(t, args)
			out.Reset()
			errOut.Reset()
			code = Main(context.Background(), real, &out, &errOut)
			assert.Equal(t, 0, code, "kitchen %s: %s", strings.Join(real, " "), errOut.String())
			assert.NotEmpty(t, out.String()+errOut.String(), "kitchen %s says something", strings.Join(real, " "))
		})
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

var kitchenLine = regexp.MustCompile(`^(?:[A-Z_]+=\S+\s+)*(?:go run \./cmd/kitchen|kitchen)(?:\s|$)`)

// readmeCommands returns each line of the README's ```sh blocks that runs
// kitchen (`go run ./cmd/kitchen …` or `kitchen …`), with a leading "$ "
// dropped and backslash continuations joined.
func readmeCommands(t *testing.T, path string) []string {
	t.Helper()
	var lines []string
	inSh, cont := false, ""
	for _, text := range fileLines(t, path) {
		text = strings.TrimSpace(text)
		switch {
		case strings.HasPrefix(text, "```"):
			inSh = !inSh && (text == "```sh" || text == "```shell" || text == "```bash")
			continue
		case !inSh:
			continue
		}
		text = cont + strings.TrimPrefix(text, "$ ")
		if strings.HasSuffix(text, `\`) {
			cont = strings.TrimSuffix(text, `\`) + " "
			continue
		}
		cont = ""
		if kitchenLine.MatchString(text) {
			lines = append(lines, text)
		}
	}
	return lines
}

// fileLines returns the lines of the file at path.
func fileLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return strings.Split(string(data), "\n")
}

// commandArgs is line's arguments to kitchen: split as a shell would
// (quotes, a comment), stopping at a pipe, a redirection or a following
// command.
func commandArgs(line string) []string {
	var words []string
	var w strings.Builder
	inWord, quote := false, rune(0)
	flush := func() {
		if inWord {
			words = append(words, w.String())
		}
		w.Reset()
		inWord = false
	}
scan:
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			w.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == '#' && !inWord:
			break scan
		case r == ' ' || r == '\t':
			flush()
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	flush()
	// Leading VAR=value assignments, then the command itself.
	for len(words) > 0 && strings.Contains(words[0], "=") && !strings.HasPrefix(words[0], "-") {
		words = words[1:]
	}
	if len(words) >= 3 && words[0] == "go" && words[1] == "run" {
		words = words[3:]
	} else if len(words) > 0 {
		words = words[1:]
	}
	for i, w := range words {
		if w == "|" || w == "&&" || w == "||" || w == ";" || strings.HasPrefix(w, ">") || strings.HasPrefix(w, "2>") || strings.HasPrefix(w, "<") {
			return words[:i]
		}
	}
	return words
}

// realArgs turns a README command into one that runs here on tiny
// inputs: file arguments become the committed reference result (for
// history, a directory holding a copy of it), and --out and --images
// point into a temporary directory. Menu names stay as they are.
func realArgs(t *testing.T, args []string) []string {
	t.Helper()
	tmp := t.TempDir()
	ref, err := filepath.Abs(filepath.Join("..", "reference", "2cpu.json"))
	require.NoError(t, err)
	cmd := args[0]
	bools := boolFlags(t, cmd)
	positional := func(a string) string {
		switch cmd {
		case "compare", "report":
			return ref
		case "history":
			dir := filepath.Join(tmp, "history")
			if _, err := os.Stat(dir); err != nil {
				require.NoError(t, os.MkdirAll(dir, 0o755))
				b, err := os.ReadFile(ref)
				require.NoError(t, err)
				require.NoError(t, os.WriteFile(filepath.Join(dir, "2cpu.json"), b, 0o644))
			}
			return dir
		}
		return a
	}
	value := func(name, v string) string {
		switch name {
		case "out":
			return filepath.Join(tmp, "out"+filepath.Ext(v))
		case "images":
			return filepath.Join(tmp, "images")
		}
		return v
	}
	out := []string{cmd}
	hasOut := false
	for i := 1; i < len(args); i++ {
		a := args[i]
		if a == "--" || !strings.HasPrefix(a, "-") || a == "-" {
			out = append(out, positional(a))
			continue
		}
		name, v, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		hasOut = hasOut || name == "out"
		switch {
		case hasValue:
			out = append(out, "--"+name+"="+value(name, v))
		case bools[name] || i+1 == len(args):
			out = append(out, a)
		default:
			i++
			out = append(out, a, value(name, args[i]))
		}
	}
	if cmd == "compare" && len(out) < 3 {
		out = append(out, ref, ref)
	}
	if cmd == "report" && !hasOut {
		out = append(out, "--out", filepath.Join(tmp, "report.html"))
	}
	if (cmd == "report" || cmd == "history") && len(out) == 1 {
		out = append(out, positional(""))
	}
	return out
}

// boolFlags returns cmd's boolean flags, read from its -h text: a flag
// line that names no value.
func boolFlags(t *testing.T, cmd string) map[string]bool {
	t.Helper()
	var out, errOut bytes.Buffer
	Main(context.Background(), []string{cmd, "-h"}, &out, &errOut)
	flagLine := regexp.MustCompile(`^  -(\S+)$`)
	bools := map[string]bool{}
	for _, l := range strings.Split(errOut.String(), "\n") {
		if m := flagLine.FindStringSubmatch(l); m != nil {
			bools[m[1]] = true
		}
	}
	return bools
}

func TestCommandArgs(t *testing.T) {
	tests := []struct {
		line string
		want []string
	}{
		{"go run ./cmd/kitchen run     # measure", []string{"run"}},
		{"kitchen compare a.json b.json --format markdown", []string{"compare", "a.json", "b.json", "--format", "markdown"}},
		{`kitchen check --against HEAD~1 --format markdown >> "$GITHUB_STEP_SUMMARY"`, []string{"check", "--against", "HEAD~1", "--format", "markdown"}},
		{"GOMAXPROCS=2 kitchen run --label 'my laptop' | tee log", []string{"run", "--label", "my laptop"}},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			assert.Equal(t, tc.want, commandArgs(tc.line), "commandArgs(%q)", tc.line)
		})
	}
}
