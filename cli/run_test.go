package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/strategies"
)

func TestWarnSamples(t *testing.T) {
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
			s.Flags = append(s.Flags, bench.FlagStarved)
		}
		return s
	}
	samples := []results.Sample{
		mk(0, false, 1.97), mk(1, true, 1.0), mk(2, false, 1.98), mk(3, true, 1.2), mk(4, false, 1.99), mk(5, false, 1.96),
	}
	samples[2].DishesPerSec, samples[2].Flags = 1.04*bound, []string{bench.FlagOverBound}
	sync := results.Sample{Menu: "dinner-rush", Strategy: "sync", Cores: 1, Elapsed: 120 * time.Millisecond,
		Latency: results.Latency{LittleMean: float64(8600 * time.Millisecond)}, Flags: []string{bench.FlagNoSteadyState}}
	samples = append(samples, sync)

	var w bytes.Buffer
	warnSamples(&w, []*kitchen.Menu{banquet}, samples)
	want := []string{
		`kitchen: warning: banquet/pool at 2 cores: the process received 1.1 of 2 cores in 2 of 6 samples (other processes or steal took the rest; kept and marked "starved")`,
		`kitchen: banquet/pool at 2 cores: 1 of 6 samples above their model bound (up to 104%): flagged "over-bound"; the bound is a model and the calibration drifts`,
		`kitchen: dinner-rush/sync at 1 core: no steady state within its window (120ms + warm-up): Little's law puts the mean latency at 8.6s; its latency percentiles are lower bounds (shown ≥)`,
	}
	assert.Equal(t, strings.Join(want, "\n")+"\n", w.String())
}

func TestRunWarmupFlag(t *testing.T) {
	tests := []struct {
		arg  string
		want time.Duration
		bad  bool
	}{
		{"auto", bench.AutoWarmup, false},
		{"0", 0, false},
		{"30ms", 30 * time.Millisecond, false},
		{"-1ms", 0, true},
		{"soon", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.arg, func(t *testing.T) {
			o, err := parseRunFlags(&bytes.Buffer{}, []string{"--warmup", tc.arg})
			if tc.bad {
				assert.ErrorContains(t, err, "--warmup")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, o.warmup, "warmup")
		})
	}
}

// dinner-rush's 1,000 customers all order at once; sync serves one at a
// time, so within any short window most orders are still waiting: its
// p99 must be recorded as a lower bound, never as a measured figure.
func TestRunMarksDinnerRushSyncP99AsALowerBound(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.json")
	code, _, errOut := runKitchen(t, "run", "--menus", "dinner-rush", "--strategies", "sync", "--cores", "1",
		"--count", "1", "--duration", "10ms", "--warmup", "5ms", "--out", path)
	require.Equal(t, 0, code, errOut)
	f, err := results.Read(path)
	require.NoError(t, err)
	require.Len(t, f.Samples, 1)
	s := f.Samples[0]
	assert.Contains(t, s.Latency.Lower, "p99", "p99 is a lower bound")
	assert.Contains(t, s.Flags, bench.FlagCensoredP99)
	assert.Equal(t, s.Unfinished, s.Censored, "every unfinished order censored")
	assert.Equal(t, int64(s.Served+s.Censored), s.Hist.Count(), "histogram: served + censored")
	assert.Positive(t, s.Latency.LittleMean)
	assert.Equal(t, 5*time.Millisecond, f.Config.Warmup)
	assert.Contains(t, errOut, "no steady state")
}
