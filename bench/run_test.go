package bench

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/kitchenbench/kitchenbench/internal/kitchentest"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// TestMain serves as a grill service child when a Rig starts this test
// binary as one (GrillChildMain), and otherwise runs the tests.
func TestMain(m *testing.M) {
	GrillChildMain()
	goleak.VerifyTestMain(m)
}

func quickMenu() *kitchen.Menu {
	return &kitchen.Menu{
		Name: "quick", Grills: 2, Customers: 5, Seed: 9,
		Dishes: []kitchen.Dish{
			{Name: "steak", Weight: 1, Steps: []kitchen.Step{
				{Kind: kitchen.CPU, Units: 1}, {Kind: kitchen.Grill, Wait: 100 * time.Microsecond},
				{Kind: kitchen.Rest, Wait: 50 * time.Microsecond}, {Kind: kitchen.CPU, Units: 1}}},
			{Name: "salad", Weight: 1, Steps: []kitchen.Step{{Kind: kitchen.CPU, Units: 5}}},
		},
	}
}

func TestRunServesExactlyTheOrdersAsked(t *testing.T) {
	for _, name := range strategies.Names() {
		t.Run(name, func(t *testing.T) {
			k := kitchentest.New(t, quickMenu())
			s, err := strategies.New(name)
			require.NoError(t, err)
			res, err := Run(context.Background(), k, s, Load{Orders: 123})
			require.NoError(t, err)
			assert.Equal(t, 123, res.Submitted)
			assert.Equal(t, 123, res.Served)
			assert.Zero(t, res.Failed+res.Cancelled)
			require.Len(t, res.Records, 123)
			perDish := map[int32]int{}
			for _, r := range res.Records {
				perDish[r.Dish]++
				assert.GreaterOrEqual(t, r.Latency, r.Queue, "latency includes queueing")
				assert.GreaterOrEqual(t, r.Queue, int64(0))
			}
			want := map[int32]int{}
			for i := int64(0); i < 123; i++ {
				d := int32(0)
				if k.Pick(i).Name != k.Menu.Dishes[0].Name {
					d = 1
				}
				want[d]++
			}
			assert.Equal(t, want, perDish, "orders per dish follow the menu's seed")
			assert.Positive(t, res.Throughput())
			lat := res.Latencies(-1)
			assert.Equal(t, 123, lat.N)
			assert.LessOrEqual(t, lat.P50, lat.P99)
			assert.LessOrEqual(t, lat.P99, lat.Max)
		})
	}
}

func TestRunFewerOrdersThanCustomers(t *testing.T) {
	k := kitchentest.New(t, quickMenu())
	res, err := Run(context.Background(), k, strategies.Pool{Cooks: 3}, Load{Orders: 1})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Served)
	assert.Equal(t, 1, res.Submitted)
}

func TestRunForADuration(t *testing.T) {
	k := kitchentest.New(t, quickMenu())
	m := quickMenu()
	m.Dishes[1].Steps = append(m.Dishes[1].Steps, kitchen.Step{Kind: kitchen.Rest, Wait: time.Hour})
	k2, err := kitchen.New(m)
	require.NoError(t, err)
	for _, kk := range []*kitchen.Kitchen{k, k2} {
		res, err := Run(context.Background(), kk, strategies.EventLoop{}, Load{Duration: 50 * time.Millisecond, Customers: 50})
		require.NoError(t, err, "a window that closes is a normal end")
		assert.Positive(t, res.Served)
		assert.Zero(t, res.Cancelled)
		assert.Equal(t, res.Submitted, res.Served+res.Unfinished, "conservation")
		assert.GreaterOrEqual(t, res.Elapsed, 50*time.Millisecond, "orders are placed for the whole window")
	}
	// With dishes that rest an hour, the window still closes on time and
	// those dishes are unfinished, not waited for.
	res, err := Run(context.Background(), k2, strategies.Sync{}, Load{Duration: 10 * time.Millisecond})
	require.NoError(t, err)
	assert.Positive(t, res.Unfinished, "the salad resting an hour is unfinished")
}

