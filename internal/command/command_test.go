package command

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTakesFlagsAnywhere(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		format string
		files  []string
	}{
		{[]string{"a.json", "b.json", "--format", "markdown"}, "markdown", []string{"a.json", "b.json"}},
		{[]string{"--format=csv", "a.json"}, "csv", []string{"a.json"}},
		{[]string{"a.json", "-format", "json", "b.json"}, "json", []string{"a.json", "b.json"}},
		{[]string{"a.json", "--", "--format", "-b.json"}, "text", []string{"a.json", "--format", "-b.json"}},
		{nil, "text", []string{}},
	} {
		fs := NewFlags("kitchen compare", "help\n", io.Discard)
		format := fs.String("format", "text", "")
		require.NoError(t, Parse(fs, tc.args), "Parse(%q)", tc.args)
		assert.Equal(t, tc.format, *format, "--format after Parse(%q)", tc.args)
		assert.Equal(t, tc.files, append([]string{}, fs.Args()...), "arguments after Parse(%q)", tc.args)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"a.json", "--nope"}, "unknown flag --nope; run 'kitchen merge -h' for its flags"},
		{[]string{"-nope=1"}, "unknown flag -nope; run 'kitchen merge -h' for its flags"},
		{[]string{"---count", "1"}, "unknown flag ---count;"},
		{[]string{"--count", "abc"}, `--count "abc": want a whole number`},
		{[]string{"--count", "99999999999999999999"}, `--count "99999999999999999999": want a whole number`},
		{[]string{"-size=-1"}, `--size "-1": want a whole number, 0 or more`},
		{[]string{"--alpha", "x"}, `--alpha "x": want a number`},
		{[]string{"a.json", "--force=maybe"}, `--force "maybe": want true or false`},
		{[]string{"--wait", "5"}, `--wait "5": want a duration such as 50ms or 2s`},
		{[]string{"--level", "loud"}, `--level "loud": want quiet or verbose`},
		{[]string{"--count"}, "--count needs a value: a whole number"},
		{[]string{"a.json", "--out"}, "--out needs a value: FILE"},
		{[]string{"--level"}, "--level needs a value: value"},
	} {
		var out bytes.Buffer
		fs := NewFlags("kitchen merge", "Usage: kitchen merge FILE...\n", &out)
		fs.Int("count", 1, "")
		fs.Uint("size", 1, "")
		fs.Float64("alpha", 0.05, "")
		fs.Bool("force", false, "overwrite")
		fs.Duration("wait", 0, "")
		fs.String("out", "", "merged `FILE`")
		fs.Func("level", "", func(s string) error {
			if s != "quiet" && s != "verbose" {
				return errors.New("want quiet or verbose")
			}
			return nil
		})
		err := Parse(fs, tc.args)
		var ee *ExitError
		require.ErrorAs(t, err, &ee, "Parse(%q)", tc.args)
		assert.Equal(t, 2, ee.Code, "Parse(%q)", tc.args)
		assert.Contains(t, err.Error(), tc.want, "Parse(%q)", tc.args)
		assert.NotContains(t, err.Error(), "\n", "Parse(%q): one line", tc.args)
		assert.Empty(t, out.String(), "Parse(%q) prints nothing: no help after the error", tc.args)
	}
}

func TestParseHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"a.json", "--help"}, {"--force", "-help"}} {
		var out bytes.Buffer
		fs := NewFlags("kitchen merge", "Usage: kitchen merge FILE...\n", &out)
		fs.Bool("force", false, "overwrite")
		assert.ErrorIs(t, Parse(fs, args), flag.ErrHelp, "Parse(%q)", args)
		assert.True(t, strings.HasPrefix(out.String(), "Usage: kitchen merge FILE...\n\nFlags:\n"), "Parse(%q) prints the help", args)
		assert.Contains(t, out.String(), "-force", "Parse(%q): the flags follow the help", args)
	}
	// A flag set that defines -h has it as a flag like any other.
	fs := NewFlags("x", "", io.Discard)
	host := fs.String("h", "", "host")
	require.NoError(t, Parse(fs, []string{"-h", "example.org"}))
	assert.Equal(t, "example.org", *host)
}

