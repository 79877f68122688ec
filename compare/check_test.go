package compare

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/internal/fixture"
	"github.com/kitchenbench/kitchenbench/results"
)

// gateSpread is the per-sample spread of log(dishes/s) of the synthetic
// gate files, cell by cell (cycled): the spread a quiet 2-CPU machine
// showed in its reference run (median 0.038, 90th percentile 0.094 over
// 60 cells of 10 × 200 ms samples), without its one wild cell (0.28).
var gateSpread = []float64{0.015, 0.025, 0.03, 0.035, 0.04, 0.04, 0.045, 0.05, 0.07, 0.10}

var (
	gateMenus      = []string{"steak-and-salad", "dinner-rush", "banquet", "big-roast", "lunch-counter"}
	gateStrategies = []string{"sync", "eventloop", "pool", "gil", "goroutines", "loops"}
)

// twinFiles returns a gate baseline of n samples per cell drawn from a
// generator seeded with seed, and "cur.json", a copy of it with samples of
// its own to change.
func twinFiles(n int, seed uint64) (base, cur *results.File) {
	base = gateFile("base", n, rand.New(rand.NewPCG(seed, seed+1)), nil)
	c := *base
	c.Path = "cur.json"
	c.Samples = slices.Clone(base.Samples)
	return base, &c
}

// gateFile returns a default-sized run (5 menus × 6 strategies × cores 1
// and 2, n samples per cell of 120 ms) whose dishes/s are log-normal with
// gateSpread, drawn from rng; cut multiplies the named cells' dishes/s.
func gateFile(name string, n int, rng *rand.Rand, cut map[results.Cell]float64) *results.File {
	f := &results.File{Schema: results.SchemaVersion, Path: name + ".json",
		Machine: results.Machine{Name: "ci", CPUModel: "Test CPU", LogicalCPUs: 2, OS: "linux", Arch: "amd64"},
		Config:  results.Config{Count: n, Duration: 120 * time.Millisecond, Arrival: "closed"}}
	f.Samples = make([]results.Sample, 0, n*len(gateMenus)*len(gateStrategies)*2)
	for iter := range n {
		k := 0
		for mi, menu := range gateMenus {
			for si, st := range gateStrategies {
				for _, cores := range []int{1, 2} {
					c := results.Cell{Menu: menu, Strategy: st, Cores: cores}
					sigma := gateSpread[k%len(gateSpread)]
					k++
					dps := 100 * float64(mi+1) * float64(si+1) * float64(cores)
					bound := 1.2 * dps // the model's, whatever was measured
					if m, ok := cut[c]; ok {
						dps *= m
					}
					d := dps * math.Exp(sigma*rng.NormFloat64())
					f.Samples = append(f.Samples, results.Sample{Menu: menu, Strategy: st, Cores: cores, Iter: iter,
						Orders: int(d), Served: int(d), Elapsed: 120 * time.Millisecond, DishesPerSec: d, Bound: bound,
						Latency: results.Latency{P50: 1e9 / d, P99: 3e9 / d}})
				}
			}
		}
	}
	return f
}

// medianCell is a cell of gateFile with the median spread (0.04).
var medianCell = results.Cell{Menu: "steak-and-salad", Strategy: "pool", Cores: 1}

func TestGateFlagsExactlyTheCutCell(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	base := gateFile("base", DefaultCount, rng, nil)
	cur := gateFile("cur", DefaultCount, rng, map[results.Cell]float64{medianCell: 0.8})
	v, err := Check(base, cur, DefaultThreshold)
	require.NoError(t, err)
	require.Len(t, v.Regressions, 1, "Check() regressions = %v; want the cut cell only", v.Regressions)
	r := v.Regressions[0]
	assert.Equal(t, medianCell, r.Cell, "regressed cell")
	assert.Equal(t, MetricThroughput, r.Metric, "metric on one machine")
	assert.InDelta(t, -0.2, r.Ratio, 0.05, "Ratio")
	assert.Less(t, r.P, Alpha/60, "P is below Holm's strictest level")
	assert.True(t, v.Conclusive(), "every cell tested: %v", v.Inconclusive())
	assert.Empty(t, v.Improvements, "Improvements")
	assert.Equal(t, 60, v.Cells)

	// The same data the other way round is an improvement, not a
	// regression: the test is one-sided the right way.
	v, err = Check(cur, base, DefaultThreshold)
	require.NoError(t, err)
	assert.False(t, v.Regressed(), "Check(cur, base) regressions = %v", v.Regressions)
	require.Len(t, v.Improvements, 1, "Check(cur, base).Improvements")
	assert.Equal(t, medianCell, v.Improvements[0].Cell)

	// Under a 30% threshold a 20% drop is not a regression.
	v, err = Check(base, cur, 0.30)
	require.NoError(t, err)
	assert.False(t, v.Regressed(), "threshold 30%%: regressions = %v", v.Regressions)
}