// TestRunWarmupLeavesItsOrdersOut: orders finished in the warm-up are in
// none of the counts, conservation holds over the window, and the window
// is as long as asked.
func TestRunWarmupLeavesItsOrdersOut(t *testing.T) {
	m := &kitchen.Menu{Name: "w", Customers: 4, Seed: 1, Dishes: []kitchen.Dish{
		{Name: "d", Weight: 1, Steps: []kitchen.Step{{Name: "r", Kind: kitchen.Rest, Wait: time.Millisecond}}},
	}}
	k := kitchentest.New(t, m)
	load := Load{Duration: 30 * time.Millisecond, Warmup: 30 * time.Millisecond}
	res, err := Run(context.Background(), k, strategies.Pool{Cooks: 4}, load)
	require.NoError(t, err, "Run (a conservation error would show here)")
	assert.GreaterOrEqual(t, res.Elapsed, load.Duration, "Elapsed: the window only")
	assert.Equal(t, res.Submitted, res.Served+res.Failed+res.Cancelled+res.Unfinished, "conservation")
	assert.GreaterOrEqual(t, len(res.Records), res.Served+res.Failed, "records: the window's orders")
	// Each dish rests at least 1 ms (a wait never ends early), so 4 cooks
	// serve at most 4 per ms of the window, plus the 4 dishes begun in
	// the warm-up: counting the warm-up's orders would pass that bound
	// however fast or slow this machine is.
	assert.LessOrEqual(t, res.Served, 4*int(res.Elapsed/time.Millisecond)+4, "warm-up orders left out")
}

func TestRunCancelledKeepsConservation(t *testing.T) {
	m := quickMenu()
	m.Dishes[0].Steps[2].Wait = time.Minute // steaks rest a minute
	for _, s := range allStrategies(t) {
		t.Run(s.Name(), func(t *testing.T) {
			k := kitchentest.New(t, m)
			ctx, cancel := cancelAtStep(2) // once a steak is about to rest
			res, err := Run(ctx, k, s, Load{Orders: 1000})
			cancel()
			require.ErrorIs(t, err, context.Canceled)
			assert.Equal(t, res.Submitted, res.Served+res.Failed+res.Cancelled, "conservation")
			assert.Positive(t, res.Cancelled)
			assert.Less(t, res.Submitted, 1000)
		})
	}
}

// cancelAtStep returns a context that a kitchen.Trace cancels as any dish
// reaches step.
func cancelAtStep(step int) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	return kitchen.WithTrace(ctx, &kitchen.Trace{StepStart: func(_ *kitchen.Dish, s int) {
		if s == step {
			cancel()
		}
	}}), cancel
}

func TestRunCountsFailures(t *testing.T) {
	k := kitchentest.New(t, quickMenu())
	ctx := kitchen.WithTrace(context.Background(), &kitchen.Trace{StepStart: func(d *kitchen.Dish, step int) {
		if d.Name == "salad" {
			panic("no lettuce")
		}
	}})
	res, err := Run(ctx, k, strategies.Loops{Loops: 2}, Load{Orders: 100})
	require.NoError(t, err)
	assert.Equal(t, 100, res.Served+res.Failed)
	assert.Positive(t, res.Failed)
	assert.Equal(t, []string{`dish "salad" step 0 panicked: no lettuce`}, res.Errors)
	assert.Equal(t, res.Served, res.Latencies(-1).N, "latency covers served orders only")
}

func TestRunRejectsEmptyLoad(t *testing.T) {
	k := kitchentest.New(t, quickMenu())
	_, err := Run(context.Background(), k, strategies.Sync{}, Load{})
	assert.ErrorContains(t, err, "Load needs Orders or Duration")
}

