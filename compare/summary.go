package compare

import (
	"fmt"
	"math"
	"slices"

	"golang.org/x/perf/benchmath"

	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/stats"
)

// Confidence is the confidence level of every interval in this package.
const Confidence = 0.95

// Alpha is the significance level of every comparison in this package:
// a change counts when the Mann-Whitney U test's p-value is at most Alpha.
const Alpha = 0.05

// thresholds are benchmath's thresholds at our Alpha.
var thresholds = benchmath.Thresholds{CompareAlpha: Alpha}

// MinSamplesCI is the fewest samples for which benchmath gives a finite
// confidence interval at Confidence (6 at 95%), and MinSamplesCompare the
// fewest per side for which its U test can reach Alpha (4 at 0.05). Both
// are asked of benchmath, whose warnings they are, never written down.
var (
	MinSamplesCI = fewest(func(v []float64) bool {
		return len(benchmath.AssumeNothing.Summary(benchmath.NewSample(v, &thresholds), Confidence).Warnings) == 0
	})
	MinSamplesCompare = fewest(func(v []float64) bool {
		a, b := benchmath.NewSample(v, &thresholds), benchmath.NewSample(slices.Clone(v), &thresholds)
		return len(benchmath.AssumeNothing.Compare(a, b).Warnings) == 0
	})
)

// fewest returns the smallest n (up to 100) for which ok holds of n
// distinct values.
func fewest(ok func([]float64) bool) int {
	for n := 1; n < 100; n++ {
		v := make([]float64, n)
		for i := range v {
			v[i] = float64(i + 1)
		}
		if ok(v) {
			return n
		}
	}
	return 100
}

// Estimate is a median with its confidence interval.
//
// Lo and Hi bound the 95% confidence interval of the median (distribution
// free, as benchstat computes it). With too few samples for such an interval
// (fewer than MinSamplesCI) they are -Inf and +Inf, as in benchmath; HasCI reports
// whether the interval is finite.
type Estimate struct {
	Center, Lo, Hi float64
	N              int
}

// estimate summarises values (which it does not modify) as a median with its
// 95% confidence interval.
func estimate(values []float64) Estimate {
	if len(values) == 0 {
		return Estimate{}
	}
	s := benchmath.NewSample(slices.Clone(values), &thresholds)
	sum := benchmath.AssumeNothing.Summary(s, Confidence)
	return Estimate{Center: stats.Median(values), Lo: sum.Lo, Hi: sum.Hi, N: len(values)}
}

// HasCI reports whether e has a finite confidence interval.
func (e Estimate) HasCI() bool {
	return e.N > 0 && !math.IsInf(e.Lo, 0) && !math.IsInf(e.Hi, 0)
}

// HalfWidthPct returns the confidence interval's larger half-width as a
// percentage of the center (benchstat's "± x%"): +Inf without a finite
// interval, 0 for a zero center.
func (e Estimate) HalfWidthPct() float64 {
	if !e.HasCI() {
		return math.Inf(1)
	}
	if e.Center == 0 {
		return 0
	}
	return 100 * math.Max(e.Hi-e.Center, e.Center-e.Lo) / math.Abs(e.Center)
}

// CellSummary summarises the samples of one cell.
type CellSummary struct {
	results.Cell
	Throughput                        Estimate // dishes/s, median with 95% CI (benchmath.AssumeNothing)
	P50, P90, P99, P999, Max          float64  // ns; from merged Hist when every sample has one, else median over samples
	Bound                             float64  // model bound dishes/s (median over samples; 0 if unknown)
	MixBound                          float64  // bound for the menu's own mix of dishes (median; 0 if unknown)
	CV                                float64  // coefficient of variation of dishes/s
	Orders, Served, Failed, Cancelled int      // totals over samples
	Censored                          int      // orders still waiting at their windows' end, total over samples
	Behind                            bool     // some sample fell behind its open-loop schedule
	// Lower names the percentiles above ("p50", "p90", "p99", "p999",
	// "max") that are lower bounds: censored orders reach them. With
	// merged histograms a percentile is one when it is at or above the
	// smallest censored age of any sample; without, when any sample
	// marked its own as one.
	Lower []string
	// LittleMean is the median over samples of Little's-law steady-state
	// mean latency (customers ÷ dishes/s), ns; 0 when unknown.
	LittleMean float64
	// CPUPerDish is the process's CPU time per served dish, ns: total CPU
	// time over total dishes served; 0 when unknown.
	CPUPerDish float64
	// Flags counts the samples carrying each flag (Sample.Flags:
	// "over-bound", "starved", "mix-starvation", ...), and N the samples.
	Flags map[string]int
	N     int
	// CoresReceived is the median over samples of the cores the process
	// received (CPU time ÷ window); 0 when unknown.
	CoresReceived float64
}

