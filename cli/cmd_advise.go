package cli

import (
	"context"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/strategies"
)

const adviseHelp = `Usage: kitchen advise [flags] [MENU]

Recommends a strategy for a kitchen: a built-in MENU or a menu file
(.yaml), or one dish described by flags (--cpu, --grill, --rest, --customers). It measures every strategy
here (or reads --results FILE), then picks, among those meeting the SLO,
the simplest whose throughput is within 5% of the best — in the talk's
order of simplicity: sync, eventloop, pool, goroutines, loops (gil is
measured for reference, never recommended: it is CPython's constraint,
not a choice). It prints the evidence and the reason, built from the
figures: which resource binds and what the runner-up would need.

Example:

	kitchen advise dinner-rush
	kitchen advise --cpu 2ms --grill 20ms --customers 500 --cores 2 --slo p99=50ms
`

// simplicity orders the strategies one would rather maintain.
var simplicity = []string{"sync", "eventloop", "pool", "goroutines", "loops"}

func cmdAdvise(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := newFlags("advise", adviseHelp, stderr)
	cpu := fs.Duration("cpu", 0, "CPU time per dish (a described dish)")
	grill := fs.Duration("grill", 0, "grill (I/O) wait per dish")
	rest := fs.Duration("rest", 0, "rest (plain wait) per dish")
	customers := fs.Int("customers", 1, "customers ordering at once (closed loop)")
	grills := fs.Int("grills", 0, "grills (0: one per customer)")
	cores := fs.Int("cores", runtime.NumCPU(), "core `count` to advise for (measured at up to this machine's CPUs)")
	sloFlag := fs.String("slo", "", "latency `objectives`, e.g. p99=50ms (default: none)")
	resultsFile := fs.String("results", "", "read measurements from this result `FILE` instead of measuring")
	count := fs.Int("count", 3, "samples per strategy when measuring")
	duration := fs.Duration("duration", 200*time.Millisecond, "length of each sample")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *cores < 1 || *cores > 4096 {
		return usageError("--cores %d out of range [1, 4096]", *cores)
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
		ms, err := pickMenus(fs.Arg(0))
		if err != nil {
			return err
		}
		menu = ms[0]
	default:
		if *cpu == 0 && *grill == 0 && *rest == 0 {
			return usageError("advise needs a MENU or a dish: --cpu, --grill and/or --rest")
		}
		var err error
		if menu, err = describedMenu(*cpu, *grill, *rest, *customers, *grills); err != nil {
			return err
		}
	}
	measured := min(*cores, runtime.NumCPU())

	var sums []results.CellSummary
	nsPerUnit := 0.0
	if *resultsFile != "" {
		files, err := readFiles([]string{*resultsFile})
		if err != nil {
			return err
		}
		nsPerUnit = files[0].Machine.NsPerUnit
		for _, s := range results.Summarize(files[0].Samples) {
			if s.Menu == menu.Name && s.Cores == measured {
				sums = append(sums, s)
			}
		}
		if len(sums) == 0 {
			return inputError(fmt.Errorf("%s: no measurements of menu %q at %d cores", *resultsFile, menu.Name, measured))
		}
	} else {
		nsPerUnit = calibrate().NsPerUnit
		if menu.Name == describedName {
			// Work units for the described CPU time, at this machine's speed.
			menu.Dishes[0].Steps[0].Units = max(1, int64(float64(*cpu)/nsPerUnit))
			if *cpu == 0 {
				menu.Dishes[0].Steps = menu.Dishes[0].Steps[1:]
			}
		}
		fmt.Fprintf(stderr, "kitchen: measuring %s: %d strategies × %d samples of %v at %d cores\n",
			menu.Name, len(strategies.Names()), *count, *duration, measured)
		f, err := measure(ctx, io.Discard, &runOptions{menus: []*kitchen.Menu{menu}, strategies: strategies.Names(),
			cores: []int{measured}, count: *count, duration: *duration, out: "-"})
		if err != nil {
			return err
		}
		sums = results.Summarize(f.Samples)
	}
	adv := advise(menu, sums, slos, nsPerUnit, *cores, measured)
	printAdvice(stdout, menu, adv, slos)
	return nil
}

const describedName = "your-dish"

