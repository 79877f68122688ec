package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/grill"
	"github.com/kitchenbench/kitchenbench/internal/command"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/render"
	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/strategies"
	"github.com/kitchenbench/kitchenbench/verdict"
)

// runOptions are kitchen run's flags, parsed and checked: the matrix to
// measure, where its I/O goes, and what to do with the result.
type runOptions struct {
	m                        bench.Matrix
	io                       bench.IOOptions // where call and read steps go
	out, format, label       string          // label: the run's name in reports, results.Machine.Label
	hostname, force, perDish bool
	timeout                  time.Duration
}

func parseRunFlags(stderr io.Writer, args []string) (*runOptions, error) {
	fs := newFlags("run", stderr)
	menus := fs.String("menus", "", "comma-separated built-in `menus` (default: all of "+strings.Join(kitchen.MenuNames(), ",")+", unless --menu is given)")
	var files command.Strings
	fs.Var(&files, "menu", "a menu `FILE` (YAML, see examples/menu.yaml); repeatable")
	strats := fs.String("strategies", "", "comma-separated `strategies` (default: all of "+strings.Join(strategies.Names(), ",")+")")
	cores := fs.String("cores", "", "comma-separated core `counts` (GOMAXPROCS) (default: "+bench.FormatCores(bench.DefaultCores(runtime.NumCPU()))+")")
	o := &runOptions{}
	m := &o.m
	fs.IntVar(&m.Count, "count", 6, "samples per cell, `N` >= 1 (6 or more give a 95% confidence interval)")
	fs.DurationVar(&m.Duration, "duration", 120*time.Millisecond, "length of each sample")
	warmup := fs.String("warmup", "auto", "closed loop: unmeasured `time` before each sample, or auto (the cell's mean latency by Little's law, at most --duration)")
	fs.StringVar(&o.out, "out", "runs", "`DIR` for a new result file, a FILE.json path, or - for none")
	fs.StringVar(&o.format, "format", "text", "table `format`: text, markdown, csv or json")
	fs.BoolVar(&o.hostname, "hostname", false, "record this machine's hostname in the result file")
	fs.StringVar(&o.label, "label", "", "`NAME` of this run in reports and comparisons (default: CPU model and cores)")
	fs.BoolVar(&o.perDish, "per-dish", false, "also print each dish's latency (always for open loops)")
	fs.BoolVar(&o.force, "force", false, "overwrite an existing --out FILE.json")
	fs.DurationVar(&o.timeout, "timeout", 0, "stop after this long, keeping the samples so far (0: no limit)")
	arrivals := fs.String("arrivals", "", "`model`: closed (each customer reorders when served; the default without --rate), poisson or uniform (open loop at --rate)")
	rate := fs.String("rate", "", "open-loop arrival `rate`, e.g. 2000/s (default: each menu's own rate)")
	waits := fs.String("waits", string(kitchen.PreciseWaits), "how waits are timed: `precise` (clock_nanosleep, timerfd) or runtime (Go's timers alone, up to 1 ms late)")
	fs.StringVar(&o.io.Grill, "grill", "", "`HOST:PORT` of a grill service for call steps (default: start one per menu on 127.0.0.1)")
	fs.StringVar(&o.io.GrillToken, "grill-token", "", "the --grill service's shared `secret` (default $"+grill.TokenEnv+")")
	fs.DurationVar(&o.io.CallTimeout, "call-timeout", kitchen.DefaultCallTimeout, "how long past its hold a call may take before its order fails")
	pantrySize := fs.String("pantry-size", "256MiB", "`size` of the pantry file read steps read")
	fs.StringVar(&o.io.PantryDir, "pantry-dir", "", "`DIR` for the pantry file (default: the system's temporary directory)")
	fs.BoolVar(&o.io.PantryDirect, "pantry-direct", false, "read the pantry with O_DIRECT, bypassing the page cache (Linux; not on tmpfs)")
	if err := parseNoArgs(fs, args); err != nil {
		return nil, err
	}
	var err error
	if o.io.PantrySize, err = kitchen.ParseSize(*pantrySize); err != nil || o.io.PantrySize < kitchen.DirectAlign || o.io.PantrySize%kitchen.DirectAlign != 0 {
		return nil, command.Usage("--pantry-size %q: want a multiple of 4KiB such as 256MiB", *pantrySize)
	}
	if o.io.GrillToken == "" {
		o.io.GrillToken = os.Getenv(grill.TokenEnv)
	}
	if o.io.CallTimeout <= 0 {
		return nil, command.Usage("--call-timeout %v: want a positive duration", o.io.CallTimeout)
	}
	if m.Waits, err = kitchen.ParseWaits(*waits); err != nil {
		return nil, command.Usage("--waits: %v", err)
	}
	if len(files) == 0 || *menus != "" {
		if m.Menus, err = kitchen.PickMenus(*menus); err != nil {
			return nil, command.FlagError("--menus", err)
		}
	}
	if m.Menus, err = kitchen.LoadMenus(m.Menus, files...); err != nil {
		return nil, command.Input(err)
	}
	if m.Strategies, err = strategies.Pick(*strats); err != nil {
		return nil, command.FlagError("--strategies", err)
	}
	if *cores == "" {
		m.Cores = bench.DefaultCores(runtime.NumCPU())
	} else if m.Cores, err = bench.ParseCores(*cores); err != nil {
		return nil, command.FlagError("--cores", err)
	}
	if o.timeout < 0 {
		return nil, command.Usage("--timeout %v is negative", o.timeout)
	}
	if m.Warmup, err = bench.ParseWarmup(*warmup); err != nil {
		return nil, command.Usage("--warmup %v", err)
	}
	if m.Arrivals, err = bench.ParseArrivals(cmp.Or(*arrivals, "closed")); err != nil {
		return nil, command.Usage("--arrivals: %v", err)
	}
	if *rate != "" {
		if m.Rate, err = kitchen.ParseRate(*rate); err != nil {
			return nil, command.Usage("--rate %v", err)
		} else if *arrivals == "closed" {
			return nil, command.Usage("--rate %s sets an open loop's rate; --arrivals closed has none", *rate)
		}
		if m.Arrivals == "" {
			m.Arrivals = bench.Poisson // a rate implies an open loop
		}
	}
	if m.Arrivals != "" {
		m.Warmup = 0 // an open loop has no warm-up
	}
	if err := m.Validate(); err != nil {
		return nil, command.Usage("%v", err)
	}
	return o, nil
}

