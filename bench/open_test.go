package bench

import (
	"context"
	"math"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/internal/kitchentest"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// fakeClock is virtual time: it moves only when the test's server says
// so, and SleepUntil never waits, so the run is fully deterministic.
type fakeClock struct{ now atomic.Int64 }

func (c *fakeClock) Now() int64                                    { return c.now.Load() }
func (c *fakeClock) SleepUntil(ctx context.Context, _ int64) error { return ctx.Err() }

// stallServer serves orders one at a time in virtual time: each takes no
// time at all, except that the first order it starts at or after stallAt
// first stalls the kitchen for stall.
type stallServer struct {
	clock   *fakeClock
	stallAt int64
	stall   time.Duration
}

func (stallServer) Name() string                  { return "stall" }
func (stallServer) Capacity(int) kitchen.Capacity { return kitchen.Capacity{Cores: 1, Cooks: 1} }
func (s stallServer) Serve(ctx context.Context, k *kitchen.Kitchen, orders <-chan *strategies.Order, done func(*strategies.Order)) error {
	stalled := false
	for o := range orders {
		// The server is idle until the order is due.
		now := max(s.clock.Now(), o.Arrive)
		if !stalled && now >= s.stallAt {
			stalled = true
			now += int64(s.stall)
		}
		s.clock.now.Store(now)
		o.Start, o.End = now, now
		done(o)
	}
	return nil
}

func TestOpenLoopShowsAStallInEveryOrderDuringIt(t *testing.T) {
	// 1,000 orders/s for 1 s; the kitchen stalls 100 ms at t = 500 ms.
	clock := &fakeClock{}
	k := kitchentest.New(t, quickMenu())
	srv := stallServer{clock: clock, stallAt: int64(500 * time.Millisecond), stall: 100 * time.Millisecond}
	res, err := RunOpen(context.Background(), k, srv, OpenLoad{
		Rate: 1000, Arrivals: Uniform, Duration: time.Second, Clock: clock,
	})
	require.NoError(t, err)
	require.Equal(t, 1000, res.Served, "every scheduled order is served")

	var hit []int64
	for _, r := range res.Records {
		if r.Latency > 0 {
			hit = append(hit, r.Latency)
		}
	}
	// Orders due at 500, 501, …, 599 ms all waited for the stall to end at
	// 600 ms: 100 orders, latencies 100 ms down to 1 ms. A closed loop
	// that stops ordering during the stall would count it once.
	require.Len(t, hit, 100, "orders delayed by the stall")
	assert.Equal(t, int64(100*time.Millisecond), hit[0], "the first order during the stall waits all of it")
	assert.Equal(t, int64(1*time.Millisecond), hit[99], "the last waits ~0")
	for i := 1; i < len(hit); i++ {
		assert.Equal(t, hit[i-1]-int64(time.Millisecond), hit[i], "delays fall by the arrival gap")
	}
	lat := res.Latencies(-1)
	assert.Equal(t, int64(90*time.Millisecond), lat.P99, "p99 over 1000 orders sees the stall")
	assert.Equal(t, int64(100*time.Millisecond), lat.Max)
}

func TestScheduleIsFixedInAdvance(t *testing.T) {
	l := OpenLoad{Rate: 2000, Duration: 500 * time.Millisecond, Seed: 3}
	a, b := l.Schedule(), l.Schedule()
	require.Equal(t, a, b, "same seed, same schedule")
	assert.InDelta(t, 1000, len(a), 100, "about Rate × Duration Poisson arrivals")
	for i := 1; i < len(a); i++ {
		require.LessOrEqual(t, a[i-1], a[i])
	}
	require.Less(t, a[len(a)-1], int64(l.Duration))
	l.Seed = 4
	assert.NotEqual(t, a, l.Schedule(), "another seed, another schedule")
	u := OpenLoad{Rate: 1000, Duration: 10 * time.Millisecond, Arrivals: Uniform}.Schedule()
	assert.Equal(t, []int64{0, 1e6, 2e6, 3e6, 4e6, 5e6, 6e6, 7e6, 8e6, 9e6}, u)
}

func TestRunOpenWithRealStrategies(t *testing.T) {
	for _, s := range allStrategies(t) {
		t.Run(s.Name(), func(t *testing.T) {
			k := kitchentest.New(t, quickMenu())
			res, err := RunOpen(context.Background(), k, s, OpenLoad{Rate: 2000, Duration: 50 * time.Millisecond, Seed: 1, Grace: time.Minute})
			require.NoError(t, err)
			assert.Equal(t, len(OpenLoad{Rate: 2000, Duration: 50 * time.Millisecond, Seed: 1}.Schedule()), res.Submitted)
			assert.Equal(t, res.Submitted, res.Served, "with a minute's grace every order is served")
			for _, r := range res.Records {
				assert.GreaterOrEqual(t, r.Latency, r.Queue)
			}
		})
	}
}

func TestRunOpenAbandonsWhatTheGraceCannotFinish(t *testing.T) {
	m := quickMenu()
	m.Dishes[1].Steps = append(m.Dishes[1].Steps, kitchen.Step{Kind: kitchen.Rest, Wait: time.Hour})
	k := kitchentest.New(t, m)
	res, err := RunOpen(context.Background(), k, strategies.Sync{}, OpenLoad{Rate: 1000, Duration: 20 * time.Millisecond, Grace: 10 * time.Millisecond})
	require.NoError(t, err)
	assert.Positive(t, res.Unfinished, "an hour's rest cannot finish")
	assert.True(t, res.Behind)
	assert.Equal(t, res.Submitted, res.Served+res.Unfinished, "conservation")
	assert.Equal(t, res.Submitted, res.Latencies(-1).N, "unfinished orders count in latency, as lower bounds")
}

func TestRunOpenRejectsBadRates(t *testing.T) {
	k := kitchentest.New(t, quickMenu())
	for _, r := range []float64{0, -5} {
		_, err := RunOpen(context.Background(), k, strategies.Sync{}, OpenLoad{Rate: r, Duration: time.Second})
		assert.ErrorContains(t, err, "out of range", "RunOpen(rate %v)", r)
	}
}

func TestParseArrivals(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Arrivals
		wantErr string // "" for valid
	}{
		{"closed", "", ""},
		{"poisson", Poisson, ""},
		{"uniform", Uniform, ""},
		{"", "", `unknown arrivals "" (want closed, poisson or uniform)`},
		{"Poisson", "", `unknown arrivals "Poisson" (want closed, poisson or uniform)`},
		{"sometimes", "", `unknown arrivals "sometimes" (want closed, poisson or uniform)`},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseArrivals(tc.in)
			if tc.wantErr != "" {
				assert.EqualError(t, err, tc.wantErr, "ParseArrivals(%q)", tc.in)
			} else {
				assert.NoError(t, err, "ParseArrivals(%q)", tc.in)
			}
			assert.Equal(t, tc.want, got, "ParseArrivals(%q)", tc.in)
		})
	}
}

