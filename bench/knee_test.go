package bench

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

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
		k, err := kitchen.New(quickMenu())
		require.NoError(t, err)
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