func TestGateResampledRunsDoNotAlarm(t *testing.T) {
	// Independently drawn runs of the same code (not byte-identical
	// files): the familywise false-alarm rate is at most Alpha, and with
	// the null shifted by the threshold far less; 100 pairs give none.
	rng := rand.New(rand.NewPCG(21, 22))
	alarms := 0
	for trial := range 100 {
		base := gateFile("base", DefaultCount, rng, nil)
		cur := gateFile("cur", DefaultCount, rng, nil)
		v, err := Check(base, cur, DefaultThreshold)
		require.NoError(t, err)
		require.True(t, v.Conclusive(), "trial %d: %v", trial, v.Inconclusive())
		if v.Regressed() {
			alarms++
			t.Logf("trial %d: false alarm %v", trial, v.Regressions)
		}
	}
	assert.Zero(t, alarms, "false alarms in 100 same-distribution pairs")
}

func TestGateDriftBelowThresholdDoesNotAlarm(t *testing.T) {
	// Every cell 3% slower (a machine drifting), with many samples, so
	// that a test of "no change" would fire everywhere: the shifted null
	// keeps it quiet.
	rng := rand.New(rand.NewPCG(31, 32))
	cut := map[results.Cell]float64{}
	for _, m := range gateMenus {
		for _, s := range gateStrategies {
			cut[results.Cell{Menu: m, Strategy: s, Cores: 1}], cut[results.Cell{Menu: m, Strategy: s, Cores: 2}] = 0.97, 0.97
		}
	}
	base := gateFile("base", 30, rng, nil)
	cur := gateFile("cur", 30, rng, cut)
	v, err := Check(base, cur, DefaultThreshold)
	require.NoError(t, err)
	assert.False(t, v.Regressed(), "a 3%% drift under a 5%% threshold: regressions = %v", v.Regressions)
	v, err = Check(base, cur, 0)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(v.Regressions), 20, "with threshold 0 the same drift is significant in many cells")
}

func TestGateHolmCorrection(t *testing.T) {
	// In Check: a cell whose p-value is below Alpha but above Alpha/cells
	// is not a regression.
	rng := rand.New(rand.NewPCG(41, 42))
	base := gateFile("base", DefaultCount, rng, nil)
	var found bool
	for _, cutBy := range []float64{0.90, 0.89, 0.88, 0.87, 0.86, 0.85, 0.84} {
		cur := gateFile("cur", DefaultCount, rand.New(rand.NewPCG(43, 44)), map[results.Cell]float64{medianCell: cutBy})
		v, err := Check(base, cur, DefaultThreshold)
		require.NoError(t, err)
		for _, ct := range v.Tests {
			if ct.Cell == medianCell && ct.P < Alpha && ct.P > Alpha/float64(v.Cells) {
				found = true
				assert.False(t, v.Regressed(), "p=%v is above Holm's level %v: regressions = %v", ct.P, Alpha/float64(v.Cells), v.Regressions)
			}
		}
	}
	assert.True(t, found, "no cut gave a p-value between Alpha/cells and Alpha; the test checks nothing")
}

func TestGateDetectableIsWhatItTakes(t *testing.T) {
	// A single cut cell is flagged exactly when its drop exceeds the
	// detectable drop the check states for it (at Holm's strictest
	// level, which is the level of the smallest p-value).
	rng := rand.New(rand.NewPCG(51, 52))
	base := gateFile("base", DefaultCount, rng, nil)
	for _, cutBy := range []float64{0.95, 0.9, 0.85, 0.8, 0.75, 0.7} {
		cur := gateFile("cur", DefaultCount, rand.New(rand.NewPCG(53, 54)), map[results.Cell]float64{medianCell: cutBy})
		v, err := Check(base, cur, DefaultThreshold)
		require.NoError(t, err)
		for _, ct := range v.Tests {
			if ct.Cell != medianCell {
				continue
			}
			require.True(t, ct.Tested())
			assert.Equal(t, -ct.Ratio > ct.Detectable, v.Regressed(),
				"cut %v: drop %.3f, detectable %.3f, regressions %v", cutBy, -ct.Ratio, ct.Detectable, v.Regressions)
		}
	}
}

