package bench

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// Matrix runs every menu with every strategy at every core count, Count
// timed samples per cell. Samples are interleaved: each round takes one
// sample of every cell, starting each round one cell further along, so
// slow drift of the machine (thermal throttling, a neighbour's job) spreads
// evenly over the cells instead of landing on whichever ran last.
type Matrix struct {
	Menus      []*kitchen.Menu
	Strategies []string
	Cores      []int         // GOMAXPROCS values
	Count      int           // samples per cell
	Duration   time.Duration // length of each sample's window
	NsPerUnit  float64       // calibrated cost of a work unit, for the model bounds

	// Arrivals, when set, measures an open loop instead of the closed
	// loop of each menu's customers: orders arrive at Rate per second, or
	// at each menu's own Rate when Rate is 0.
	Arrivals Arrivals
	Rate     float64

	// Waits says how the kitchens time their waits; "" means precise.
	Waits kitchen.Waits

	// IO provides the grill services and the pantry of menus with call
	// and read steps (StartIO); nil is fine for menus without them.
	IO *Rig

	// Progress, when set, is called after every sample with the number of
	// samples done and in all.
	Progress func(done, total int, s results.Sample)
}

// costs are the calibrated prices the matrix's bounds use.
func (m *Matrix) costs() kitchen.Costs {
	c := kitchen.Costs{NsPerUnit: m.NsPerUnit}
	if m.IO != nil {
		c.CallRTT, c.ReadNsPerKiB = m.IO.CallRTT, m.IO.ReadNsPerKiB
	}
	return c
}

type cell struct {
	k     *kitchen.Kitchen
	s     strategies.Strategy
	cores int
}

func (m *Matrix) cells() ([]cell, error) {
	if len(m.Menus) == 0 || len(m.Strategies) == 0 || len(m.Cores) == 0 {
		return nil, fmt.Errorf("bench: matrix needs at least one menu, strategy and core count")
	}
	if m.Count < 1 || m.Duration <= 0 {
		return nil, fmt.Errorf("bench: matrix needs Count >= 1 and Duration > 0")
	}
	var cs []cell
	for _, menu := range m.Menus {
		k, err := kitchen.New(menu)
		if err != nil {
			return nil, err
		}
		k.Waits = m.Waits
		if menu.HasIO() {
			if m.IO == nil {
				return nil, fmt.Errorf("bench: menu %q has call or read steps: the matrix needs IO (StartIO)", menu.Name)
			}
			if err := m.IO.Equip(k); err != nil {
				return nil, err
			}
		}
		if m.Arrivals != "" && m.Rate <= 0 && menu.Rate <= 0 {
			return nil, fmt.Errorf("bench: menu %q has no arrival rate of its own: give one for the open loop", menu.Name)
		}
		for _, name := range m.Strategies {
			s, err := strategies.New(name)
			if err != nil {
				return nil, err
			}
			for _, c := range m.Cores {
				if c < 1 {
					return nil, fmt.Errorf("bench: core count %d out of range [1, ∞)", c)
				}
				cs = append(cs, cell{k: k, s: s, cores: c})
			}
		}
	}
	return cs, nil
}

// Total returns how many samples Run takes.
func (m *Matrix) Total() int {
	return len(m.Menus) * len(m.Strategies) * len(m.Cores) * m.Count
}

// Run takes every sample and returns them. When ctx ends early it returns
// the samples finished so far with ctx's error; a sample cut short by ctx
// is dropped, never reported as complete.
func (m *Matrix) Run(ctx context.Context) ([]results.Sample, error) {
	cs, err := m.cells()
	if err != nil {
		return nil, err
	}
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	total := len(cs) * m.Count
	out := make([]results.Sample, 0, total)
	for iter := 0; iter < m.Count; iter++ {
		for j := range cs {
			c := cs[(j+iter)%len(cs)]
			runtime.GOMAXPROCS(c.cores)
			runtime.GC() // start each sample with a clean heap
			s, err := m.sample(ctx, c, iter)
			if err != nil {
				return out, err
			}
			out = append(out, s)
			if m.Progress != nil {
				m.Progress(len(out), total, s)
			}
		}
	}
	return out, nil
}

func (m *Matrix) sample(ctx context.Context, c cell, iter int) (results.Sample, error) {
	var grillCPU0 time.Duration
	grillOK := false
	if m.IO != nil {
		grillCPU0, grillOK = m.IO.GrillCPU(c.k.Menu.Name)
	}
	s, err := m.sampleOnce(ctx, c, iter)
	if err == nil && grillOK && s.Served > 0 {
		if cpu1, ok := m.IO.GrillCPU(c.k.Menu.Name); ok {
			s.GrillCPUPerDish = float64(cpu1-grillCPU0) / float64(s.Served)
		}
	}
	return s, err
}