// describedMenu is a one-dish menu from advise's flags. Its CPU step's
// units are set once the machine is calibrated.
func describedMenu(cpu, grill, rest time.Duration, customers, grills int) (*kitchen.Menu, error) {
	if cpu < 0 || grill < 0 || rest < 0 {
		return nil, usageError("--cpu, --grill and --rest must not be negative")
	}
	d := kitchen.Dish{Name: "dish", Weight: 1, Steps: []kitchen.Step{{Name: "cook", Kind: kitchen.CPU, Units: 1}}}
	if grill > 0 {
		d.Steps = append(d.Steps, kitchen.Step{Name: "grill", Kind: kitchen.Grill, Wait: grill})
		if grills == 0 {
			grills = customers
		}
	}
	if rest > 0 {
		d.Steps = append(d.Steps, kitchen.Step{Name: "rest", Kind: kitchen.Rest, Wait: rest})
	}
	m := &kitchen.Menu{Name: describedName, About: "the dish described on the command line",
		Dishes: []kitchen.Dish{d}, Grills: grills, Customers: customers, Seed: 1}
	if err := m.Validate(); err != nil {
		return nil, usageError("the described dish: %v", err)
	}
	return m, nil
}

type advice struct {
	rows     []results.CellSummary
	meets    map[string]bool
	why      map[string]string // why a strategy misses the SLO
	pick     string
	runnerUp string
	reason   string
}

