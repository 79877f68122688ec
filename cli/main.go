// Package cli is the kitchen command as a library: Main runs it. The
// kitchen command (cmd/kitchen) is Main and nothing else, and a program of
// your own gets the whole CLI with strategies of its own added by calling
// strategies.Register before Main (see examples/mystrategy).
//
// Each subcommand (one table, commands, names them all and makes the help
// text) parses its flags, calls a library and renders: package bench
// measures (bench.MeasureWithIO, bench.FindKnees, bench.CheckClaimsShown),
// advise recommends (advise.Advise), abrun runs an A/B comparison of two
// commits (abrun.Check), results, compare, verdict, history and report
// keep and compare result files, and render writes every table in every
// --format. A subcommand's help text is a file, help/NAME.txt, embedded.
// Run `kitchen help` or `kitchen <command> -h` for details.
package cli

import (
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// Main runs the kitchen command with args (the program name left out),
// writing to stdout and stderr, and returns the process's exit status: 0
// success, 1 failure (a regression, a failed claim, every order failed), 2
// bad usage or input, 130 after SIGINT and 143 after SIGTERM. A first
// SIGINT or SIGTERM stops the command cleanly, keeping what was measured;
// a second one kills the process the usual way. Call it once per process:
//
//	os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		select {
		case s := <-sigs:
			cancel(&signalError{s})
			signal.Stop(sigs) // a second signal kills the process the usual way
		case <-ctx.Done():
		}
	}()
	err := run(ctx, stdout, stderr, args)
	return exitCode(ctx, stderr, err)
}

// signalError is the cancellation cause when a signal stops the command.
type signalError struct{ sig os.Signal }

func (e *signalError) Error() string { return "interrupted by " + e.sig.String() }

// exitError carries an exit status other than 1.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError marks bad flags or arguments: exit status 2.
func usageError(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

// inputError marks unusable input files: exit status 2.
func inputError(err error) error { return &exitError{code: 2, err: err} }

// exitCode prints err (if any) and returns the process's exit status:
// 0 success, 1 failure (a regression, a failed claim, every order
// failed), 2 bad usage or input, 130 after SIGINT and 143 after SIGTERM.
func exitCode(ctx context.Context, stderr io.Writer, err error) int {
	var sig *signalError
	if errors.As(context.Cause(ctx), &sig) {
		if err != nil && !errors.Is(err, context.Canceled) {
			fmt.Fprintln(stderr, "kitchen:", err)
		}
		fmt.Fprintln(stderr, "kitchen:", sig)
		if sig.sig == syscall.SIGTERM {
			return 143
		}
		return 130
	}
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintln(stderr, "kitchen:", err)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

// command is one subcommand: its name, the line help gives it, and the
// function that runs it with the arguments after its name.
type command struct {
	name, summary string
	run           func(ctx context.Context, stdout, stderr io.Writer, args []string) error
}

// commands is every subcommand, in the order help lists them; the usage
// text and the dispatch are both made from it. It is filled in init, as
// the help command refers to it.
var commands []command

func init() {
	commands = []command{
		{"run", "measure menus × strategies × core counts, print tables, write a result file", cmdRun},
		{"menus", "list the built-in menus: dishes, steps and model bounds", cmdMenus},
		{"compare", "compare result files side by side (from other machines, commits, or go test -bench)", cmdCompare},
		{"merge", "merge result files of one machine, recomputing percentiles from the merged histograms", cmdMerge},
		{"check", "exit 1 on a significant regression against a baseline, or check the talk's claims", cmdCheck},
		{"knee", "find the highest arrival rate each strategy sustains within a latency SLO", cmdKnee},
		{"report", "write an HTML report with charts, scaling fits and predictions", cmdReport},
		{"advise", "recommend a strategy for a menu or a described dish, with the evidence", cmdAdvise},
		{"history", "find change points in a history of result files, per machine and cell", cmdHistory},
		{"grill-server", "serve the grill service: calls held on N grills over TCP", cmdGrillServer},
		{"help", "show this help", cmdHelp},
	}
}

// usage is the help text, generated from commands.
func usage() string {
	var b strings.Builder
	b.WriteString("kitchen measures which concurrency model serves a kitchen best: sync, async or threads.\n\n")
	b.WriteString("Usage:\n\n\tkitchen <command> [flags] [arguments]\n\nCommands:\n\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "\t%-*s%s\n", max(10, len(c.name)+2), c.name, c.summary)
	}
	b.WriteString("\nRun 'kitchen <command> -h' for a command's flags and an example.\n")
	return b.String()
}

func cmdHelp(_ context.Context, stdout, _ io.Writer, _ []string) error {
	_, err := io.WriteString(stdout, usage())
	return err
}

// run is the whole command, testable without a process. With no
// arguments it runs `kitchen run`.
func run(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	if len(args) == 0 {
		return cmdRun(ctx, stdout, stderr, nil)
	}
	name, rest := args[0], args[1:]
	if name == "-h" || name == "-help" || name == "--help" {
		name = "help"
	}
	for _, c := range commands {
		if c.name == name {
			return c.run(ctx, stdout, stderr, rest)
		}
	}
	fmt.Fprint(stderr, usage())
	return usageError("unknown command %q", name)
}

// helpTexts holds each subcommand's help: help/NAME.txt, where NAME is
// the subcommand's name ("check-against" for check --against). They are
// documentation, kept as text files rather than Go strings.
//
//go:embed help/*.txt
var helpTexts embed.FS

// helpText returns the help text of the subcommand name.
func helpText(name string) string {
	b, err := helpTexts.ReadFile("help/" + strings.ReplaceAll(name, " --", "-") + ".txt")
	if err != nil {
		panic("cli: no help text for " + name) // a subcommand without its help/NAME.txt
	}
	return string(b)
}

// newFlags returns a flag set for the subcommand name, whose -h prints
// its help text (helpText) and its flags.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	help := helpText(name)
	fs := flag.NewFlagSet("kitchen "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, help)
		fmt.Fprintln(stderr, "\nFlags:")
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, turning flag errors into usage errors (exit 2).
// Flags may come anywhere on the line, before, between or after the
// arguments (people type them last: `kitchen compare a.json b.json
// --format markdown`); a lone "--" ends the flags, so an argument that
// starts with "-" can follow it. fs.Args() then holds the arguments in
// the order given.
func parse(fs *flag.FlagSet, args []string) error {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return &exitError{code: 2, err: err}
		}
		rest := fs.Args()
		// flag.Parse stops at the first argument or after "--"; it
		// consumed a "--" when one precedes rest.
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	// Leave the arguments where fs.Args() finds them.
	return fs.Parse(append([]string{"--"}, positional...))
}
