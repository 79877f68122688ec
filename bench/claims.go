package bench

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/stats"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// A Claim is one of the talk's takeaways stated as a machine-independent
// ratio between two strategies serving the same menu at the same core
// count, measured side by side in one process:
//
//	Metric(Num) / Metric(Den)  ≥ Min   (when Min > 0)
//	Metric(Num) / Metric(Den)  ≤ Max   (when Max > 0)
type Claim struct {
	Talk   string // the takeaway, in a few words
	Menu   string
	Cores  int
	Num    string // strategy in the numerator
	Den    string // strategy in the denominator
	Metric string // "dishes/s", or "p99" of Dish's latency (open loop)
	Dish   string // for latency claims: whose latency
	Min    float64
	Max    float64
	// Arrivals of a latency claim's open loop; "" means Poisson.
	Arrivals Arrivals
	// Orders each strategy serves for a latency claim, over all rounds;
	// 0 means ClaimOptions.OpenOrders.
	Orders int
}

// String states the claim, e.g. "dinner-rush@1: eventloop ≥ 20 × sync (dishes/s)".
func (c Claim) String() string {
	var rel string
	switch {
	case c.Min > 0 && c.Max > 0:
		rel = fmt.Sprintf("%g×–%g×", c.Min, c.Max)
	case c.Min > 0:
		rel = fmt.Sprintf("≥ %g ×", c.Min)
	default:
		rel = fmt.Sprintf("≤ %g ×", c.Max)
	}
	metric := c.Metric
	if c.Dish != "" {
		metric = c.Dish + " " + metric
	}
	return fmt.Sprintf("%s@%d: %s %s %s (%s)", c.Menu, c.Cores, c.Num, rel, c.Den, metric)
}

func (c Claim) open() bool { return c.Metric != "dishes/s" }

func (c Claim) holds(ratio float64) bool {
	if math.IsNaN(ratio) {
		return false
	}
	return (c.Min <= 0 || ratio >= c.Min) && (c.Max <= 0 || ratio <= c.Max)
}

// Claims are the talk's takeaways, checked by `kitchen check --claims`.
var Claims = []Claim{
	{Talk: "the multitasking cook wins when work is mostly waiting", Menu: "dinner-rush", Cores: 1, Num: "eventloop", Den: "sync", Metric: "dishes/s", Min: 20},
	{Talk: "one loop per core adds cores to async", Menu: "dinner-rush", Cores: 2, Num: "loops", Den: "eventloop", Metric: "dishes/s", Min: 1.3},
	{Talk: "many cooks win when work is mostly computing", Menu: "banquet", Cores: 2, Num: "pool", Den: "sync", Metric: "dishes/s", Min: 1.8},
	{Talk: "many cooks win when work is mostly computing", Menu: "banquet", Cores: 2, Num: "goroutines", Den: "sync", Metric: "dishes/s", Min: 1.8},
	{Talk: "many cooks win when work is mostly computing", Menu: "banquet", Cores: 2, Num: "loops", Den: "sync", Metric: "dishes/s", Min: 1.8},
	{Talk: "the GIL is one grill: more cooks do not compute faster", Menu: "banquet", Cores: 2, Num: "gil", Den: "sync", Metric: "dishes/s", Max: 1.2},
	{Talk: "the harness's own overhead is small", Menu: "banquet", Cores: 1, Num: "eventloop", Den: "sync", Metric: "dishes/s", Min: 0.9},
	{Talk: "the harness's own overhead is small", Menu: "banquet", Cores: 1, Num: "pool", Den: "sync", Metric: "dishes/s", Min: 0.9},
	{Talk: "the harness's own overhead is small", Menu: "banquet", Cores: 1, Num: "loops", Den: "sync", Metric: "dishes/s", Min: 0.9},
	// 4000 orders: at 600/s that is cheap, and the pool's p99 of about
	// 2 ms rests on 40 orders rather than 15.
	{Talk: "a heavy computation blocks the event loop", Menu: "big-roast", Cores: 2, Num: "eventloop", Den: "pool", Metric: "p99", Dish: "canape", Min: 5, Orders: 4000},
	// Uniform arrivals: Poisson bursts would queue soups behind each other
	// in both strategies and blur the effect this claim isolates. Max, from
	// a model of the run: while a stew computes, a soup waits about one
	// switch interval (5 ms) for each of its 6 CPU steps and the next soup
	// queues behind it, a p99 near 47 ms against the pool's 5.3 ms (9×); a
	// GIL that never yields makes soups wait out the whole 60 ms stew, near
	// 56 ms (10.5×). The margin is thin: TestGILHandsOverUnderLoad is what
	// reliably catches such a GIL; this bound is a second, coarser check.
	{Talk: "the GIL convoy: I/O-bound work waits for the lock", Menu: "lunch-counter", Cores: 2, Num: "gil", Den: "pool", Metric: "p99", Dish: "soup", Min: 3, Max: 10, Arrivals: Uniform},
	// Real sockets: the grill steps of dinner-rush as TCP calls to the
	// grill service, a child process with cores of its own.
	{Talk: "the multitasking cook wins on real sockets too", Menu: "dinner-rush-net", Cores: 1, Num: "eventloop", Den: "sync", Metric: "dishes/s", Min: 20},
	{Talk: "an epoll loop keeps up with Go's netpoller", Menu: "dinner-rush-net", Cores: 1, Num: "eventloop", Den: "goroutines", Metric: "dishes/s", Min: 0.9},
	// Reads from the page cache are copies on the reading thread: two
	// cooks read on two cores.
	{Talk: "many cooks read in parallel", Menu: "pantry", Cores: 2, Num: "pool", Den: "sync", Metric: "dishes/s", Min: 1.6},
}

