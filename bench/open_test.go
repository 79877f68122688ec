package bench

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	k, err := kitchen.New(quickMenu())
	require.NoError(t, err)
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
			k, err := kitchen.New(quickMenu())
			require.NoError(t, err)
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
	k, err := kitchen.New(m)
	require.NoError(t, err)
	res, err := RunOpen(context.Background(), k, strategies.Sync{}, OpenLoad{Rate: 1000, Duration: 20 * time.Millisecond, Grace: 10 * time.Millisecond})
	require.NoError(t, err)
	assert.Positive(t, res.Unfinished, "an hour's rest cannot finish")
	assert.True(t, res.Behind)
	assert.Equal(t, res.Submitted, res.Served+res.Unfinished, "conservation")
	assert.Equal(t, res.Submitted, res.Latencies(-1).N, "unfinished orders count in latency, as lower bounds")
}

func TestRunOpenRejectsBadRates(t *testing.T) {
	k, err := kitchen.New(quickMenu())
	require.NoError(t, err)
	for _, r := range []float64{0, -5} {
		_, err := RunOpen(context.Background(), k, strategies.Sync{}, OpenLoad{Rate: r, Duration: time.Second})
		assert.ErrorContains(t, err, "out of range", "RunOpen(rate %v)", r)
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
