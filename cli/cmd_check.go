package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/render"
	"github.com/kitchenbench/kitchenbench/results"
)

const checkHelp = `Usage: kitchen check --baseline FILE [--current FILE] [--threshold 5%]
       kitchen check --claims [--strict]
       kitchen check --against REF [flags]   (A/B in one job; kitchen check --against REF -h)

With --baseline, tests every cell for a drop in dishes/s beyond the
threshold: a one-sided Welch t-test on log(dishes/s) against the null "the
drop is at most the threshold", with Holm's correction over the cells, so
the whole check raises a false alarm with at most 5% probability when no
cell dropped by more than the threshold (docs/gate.md gives the measured
rates and power). Across machines it tests the share of the model bound.
Configuration and machine differences are listed first; cells defined
differently are not tested. Every check prints, per cell, the smallest drop
it could have detected.

Exits 1 on a regression, listing each; 2 when some cell could not be tested
(too few samples, too much spread, a different definition: the check is
inconclusive, never a silent pass) or on unusable input; 0 otherwise.
Without --current it measures a fresh run of the baseline's menus,
strategies and core counts with as many samples per cell as the baseline
has (at least 6).

With --claims, measures the talk's takeaways as ratios between strategies
within one run (so any machine can check them), prints each with its
measured ratio, threshold and verdict, and exits 1 when one fails. A
verdict rests on all its rounds, never on a retry. A round in which the
process was starved of CPU (other work took the cores its strategies keep
busy) is measured again; a claim still starved is reported as "starved",
inconclusive, not failed. Claims needing more CPUs than this machine has
are skipped. With --strict (what CI uses) a skipped or starved claim
exits 2: it was not checked, which is not a pass.

Example:

	kitchen check --baseline results/main.json --current new.json --threshold 5% --format markdown
	kitchen check --claims --strict
`

func cmdCheck(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	if wantsAgainst(args) {
		return cmdCheckAgainst(ctx, stdout, stderr, args)
	}
	fs := newFlags("check", checkHelp, stderr)
	baseline := fs.String("baseline", "", "baseline result `FILE` (JSON or Go benchmark format)")
	current := fs.String("current", "", "current result `FILE`; omitted: measure a fresh run")
	threshold := fs.String("threshold", pctFlag(compare.DefaultThreshold), "smallest drop that fails, as a `percentage`: smaller drift never alarms")
	format := fs.String("format", "text", "output `format`: text, markdown, csv or json")
	claims := fs.Bool("claims", false, "check the talk's claims instead of a baseline")
	rounds := fs.Int("rounds", 3, "with --claims: interleaved rounds per strategy")
	strict := fs.Bool("strict", false, "with --claims: a claim skipped or starved here fails the check (exit 2)")
	count := fs.Int("count", 0, "without --current: samples per cell of the fresh run (default: the baseline's count, at least 6)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("check takes no arguments, got %q", fs.Args())
	}
	if *claims {
		if *baseline != "" || *current != "" {
			return usageError("--claims takes no --baseline or --current")
		}
		if *rounds < 1 || *rounds > 100 {
			return usageError("--rounds %d out of range [1, 100]", *rounds)
		}
		return runClaims(ctx, stdout, stderr, claimsOptions{rounds: *rounds, strict: *strict, format: *format})
	}
	if *baseline == "" {
		return usageError("check needs --baseline FILE (or --claims)")
	}
	th, err := parsePercent(*threshold)
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
		n := *count
		if n <= 0 {
			n = max(base[0].Config.Count, compare.DefaultCount)
		}
		if cur, err = freshRun(ctx, stderr, base[0], n); err != nil {
			return err
		}
	}
	v, err := compare.Check(base[0], cur, th)
	if err != nil {
		return inputError(err)
	}
	if err := render.Write(stdout, *format, render.Verdict(v)); err != nil {
		return err
	}
	if v.Regressed() {
		var cells []string
		for _, r := range v.Regressions {
			cells = append(cells, fmt.Sprintf("%s/%s at %s (%+.1f%%)", r.Menu, r.Strategy, coresText(r.Cores), 100*r.Ratio))
		}
		return fmt.Errorf("%d regression(s) beyond %s: %s", len(v.Regressions), *threshold, strings.Join(cells, ", "))
	}
	if !v.Conclusive() {
		return &exitError{code: 2, err: fmt.Errorf("check inconclusive: %d of %d cells could not be tested (see \"not tested\" above): no regression was found, but none could have been in those cells; run with more samples per cell (--count), on a quieter machine, or against a baseline of the same configuration", len(v.Inconclusive()), v.Cells)}
	}
	return nil
}

func coresText(n int) string {
	if n == 1 {
		return "1 core"
	}
	return fmt.Sprintf("%d cores", n)
}

// pctFlag formats a fraction as a flag's percentage: 0.05 as "5%".
func pctFlag(f float64) string { return strconv.FormatFloat(100*f, 'g', -1, 64) + "%" }

// parsePercent reads "5%" or "5" as 0.05.
func parsePercent(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
	if err != nil || v < 0 || v > 1000 {
		return 0, usageError("--threshold %q: want a percentage in [0%%, 1000%%] such as 5%%", s)
	}
	return v / 100, nil
}

// freshRun measures the baseline's cells again on this machine
// (bench.Rerun).
func freshRun(ctx context.Context, stderr io.Writer, base *results.File, count int) (*results.File, error) {
	m, err := bench.Rerun(base, count)
	if err != nil {
		return nil, inputError(err)
	}
	fmt.Fprintf(stderr, "kitchen: no --current: measuring the baseline's %d menus × %d strategies × %d core counts afresh\n",
		len(m.Menus), len(m.Strategies), len(m.Cores))
	return measure(ctx, stderr, m, bench.MeasureOptions{Log: stderr})
}