// ClaimOptions says how long to measure.
type ClaimOptions struct {
	Rounds   int           // interleaved rounds per strategy; 0 means 3
	Duration time.Duration // per closed-loop sample; 0 means 300 ms
	// OpenOrders is how many orders each open-loop strategy serves in all,
	// so a p99 rests on enough orders; 0 means 1500.
	OpenOrders int
	// Retakes is how many times in all a group may measure a round again
	// because a sample in it was starved (see Starved); 0 means 2 per
	// round asked for. A round still starved when they run out is kept,
	// and the claims it bears on are reported as starved.
	Retakes int
	// NsPerUnit is the work unit's cost for the starvation check; 0 means
	// calibrate once before measuring.
	NsPerUnit float64
	// Progress, when set, is told what is being measured.
	Progress func(msg string)
	// IO says where the call and read steps of menus such as
	// dinner-rush-net and pantry go; the zero value starts a grill service
	// child per menu and a pantry, for the group's measurements only.
	IO IOOptions

	// sample replaces measuring one strategy for one round (tests).
	sample func(ctx context.Context, k *kitchen.Kitchen, s strategies.Strategy, g *group, round int) (claimSample, error)
}

// ClaimResult is a claim with what was measured.
type ClaimResult struct {
	Claim
	Ratio    float64 // measured, median over rounds (throughput) or over all orders (latency)
	NumValue float64 // the numerator's figure (dishes/s, or ns of latency)
	DenValue float64
	Pass     bool
	Rounds   int // rounds the verdict rests on, all of them
	Retaken  int // rounds of its group measured again because a sample was starved
	// Starved says a round it rests on was still starved after the
	// retakes: the process did not get the cores the strategies should
	// have kept busy. The verdict is then inconclusive, neither pass nor
	// fail, and Pass is false.
	Starved bool
	Skipped string // why the claim could not be measured here
}

// Verdict is the claim's outcome in a word: "pass", "FAIL", "starved" or
// "skipped".
func (r ClaimResult) Verdict() string {
	switch {
	case r.Skipped != "":
		return "skipped"
	case r.Starved:
		return "starved"
	case r.Pass:
		return "pass"
	}
	return "FAIL"
}

