package cli

import (
	"context"
	"fmt"
	"io"
	"math"
	"runtime"
	"text/tabwriter"
	"time"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/strategies"
)

const kneeHelp = `Usage: kitchen knee --slo p99=50ms [flags]

For each menu and strategy, finds the highest open-loop arrival rate
(Poisson) that still meets the latency objective: how many customers the
kitchen can take. It searches by bisection on log(rate) between the model
bound (×1.2) and a twentieth of it, to within 5%; near the boundary each
rate is probed 3 times and decided by majority. Each probe serves enough
orders for its percentile (at least 1,000; 10,000 for a p99.9). A probe
fails when any SLO percentile is exceeded, failed orders counting as
infinitely late, or when the kitchen fell behind: orders left unserved, or
completions lagging the schedule by more than the SLO's limit (a drain
tail after the schedule does not count). Latency counts from each order's
scheduled arrival, so stalls are not hidden. Writes the knees, and the
sample measured at each knee, into a result file.

Example:

	kitchen knee --slo p99=50ms --menus dinner-rush
`

func cmdKnee(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := newFlags("knee", kneeHelp, stderr)
	sloFlag := fs.String("slo", "p99=50ms", "latency `objectives`, comma-separated: p50=5ms,p99=50ms")
	menus := fs.String("menus", "dinner-rush", "comma-separated built-in `menus`")
	strats := fs.String("strategies", "", "comma-separated `strategies` (default: all)")
	cores := fs.Int("cores", runtime.NumCPU(), "core `count` (GOMAXPROCS)")
	probe := fs.Duration("duration", 500*time.Millisecond, "shortest schedule of a probe (longer where the SLO's percentile needs more orders: at least 1,000)")
	out := fs.String("out", "runs", "`DIR` for a new result file, a FILE.json path, or - for none")
	force := fs.Bool("force", false, "overwrite an existing --out FILE.json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("knee takes no arguments, got %q", fs.Args())
	}
	slos, err := bench.ParseSLOs(*sloFlag)
	if err != nil {
		return usageError("--slo: %v", err)
	}
	ms, err := pickMenus(*menus)
	if err != nil {
		return err
	}
	names, err := pickStrategies(*strats)
	if err != nil {
		return err
	}
	if *cores < 1 || *cores > 4096 {
		return usageError("--cores %d out of range [1, 4096]", *cores)
	}
	if *probe < 10*time.Millisecond || *probe > time.Hour {
		return usageError("--duration %v out of range [10ms, 1h]", *probe)
	}
	var worst time.Duration
	orders := 0
	for _, s := range slos {
		worst = max(worst, s.Limit)
		orders = max(orders, bench.KneeOrders(s.Percentile))
	}

	prev := runtime.GOMAXPROCS(*cores)
	defer runtime.GOMAXPROCS(prev)
	cal := calibrate()
	f := &results.File{Schema: results.SchemaVersion, Machine: machineInfo(ctx, false),
		Config: results.Config{Strategies: names, Cores: []int{*cores}, Arrival: string(bench.Poisson), Duration: *probe}}
	f.Machine.NsPerUnit, f.Machine.GOMAXPROCS = cal.NsPerUnit, []int{*cores}
	sloText := *sloFlag
	for _, m := range ms {
		k, err := kitchen.New(m)
		if err != nil {
			return err
		}
		for _, name := range names {
			s, _ := strategies.New(name)
			bound := kitchen.Bound(m, s.Capacity(*cores), cal.NsPerUnit)
			hi := 1.2 * bound
			lo := hi / 20
			passed := map[float64]results.Sample{} // the last probe that met the SLO at each rate
			seed := m.Seed
			probeAt := func(ctx context.Context, rate float64) (bool, error) {
				d := max(*probe, time.Duration(float64(orders)/rate*float64(time.Second)))
				seed++ // a repeated probe gets a schedule of its own
				res, err := bench.RunOpen(ctx, k, s, bench.OpenLoad{Rate: rate, Duration: d, Seed: seed, Grace: 2 * worst, Tolerance: worst})
				if err != nil {
					return false, err
				}
				ok, why := bench.MeetsSLOs(res.SLOLatencies(), slos)
				if res.Behind && ok {
					ok, why = false, fmt.Sprintf("behind schedule (%d orders unserved, completions up to %v behind it)", res.Unfinished, res.Backlog.Round(time.Microsecond))
				}
				verdict := "meets the SLO"
				if !ok {
					verdict = "misses: " + why
				}
				fmt.Fprintf(stderr, "kitchen: %s/%s at %s/s: %s\n", m.Name, name, results.FormatRate(rate), verdict)
				if ok {
					passed[rate] = bench.OpenSampleOf(k, res, d, *cores, cal.NsPerUnit)
				}
				return ok, nil
			}
			rate, probes, err := bench.Knee(ctx, lo, hi, 0.05, probeAt)
			if err != nil {
				return err
			}
			kn := results.Knee{Menu: m.Name, Strategy: name, Cores: *cores, SLO: sloText, Rate: rate,
				Lowest: lo, Highest: hi, Bound: bound, Probes: len(probes)}
			f.Knees = append(f.Knees, kn)
			if best, ok := passed[rate]; ok && rate > 0 {
				f.Samples = append(f.Samples, best)
			}
		}
	}
	printKnees(stdout, f.Knees)
	if *out != "-" {
		if len(f.Samples) == 0 {
			f.Partial = true // no strategy met the SLO: nothing was sampled at a knee
		}
		path, err := saveRun(*out, f, *force)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "kitchen: wrote the knees to %s\n", path)
	}
	return nil
}

func printKnees(w io.Writer, knees []results.Knee) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	menu := ""
	for _, k := range knees {
		if k.Menu != menu {
			if menu != "" {
				fmt.Fprintln(tw)
			}
			menu = k.Menu
			fmt.Fprintf(tw, "menu %s, %d cores, SLO %s\n", k.Menu, k.Cores, k.SLO)
			fmt.Fprintln(tw, "strategy\tsustainable rate\t× sync\tmodel bound\tprobes")
		}
		rate := results.FormatRate(k.Rate) + "/s"
		switch {
		case k.Rate == 0:
			rate = "< " + results.FormatRate(k.Lowest) + "/s"
		case k.Rate >= k.Highest:
			rate = "≥ " + results.FormatRate(k.Highest) + "/s"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s/s\t%d\n", k.Strategy, rate, vsSync(knees, k), results.FormatRate(k.Bound), k.Probes)
	}
	tw.Flush()
}

func vsSync(knees []results.Knee, k results.Knee) string {
	for _, s := range knees {
		if s.Menu == k.Menu && s.Strategy == "sync" && s.Rate > 0 {
			r := k.Rate / s.Rate
			if math.IsInf(r, 0) || math.IsNaN(r) {
				return "-"
			}
			return fmt.Sprintf("%.1f×", r)
		}
	}
	return "-"
}