func advise(m *kitchen.Menu, sums []results.CellSummary, slos []bench.SLO, nsPerUnit float64, cores, measured int) advice {
	a := advice{rows: sums, meets: map[string]bool{}, why: map[string]string{}}
	byName := map[string]results.CellSummary{}
	for _, s := range sums {
		byName[s.Strategy] = s
		ok := s.Served > 0
		for _, slo := range slos {
			q := percentileName(slo.Percentile)
			got := percentileOf(s, slo.Percentile)
			switch {
			case got > float64(slo.Limit):
				ok = false
				a.why[s.Strategy] = fmt.Sprintf("%s measured %s", slo, latencyText(s, q))
			case s.IsLower(q):
				// A lower bound below the limit says nothing: orders
				// still waiting when the window closed may lie above it.
				ok = false
				a.why[s.Strategy] = fmt.Sprintf("%s unknown: %s is a lower bound (orders still waiting when the window closed)", slo, latencyText(s, q))
			}
		}
		a.meets[s.Strategy] = ok
	}
	best := 0.0
	for _, name := range simplicity {
		if s, ok := byName[name]; ok && a.meets[name] {
			best = max(best, s.Throughput.Center)
		}
	}
	for _, name := range simplicity {
		if s, ok := byName[name]; ok && a.meets[name] && s.Throughput.Center >= 0.95*best {
			a.pick = name
			break
		}
	}
	if a.pick == "" {
		a.reason = "no strategy met the SLO here; the table shows how far each is from it"
		return a
	}
	p := byName[a.pick]
	// The runner-up: the fastest other candidate.
	for _, name := range simplicity {
		if s, ok := byName[name]; ok && name != a.pick && (a.runnerUp == "" || s.Throughput.Center > byName[a.runnerUp].Throughput.Center) {
			a.runnerUp = name
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s serves %s dishes/s", a.pick, results.FormatRate(p.Throughput.Center))
	if s, ok := byName["sync"]; ok && a.pick != "sync" && s.Throughput.Center > 0 {
		fmt.Fprintf(&b, " (%.1f× sync)", p.Throughput.Center/s.Throughput.Center)
	}
	fmt.Fprintf(&b, " with p99 %s", latencyText(p, "p99"))
	st, _ := strategies.New(a.pick)
	limit, terms := kitchen.Binding(m, st.Capacity(measured), nsPerUnit)
	cost := m.MeanCost()
	cpuShare := cost.CPUUnits * nsPerUnit / (cost.CPUUnits*nsPerUnit + float64(cost.Grill+cost.Rest))
	switch limit {
	case kitchen.LimitCores:
		fmt.Fprintf(&b, "; the cores bind: at %s of cooking per dish, %g core(s) serve at most %s dishes/s, so only more cores serve it faster",
			results.FormatNs(cost.CPUUnits*nsPerUnit), st.Capacity(measured).Cores, results.FormatRate(terms[limit]))
	case kitchen.LimitGrills:
		fmt.Fprintf(&b, "; the %d grills bind (%s dishes/s at most), so more cooks or cores would not help", m.Grills, results.FormatRate(terms[limit]))
	case kitchen.LimitInProgress:
		fmt.Fprintf(&b, "; waiting binds (%.0f%% of a dish's time is waiting): what counts is how many dishes are in progress at once", 100*(1-cpuShare))
	}
	if a.runnerUp != "" {
		r := byName[a.runnerUp]
		fmt.Fprintf(&b, ". Runner-up %s reaches %s dishes/s (%.0f%% of it)", a.runnerUp, results.FormatRate(r.Throughput.Center), 100*r.Throughput.Center/p.Throughput.Center)
		if a.runnerUp != a.pick && r.Throughput.Center >= 0.95*p.Throughput.Center {
			fmt.Fprintf(&b, " but is less simple")
		} else if rs, err := strategies.New(a.runnerUp); err == nil {
			fmt.Fprintf(&b, "%s", need(m, rs, p.Throughput.Center, nsPerUnit, measured))
		}
		if !a.meets[a.runnerUp] {
			fmt.Fprintf(&b, ", and misses the SLO (%s)", a.why[a.runnerUp])
		}
	}
	if cores > measured {
		pb := kitchen.Bound(m, st.Capacity(cores), nsPerUnit)
		fmt.Fprintf(&b, ". Measured at %d cores (this machine's CPUs); at %d cores the model bound for %s is %s dishes/s", measured, cores, a.pick, results.FormatRate(pb))
	}
	b.WriteString(".")
	a.reason = b.String()
	return a
}

// need says what the runner-up would need to match target dishes/s,
// according to the model bound.
func need(m *kitchen.Menu, s strategies.Strategy, target, nsPerUnit float64, cores int) string {
	limit, terms := kitchen.Binding(m, s.Capacity(cores), nsPerUnit)
	if terms[limit] >= target {
		return ""
	}
	factor := target / terms[limit]
	switch limit {
	case kitchen.LimitCores:
		if c := s.Capacity(cores).Cores; c < float64(cores) {
			return fmt.Sprintf(": it computes on %g core(s) whatever the machine has", c)
		}
		return fmt.Sprintf(": it would need %d cores to match", int(math.Ceil(factor*float64(cores))))
	case kitchen.LimitInProgress:
		return fmt.Sprintf(": it would need %.0f× more dishes in progress at once (more cooks) to match", factor)
	case kitchen.LimitGrills:
		return fmt.Sprintf(": it would need %.0f× more grills", factor)
	}
	return ""
}

func percentileOf(s results.CellSummary, p float64) float64 {
	switch percentileName(p) {
	case "p50":
		return s.P50
	case "p90":
		return s.P90
	case "p99":
		return s.P99
	case "p999":
		return s.P999
	}
	return s.Max
}

// percentileName names the summary percentile percentileOf uses for p.
func percentileName(p float64) string {
	switch {
	case p <= 50:
		return "p50"
	case p <= 90:
		return "p90"
	case p <= 99:
		return "p99"
	case p <= 99.9:
		return "p999"
	}
	return "max"
}

// latencyText formats percentile q of s, as "≥121ms" when it is only a
// lower bound (censored orders reach it).
func latencyText(s results.CellSummary, q string) string {
	v := results.FormatNs(percentileOf(s, map[string]float64{"p50": 50, "p90": 90, "p99": 99, "p999": 99.9, "max": 100}[q]))
	if s.IsLower(q) {
		return "≥" + v
	}
	return v
}

func printAdvice(w io.Writer, m *kitchen.Menu, a advice, slos []bench.SLO) {
	fmt.Fprintf(w, "menu %s: %s\n\n", m.Name, m.About)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "strategy\tdishes/s\t% of bound\tp50\tp99\tSLO")
	rows := slices.Clone(a.rows)
	slices.SortFunc(rows, func(x, y results.CellSummary) int {
		return strategyRank(x.Strategy) - strategyRank(y.Strategy)
	})
	for _, s := range rows {
		slo := "-"
		if len(slos) > 0 {
			slo = "meets"
			if !a.meets[s.Strategy] {
				slo = "misses: " + a.why[s.Strategy]
			}
		}
		mark := ""
		if s.Strategy == a.pick {
			mark = "  ← recommended"
		}
		fmt.Fprintf(tw, "%s\t%s\t%.0f%%\t%s\t%s\t%s%s\n", s.Strategy, results.FormatRate(s.Throughput.Center), s.PctOfBound(),
			latencyText(s, "p50"), latencyText(s, "p99"), slo, mark)
	}
	tw.Flush()
	if a.pick != "" {
		fmt.Fprintf(w, "\nRecommendation: %s. %s\n", a.pick, a.reason)
	} else {
		fmt.Fprintf(w, "\nNo recommendation: %s.\n", a.reason)
	}
}

func strategyRank(name string) int {
	if i := slices.Index(strategies.Names(), name); i >= 0 {
		return i
	}
	return len(strategies.Names())
}