func TestGateInconclusive(t *testing.T) {
	rng := rand.New(rand.NewPCG(61, 62))
	for _, tc := range []struct {
		name   string
		base   *results.File
		cur    *results.File
		reason string
	}{
		{"one sample per cell", gateFile("base", 1, rng, nil), gateFile("cur", 1, rng, nil), "too few usable samples (1 and 1; need >= 2 per file)"},
		{"wild spread", spread(gateFile("base", 3, rng, nil), 0.6), spread(gateFile("cur", 3, rng, nil), 0.6), "too spread: only a drop of"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := Check(tc.base, tc.cur, DefaultThreshold)
			require.NoError(t, err)
			assert.False(t, v.Conclusive(), "Conclusive()")
			assert.False(t, v.Regressed(), "Regressed()")
			require.NotEmpty(t, v.Inconclusive())
			assert.True(t, strings.HasPrefix(v.Inconclusive()[0].Reason, tc.reason), "reason %q; want it to begin %q", v.Inconclusive()[0].Reason, tc.reason)
			if tc.name == "one sample per cell" { // nothing starved: nothing more to say
				assert.Equal(t, tc.reason, v.Inconclusive()[0].Reason)
			}
		})
	}
}

// spread multiplies the log-deviation of every sample from 100 by an
// extra factor drawn alternately up and down: a cell as noisy as a loaded
// machine makes it.
func spread(f *results.File, sigma float64) *results.File {
	for i := range f.Samples {
		sign := 1.0
		if f.Samples[i].Iter%2 == 1 {
			sign = -1
		}
		f.Samples[i].DishesPerSec *= math.Exp(sign * sigma)
	}
	return f
}

func TestGateLeavesStarvedSamplesOut(t *testing.T) {
	rng := rand.New(rand.NewPCG(71, 72))
	base := gateFile("base", DefaultCount, rng, nil)
	cur := gateFile("cur", DefaultCount, rng, nil)
	starved := 0
	for i := range cur.Samples {
		s := &cur.Samples[i]
		if s.Cell() == medianCell && s.Iter < 2 {
			s.DishesPerSec *= 0.5 // another process took a core
			s.Starved = true
			starved++
		}
	}
	v, err := Check(base, cur, DefaultThreshold)
	require.NoError(t, err)
	assert.False(t, v.Regressed(), "starved samples are not a regression: %v", v.Regressions)
	assert.Contains(t, strings.Join(v.Notes, "\n"), fmt.Sprintf("%d starved samples of cur", starved))
	for _, ct := range v.Tests {
		if ct.Cell == medianCell {
			assert.Equal(t, DefaultCount-2, ct.N2, "samples used")
		}
	}

	// All but one starved: the cell cannot be tested, and says why.
	for i := range cur.Samples {
		if s := &cur.Samples[i]; s.Cell() == medianCell {
			s.Starved = s.Iter > 0
		}
	}
	v, err = Check(base, cur, DefaultThreshold)
	require.NoError(t, err)
	assert.False(t, v.Conclusive())
	require.Len(t, v.Inconclusive(), 1)
	assert.Equal(t, "too few usable samples (6 and 1; need >= 2 per file) after leaving out 5 starved samples", v.Inconclusive()[0].Reason)
}

func TestGateAcrossMachinesUsesShareOfBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(81, 82))
	base := gateFile("base", DefaultCount, rng, nil)
	fast := gateFile("cur", DefaultCount, rng, map[results.Cell]float64{medianCell: 0.8})
	fast.Machine.CPUModel = "Faster CPU"
	for i := range fast.Samples { // twice as fast a machine: figures and bounds double
		fast.Samples[i].DishesPerSec *= 2
		fast.Samples[i].Bound *= 2
	}
	v, err := Check(base, fast, DefaultThreshold)
	require.NoError(t, err)
	assert.Equal(t, MetricShare, v.Metric)
	require.Len(t, v.Regressions, 1, "regressions %v", v.Regressions)
	assert.Equal(t, medianCell, v.Regressions[0].Cell)
	assert.Empty(t, v.Improvements, "a faster machine is not an improvement in share of bound")
	require.NotEmpty(t, v.Mismatches)
	assert.Equal(t, "machine", v.Mismatches[0].What)
}

func TestGateDoesNotTestCellsDefinedDifferently(t *testing.T) {
	rng := rand.New(rand.NewPCG(91, 92))
	base := gateFile("base", DefaultCount, rng, nil)
	cur := gateFile("cur", DefaultCount, rng, map[results.Cell]float64{medianCell: 0.5})
	cur.Config.Duration = 300 * time.Millisecond
	v, err := Check(base, cur, DefaultThreshold)
	require.NoError(t, err)
	assert.False(t, v.Regressed(), "cells measured over other windows are not tested: %v", v.Regressions)
	assert.False(t, v.Conclusive())
	require.NotEmpty(t, v.Mismatches)
	assert.True(t, v.Mismatches[0].Severe)
	assert.Contains(t, v.Mismatches[0].Text, "sample duration: base 120ms, cur 300ms")
	assert.Contains(t, v.Tests[0].Reason, "defined differently: sample duration")

	// Warm-up: none against automatic (recorded as one window).
	cur = gateFile("cur", DefaultCount, rng, nil)
	cur.Config.Warmup = cur.Config.Duration
	ms := results.Mismatches([]*results.File{base, cur})
	require.Len(t, ms, 1, "%v", ms)
	assert.Equal(t, "warm-up: base none, cur auto (at most 120ms): a window after less warm-up holds more of the cold start", ms[0].Text)
	// Both automatic, over other windows: the duration says it all.
	base.Config.Warmup = base.Config.Duration
	cur.Config.Duration, cur.Config.Warmup = 300*time.Millisecond, 300*time.Millisecond
	ms = results.Mismatches([]*results.File{base, cur})
	require.Len(t, ms, 1, "%v", ms)
	assert.Equal(t, "sample duration", ms[0].What)
}

