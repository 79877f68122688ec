package cli

import (
	"context"
	"errors"
	"io"
	"runtime"
	"time"

	"github.com/kitchenbench/kitchenbench/advise"
	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/internal/command"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/render"
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
	var slos []bench.SLO
	var err error
	if *sloFlag != "" {
		if slos, err = bench.ParseSLOs(*sloFlag); err != nil {
			return command.Usage("--slo: %v", err)
		}
	}
	req := advise.Request{Dish: dish, SLOs: slos, Cores: *cores, Count: *count, Duration: *duration, Log: stderr}
	if fs.NArg() > 1 {
		return command.Usage("advise takes at most one menu, got %q", fs.Args())
	} else if fs.NArg() == 1 {
		if req.Menu, err = kitchen.FindMenu(fs.Arg(0)); err != nil {
			return command.Input(err)
		}
	}
	if err := req.Validate(); err != nil {
		return command.Usage("%v", err)
	}
	if *resultsFile != "" {
		files, err := readFiles([]string{*resultsFile})
		if err != nil {
			return err
		}
		req.From, req.FromName = files[0], *resultsFile
	}
	adv, err := advise.Advise(ctx, req)
	var dishErr *advise.DishError
	if errors.Is(err, advise.ErrNoMeasurements) {
		return command.Input(err)
	} else if errors.As(err, &dishErr) {
		return command.Usage("%v", err)
	} else if err != nil {
		return err
	}
	return render.Write(stdout, *format, adv)
}