func TestKneeFindsAKnownCapacity(t *testing.T) {
	const capacity = 1234.0
	ok := func(_ context.Context, r float64) (bool, error) { return r <= capacity, nil }
	got, probes, err := Knee(context.Background(), 10, 100_000, 0.01, ok)
	require.NoError(t, err)
	assert.LessOrEqual(t, got, capacity, "the knee never claims more than the capacity")
	assert.GreaterOrEqual(t, got, capacity/1.01, "within the 1%% tolerance")
	assert.Less(t, len(probes), 20, "bisection on log(rate) needs few probes")

	got, _, _ = Knee(context.Background(), 10, 100, 0.01, ok)
	assert.Equal(t, 100.0, got, "capacity above the range: hi")
	got, _, _ = Knee(context.Background(), 2000, 5000, 0.01, ok)
	assert.Equal(t, 0.0, got, "capacity below the range: 0")
	_, _, err = Knee(context.Background(), 10, 5, 0.01, ok)
	assert.Error(t, err)
}

func TestParseSLOs(t *testing.T) {
	got, err := ParseSLOs("p99=50ms, p50=5ms")
	require.NoError(t, err)
	assert.Equal(t, []SLO{{99, 50 * time.Millisecond}, {50, 5 * time.Millisecond}}, got)
	for _, bad := range []string{"", "p99", "99=5ms", "p0=5ms", "p101=5ms", "p99=fast", "p99=-1ms"} {
		_, err := ParseSLOs(bad)
		assert.Error(t, err, "ParseSLOs(%q)", bad)
	}
	ok, why := MeetsSLOs([]int64{1, 2, 3, 100}, []SLO{{50, 2}})
	assert.True(t, ok, why)
	ok, why = MeetsSLOs([]int64{1, 2, 3, 100}, []SLO{{99, 50}})
	assert.False(t, ok)
	assert.Contains(t, why, "p99=50ns")
}

