package cli

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/internal/command"
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
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	slos, err := bench.ParseSLOs(*sloFlag)
	if err != nil {
		return command.Usage("--slo: %v", err)
	}
	ms, err := kitchen.PickMenus(*menus)
	if err != nil {
		return command.FlagError("--menus", err)
	}
	names, err := strategies.Pick(*strats)
	if err != nil {
		return command.FlagError("--strategies", err)
	}
	search := bench.KneeSearch{SLOs: slos, SLOText: *sloFlag, Cores: *cores, Probe: *probe}
	if err := search.Validate(); err != nil {
		return command.Usage("%v", err)
	}
	f, err := bench.FindKnees(ctx, ms, names, search, stderr)
	if err != nil {
		return err
	}
	if err := render.Write(stdout, *format, render.Knees(f.Knees)); err != nil {
		return err
	}
	if *out != "-" {
		path, err := results.Save(*out, f, *force)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "kitchen: wrote the knees to %s\n", path)
	}
	return nil
}