// A caller that gives the work unit's cost keeps that one figure: the
// file records it and every sample's model bound uses it. (advise used
// to calibrate, then measure with a second calibration of its own, and
// reason from the first.)
func TestMeasureKeepsAGivenCalibration(t *testing.T) {
	banquet, ok := kitchen.Lookup("banquet")
	require.True(t, ok)
	const nsPerUnit = 1234.0
	m := &Matrix{Menus: []*kitchen.Menu{banquet}, Strategies: []string{"sync"}, Cores: []int{1},
		Count: 2, Duration: 5 * time.Millisecond, Warmup: AutoWarmup, NsPerUnit: nsPerUnit}
	var log bytes.Buffer
	f, err := Measure(context.Background(), m, MeasureOptions{Label: "test", Log: &log})
	require.NoError(t, err)
	assert.Nil(t, m.Calibrate, "no recalibration between rounds")
	assert.Equal(t, nsPerUnit, f.Machine.NsPerUnit)
	assert.Equal(t, "test", f.Machine.Label)
	assert.Equal(t, []int{1}, f.Machine.GOMAXPROCS)
	assert.Equal(t, 5*time.Millisecond, f.Config.Warmup, "an automatic warm-up is recorded as its cap, one window")
	assert.Contains(t, f.Config.Menus, "banquet")
	sync, err := strategies.New("sync")
	require.NoError(t, err)
	want := kitchen.Bound(banquet, sync.Capacity(1), nsPerUnit)
	require.Len(t, f.Samples, 2)
	for _, s := range f.Samples {
		assert.Equal(t, nsPerUnit, s.NsPerUnit, "sample %d's bounds use the given cost", s.Iter)
		assert.InDelta(t, want, s.MixBound, want*1e-9, "sample %d's bound for the menu's mix", s.Iter)
	}
	assert.Contains(t, log.String(), "1 menus × 1 strategies × 1 core counts × 2 samples of 5ms, each after a warm-up of up to 5ms, closed loop")
	assert.Contains(t, log.String(), "1 work unit = 1234 ns here")
}

// sleeperMenu's only dish takes a unit of work, then rests an hour: no
// order placed in a short window can finish, whatever the strategy, so
// what a run records depends on counts, never on this machine's speed.
func sleeperMenu(customers int) *kitchen.Menu {
	return &kitchen.Menu{
		Name: "sleeper", Grills: 1, Customers: customers, Seed: 1,
		Dishes: []kitchen.Dish{{Name: "stew", Weight: 1, Steps: []kitchen.Step{
			{Kind: kitchen.CPU, Units: 1}, {Kind: kitchen.Rest, Wait: time.Hour}}}},
	}
}

// Every strategy leaves its orders in a different place when the window
// closes: sync, pool and gil in the channel (one or a few in progress),
// eventloop and goroutines all taken off it. Each must be censored alike.
func TestRunCensorsEveryStrategyAlike(t *testing.T) {
	const customers = 8
	for _, s := range allStrategies(t) {
		t.Run(s.Name(), func(t *testing.T) {
			k := kitchentest.New(t, sleeperMenu(customers))
			res, err := Run(context.Background(), k, s, Load{Duration: 5 * time.Millisecond, Warmup: 5 * time.Millisecond})
			require.NoError(t, err)
			assert.Equal(t, customers, res.Submitted, "Submitted")
			assert.Zero(t, res.Served+res.Failed+res.Cancelled, "served+failed+cancelled")
			assert.Equal(t, customers, res.Unfinished, "Unfinished")
			assert.Equal(t, customers, res.Censored, "Censored")
			require.Len(t, res.Records, customers, "one record per censored order")
			for _, r := range res.Records {
				assert.True(t, r.Censored, "record %+v censored", r)
				assert.Equal(t, strategies.Cancelled, r.Outcome)
				// Every order arrived at the start and was still waiting
				// when the window closed, warm-up + window later at least.
				assert.GreaterOrEqual(t, r.Latency, int64(10*time.Millisecond), "age at the window's end")
				assert.LessOrEqual(t, r.Queue, r.Latency)
			}

			smp := SampleOf(k, res, 1, 1000)
			assert.Equal(t, int64(customers), smp.Hist.Count(), "histogram holds every censored order")
			assert.Equal(t, customers, smp.Censored)
			assert.Equal(t, []string{"p50", "p90", "p99", "p999", "max"}, smp.Latency.Lower, "all percentiles are lower bounds")
			assert.Contains(t, smp.Flags, FlagCensoredP99)
		})
	}
}