// lateClock is virtual time whose n-th wake-up comes n%100 µs after the
// time asked for.
type lateClock struct {
	now   atomic.Int64
	wakes atomic.Int64
}

func (c *lateClock) Now() int64 { return c.now.Load() }
func (c *lateClock) SleepUntil(ctx context.Context, t int64) error {
	n := c.wakes.Add(1) - 1
	c.now.Store(max(c.now.Load(), t) + n%100*int64(time.Microsecond))
	return ctx.Err()
}

// instantServer serves each order the moment it arrives in virtual time.
type instantServer struct{ clock *lateClock }

func (instantServer) Name() string                  { return "instant" }
func (instantServer) Capacity(int) kitchen.Capacity { return kitchen.Capacity{Cores: 1, Cooks: 1} }
func (s instantServer) Serve(ctx context.Context, k *kitchen.Kitchen, orders <-chan *strategies.Order, done func(*strategies.Order)) error {
	for o := range orders {
		o.Start, o.End = s.clock.Now(), s.clock.Now()
		done(o)
	}
	return nil
}

func TestRunOpenReportsDispatchLag(t *testing.T) {
	clock := &lateClock{}
	k := kitchentest.New(t, quickMenu())
	res, err := RunOpen(context.Background(), k, instantServer{clock}, OpenLoad{
		Rate: 1000, Arrivals: Uniform, Duration: time.Second, Clock: clock,
	})
	require.NoError(t, err)
	require.Equal(t, 1000, res.Served)
	// Lags 0, 1, …, 99 µs, ten times each: the 500th is 49 µs, the 990th 98 µs.
	assert.Equal(t, 49*time.Microsecond, res.DispatchLagP50, "dispatch lag p50")
	assert.Equal(t, 98*time.Microsecond, res.DispatchLagP99, "dispatch lag p99")
	assert.Equal(t, 99*time.Microsecond, res.MaxLag, "largest dispatch lag")
}

// Near the boundary one unlucky probe must not decide the knee: a rate
// below the capacity whose first probe fails still passes by majority.
func TestKneeRepeatsProbesNearTheBoundary(t *testing.T) {
	const capacity, tol = 1000.0, 0.05
	calls := map[float64]int{}
	unlucky := func(_ context.Context, r float64) (bool, error) {
		calls[r]++
		if calls[r] == 1 && r > 950 && r <= capacity {
			// The first probe within 5% below the knee is unlucky; the
			// bisection from 100..2000 probes there (at 990/s) once its
			// bracket is within 1 + 4 × tol.
			return false, nil
		}
		return r <= capacity, nil
	}
	got, probes, err := Knee(context.Background(), 100, 2000, tol, unlucky)
	require.NoError(t, err)
	assert.LessOrEqual(t, got, capacity)
	assert.GreaterOrEqual(t, got, capacity/(1+tol), "within tolerance despite the unlucky probes")
	repeated := 0
	for r, n := range calls {
		if n > 1 {
			repeated++
			assert.LessOrEqual(t, n, KneeRepeats, "rate %v probed %d times", r, n)
		}
	}
	assert.Positive(t, repeated, "some rates near the boundary were probed again")
	assert.Len(t, probes, func() int {
		n := 0
		for _, c := range calls {
			n += c
		}
		return n
	}(), "every probe is listed")
}

