package bench

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// Warnings names starved cells, samples above their bound and cells
// with no steady state, one line each.
func TestWarnings(t *testing.T) {
	banquet, ok := kitchen.Lookup("banquet")
	require.True(t, ok)
	// At 1 µs a unit, pool at 2 cores should keep 2 cores busy on the
	// banquet: cores bind its bound.
	bound := kitchen.Bound(banquet, strategies.Pool{}.Capacity(2), 1000)
	mk := func(iter int, starved bool, received float64, flags ...string) results.Sample {
		s := results.Sample{Menu: "banquet", Strategy: "pool", Cores: 2, Iter: iter, NsPerUnit: 1000,
			Elapsed: 120 * time.Millisecond, DishesPerSec: 0.9 * bound, Bound: bound, MixBound: bound,
			Starved: starved, CoresReceived: received, Flags: flags}
		if starved {
			s.Flags = append(s.Flags, FlagStarved)
		}
		return s
	}
	samples := []results.Sample{
		mk(0, false, 1.97), mk(1, true, 1.0), mk(2, false, 1.98), mk(3, true, 1.2), mk(4, false, 1.99), mk(5, false, 1.96),
	}
	samples[2].DishesPerSec, samples[2].Flags = 1.04*bound, []string{FlagOverBound}
	sync := results.Sample{Menu: "dinner-rush", Strategy: "sync", Cores: 1, Elapsed: 120 * time.Millisecond,
		Latency: results.Latency{LittleMean: float64(8600 * time.Millisecond)}, Flags: []string{FlagNoSteadyState}}
	samples = append(samples, sync)

	want := []string{
		`warning: banquet/pool at 2 cores: the process received 1.1 of 2 cores in 2 of 6 samples (other processes or steal took the rest; kept and marked "starved")`,
		`banquet/pool at 2 cores: 1 of 6 samples above their model bound (up to 104%): flagged "over-bound"; the bound is a model and the calibration drifts`,
		`dinner-rush/sync at 1 core: no steady state within its window (120ms + warm-up): Little's law puts the mean latency at 8.6s; its latency percentiles are lower bounds (shown ≥)`,
	}
	assert.Equal(t, want, Warnings([]*kitchen.Menu{banquet}, samples))
}

func TestAllFailed(t *testing.T) {
	assert.NoError(t, AllFailed(nil), "nothing measured is not a failure")
	assert.NoError(t, AllFailed([]results.Sample{{Served: 0, Failed: 3}, {Served: 1}}), "one order served")
	assert.EqualError(t, AllFailed([]results.Sample{{Failed: 3}, {Failed: 2}}), "every order failed (5 failures)")
}
