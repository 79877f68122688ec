package cli

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/render"
	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/strategies"
)

func cmdKnee(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := newFlags("knee", stderr)
	sloFlag := fs.String("slo", "p99=50ms", "latency `objectives`, comma-separated: p50=5ms,p99=50ms")
	menus := fs.String("menus", "dinner-rush", "comma-separated built-in `menus`")
	strats := fs.String("strategies", "", "comma-separated `strategies` (default: all)")
	cores := fs.Int("cores", runtime.NumCPU(), "core `count` (GOMAXPROCS)")
	probe := fs.Duration("duration", 500*time.Millisecond, "shortest schedule of a probe (longer where the SLO's percentile needs more orders: at least 1,000)")
	out := fs.String("out", "runs", "`DIR` for a new result file, a FILE.json path, or - for none")
	force := fs.Bool("force", false, "overwrite an existing --out FILE.json")
	format := fs.String("format", "text", "table `format`: text, markdown, csv or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("knee takes no arguments, got %q", fs.Args())
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	slos, err := bench.ParseSLOs(*sloFlag)
	if err != nil {
		return usageError("--slo: %v", err)
	}
	ms, err := kitchen.PickMenus(*menus)
	if err != nil {
		return flagError("--menus", err)
	}
	names, err := strategies.Pick(*strats)
	if err != nil {
		return flagError("--strategies", err)
	}
	if err := checkCores(*cores); err != nil {
		return err
	}
	if *probe < 10*time.Millisecond || *probe > time.Hour {
		return usageError("--duration %v out of range [10ms, 1h]", *probe)
	}
	prev := runtime.GOMAXPROCS(*cores)
	defer runtime.GOMAXPROCS(prev)
	cal := bench.Calibrate()
	f := &results.File{Schema: results.SchemaVersion, Machine: bench.ThisMachine(ctx, false),
		Config: results.Config{Strategies: names, Cores: []int{*cores}, Arrival: string(bench.Poisson), Duration: *probe}}
	f.Machine.NsPerUnit, f.Machine.GOMAXPROCS = cal.NsPerUnit, []int{*cores}
	for _, m := range ms {
		k, err := kitchen.New(m)
		if err != nil {
			return err
		}
		for _, name := range names {
			s, err := strategies.New(name)
			if err != nil {
				return err
			}
			search := bench.KneeSearch{SLOs: slos, SLOText: *sloFlag, Cores: *cores, Probe: *probe, NsPerUnit: cal.NsPerUnit,
				Log: func(rate float64, verdict string) {
					fmt.Fprintf(stderr, "kitchen: %s/%s at %s/s: %s\n", m.Name, name, results.FormatRate(rate), verdict)
				}}
			kn, at, err := bench.FindKnee(ctx, k, s, search)
			if err != nil {
				return err
			}
			f.Knees = append(f.Knees, kn)
			if at != nil {
				f.Samples = append(f.Samples, *at)
			}
		}
	}
	if err := render.Write(stdout, *format, render.Knees(f.Knees)); err != nil {
		return err
	}
	if *out != "-" {
		if len(f.Samples) == 0 {
			f.Partial = true // no strategy met the SLO: nothing was sampled at a knee
		}
		path, err := results.Save(*out, f, *force)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "kitchen: wrote the knees to %s\n", path)
	}
	return nil
}
