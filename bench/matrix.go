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
	// Warmup is the closed loop's unmeasured service before each window
	// (see Load): a duration, or AutoWarmup.
	Warmup    time.Duration
	NsPerUnit float64 // calibrated cost of a work unit, for the model bounds

	// Calibrate, when set, measures a work unit's cost again before each
	// round, and the round's bounds use the fastest cost seen so far in
	// the run (NsPerUnit included). Noise only ever slows a calibration
	// (a loaded 2-core machine read 850 to 3,000 ns a unit between
	// rounds, and a round judged against a slow one read 178% of its
	// bound), so the fastest is the best estimate of the machine's speed,
	// and a bound made from it can only err high, never below what the
	// machine did. A machine that speeds up (a noisy start) is caught by
	// a later round.
	Calibrate func() float64

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

// AutoWarmup, as Matrix.Warmup, warms each cell up for the model's lower
// bound on its steady-state mean latency, customers ÷ bound (Little's
// law), at most the window's length. A closed loop starts with every
// customer ordering at once; once each has been served, which takes at
// least that long, the start has washed out. Cells that need longer than
// a window are flagged "no-steady-state" rather than warmed for seconds.
const AutoWarmup time.Duration = -1

// ParseWarmup reads a warm-up as `kitchen run --warmup` takes it: "auto"
// (AutoWarmup) or a duration in [0, 1h].
func ParseWarmup(s string) (time.Duration, error) {
	if s == "auto" {
		return AutoWarmup, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 || d > time.Hour {
		return 0, fmt.Errorf("%q: want auto or a duration in [0, 1h], such as 50ms", s)
	}
	return d, nil
}

// warmupFor returns the warm-up of cell c in a round calibrated at
// nsPerUnit.
func (m *Matrix) warmupFor(c cell, nsPerUnit float64) time.Duration {
	if m.Warmup != AutoWarmup {
		return max(m.Warmup, 0)
	}
	b := kitchen.BoundCosts(c.k.Menu, c.s.Capacity(c.cores), m.costs(nsPerUnit))
	if !(b > 0) || nsPerUnit <= 0 {
		return 0
	}
	little := time.Duration(float64(c.k.Menu.Customers) / b * float64(time.Second))
	return min(little, m.Duration)
}

// costs are the calibrated prices a round's bounds use, its work unit
// at nsPerUnit.
func (m *Matrix) costs(nsPerUnit float64) kitchen.Costs {
	c := kitchen.Costs{NsPerUnit: nsPerUnit}
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

// Estimate returns how long Run's windows and warm-ups take in all (auto
// warm-ups estimated at NsPerUnit), leaving out calibrations and the time
// an open loop waits for its last orders.
func (m *Matrix) Estimate() time.Duration {
	cs, err := m.cells()
	if err != nil {
		return 0
	}
	var d time.Duration
	for _, c := range cs {
		d += m.Duration
		if m.Arrivals == "" {
			d += m.warmupFor(c, m.NsPerUnit)
		}
	}
	return d * time.Duration(m.Count)
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
	ns := m.NsPerUnit
	for iter := 0; iter < m.Count; iter++ {
		if m.Calibrate != nil {
			runtime.GOMAXPROCS(prev)
			if v := m.Calibrate(); v > 0 && (ns <= 0 || v < ns) {
				ns = v
			}
		}
		for j := range cs {
			c := cs[(j+iter)%len(cs)]
			runtime.GOMAXPROCS(c.cores)
			runtime.GC() // start each sample with a clean heap
			s, err := m.sample(ctx, c, iter, ns)
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

func (m *Matrix) sample(ctx context.Context, c cell, iter int, nsPerUnit float64) (results.Sample, error) {
	var grillCPU0 time.Duration
	grillOK := false
	if m.IO != nil {
		grillCPU0, grillOK = m.IO.GrillCPU(c.k.Menu.Name)
	}
	s, err := m.sampleOnce(ctx, c, iter, nsPerUnit)
	if err == nil && grillOK && s.Served > 0 {
		if cpu1, ok := m.IO.GrillCPU(c.k.Menu.Name); ok {
			s.GrillCPUPerDish = float64(cpu1-grillCPU0) / float64(s.Served)
		}
	}
	return s, err
}

func (m *Matrix) sampleOnce(ctx context.Context, c cell, iter int, nsPerUnit float64) (results.Sample, error) {
	costs := m.costs(nsPerUnit)
	if m.Arrivals == "" {
		warmup := max(m.warmupFor(c, nsPerUnit), warmupOf(c.k.Menu))
		res, err := Run(ctx, c.k, c.s, Load{Duration: m.Duration, Warmup: warmup})
		if err != nil {
			return results.Sample{}, err
		}
		s := SampleOfCosts(c.k, res, c.cores, costs)
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
	s := OpenSampleOfCosts(c.k, res, m.Duration, c.cores, costs)
	s.Iter = iter
	return s, nil
}

// SampleOf turns one closed-loop run of k at cores into a result sample,
// with its latency histogram (censored orders included, at their age),
// per-dish latencies, model bounds, CPU use and flags (see Judge).
func SampleOf(k *kitchen.Kitchen, res *Result, cores int, nsPerUnit float64) results.Sample {
	return SampleOfCosts(k, res, cores, kitchen.Costs{NsPerUnit: nsPerUnit})
}

// SampleOfCosts is SampleOf for menus with call or read steps, whose
// bounds also price their round trips and reads (kitchen.BoundCosts).
func SampleOfCosts(k *kitchen.Kitchen, res *Result, cores int, costs kitchen.Costs) results.Sample {
	s, started, short := sampleOf(k, res, cores, costs)
	if res.Customers > 0 && s.DishesPerSec > 0 {
		s.Latency.LittleMean = float64(res.Customers) / s.DishesPerSec * float64(time.Second)
	}
	Judge(k, &s, Window{Usage: res.Usage, Warmup: res.Warmup, StartedBound: started, MixShort: short})
	return s
}

// OpenSampleOf turns one open-loop run of k at cores, whose schedule lasted
// window, into a result sample. Its bound is the model's or the orders
// placed ÷ window, whichever is lower: a Poisson schedule places more or
// fewer orders than the target rate asks, and a kitchen cannot serve
// orders that never arrived.
func OpenSampleOf(k *kitchen.Kitchen, res *OpenResult, window time.Duration, cores int, nsPerUnit float64) results.Sample {
	return OpenSampleOfCosts(k, res, window, cores, kitchen.Costs{NsPerUnit: nsPerUnit})
}

// OpenSampleOfCosts is OpenSampleOf with call and read steps priced.
func OpenSampleOfCosts(k *kitchen.Kitchen, res *OpenResult, window time.Duration, cores int, costs kitchen.Costs) results.Sample {
	s, started, short := sampleOf(k, res.Result, cores, costs)
	s.TargetRate = res.TargetRate
	s.Behind = res.Behind
	s.DispatchLagP50 = float64(res.DispatchLagP50)
	s.DispatchLagP99 = float64(res.DispatchLagP99)
	if window > 0 {
		placed := float64(res.Submitted) / window.Seconds()
		s.Bound = min(s.Bound, placed)
		s.MixBound = min(s.MixBound, placed)
		started = min(started, placed)
	}
	Judge(k, &s, Window{Usage: res.Usage, StartedBound: started, MixShort: short})
	return s
}

// sampleOf returns the sample of res, the model bound of the mix of
// orders it started (0 when unknown), and whether a dish was started
// significantly less often than its weight (see mixShort).
func sampleOf(k *kitchen.Kitchen, res *Result, cores int, costs kitchen.Costs) (results.Sample, float64, bool) {
	nsPerUnit := costs.NsPerUnit
	s := results.Sample{
		Menu:         k.Menu.Name,
		Strategy:     res.Strategy,
		Cores:        cores,
		Orders:       res.Submitted,
		Served:       res.Served,
		Failed:       res.Failed,
		Cancelled:    res.Cancelled,
		Unfinished:   res.Unfinished,
		Censored:     res.Censored,
		Elapsed:      res.Elapsed,
		DishesPerSec: res.Throughput(),
		Errors:       res.Errors,
		NsPerUnit:    nsPerUnit,
	}
	started, short := 0.0, false
	if st, err := strategies.New(res.Strategy); err == nil && nsPerUnit > 0 {
		c := st.Capacity(cores)
		s.Bound = kitchen.BoundCosts(mixOf(k.Menu, res, served), c, costs)
		s.MixBound = kitchen.BoundCosts(k.Menu, c, costs)
		startedMix := mixOf(k.Menu, res, wasStarted)
		started = kitchen.BoundCosts(startedMix, c, costs)
		weights, counts := make([]float64, len(k.Menu.Dishes)), make([]float64, len(k.Menu.Dishes))
		for i := range k.Menu.Dishes {
			weights[i] = k.Menu.Dishes[i].Weight
			if startedMix != k.Menu {
				counts[i] = startedMix.Dishes[i].Weight // mixOf weighs by counts
			}
		}
		short = mixShort(weights, counts)
	}
	h := results.NewHistogram()
	for _, r := range res.Records {
		if r.Outcome != strategies.Failed {
			h.Record(r.Latency) // censored orders too, at their age
		}
	}
	s.Hist = h
	lat := res.Latencies(-1)
	s.Latency = latencyOf(lat)
	s.CensoredMin = time.Duration(lat.CensoredMin)
	if len(k.Menu.Dishes) > 1 {
		s.PerDish = make(map[string]results.Latency, len(k.Menu.Dishes))
		for i, d := range k.Menu.Dishes {
			if l := res.Latencies(i); l.N > 0 {
				s.PerDish[d.Name] = latencyOf(l)
			}
		}
	}
	u := res.Usage
	if u.CPU > 0 && u.Window > 0 {
		s.CPUTime = u.CPU
		s.CoresReceived = u.Cores()
		if res.Served > 0 {
			s.CPUPerDish = float64(u.CPU) / float64(res.Served)
		}
	}
	if u.Machine {
		s.StealTime, s.OtherCPU = u.Steal, u.Other()
	}
	return s, started, short
}

// served selects the orders served.
func served(r Record) bool { return r.Outcome == strategies.Served }

// wasStarted selects the orders a cook or loop started: served, failed,
// or censored after starting (its queueing shorter than its age).
func wasStarted(r Record) bool { return !r.Censored || r.Queue < r.Latency }

// mixOf returns m with its dishes weighted by how often each record that
// keep selects names it. With served, a sample's bound describes the work
// it did: a short window of a menu with a rare heavy dish serves fewer of
// them than the weights say (a dish still cooking when the window closes
// is not served), and the menu's own mix would then put the bound below
// what was measured.
func mixOf(m *kitchen.Menu, res *Result, keep func(Record) bool) *kitchen.Menu {
	counts := make([]float64, len(m.Dishes))
	total := 0.0
	for _, r := range res.Records {
		if keep(r) && r.Dish >= 0 && int(r.Dish) < len(counts) {
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
		Lower: l.Lower(),
	}
}

// IOWarmup is how long a closed-loop sample of a menu with call steps
// serves at least before its window opens (Load.Warmup): enough for a
// strategy to open its connections to the grill service, one per call in
// flight (a thousand for dinner-rush-net), on a loaded two-core machine.
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