// A synthetic run: three orders served at 10 ms, two censored at 50 ms.
// SampleOf must put all five into the histogram (the censored at their
// age) and mark the percentiles they reach as lower bounds; a histogram
// of the served orders only would read p99 = 10 ms.
func TestSampleOfKeepsCensoredOrdersInTheHistogram(t *testing.T) {
	k := kitchentest.New(t, quickMenu())
	ms := int64(time.Millisecond)
	res := &Result{Strategy: "sync", Submitted: 5, Served: 3, Unfinished: 2, Censored: 2, Elapsed: 100 * time.Millisecond, Customers: 5}
	for range 3 {
		res.Records = append(res.Records, Record{Dish: 1, Outcome: strategies.Served, Latency: 10 * ms, End: 20 * ms})
	}
	for range 2 {
		res.Records = append(res.Records, Record{Dish: 0, Outcome: strategies.Cancelled, Censored: true, Latency: 50 * ms, Queue: 50 * ms, End: 100 * ms})
	}
	s := SampleOf(k, res, 1, 1000)
	assert.Equal(t, int64(5), s.Hist.Count(), "Hist.Count()")
	assert.InDelta(t, float64(50*ms), s.Hist.Quantile(99), float64(50*ms)/500, "histogram p99")
	assert.Equal(t, float64(10*ms), s.Latency.P50, "p50: the 3rd of 5")
	assert.Equal(t, float64(50*ms), s.Latency.P99, "p99: a censored order")
	assert.Equal(t, []string{"p90", "p99", "p999", "max"}, s.Latency.Lower)
	assert.Equal(t, 50*time.Millisecond, s.CensoredMin)
	assert.Equal(t, 2, s.Censored)
	assert.InDelta(t, float64(5)/30*float64(time.Second), s.Latency.LittleMean, 1, "Little: 5 customers ÷ 30 dishes/s")
	assert.Contains(t, s.Flags, FlagCensoredP99)
	assert.Contains(t, s.Flags, FlagNoSteadyState, "166 ms by Little's law > a 100 ms window")
}

func TestCensorAppliesTheWindowsEnd(t *testing.T) {
	const end = 1000
	res := &Result{Submitted: 6, Served: 3, Cancelled: 1, Records: []Record{
		{Dish: 0, Outcome: strategies.Served, Latency: 100, Queue: 10, End: 900},  // in the window
		{Dish: 0, Outcome: strategies.Served, Latency: 300, Queue: 50, End: 1100}, // served after the end: censored
		{Dish: 0, Outcome: strategies.Served, Latency: 50, Queue: 5, End: 1080},   // placed after the end: dropped
		{Dish: 1, Outcome: strategies.Cancelled, Latency: 700, Queue: 650, End: 1010},
	}}
	var rec recorder
	k := kitchentest.New(t, quickMenu())
	rec.init(k, res)
	queued := []*strategies.Order{{Dish: &k.Menu.Dishes[1], Arrive: 400}, {Dish: &k.Menu.Dishes[0], Arrive: 1001}}
	censor(res, &rec, queued, end)
	assert.Equal(t, 4, res.Submitted, "two orders placed after the end are dropped")
	assert.Equal(t, 1, res.Served)
	assert.Zero(t, res.Cancelled)
	assert.Equal(t, 3, res.Unfinished)
	assert.Equal(t, 3, res.Censored)
	want := []Record{
		{Dish: 0, Outcome: strategies.Served, Latency: 100, Queue: 10, End: 900},
		{Dish: 0, Outcome: strategies.Cancelled, Censored: true, Latency: 200, Queue: 50, End: end},
		{Dish: 1, Outcome: strategies.Cancelled, Censored: true, Latency: 690, Queue: 650, End: end},
		{Dish: 1, Outcome: strategies.Cancelled, Censored: true, Latency: 600, Queue: 600, End: end},
	}
	assert.Equal(t, want, res.Records)
}

func TestRunOpenCensorsEveryStrategyAlike(t *testing.T) {
	for _, s := range allStrategies(t) {
		t.Run(s.Name(), func(t *testing.T) {
			k := kitchentest.New(t, sleeperMenu(1))
			load := OpenLoad{Rate: 1000, Arrivals: Uniform, Duration: 10 * time.Millisecond, Grace: 5 * time.Millisecond}
			res, err := RunOpen(context.Background(), k, s, load)
			require.NoError(t, err)
			// A loaded machine's generator may not place the whole
			// schedule before the grace period ends; what it placed counts.
			n := res.Submitted
			require.Positive(t, n)
			assert.LessOrEqual(t, n, len(load.Schedule()))
			assert.Equal(t, n, res.Censored, "every order rests an hour: all censored")
			assert.Equal(t, n, res.Unfinished)
			assert.Zero(t, res.Served+res.Failed+res.Cancelled)
			assert.True(t, res.Behind)
			smp := OpenSampleOf(k, res, load.Duration, 1, 1000)
			assert.Equal(t, int64(n), smp.Hist.Count())
			assert.Contains(t, smp.Latency.Lower, "p50")
		})
	}
}

