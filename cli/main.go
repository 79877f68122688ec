// Package cli is the kitchen command as a library: Main runs it. The
// kitchen command (cmd/kitchen) is Main and nothing else, and a program of
// your own gets the whole CLI with strategies of its own added by calling
// strategies.Register before Main (see examples/mystrategy).
//
// Each subcommand (one table, program, names them all and makes the usage
// text) parses its flags, calls a library and renders: package bench
// measures (bench.MeasureWithIO, bench.FindKnees, bench.CheckClaimsShown),
// advise recommends (advise.Advise), abrun runs an A/B comparison of two
// commits (abrun.Check), results, compare, verdict, history and report
// keep and compare result files, and render writes every table in every
// --format. A subcommand's help text is a file, help/NAME.txt, embedded.
// Run `kitchen help`, `kitchen help <command>` or `kitchen <command> -h`
// for details; bare `kitchen` prints the usage and exits 2.
package cli

import (
	"context"
	"embed"
	"flag"
	"io"
	"slices"
	"strings"

	"github.com/kitchenbench/kitchenbench/internal/command"
	"github.com/kitchenbench/kitchenbench/render"
	"github.com/kitchenbench/kitchenbench/results"
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
	ctx, stop := command.WithSignals(ctx)
	defer stop()
	return command.Status(ctx, stderr, "kitchen", run(ctx, stdout, stderr, args))
}

// program is the kitchen command: every subcommand, in the order its
// usage lists them; the usage text and the dispatch are both made from it.
var program = command.Program{
	Name:  "kitchen",
	Intro: "kitchen measures which concurrency model serves a kitchen best: sync, async or threads.",
	Commands: []command.Command{
		{Name: "run", Summary: "measure menus × strategies × core counts, print tables, write a result file", Run: cmdRun},
		{Name: "menus", Summary: "list the built-in menus: dishes, steps and model bounds", Run: cmdMenus},
		{Name: "compare", Summary: "compare result files side by side (from other machines, commits, or go test -bench)", Run: cmdCompare},
		{Name: "merge", Summary: "merge result files of one machine, recomputing percentiles from the merged histograms", Run: cmdMerge},
		{Name: "check", Summary: "exit 1 on a significant regression against a baseline, or check the talk's claims", Run: cmdCheck},
		{Name: "knee", Summary: "find the highest arrival rate each strategy sustains within a latency SLO", Run: cmdKnee},
		{Name: "report", Summary: "write an HTML report with charts, scaling fits and predictions", Run: cmdReport},
		{Name: "advise", Summary: "recommend a strategy for a menu or a described dish, with the evidence", Run: cmdAdvise},
		{Name: "history", Summary: "find change points in a history of result files, per machine and cell", Run: cmdHistory},
		{Name: "grill-server", Summary: "serve the grill service: calls held on N grills over TCP", Run: cmdGrillServer},
	},
}

// run is the whole command, testable without a process. With no
// arguments it prints the usage and fails (exit 2): `kitchen run` measures.
func run(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	return program.Run(ctx, stdout, stderr, args)
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
	return command.NewFlags("kitchen "+name, helpText(name), stderr)
}

// parse is command.Parse, then checks --format where the subcommand has
// one, so that every subcommand refuses an unknown format alike, and
// --out where it has --force, so that a file in the way stops a command
// before it measures rather than after.
func parse(fs *flag.FlagSet, args []string) error {
	if err := command.Parse(fs, args); err != nil {
		return err
	}
	if f := fs.Lookup("format"); f != nil && !slices.Contains(render.Formats, f.Value.String()) {
		return command.Usage("--format %q: want one of %s", f.Value, strings.Join(render.Formats, ", "))
	}
	if out, force := fs.Lookup("out"), fs.Lookup("force"); out != nil && force != nil && force.Value.String() != "true" {
		if err := results.CheckNew(out.Value.String()); err != nil {
			return command.Input(err)
		}
	}
	return nil
}

// parseNoArgs is parse for a subcommand that takes flags only.
func parseNoArgs(fs *flag.FlagSet, args []string) error {
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return command.Usage("%s takes no arguments, got %q", strings.TrimPrefix(fs.Name(), "kitchen "), fs.Args())
	}
	return nil
}
