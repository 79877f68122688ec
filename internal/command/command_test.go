package command

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
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
	var out bytes.Buffer
	fs := NewFlags("kitchen merge", "Usage: kitchen merge FILE...\n", &out)
	fs.Bool("force", false, "overwrite")
	err := Parse(fs, []string{"a.json", "--nope"})
	var ee *ExitError
	require.ErrorAs(t, err, &ee, "an unknown flag")
	assert.Equal(t, 2, ee.Code)
	assert.Contains(t, err.Error(), "flag provided but not defined: -nope")

	out.Reset()
	assert.ErrorIs(t, Parse(fs, []string{"a.json", "-h"}), flag.ErrHelp, "-h")
	assert.Contains(t, out.String(), "Usage: kitchen merge FILE...\n\nFlags:\n")
	assert.Contains(t, out.String(), "-force", "the flags follow the help")
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