func TestLatenciesLower(t *testing.T) {
	tests := []struct {
		name string
		l    Latencies
		want []string
	}{
		{"none censored", Latencies{P50: 1, P90: 2, P99: 3, P999: 4, Max: 5}, nil},
		{"only the max", Latencies{P50: 1, P90: 2, P99: 3, P999: 4, Max: 5, Censored: 1, CensoredMin: 5}, []string{"max"}},
		{"from p99", Latencies{P50: 1, P90: 2, P99: 3, P999: 4, Max: 5, Censored: 3, CensoredMin: 3}, []string{"p99", "p999", "max"}},
		{"all", Latencies{P50: 1, P90: 2, P99: 3, P999: 4, Max: 5, Censored: 9, CensoredMin: 1}, []string{"p50", "p90", "p99", "p999", "max"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.l.Lower(), "Lower()")
		})
	}
}

// One percentile rule, nearest rank: for 170 orders the p99 is the 169th,
// 99.9% of 1000 is the 999th despite floating point, and no data has 0.
func TestPercentile(t *testing.T) {
	seq := func(n int) []int64 {
		d := make([]int64, n)
		for i := range d {
			d[i] = int64(i + 1)
		}
		return d
	}
	tests := []struct {
		n    int
		p    float64
		want int64
	}{
		{100, 50, 50}, {100, 99, 99}, {100, 99.9, 100}, {100, 100, 100}, {100, 1, 1}, {100, 0.1, 1},
		{170, 99, 169}, {1000, 99.9, 999}, {1000, 99, 990}, {5, 50, 3}, {5, 90, 5}, {1, 50, 1},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, Percentile(seq(tc.n), tc.p), "Percentile(1..%d, %v)", tc.n, tc.p)
	}
	assert.Equal(t, int64(0), Percentile(nil, 50))
}

// A strategy that leaves its slow dishes queued is flagged; a window too
// short for slow dishes that were all started is not.
func TestMixStarvationLooksAtTheOrdersStarted(t *testing.T) {
	k, err := kitchen.New(quickMenu()) // steak (dish 0) is slow, salad (dish 1) quick
	require.NoError(t, err)
	ms := int64(time.Millisecond)
	run := func(steakStarted bool) *Result {
		res := &Result{Strategy: "sync", Submitted: 40, Served: 20, Unfinished: 20, Censored: 20, Elapsed: 100 * time.Millisecond}
		for range 20 {
			res.Records = append(res.Records, Record{Dish: 1, Outcome: strategies.Served, Latency: ms, Queue: ms / 2, End: 50 * ms})
		}
		for range 20 {
			queue := 30 * ms // never started: queued all its age
			if steakStarted {
				queue = ms
			}
			res.Records = append(res.Records, Record{Dish: 0, Outcome: strategies.Cancelled, Censored: true, Latency: 30 * ms, Queue: queue, End: 100 * ms})
		}
		return res
	}
	starving := SampleOf(k, run(false), 1, 1000)
	assert.Contains(t, starving.Flags, FlagMixStarvation, "steaks left queued: none of 20 started, P = 2^-20")
	short := SampleOf(k, run(true), 1, 1000)
	assert.NotContains(t, short.Flags, FlagMixStarvation, "steaks started, still cooking when the window closed")
	assert.Equal(t, starving.Bound, short.Bound, "the served-mix bound alone cannot tell the two apart")
}

func TestMatrixEstimateCountsWarmups(t *testing.T) {
	m := &Matrix{Menus: []*kitchen.Menu{sleeperMenu(8)}, Strategies: []string{"sync", "pool"}, Cores: []int{1},
		Count: 3, Duration: 100 * time.Millisecond, NsPerUnit: 1000}
	assert.Equal(t, 600*time.Millisecond, m.Estimate(), "no warm-up: 2 cells × 3 samples × 100 ms")
	m.Warmup = 50 * time.Millisecond
	assert.Equal(t, 900*time.Millisecond, m.Estimate(), "a fixed warm-up")
	m.Warmup = AutoWarmup
	assert.Equal(t, 1200*time.Millisecond, m.Estimate(), "auto: an hour-long dish needs more than a window, so one window each")
}