func TestCheckBadThreshold(t *testing.T) {
	f := fixture.File("x", 1, 1, nil)
	for _, th := range []float64{-0.1, math.NaN(), math.Inf(1), 1} {
		_, err := Check(f, f, th)
		require.Error(t, err, "Check(threshold=%v)", th)
		assert.Contains(t, err.Error(), "threshold", "Check(threshold=%v) error", th)
	}
}

// TestGatePowerTable measures the gate's power (the chance that one cell
// cut by drop is flagged) and its false-alarm rate (any other cell
// flagged) on default-sized files whose 60 cells all have the per-sample
// spread sigma (of log dishes/s), by simulation with a fixed seed. It
// logs the table of docs/gate.md (go test ./compare -run
// TestGatePowerTable -v) and holds the gate to the power it states there.
//
// The three points it asserts always get the full 200 trials; the rest of
// the table, which is only logged (and counted for false alarms), gets its
// 200 trials with -v, when the table is being read, and 40 otherwise (as
// every point gets under -race or -short): a third of the work, so that
// mutation testing, which runs the package's tests once per mutant, can
// afford the package.
func TestGatePowerTable(t *testing.T) {
	full, few := 200, 40
	if testing.Short() || raceEnabled {
		full = few
	}
	type key struct {
		n     int
		sigma float64
	}
	asserted := map[key][]float64{ // the drops asserted below
		{6, 0.04}:  {0.20, 0.30},
		{10, 0.04}: {0.20},
	}
	power := map[key][]float64{}
	drops := []float64{0.10, 0.20, 0.30}
	falseAlarms, runs := 0, 0
	for _, n := range []int{6, 10} {
		for _, sigma := range []float64{0.02, 0.04, 0.10} {
			k := key{n, sigma}
			for _, drop := range drops {
				rng := rand.New(rand.NewPCG(uint64(n), uint64(1000*sigma+100*drop)))
				trials := few
				if testing.Verbose() || slices.Contains(asserted[k], drop) {
					trials = full
				}
				hits := 0
				for range trials {
					base := uniformFile(n, sigma, rng, nil)
					cur := uniformFile(n, sigma, rng, map[results.Cell]float64{medianCell: 1 - drop})
					v, err := Check(base, cur, DefaultThreshold)
					require.NoError(t, err)
					runs++
					for _, r := range v.Regressions {
						if r.Cell == medianCell {
							hits++
						} else {
							falseAlarms++
						}
					}
				}
				power[k] = append(power[k], float64(hits)/float64(trials))
			}
			t.Logf("n=%2d+%-2d spread %.2f: power at -10%% %.2f, -20%% %.2f, -30%% %.2f", n, n, sigma, power[k][0], power[k][1], power[k][2])
		}
	}
	t.Logf("false alarms in other cells: %d in %d checks of 59 unchanged cells", falseAlarms, runs)
	assert.Zero(t, falseAlarms, "false alarms in unchanged cells")
	// What docs/gate.md states: at the default 6 samples, a median-spread
	// cell (0.04) cut by 20% fails the check at least 80% of the time, a
	// 30% cut almost always; a 10% cut, within twice the threshold, is
	// rarely caught at 6 samples.
	assert.GreaterOrEqual(t, power[key{6, 0.04}][1], 0.80, "power at -20%%, 6+6, spread 0.04")
	assert.GreaterOrEqual(t, power[key{6, 0.04}][2], 0.95, "power at -30%%, 6+6, spread 0.04")
	assert.GreaterOrEqual(t, power[key{10, 0.04}][1], 0.95, "power at -20%%, 10+10, spread 0.04")
}

// uniformFile is gateFile with one spread for every cell.
func uniformFile(n int, sigma float64, rng *rand.Rand, cut map[results.Cell]float64) *results.File {
	saved := gateSpread
	gateSpread = []float64{sigma}
	defer func() { gateSpread = saved }()
	return gateFile("f", n, rng, cut)
}