// CheckClaims measures every claim. Claims that share a menu and core
// count share their measurements. A claim's verdict rests on all its
// rounds at once: the median of the per-round ratios (throughput) or the
// p99 over all rounds' orders (latency), never on a second try that only
// counts when the first failed (which would let a claim that holds half
// the time pass three times in four).
//
// A round in which a sample was starved, the process receiving markedly
// fewer cores than its strategy should have kept busy while other work
// took them, is measured again, up to Retakes; if one is still starved
// then, the claims it bears on are reported as starved: inconclusive,
// never failed. Claims needing more CPUs than this machine has are
// skipped, and say so. When measuring stops early (ctx ended, a group
// failed), CheckClaims returns the error with the results so far: the
// claims it could not measure are skipped, saying why.
func CheckClaims(ctx context.Context, claims []Claim, o ClaimOptions) ([]ClaimResult, error) {
	if o.Rounds <= 0 {
		o.Rounds = 3
	}
	if o.Duration <= 0 {
		o.Duration = 300 * time.Millisecond
	}
	if o.OpenOrders <= 0 {
		o.OpenOrders = 1500
	}
	if o.Retakes <= 0 {
		o.Retakes = 2 * o.Rounds
	}
	out := make([]ClaimResult, len(claims))
	var todo []int
	for i, c := range claims {
		out[i].Claim = c
		if c.Cores > runtime.NumCPU() {
			out[i].Skipped = fmt.Sprintf("needs %d CPUs, this machine has %d", c.Cores, runtime.NumCPU())
			continue
		}
		todo = append(todo, i)
	}
	if len(todo) > 0 && o.NsPerUnit <= 0 && o.sample == nil {
		o.NsPerUnit = kitchen.Calibrate(0, 0).NsPerUnit
	}
	return out, measureClaims(ctx, claims, todo, out, o)
}

// group is one menu at one core count with the strategies its claims need.
type group struct {
	menu     string
	cores    int
	open     bool
	arrivals Arrivals
	orders   int
	strat    []string
}

func measureClaims(ctx context.Context, claims []Claim, idx []int, out []ClaimResult, o ClaimOptions) (err error) {
	defer func() {
		if err == nil {
			return
		}
		why := "not measured: " + err.Error()
		if ctx.Err() != nil {
			why = "not measured: the check was stopped first"
		}
		for _, i := range idx {
			if out[i].Rounds == 0 { // its group was not measured
				out[i].Skipped = why
			}
		}
	}()
	var groups []*group
	find := func(c Claim) *group {
		for _, g := range groups {
			if g.menu == c.Menu && g.cores == c.Cores && g.open == c.open() {
				return g
			}
		}
		g := &group{menu: c.Menu, cores: c.Cores, open: c.open(), arrivals: c.Arrivals, orders: c.Orders}
		groups = append(groups, g)
		return g
	}
	for _, i := range idx {
		g := find(claims[i])
		for _, s := range []string{claims[i].Num, claims[i].Den} {
			if !slices.Contains(g.strat, s) {
				g.strat = append(g.strat, s)
			}
		}
	}
	start := time.Now()
	for gi, g := range groups {
		m, ok := kitchen.Lookup(g.menu)
		if !ok {
			return fmt.Errorf("claims: unknown menu %q", g.menu)
		}
		if o.Progress != nil {
			left := ""
			if gi > 0 {
				// The groups so far, on average, for the rest: a rough
				// guide, as groups differ in strategies and retakes.
				eta := time.Since(start) / time.Duration(gi) * time.Duration(len(groups)-gi)
				left = fmt.Sprintf(" (about %v left)", eta.Round(time.Second))
			}
			o.Progress(fmt.Sprintf("[%d/%d] %s at %d cores: %s%s", gi+1, len(groups), g.menu, g.cores, strings.Join(g.strat, ", "), left))
		}
		ms, err := measureGroup(ctx, m, g, o)
		if err != nil {
			return err
		}
		for _, i := range idx {
			c := claims[i]
			if c.Menu != g.menu || c.Cores != g.cores || c.open() != g.open {
				continue
			}
			r := &out[i]
			if c.open() {
				r.NumValue, r.DenValue = ms.p99(c.Num, c.Dish), ms.p99(c.Den, c.Dish)
				r.Ratio = r.NumValue / r.DenValue
			} else {
				r.NumValue, r.DenValue = median(ms.tput[c.Num]), median(ms.tput[c.Den])
				r.Ratio = medianRatio(ms.tput[c.Num], ms.tput[c.Den])
			}
			r.Rounds, r.Retaken = ms.rounds, ms.retaken
			r.Starved = ms.starved[c.Num] || ms.starved[c.Den]
			r.Pass = !r.Starved && c.holds(r.Ratio)
		}
	}
	return nil
}

type groupMeasure struct {
	k       *kitchen.Kitchen
	tput    map[string][]float64  // dishes/s per round
	lat     map[string][][]Record // records per round
	starved map[string]bool       // a kept round of the strategy was starved
	rounds  int                   // rounds kept
	retaken int                   // rounds measured again
}

func (g *groupMeasure) p99(strategy, dish string) float64 {
	d := -1
	for i := range g.k.Menu.Dishes {
		if g.k.Menu.Dishes[i].Name == dish {
			d = i
		}
	}
	var all Result
	for _, recs := range g.lat[strategy] {
		all.Records = append(all.Records, recs...)
	}
	return float64(all.Latencies(d).P99)
}