// The lowest rate is the slowest probe: it is measured only when nothing
// above it met the objective.
func TestKneeProbesTheLowestRateOnlyWhenNeeded(t *testing.T) {
	var rates []float64
	ok := func(_ context.Context, r float64) (bool, error) {
		rates = append(rates, r)
		return r <= 500, nil
	}
	_, _, err := Knee(context.Background(), 100, 2000, 0.05, ok)
	require.NoError(t, err)
	assert.NotContains(t, rates, 100.0, "lo never probed when a higher rate passed")

	rates = nil
	got, _, err := Knee(context.Background(), 100, 2000, 0.05, func(_ context.Context, r float64) (bool, error) {
		rates = append(rates, r)
		return false, nil
	})
	require.NoError(t, err)
	assert.Zero(t, got)
	assert.Equal(t, 100.0, rates[len(rates)-1], "lo probed last when nothing passed")
}

func TestKneeOrders(t *testing.T) {
	tests := []struct {
		p    float64
		want int
	}{{50, 1000}, {90, 1000}, {99, 1000}, {99.9, 10000}, {99.99, 100000}, {99.999, 100000}, {100, 1000}}
	for _, tc := range tests {
		assert.Equal(t, tc.want, KneeOrders(tc.p), "KneeOrders(%v)", tc.p)
	}
}

// Failed orders count against the objective, as infinitely late.
func TestSLOLatenciesCountFailures(t *testing.T) {
	res := &Result{}
	for i := range 98 {
		res.Records = append(res.Records, Record{Outcome: strategies.Served, Latency: int64(i + 1)})
	}
	res.Records = append(res.Records, Record{Outcome: strategies.Failed, Latency: 1}, Record{Outcome: strategies.Failed, Latency: 1})
	lat := res.SLOLatencies()
	require.Len(t, lat, 100)
	assert.Equal(t, int64(math.MaxInt64), lat[99])
	ok, why := MeetsSLOs(lat, []SLO{{99, time.Second}})
	assert.False(t, ok, "2% failed: the p99 is a failure")
	assert.Contains(t, why, "a failed order")
	ok, _ = MeetsSLOs(lat, []SLO{{90, time.Second}})
	assert.True(t, ok, "p90 is served")
	// Sorted, which the SLO used before, left the failures out.
	ok, _ = MeetsSLOs(res.Sorted(-1), []SLO{{99, time.Second}})
	assert.True(t, ok, "Sorted drops failed orders")
}

// A stall delays completions, and that is lagging the schedule; a drain
// tail after the schedule ends is not, by itself.
func TestBehindMeansLaggingTheScheduleBeyondTheTolerance(t *testing.T) {
	run := func(tol time.Duration) *OpenResult {
		clock := &fakeClock{}
		k := kitchentest.New(t, quickMenu())
		srv := stallServer{clock: clock, stallAt: int64(500 * time.Millisecond), stall: 100 * time.Millisecond}
		res, err := RunOpen(context.Background(), k, srv, OpenLoad{
			Rate: 1000, Arrivals: Uniform, Duration: time.Second, Clock: clock, Grace: time.Hour, Tolerance: tol,
		})
		require.NoError(t, err)
		return res
	}
	res := run(200 * time.Millisecond)
	assert.Equal(t, 100*time.Millisecond, res.Backlog, "the stall's 100 ms")
	assert.False(t, res.Behind, "100 ms behind at worst, within a 200 ms tolerance")
	res = run(50 * time.Millisecond)
	assert.True(t, res.Behind, "100 ms behind, beyond a 50 ms tolerance")
}