func cmdRun(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	o, err := parseRunFlags(stderr, args)
	if err != nil {
		return err
	}
	runCtx := ctx
	if o.timeout > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeoutCause(ctx, o.timeout, errTimeout)
		defer cancel()
	}
	m := &o.m
	f, runErr := bench.MeasureWithIO(runCtx, stderr, m, o.io, bench.MeasureOptions{Hostname: o.hostname, Label: o.label, Log: stderr})
	if f == nil {
		return runErr // the I/O could not be started
	}
	if runErr != nil && !isInterrupt(runErr) {
		return runErr
	}
	if len(f.Samples) > 0 {
		report := render.RunReport{File: f, PerDish: o.perDish || m.Arrivals != "", Verdict: verdict.New([]*results.File{f})}
		if err := render.Write(stdout, o.format, report); err != nil {
			return err
		}
	}
	if o.out != "-" {
		path, err := results.Save(o.out, f, o.force)
		if err != nil {
			return err
		}
		what := "results"
		if f.Partial {
			what = fmt.Sprintf("partial results (%d samples)", len(f.Samples))
		}
		fmt.Fprintf(stderr, "kitchen: wrote %s to %s and %s\n", what, path, results.TwinPath(path))
	}
	if runErr != nil {
		if errors.Is(context.Cause(runCtx), errTimeout) && ctx.Err() == nil {
			return fmt.Errorf("stopped by --timeout %v with %d samples measured", o.timeout, len(f.Samples))
		}
		return runErr
	}
	return bench.AllFailed(f.Samples)
}

var errTimeout = errors.New("timed out")

func isInterrupt(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
