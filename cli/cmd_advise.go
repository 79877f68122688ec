package cli

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/kitchenbench/kitchenbench/advise"
	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/render"
	"github.com/kitchenbench/kitchenbench/strategies"
)

func cmdAdvise(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := newFlags("advise", stderr)
	var dish advise.Dish
	fs.DurationVar(&dish.CPU, "cpu", 0, "CPU time per dish (a described dish)")
	fs.DurationVar(&dish.Grill, "grill", 0, "grill (I/O) wait per dish")
	fs.DurationVar(&dish.Rest, "rest", 0, "rest (plain wait) per dish")
	fs.IntVar(&dish.Customers, "customers", 1, "customers ordering at once (closed loop)")
	fs.IntVar(&dish.Grills, "grills", 0, "grills (0: one per customer)")
	cores := fs.Int("cores", runtime.NumCPU(), "core `count` to advise for (measured at up to this machine's CPUs)")
	sloFlag := fs.String("slo", "", "latency `objectives`, e.g. p99=50ms (default: none)")
	resultsFile := fs.String("results", "", "read measurements from this result `FILE` instead of measuring")
	count := fs.Int("count", 3, "samples per strategy when measuring")
	duration := fs.Duration("duration", 200*time.Millisecond, "length of each sample")
	format := fs.String("format", "text", "output `format`: text, markdown, csv or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	if err := checkCores(*cores); err != nil {
		return err
	}
	if *count < 1 || *count > 100 {
		return usageError("--count %d out of range [1, 100]", *count)
	}
	var slos []bench.SLO
	if *sloFlag != "" {
		var err error
		if slos, err = bench.ParseSLOs(*sloFlag); err != nil {
			return usageError("--slo: %v", err)
		}
	}
	var menu *kitchen.Menu
	switch {
	case fs.NArg() > 1:
		return usageError("advise takes at most one menu, got %q", fs.Args())
	case fs.NArg() == 1 && (strings.HasSuffix(fs.Arg(0), ".yaml") || strings.HasSuffix(fs.Arg(0), ".yml")):
		m, err := kitchen.LoadMenu(fs.Arg(0))
		if err != nil {
			return inputError(err)
		}
		menu = m
	case fs.NArg() == 1:
		ms, err := kitchen.PickMenus(fs.Arg(0))
		if err != nil {
			return flagError("--menus", err)
		}
		menu = ms[0]
	default:
		if dish.CPU == 0 && dish.Grill == 0 && dish.Rest == 0 {
			return usageError("advise needs a MENU or a dish: --cpu, --grill and/or --rest")
		}
		var err error
		if menu, err = dish.Menu(0); err != nil {
			return usageError("%v", err)
		}
	}
	measured := min(*cores, runtime.NumCPU())

	var sums []compare.CellSummary
	nsPerUnit := 0.0
	if *resultsFile != "" {
		files, err := readFiles([]string{*resultsFile})
		if err != nil {
			return err
		}
		nsPerUnit = files[0].Machine.NsPerUnit
		for _, s := range compare.Summarize(files[0].Samples) {
			if s.Menu == menu.Name && s.Cores == measured {
				sums = append(sums, s)
			}
		}
		if len(sums) == 0 {
			return inputError(fmt.Errorf("%s: no measurements of menu %q at %d cores", *resultsFile, menu.Name, measured))
		}
	} else {
		// One calibration: the described dish's units, the run's bounds
		// and the advice's reasoning all use this figure.
		nsPerUnit = bench.Calibrate().NsPerUnit
		var err error
		if fs.NArg() == 0 {
			// Work units for the described CPU time, at this machine's speed.
			if menu, err = dish.Menu(nsPerUnit); err != nil {
				return usageError("%v", err)
			}
		}
		fmt.Fprintf(stderr, "kitchen: measuring %s: %d strategies × %d samples of %v at %d cores\n",
			menu.Name, len(strategies.Names()), *count, *duration, measured)
		f, err := bench.MeasureShown(ctx, io.Discard, &bench.Matrix{Menus: []*kitchen.Menu{menu}, Strategies: strategies.Names(),
			Cores: []int{measured}, Count: *count, Duration: *duration, NsPerUnit: nsPerUnit}, bench.MeasureOptions{})
		if err != nil {
			return err
		}
		sums = compare.Summarize(f.Samples)
	}
	adv, err := advise.Decide(advise.Input{Menu: menu, Rows: sums, SLOs: slos, NsPerUnit: nsPerUnit, Cores: *cores, Measured: measured})
	if err != nil {
		return err
	}
	return render.Write(stdout, *format, adv)
}
