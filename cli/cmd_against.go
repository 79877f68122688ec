package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kitchenbench/kitchenbench/abrun"
	"github.com/kitchenbench/kitchenbench/abtest"
	"github.com/kitchenbench/kitchenbench/internal/command"
	"github.com/kitchenbench/kitchenbench/render"
)

// wantsAgainst reports whether args hold --against, so that cmdCheck can
// hand them to cmdCheckAgainst.
func wantsAgainst(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		name := strings.TrimLeft(a, "-")
		if strings.HasPrefix(a, "-") && (name == "against" || strings.HasPrefix(name, "against=")) {
			return true
		}
	}
	return false
}

func cmdCheckAgainst(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := newFlags("check --against", stderr)
	o := abrun.Options{Log: stderr}
	gate := abtest.DefaultOptions
	fs.StringVar(&o.Ref, "against", "", "git `REF` to compare the working tree with: a commit, branch or tag")
	fs.StringVar(&o.Pkg, "pkg", "./cmd/kitchen", "the main `package` to build at both commits, relative to the repository's root")
	fs.StringVar(&o.Menus, "menus", "banquet,steak-and-salad", "comma-separated built-in `menus`")
	fs.StringVar(&o.Strategies, "strategies", "sync,pool", "comma-separated `strategies` (both binaries must know them)")
	fs.StringVar(&o.Cores, "cores", "1", "comma-separated core `counts` (GOMAXPROCS)")
	fs.IntVar(&o.Rounds, "rounds", 8, "A/B rounds, `N` >= 3 (each runs both binaries once)")
	fs.IntVar(&o.Rounds, "count", 8, "the same as --rounds (its name before)")
	fs.IntVar(&o.Samples, "samples", 3, "samples per cell in each run, `N`; the run's figure is their median")
	fs.DurationVar(&o.Duration, "duration", 100*time.Millisecond, "length of each sample")
	threshold := fs.String("threshold", "5%", "smallest regression that fails, as a `percentage`")
	format := fs.String("format", "text", "output `format`: text, markdown, csv or json")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return command.Usage("%v", err)
	}
	th, err := command.ParsePercent("--threshold", *threshold)
	if err != nil {
		return err
	}
	if th <= 0 || th >= 1 {
		return command.Usage("--threshold %q: want a percentage in (0%%, 100%%)", *threshold)
	}
	gate.Threshold = th

	v, err := abrun.Check(ctx, o, gate)
	var nc *abrun.NoComparisonError
	if errors.As(err, &nc) {
		return againstUnusable("%w", err)
	} else if err != nil {
		return err
	}
	if err := render.Write(stdout, *format, v); err != nil {
		return err
	}
	if regs := v.Regressions(); len(regs) > 0 {
		return fmt.Errorf("%d regression(s) beyond %g%% against %s: %s", len(regs), 100*gate.Threshold, o.Ref, abrun.CellList(regs))
	}
	if inc := v.Inconclusive(); len(inc) > 0 {
		return againstUnusable("%d cell(s) inconclusive (neither a regression nor a pass at α = %g): %s; more rounds (--rounds) or a quieter machine",
			len(inc), gate.Alpha, abrun.CellList(inc))
	}
	return nil
}

// againstUnusable marks a comparison that could not be made: exit status 2.
func againstUnusable(format string, args ...any) error {
	return &command.ExitError{Code: 2, Err: fmt.Errorf(format, args...)}
}
