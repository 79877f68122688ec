package bench

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/stats"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// Sample flags, as written in results.Sample.Flags.
const (
	FlagOverBound     = "over-bound"      // DishesPerSec above Bound
	FlagMixStarvation = "mix-starvation"  // started a much lighter mix than the menu's
	FlagStarved       = "starved"         // the process did not get its cores
	FlagCensoredP99   = "censored-p99"    // p99 is a lower bound
	FlagNoSteadyState = "no-steady-state" // Little's law: mean latency beyond warm-up + window
)

// StarvedShare is the share of the cores a sample should have kept busy
// below which it counts as starved, when the machine shows the missing
// time spent elsewhere. A CPU-bound strategy on a quiet machine receives
// 0.95 or more of its cores over a window (the rest is the collector's
// pauses and timer wake-ups); a neighbour keeping one of two cores busy
// leaves it about 0.55.
const StarvedShare = 0.8

// MixStarvationRatio is how far the bound of the mix of orders a sample
// started may exceed the bound of the menu's own mix before the sample is
// flagged: a strategy that takes its light dishes first and leaves the
// heavy ones queued serves a lighter mix, and its served-mix bound (Bound)
// rises to match, hiding the starvation. The started mix, not the served
// one, is compared: a short window serves few of a long dish even when
// every one was started at once (big-roast's served-mix bound is up to 3×
// its menu's in 120 ms windows, for every strategy), and that is the
// window's length, not starvation. 25% is the starvation of a dish; and
// the dish must be significantly short of its weight (mixShort), not a
// few orders' chance.
const MixStarvationRatio = 1.25

// Window is what Judge knows of a sample beyond its figures.
type Window struct {
	Usage  Usage         // CPU over the window
	Warmup time.Duration // unmeasured service before it
	// StartedBound is the model bound for the mix of orders the sample
	// started (served, failed, or censored after starting); 0: unknown,
	// and no mix-starvation is judged.
	StartedBound float64
	// MixShort says some dish was started significantly less often than
	// the menu's weights say (see mixShort): without it a lighter
	// started mix is the chance of a few orders, not starvation.
	MixShort bool
}

// mixShortP is the binomial tail probability below which a dish counts as
// started too rarely: a 120 ms window of big-roast starts a few dozen
// orders, of which the roast is a few, and by chance none in about one
// sample in ten; one in a thousand is no chance.
const mixShortP = 0.001

// mixShort reports whether some dish of weights was started significantly
// less often than its weight says: P(X <= counts[i]) < mixShortP for X
// binomial with the orders started and the dish's share.
func mixShort(weights, counts []float64) bool {
	n, total := 0.0, 0.0
	for i := range counts {
		n += counts[i]
		total += weights[i]
	}
	if n == 0 || total <= 0 {
		return false
	}
	for i := range counts {
		if w := weights[i] / total; w > 0 && w < 1 && binomCDF(int(counts[i]), int(n), w) < mixShortP {
			return true
		}
	}
	return false
}

// binomCDF returns P(X <= k) for X binomial(n, p), summing the terms in
// log space.
func binomCDF(k, n int, p float64) float64 {
	if k >= n {
		return 1
	}
	lq, lp := math.Log1p(-p), math.Log(p)
	lgN, _ := math.Lgamma(float64(n + 1))
	sum := 0.0
	for i := 0; i <= k; i++ {
		a, _ := math.Lgamma(float64(i + 1))
		b, _ := math.Lgamma(float64(n - i + 1))
		sum += math.Exp(lgN - a - b + float64(i)*lp + float64(n-i)*lq)
	}
	return min(sum, 1)
}

// ExpectedCores returns how many cores a strategy with capacity c should
// keep busy on menu m at cores, when it serves at rate dishes/s: the CPU
// demand rate × cpu-per-dish, at most its Capacity's cores, the core count
// and this machine's CPUs. Where cores bind the model bound, this is the
// Capacity's cores; where grills or waiting bind, it is less.
func ExpectedCores(m *kitchen.Menu, c kitchen.Capacity, cores int, nsPerUnit, rate float64) float64 {
	cpu := m.MeanCost().CPUUnits * nsPerUnit / float64(time.Second)
	return min(rate*cpu, c.Cores, float64(cores), float64(runtime.NumCPU()))
}

// Starved reports whether a sample that should have kept expected cores
// busy was kept from them: it received less than StarvedShare of them,
// and (where the machine's counters are known) other processes or the
// hypervisor used at least half of what it missed. The second condition
// tells starvation from a strategy that idles by its own design (a convoy
// on a lock): that leaves the machine idle, not busy. Below half a core
// the figures are too coarse to judge (/proc/stat counts 10 ms ticks).
func Starved(expected float64, u Usage) bool {
	if expected < 0.5 || u.Window <= 0 || u.CPU <= 0 {
		return false
	}
	got := u.Cores()
	if got >= StarvedShare*expected {
		return false
	}
	if !u.Machine {
		return true
	}
	missed := (expected - got) * float64(u.Window)
	return float64(u.Other()+u.Steal) >= missed/2
}