// IsLower reports whether percentile q ("p99") of s is a lower bound.
func (s CellSummary) IsLower(q string) bool { return slices.Contains(s.Lower, q) }

// FlagNames returns s's flags in a fixed order, each with its count:
// "starved 2/6".
func (s CellSummary) FlagNames() []string {
	var names []string
	for f := range s.Flags {
		names = append(names, f)
	}
	slices.Sort(names)
	out := make([]string, len(names))
	for i, f := range names {
		out[i] = fmt.Sprintf("%s %d/%d", f, s.Flags[f], s.N)
	}
	return out
}

// Summarize summarises samples per cell, sorted by menu and strategy (each
// in order of first appearance) and cores ascending. Samples of one cell
// with histograms have their histograms merged, so percentiles are those of
// every order of the cell, not medians of per-sample percentiles.
func Summarize(samples []results.Sample) []CellSummary {
	menuOrder, stratOrder := map[string]int{}, map[string]int{}
	byCell := map[results.Cell][]*results.Sample{}
	var cells []results.Cell
	for i := range samples {
		s := &samples[i]
		if _, ok := menuOrder[s.Menu]; !ok {
			menuOrder[s.Menu] = len(menuOrder)
		}
		if _, ok := stratOrder[s.Strategy]; !ok {
			stratOrder[s.Strategy] = len(stratOrder)
		}
		c := s.Cell()
		if _, ok := byCell[c]; !ok {
			cells = append(cells, c)
		}
		byCell[c] = append(byCell[c], s)
	}
	slices.SortFunc(cells, func(a, b results.Cell) int {
		if d := menuOrder[a.Menu] - menuOrder[b.Menu]; d != 0 {
			return d
		}
		if d := stratOrder[a.Strategy] - stratOrder[b.Strategy]; d != 0 {
			return d
		}
		return a.Cores - b.Cores
	})
	out := make([]CellSummary, len(cells))
	for i, c := range cells {
		out[i] = summarizeCell(c, byCell[c])
	}
	return out
}

func summarizeCell(c results.Cell, ss []*results.Sample) CellSummary {
	cs := CellSummary{Cell: c, N: len(ss)}
	dps := make([]float64, len(ss))
	var bounds, mix, little, cores []float64
	var cpu, cpuServed float64
	allHist := true
	censoredMin := math.Inf(1)
	for i, s := range ss {
		dps[i] = s.DishesPerSec
		if s.Bound > 0 {
			bounds = append(bounds, s.Bound)
		}
		if s.MixBound > 0 {
			mix = append(mix, s.MixBound)
		}
		if s.Latency.LittleMean > 0 {
			little = append(little, s.Latency.LittleMean)
		}
		if s.CoresReceived > 0 {
			cores = append(cores, s.CoresReceived)
		}
		if s.CPUTime > 0 && s.Served > 0 {
			cpu += float64(s.CPUTime)
			cpuServed += float64(s.Served)
		}
		if s.Censored > 0 {
			censoredMin = min(censoredMin, float64(s.CensoredMin))
		}
		for _, f := range s.Flags {
			if cs.Flags == nil {
				cs.Flags = map[string]int{}
			}
			cs.Flags[f]++
		}
		if s.Starved && !slices.Contains(s.Flags, "starved") {
			if cs.Flags == nil {
				cs.Flags = map[string]int{}
			}
			cs.Flags["starved"]++
		}
		cs.Orders += s.Orders
		cs.Served += s.Served
		cs.Failed += s.Failed
		cs.Cancelled += s.Cancelled
		cs.Censored += s.Censored
		cs.Behind = cs.Behind || s.Behind
		allHist = allHist && s.Hist != nil
	}
	cs.Throughput = estimate(dps)
	cs.Bound = stats.Median(bounds)
	cs.MixBound = stats.Median(mix)
	cs.LittleMean = stats.Median(little)
	cs.CoresReceived = stats.Median(cores)
	if cpuServed > 0 {
		cs.CPUPerDish = cpu / cpuServed
	}
	cs.CV = cv(dps)
	if allHist {
		var h results.Histogram
		for _, s := range ss {
			h.Merge(s.Hist)
		}
		l := h.Latency()
		cs.P50, cs.P90, cs.P99, cs.P999, cs.Max = l.P50, l.P90, l.P99, l.P999, l.Max
		for _, q := range percentileNames {
			if v := cs.Percentile(q); !math.IsInf(censoredMin, 1) && v >= censoredMin {
				cs.Lower = append(cs.Lower, q)
			}
		}
	} else {
		pick := func(f func(results.Latency) float64) float64 {
			v := make([]float64, len(ss))
			for i, s := range ss {
				v[i] = f(s.Latency)
			}
			return stats.Median(v)
		}
		cs.P50 = pick(func(l results.Latency) float64 { return l.P50 })
		cs.P90 = pick(func(l results.Latency) float64 { return l.P90 })
		cs.P99 = pick(func(l results.Latency) float64 { return l.P99 })
		cs.P999 = pick(func(l results.Latency) float64 { return l.P999 })
		cs.Max = pick(func(l results.Latency) float64 { return l.Max })
		for _, q := range percentileNames {
			for _, s := range ss {
				if slices.Contains(s.Latency.Lower, q) {
					cs.Lower = append(cs.Lower, q)
					break
				}
			}
		}
	}
	return cs
}