func TestBacklog(t *testing.T) {
	sched := []int64{0, 10, 20, 30}
	tests := []struct {
		name string
		ends []int64
		want time.Duration
	}{
		{"each served 5 after arriving", []int64{5, 15, 25, 35}, 5},
		{"out of order, still 5 behind", []int64{15, 5, 35, 25}, 5},
		{"the last one late", []int64{5, 15, 25, 90}, 60},
		{"one censored is not a completion", []int64{5, 15, 25}, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var recs []Record
			for _, e := range tc.ends {
				recs = append(recs, Record{End: 100 + e})
			}
			recs = append(recs, Record{Censored: true, End: 1_000_000})
			assert.Equal(t, tc.want, backlog(100, sched, recs), "backlog")
		})
	}
}

func TestMG1AgreesWithQueueingTheory(t *testing.T) {
	// M/D/1 and a two-point mix: the share of orders finding the server
	// idle is 1-ρ and the mean wait is Pollaczek-Khinchine's.
	tests := []struct {
		name string
		q    MG1
	}{
		{"M/D/1 ρ=0.5", MG1{Rate: 5000, Service: []time.Duration{100 * time.Microsecond}, Weights: []float64{1}}},
		{"big-roast mix ρ=0.18", MG1{Rate: 600, Service: []time.Duration{100 * time.Microsecond, 40100 * time.Microsecond}, Weights: []float64{199, 1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := tc.q.Simulate(400_000, 1)
			require.NoError(t, err)
			rho := tc.q.Utilisation()
			assert.InDelta(t, 1-rho, f.IdleShare, 0.01, "share of orders finding the server idle")
			want := tc.q.MeanWait() * 1e9
			assert.InEpsilon(t, want, f.MeanWait, 0.05, "mean wait (ns); Pollaczek-Khinchine says %v", want)
		})
	}
}

func TestMG1OfBigRoast(t *testing.T) {
	m, ok := kitchen.Lookup("big-roast")
	require.True(t, ok)
	q, err := MG1Of(m, 600, 1, false) // 1 ns per unit: a canapé is 100 ns
	require.NoError(t, err)
	assert.InDelta(t, 600*(199*100+40_100)/200*1e-9, q.Utilisation(), 1e-12, "ρ")
	f, err := q.Simulate(200_000, 7)
	require.NoError(t, err)
	assert.Zero(t, f.QueueP50, "queue p50: most orders find the loop idle")
	assert.Equal(t, 100.0, f.P50, "latency p50: a canapé's service")
	again, err := q.Simulate(200_000, 7)
	require.NoError(t, err)
	assert.Equal(t, f, again, "same seed, same figures")
}

func TestMG1OfRefusesWhatIsNoMG1(t *testing.T) {
	m, ok := kitchen.Lookup("dinner-rush")
	require.True(t, ok)
	_, err := MG1Of(m, 100, 1000, false)
	assert.ErrorContains(t, err, "waits")
	q, err := MG1Of(m, 100, 1000, true) // one blocking cook holds its waits
	require.NoError(t, err)
	assert.Greater(t, q.Utilisation(), 0.5)

	for _, bad := range []MG1{
		{Rate: 0, Service: []time.Duration{1}, Weights: []float64{1}},
		{Rate: math.Inf(1), Service: []time.Duration{1}, Weights: []float64{1}},
		{Rate: 1, Service: []time.Duration{1}, Weights: []float64{0}},
		{Rate: 1, Service: []time.Duration{1, 2}, Weights: []float64{1}},
	} {
		_, err := bad.Simulate(10, 1)
		assert.Error(t, err, "Simulate(%+v)", bad)
	}
}