func TestStatus(t *testing.T) {
	sigint, stopInt := context.WithCancelCause(context.Background())
	stopInt(&SignalError{syscall.SIGINT})
	sigterm, stopTerm := context.WithCancelCause(context.Background())
	stopTerm(&SignalError{syscall.SIGTERM})
	bg := context.Background()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		err  error
		code int
		out  string
	}{
		{"success", bg, nil, 0, ""},
		{"help", bg, flag.ErrHelp, 0, ""},
		{"failure", bg, errors.New("1 regression"), 1, "kitchen: 1 regression\n"},
		{"usage", bg, Usage("--count %d out of range", -1), 2, "kitchen: --count -1 out of range\n"},
		{"input", bg, Input(errors.New("a.json: not JSON")), 2, "kitchen: a.json: not JSON\n"},
		{"flag", bg, FlagError("--cores", errors.New("want 1 to 4096")), 2, "kitchen: --cores: want 1 to 4096\n"},
		{"wrapped usage", bg, errors.Join(errors.New("while checking"), Usage("bad")), 2, "kitchen: while checking\nbad\n"},
		{"SIGINT", sigint, context.Canceled, 130, "kitchen: interrupted by interrupt\n"},
		{"SIGTERM after an error", sigterm, errors.New("write failed"), 143, "kitchen: write failed\nkitchen: interrupted by terminated\n"},
	} {
		var out bytes.Buffer
		assert.Equal(t, tc.code, Status(tc.ctx, &out, "kitchen", tc.err), "%s: exit status", tc.name)
		assert.Equal(t, tc.out, out.String(), "%s: printed", tc.name)
	}
}

func TestWithSignalsEndsOnFirstSignal(t *testing.T) {
	ctx, stop := WithSignals(context.Background())
	defer stop()
	require.NoError(t, syscall.Kill(syscall.Getpid(), syscall.SIGTERM))
	<-ctx.Done()
	var sig *SignalError
	require.ErrorAs(t, context.Cause(ctx), &sig)
	assert.Equal(t, syscall.SIGTERM, sig.Signal)
}

func TestWithSignalsStopCancels(t *testing.T) {
	ctx, stop := WithSignals(context.Background())
	stop()
	<-ctx.Done()
	assert.ErrorIs(t, context.Cause(ctx), context.Canceled, "stop without a signal")
}

func TestStrings(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	var menus Strings
	fs.Var(&menus, "menu", "")
	require.NoError(t, fs.Parse([]string{"--menu", "a.yaml", "--menu", "b.yaml"}))
	assert.Equal(t, Strings{"a.yaml", "b.yaml"}, menus)
	assert.Equal(t, "a.yaml,b.yaml", menus.String())
}

func TestParsePercent(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"5%", 0.05, true}, {"5", 0.05, true}, {" 12.5% ", 0.125, true}, {"0%", 0, true}, {"1000%", 10, true},
		{"1001%", 0, false}, {"-1%", 0, false}, {"NaN%", 0, false}, {"lots", 0, false}, {"", 0, false},
	} {
		got, err := ParsePercent("--min-change", tc.in)
		if !tc.ok {
			var ee *ExitError
			require.ErrorAs(t, err, &ee, "ParsePercent(%q)", tc.in)
			assert.Equal(t, 2, ee.Code)
			assert.Contains(t, err.Error(), `--min-change "`+tc.in+`": want a percentage`, "the error names the flag and the value")
			continue
		}
		require.NoError(t, err, "ParsePercent(%q)", tc.in)
		assert.InDelta(t, tc.want, got, 1e-12, "ParsePercent(%q)", tc.in)
	}
}