// percentileNames are the percentiles of a Latency, in order.
var percentileNames = []string{"p50", "p90", "p99", "p999", "max"}

// Percentile returns the summary's percentile named q (one of p50, p90,
// p99, p999, max).
func (s CellSummary) Percentile(q string) float64 {
	switch q {
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

// cv returns the coefficient of variation (sample standard deviation over
// mean) of v, or 0 when it is undefined (fewer than 2 values, mean 0).
func cv(v []float64) float64 {
	if len(v) < 2 {
		return 0
	}
	mean, variance := stats.MeanVar(v)
	if mean == 0 {
		return 0
	}
	return math.Sqrt(variance) / math.Abs(mean)
}

// PctOfBound returns the median throughput as a percentage of the model
// bound, or 0 when the bound is unknown.
func (s CellSummary) PctOfBound() float64 {
	if s.Bound <= 0 {
		return 0
	}
	return 100 * s.Throughput.Center / s.Bound
}

// Find returns the summary of cell c in sums.
func Find(sums []CellSummary, c results.Cell) (CellSummary, bool) {
	for _, s := range sums {
		if s.Cell == c {
			return s, true
		}
	}
	return CellSummary{}, false
}

// The baseline of every speedup: the same menu's sync strategy at 1 core.
const (
	BaselineStrategy = "sync"
	BaselineCores    = 1
)

// Speedups returns, for each cell of sums, its median throughput over that
// of its menu's baseline cell (sync at 1 core): the shape of a run on its
// machine. It is not machine-independent: sync at 1 core is bound by other
// resources (one core's speed, the wait steps) than the strategies that
// scale, so two machines' speedups differ even for the same code; compare
// machines by the share of the model bound (CellSummary.PctOfBound). Menus without a baseline cell (or with a zero baseline)
// have no entries.
func Speedups(sums []CellSummary) map[results.Cell]float64 {
	base := map[string]float64{}
	for _, s := range sums {
		if s.Strategy == BaselineStrategy && s.Cores == BaselineCores && s.Throughput.Center > 0 {
			base[s.Menu] = s.Throughput.Center
		}
	}
	out := make(map[results.Cell]float64, len(sums))
	for _, s := range sums {
		if b, ok := base[s.Menu]; ok {
			out[s.Cell] = s.Throughput.Center / b
		}
	}
	return out
}

// A Curve is one strategy's normalized speedup curve on one menu: speedup
// over the menu's sync at 1 core, per core count.
type Curve struct {
	Menu, Strategy string
	Cores          []int     // ascending
	Speedup        []float64 // Speedup[i] is at Cores[i]
}

// Curves returns the speedup curves of sums, one per menu and strategy, in
// the order of sums (as Summarize sorts them). Menus without a baseline
// cell have no curves.
func Curves(sums []CellSummary) []Curve {
	sp := Speedups(sums)
	var out []Curve
	for _, s := range sums {
		v, ok := sp[s.Cell]
		if !ok {
			continue
		}
		if n := len(out); n == 0 || out[n-1].Menu != s.Menu || out[n-1].Strategy != s.Strategy {
			out = append(out, Curve{Menu: s.Menu, Strategy: s.Strategy})
		}
		c := &out[len(out)-1]
		c.Cores = append(c.Cores, s.Cores)
		c.Speedup = append(c.Speedup, v)
	}
	return out
}