func (m *Matrix) sampleOnce(ctx context.Context, c cell, iter int) (results.Sample, error) {
	if m.Arrivals == "" {
		res, err := Run(ctx, c.k, c.s, Load{Duration: m.Duration, Warmup: warmupOf(c.k.Menu)})
		if err != nil {
			return results.Sample{}, err
		}
		s := SampleOfCosts(c.k, res, c.cores, m.costs())
		s.Iter = iter
		return s, nil
	}
	rate := m.Rate
	if rate <= 0 {
		rate = c.k.Menu.Rate
	}
	// Each round gets its own arrival schedule; every strategy and core
	// count in a round sees the same one.
	res, err := RunOpen(ctx, c.k, c.s, OpenLoad{Rate: rate, Arrivals: m.Arrivals, Duration: m.Duration, Seed: c.k.Menu.Seed + uint64(iter)})
	if err != nil {
		return results.Sample{}, err
	}
	s := SampleOfCosts(c.k, res.Result, c.cores, m.costs())
	s.Iter = iter
	s.TargetRate = rate
	s.Behind = res.Behind
	s.DispatchLagP50 = float64(res.DispatchLagP50)
	s.DispatchLagP99 = float64(res.DispatchLagP99)
	s.Bound = min(s.Bound, rate)
	return s, nil
}

// SampleOf turns one run of k at cores into a result sample, with its
// latency histogram, per-dish latencies and model bound.
func SampleOf(k *kitchen.Kitchen, res *Result, cores int, nsPerUnit float64) results.Sample {
	return SampleOfCosts(k, res, cores, kitchen.Costs{NsPerUnit: nsPerUnit})
}

// SampleOfCosts is SampleOf for menus with call or read steps, whose bound
// also prices their round trips and reads (kitchen.BoundCosts).
func SampleOfCosts(k *kitchen.Kitchen, res *Result, cores int, costs kitchen.Costs) results.Sample {
	s := results.Sample{
		Menu:         k.Menu.Name,
		Strategy:     res.Strategy,
		Cores:        cores,
		Orders:       res.Submitted,
		Served:       res.Served,
		Failed:       res.Failed,
		Cancelled:    res.Cancelled,
		Unfinished:   res.Unfinished,
		Elapsed:      res.Elapsed,
		DishesPerSec: res.Throughput(),
		Errors:       res.Errors,
	}
	if st, err := strategies.New(res.Strategy); err == nil && costs.NsPerUnit > 0 {
		s.Bound = kitchen.BoundCosts(servedMix(k.Menu, res), st.Capacity(cores), costs)
	}
	h := results.NewHistogram()
	for _, r := range res.Records {
		if r.Outcome != strategies.Failed {
			h.Record(r.Latency)
		}
	}
	s.Hist = h
	s.Latency = latencyOf(res.Latencies(-1))
	if len(k.Menu.Dishes) > 1 {
		s.PerDish = make(map[string]results.Latency, len(k.Menu.Dishes))
		for i, d := range k.Menu.Dishes {
			if l := res.Latencies(i); l.N > 0 {
				s.PerDish[d.Name] = latencyOf(l)
			}
		}
	}
	return s
}

// servedMix returns m with its dishes weighted by how often each was
// served in res, so that a sample's bound describes the work it did. A
// short window of a menu with a rare heavy dish serves fewer of them than
// the weights say (a dish still cooking when the window closes is not
// counted), and the menu's own mix would then put the bound below what was
// measured.
func servedMix(m *kitchen.Menu, res *Result) *kitchen.Menu {
	counts := make([]float64, len(m.Dishes))
	total := 0.0
	for _, r := range res.Records {
		if r.Outcome == strategies.Served && r.Dish >= 0 && int(r.Dish) < len(counts) {
			counts[r.Dish]++
			total++
		}
	}
	if total == 0 {
		return m
	}
	mix := *m
	mix.Dishes = slices.Clone(m.Dishes)
	for i := range mix.Dishes {
		mix.Dishes[i].Weight = counts[i]
	}
	return &mix
}

func latencyOf(l Latencies) results.Latency {
	return results.Latency{
		P50: float64(l.P50), P90: float64(l.P90), P99: float64(l.P99),
		P999: float64(l.P999), Max: float64(l.Max),
		QueueP50: float64(l.QueueP50), ServiceP50: float64(l.ServiceP50),
	}
}

// IOWarmup is how long a closed-loop sample of a menu with call steps
// serves before its window opens (Load.Warmup): enough for a strategy to
// open its connections to the grill service, one per call in flight (a
// thousand for dinner-rush-net), on a loaded two-core machine.
//
// Note: without it a 120 ms sample of dinner-rush-net measured mostly the
// thousand connects of its start, which goroutines pay in a burst that
// Go's scheduler serves in FIFO order (its first dish came after ~100 ms
// at one core, against ~6 ms for the event loop), while a server that
// runs for hours opens them once.
const IOWarmup = 200 * time.Millisecond

func warmupOf(m *kitchen.Menu) time.Duration {
	if m.HasKind(kitchen.Call) {
		return IOWarmup
	}
	return 0
}