// DelayedShare is how long, as a share of the window, the process's
// threads may wait in all for a CPU before a latency measurement counts as
// starved (see Delayed). On a quiet machine with no more cores asked for
// than it has, they wait well under 1% of it.
const DelayedShare = 0.1

// Delayed reports whether the process's threads spent at least
// DelayedShare of the window runnable but waiting for a CPU: a latency
// measurement is then starved even where the process needed too little
// CPU for Starved to judge (an open loop at a modest rate), since each
// order's latency includes the waits. False where the wait is unknown.
func Delayed(u Usage) bool {
	return u.Waited && u.Window > 0 && float64(u.Wait) >= DelayedShare*float64(u.Window)
}

// Judge sets s.Flags (and s.Starved) from its figures and the window's CPU
// usage: over its bound, a starved mix, censored latency, no steady state
// within warm-up + window, a starved process. Starved samples are kept and
// marked, not measured again: a machine that is busy now is likely busy a
// moment later, and a retaken sample would hide how often it happened;
// claims, which need a verdict, measure again instead (see CheckClaims).
func Judge(k *kitchen.Kitchen, s *results.Sample, w Window) {
	u, warmup := w.Usage, w.Warmup
	s.Flags = nil
	if s.Bound > 0 && s.DishesPerSec > s.Bound {
		s.Flags = append(s.Flags, FlagOverBound)
	}
	if s.MixBound > 0 && w.StartedBound > MixStarvationRatio*s.MixBound && w.MixShort {
		s.Flags = append(s.Flags, FlagMixStarvation)
	}
	if slices.Contains(s.Latency.Lower, "p99") {
		s.Flags = append(s.Flags, FlagCensoredP99)
	}
	if lm := s.Latency.LittleMean; lm > 0 && lm > float64(warmup+s.Elapsed) {
		s.Flags = append(s.Flags, FlagNoSteadyState)
	}
	if Starved(expectedOf(k.Menu, s), u) || (s.TargetRate > 0 && Delayed(u)) {
		s.Starved = true
		s.Flags = append(s.Flags, FlagStarved)
	}
}

// expectedOf returns the cores sample s of menu m should have kept busy:
// at the menu's own mix's bound (an open loop's is already capped by the
// orders placed), with the sample's calibration.
func expectedOf(m *kitchen.Menu, s *results.Sample) float64 {
	st, err := strategies.New(s.Strategy)
	if err != nil || s.NsPerUnit <= 0 {
		return 0
	}
	return ExpectedCores(m, st.Capacity(s.Cores), s.Cores, s.NsPerUnit, s.MixBound)
}

// StarvedCell sums up the starved samples of one cell.
type StarvedCell struct {
	results.Cell
	Expected float64 // cores the strategy should have kept busy (median over the cell)
	Received float64 // cores the process received, mean over the starved samples
	Starved  int     // starved samples
	Samples  int     // samples of the cell
}

// String says it in one line, e.g. "banquet/pool at 2 cores: the process
// received 1.1 of 2 cores in 2 of 6 samples".
func (c StarvedCell) String() string {
	unit := "cores"
	if c.Cores == 1 {
		unit = "core"
	}
	return fmt.Sprintf("%s/%s at %d %s: the process received %.2g of %.3g cores in %d of %d samples",
		c.Menu, c.Strategy, c.Cores, unit, c.Received, c.Expected, c.Starved, c.Samples)
}

// FindStarved returns the cells with starved samples, in the order of
// their first sample. menus gives each sample's menu by name; samples of
// other menus are left out.
func FindStarved(menus []*kitchen.Menu, samples []results.Sample) []StarvedCell {
	byName := map[string]*kitchen.Menu{}
	for _, m := range menus {
		byName[m.Name] = m
	}
	type acc struct {
		expected []float64
		received float64
		starved  int
	}
	var order []results.Cell
	cells := map[results.Cell]*acc{}
	for i := range samples {
		s := &samples[i]
		m, ok := byName[s.Menu]
		if !ok {
			continue
		}
		a := cells[s.Cell()]
		if a == nil {
			a = &acc{}
			cells[s.Cell()] = a
			order = append(order, s.Cell())
		}
		a.expected = append(a.expected, expectedOf(m, s))
		if s.Starved {
			a.starved++
			a.received += s.CoresReceived
		}
	}
	var out []StarvedCell
	for _, c := range order {
		a := cells[c]
		if a.starved == 0 {
			continue
		}
		expected := stats.Median(a.expected) // never empty
		out = append(out, StarvedCell{Cell: c, Expected: expected, Received: a.received / float64(a.starved),
			Starved: a.starved, Samples: len(a.expected)})
	}
	return out
}
