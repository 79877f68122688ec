package command

import (
	"bytes"
	"context"
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testProgram has one subcommand, greet, whose -h prints "greet's help"
// and which otherwise prints its arguments.
func testProgram() *Program {
	greet := func(_ context.Context, stdout, stderr io.Writer, args []string) error {
		fs := NewFlags("prog greet", "greet's help\n", stderr)
		if err := Parse(fs, args); err != nil {
			return err
		}
		_, err := io.WriteString(stdout, strings.Join(fs.Args(), " "))
		return err
	}
	return &Program{Name: "prog", Intro: "prog greets.", Commands: []Command{{Name: "greet", Summary: "say hello", Run: greet}}}
}

func TestProgramUsage(t *testing.T) {
	assert.Equal(t, "prog greets.\n\nUsage:\n\n\tprog <command> [flags] [arguments]\n\nCommands:\n\n"+
		"\tgreet     say hello\n\thelp      show this help; help <command> shows the command's\n\n"+
		"Run 'prog <command> -h' for a command's flags and an example.\n", testProgram().Usage())
}

func TestProgramRun(t *testing.T) {
	p := testProgram()
	for _, tc := range []struct {
		name           string
		args           []string
		err            string // "" for none; "help" for flag.ErrHelp
		stdout, stderr string
	}{
		{"a command", []string{"greet", "a", "b"}, "", "a b", ""},
		{"its -h", []string{"greet", "-h"}, "help", "", "greet's help\n\nFlags:\n"},
		{"help NAME to stdout", []string{"help", "greet"}, "help", "greet's help\n\nFlags:\n", ""},
		{"-h NAME", []string{"-h", "greet"}, "help", "greet's help\n\nFlags:\n", ""},
		{"help", []string{"help"}, "", p.Usage(), ""},
		{"--help", []string{"--help"}, "", p.Usage(), ""},
		{"help help", []string{"help", "help"}, "", p.Usage(), ""},
		{"no arguments", nil, "no command given", "", p.Usage()},
		{"unknown command", []string{"wave"}, `unknown command "wave"`, "", p.Usage()},
		{"help of an unknown command", []string{"help", "wave"}, `unknown command "wave"`, "", p.Usage()},
	} {
		var stdout, stderr bytes.Buffer
		err := p.Run(context.Background(), &stdout, &stderr, tc.args)
		switch tc.err {
		case "":
			require.NoError(t, err, tc.name)
		case "help":
			require.ErrorIs(t, err, flag.ErrHelp, tc.name)
		default:
			var ee *ExitError
			require.ErrorAs(t, err, &ee, tc.name)
			assert.Equal(t, 2, ee.Code, "%s: exit status", tc.name)
			assert.EqualError(t, err, tc.err, tc.name)
		}
		assert.Equal(t, tc.stdout, stdout.String(), "%s: stdout", tc.name)
		assert.Equal(t, tc.stderr, stderr.String(), "%s: stderr", tc.name)
	}
}
