package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/internal/command"
	"github.com/kitchenbench/kitchenbench/render"
	"github.com/kitchenbench/kitchenbench/results"
)

func cmdCheck(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	if wantsAgainst(args) {
		return cmdCheckAgainst(ctx, stdout, stderr, args)
	}
	fs := newFlags("check", stderr)
	baseline := fs.String("baseline", "", "baseline result `FILE` (JSON or Go benchmark format)")
	current := fs.String("current", "", "current result `FILE`; omitted: measure a fresh run")
	threshold := fs.String("threshold", results.FormatPercent(compare.DefaultThreshold), "smallest drop that fails, as a `percentage`: smaller drift never alarms")
	format := fs.String("format", "text", "output `format`: text, markdown, csv or json")
	claims := fs.Bool("claims", false, "check the talk's claims instead of a baseline")
	rounds := fs.Int("rounds", 3, "with --claims: interleaved rounds per strategy")
	// --strict is what CI uses, so that a runner too small or too busy to
	// check a claim never reads as one that passed.
	strict := fs.Bool("strict", false, "with --claims: a claim skipped or starved here fails the check (exit 2)")
	count := fs.Int("count", 0, "without --current: samples per cell of the fresh run (default: the baseline's count, at least 6)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *claims {
		if *baseline != "" || *current != "" {
			return command.Usage("--claims takes no --baseline or --current")
		}
		if *rounds < 1 || *rounds > 100 {
			return command.Usage("--rounds %d out of range [1, 100]", *rounds)
		}
		return runClaims(ctx, stdout, stderr, *rounds, *format, *strict)
	}
	if *baseline == "" {
		return command.Usage("check needs --baseline FILE (or --claims)")
	}
	th, err := command.ParsePercent("--threshold", *threshold)
	if err != nil {
		return err
	}
	base, err := readFiles([]string{*baseline})
	if err != nil {
		return err
	}
	var cur *results.File
	if *current != "" {
		fs, err := readFiles([]string{*current})
		if err != nil {
			return err
		}
		cur = fs[0]
	} else {
		if cur, err = freshRun(ctx, stderr, base[0], *count); err != nil {
			return err
		}
	}
	v, err := compare.Check(base[0], cur, th)
	if err != nil {
		return command.Input(err)
	}
	if err := render.Write(stdout, *format, render.Verdict(v)); err != nil {
		return err
	}
	if v.Regressed() {
		return fmt.Errorf("%d regression(s) beyond %s: %s", len(v.Regressions), *threshold, v.RegressionList())
	}
	if err := v.InconclusiveError(*current != ""); err != nil {
		return &command.ExitError{Code: 2, Err: err}
	}
	return nil
}

// freshRun measures the baseline's cells again on this machine, count
// samples per cell (bench.Rerun: 0 for the baseline's).
func freshRun(ctx context.Context, stderr io.Writer, base *results.File, count int) (*results.File, error) {
	m, err := bench.Rerun(base, count)
	if err != nil {
		return nil, command.Input(err)
	}
	fmt.Fprintf(stderr, "kitchen: no --current: measuring the baseline's %d menus × %d strategies × %d core counts afresh\n",
		len(m.Menus), len(m.Strategies), len(m.Cores))
	return bench.MeasureShown(ctx, stderr, m, bench.MeasureOptions{Log: stderr})
}