// claimSample is one strategy's measurement in one round.
type claimSample struct {
	tput    float64  // closed loop: dishes/s
	records []Record // open loop: every order
	starved bool
}

// measureGroup runs the group's strategies in interleaved rounds, taking
// a round again (while retakes last) when one of its samples was starved.
func measureGroup(ctx context.Context, m *kitchen.Menu, g *group, o ClaimOptions) (*groupMeasure, error) {
	k, err := kitchen.New(m)
	if err != nil {
		return nil, err
	}
	if m.HasIO() {
		rig, err := StartIO(ctx, []*kitchen.Menu{m}, o.IO)
		if err != nil {
			return nil, err
		}
		defer rig.Close()
		if err := rig.Equip(k); err != nil {
			return nil, err
		}
	}
	prev := runtime.GOMAXPROCS(g.cores)
	defer runtime.GOMAXPROCS(prev)
	sample := o.sample
	if sample == nil {
		sample = o.measure
	}
	ms := &groupMeasure{k: k, tput: map[string][]float64{}, lat: map[string][][]Record{}, starved: map[string]bool{}}
	retakes := o.Retakes
	for round := 0; round < o.Rounds; round++ {
		got := map[string]claimSample{}
		for j := range g.strat {
			name := g.strat[(j+round)%len(g.strat)]
			s, err := strategies.New(name)
			if err != nil {
				return nil, err
			}
			runtime.GC()
			cs, err := sample(ctx, k, s, g, round)
			if err != nil {
				return nil, err
			}
			got[name] = cs
		}
		starved := false
		for _, cs := range got {
			starved = starved || cs.starved
		}
		if starved && retakes > 0 {
			retakes--
			ms.retaken++
			if o.Progress != nil {
				o.Progress(fmt.Sprintf("%s at %d cores: round %d starved of CPU, measuring it again", g.menu, g.cores, round+1))
			}
			round--
			continue
		}
		ms.rounds++
		for name, cs := range got {
			ms.starved[name] = ms.starved[name] || cs.starved
			if g.open {
				ms.lat[name] = append(ms.lat[name], cs.records)
			} else {
				ms.tput[name] = append(ms.tput[name], cs.tput)
			}
		}
	}
	return ms, nil
}

// measure serves one round of strategy s for group g and judges whether
// the process was starved meanwhile.
func (o ClaimOptions) measure(ctx context.Context, k *kitchen.Kitchen, s strategies.Strategy, g *group, round int) (claimSample, error) {
	m := k.Menu
	capacity := s.Capacity(g.cores)
	if g.open {
		orders := o.OpenOrders
		if g.orders > 0 {
			orders = g.orders
		}
		d := time.Duration(float64(orders) / float64(o.Rounds) / m.Rate * float64(time.Second))
		res, err := RunOpen(ctx, k, s, OpenLoad{Rate: m.Rate, Arrivals: g.arrivals, Duration: d, Seed: m.Seed + uint64(round)})
		if err != nil {
			return claimSample{}, err
		}
		// A latency claim is starved when its threads waited for a CPU
		// (Delayed) as well as when it lacked cores.
		rate := min(kitchen.Bound(m, capacity, o.NsPerUnit), m.Rate)
		starved := Starved(ExpectedCores(m, capacity, g.cores, o.NsPerUnit, rate), res.Usage) || Delayed(res.Usage)
		return claimSample{records: res.Records, starved: starved}, nil
	}
	res, err := Run(ctx, k, s, Load{Duration: o.Duration, Warmup: warmupOf(k.Menu)})
	if err != nil {
		return claimSample{}, err
	}
	rate := kitchen.Bound(m, capacity, o.NsPerUnit)
	return claimSample{tput: res.Throughput(), starved: Starved(ExpectedCores(m, capacity, g.cores, o.NsPerUnit, rate), res.Usage)}, nil
}

// median is the median of xs, NaN for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	return stats.Median(xs)
}

// medianRatio is the median over rounds of num[i]/den[i]: each ratio
// compares two samples taken next to each other in time.
func medianRatio(num, den []float64) float64 {
	n := min(len(num), len(den))
	r := make([]float64, 0, n)
	for i := 0; i < n; i++ {
		if den[i] > 0 {
			r = append(r, num[i]/den[i])
		}
	}
	return median(r)
}
