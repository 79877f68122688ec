package compare

// Tests written to kill mutants gremlins found alive in this package
// (docs/mutation-testing.md): each pins down a behaviour that the named
// mutation changes.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/results"
)

// cellTest returns v's test of cell c.
func cellTest(t *testing.T, v *Verdict, c results.Cell) CellTest {
	t.Helper()
	for _, ct := range v.Tests {
		if ct.Cell == c {
			return ct
		}
	}
	t.Fatalf("no test of cell %v in the verdict", c)
	return CellTest{}
}

// A verdict over no cells says nothing, so it is not conclusive
// (kills `v.Cells > 0` → `>=` in Conclusive).
func TestConclusiveNeedsACell(t *testing.T) {
	assert.False(t, (&Verdict{}).Conclusive(), "a verdict over no cells")
	assert.True(t, (&Verdict{Cells: 1, Tests: []CellTest{{}}}).Conclusive(), "one cell, tested")
}

// A cell with no usable sample on one side has no geometric mean on
// either side and no ratio: nothing is shown as a comparison (kills
// `t.N1 > 0` → `>=` and `t.N2 > 0` → `>=`).
func TestGateOneSidedCellHasNoMeans(t *testing.T) {
	for _, side := range []string{"base", "cur"} {
		t.Run("all starved in "+side, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(91, 92))
			base, cur := gateFile("base", DefaultCount, rng, nil), gateFile("cur", DefaultCount, rng, nil)
			f := base
			if side == "cur" {
				f = cur
			}
			for i := range f.Samples {
				if f.Samples[i].Cell() == medianCell {
					f.Samples[i].Starved = true
				}
			}
			v, err := Check(base, cur, DefaultThreshold)
			require.NoError(t, err)
			ct := cellTest(t, v, medianCell)
			assert.False(t, ct.Tested())
			assert.True(t, math.IsNaN(ct.Old), "Old = %v; want NaN", ct.Old)
			assert.True(t, math.IsNaN(ct.New), "New = %v; want NaN", ct.New)
			assert.True(t, math.IsNaN(ct.Ratio), "Ratio = %v; want NaN", ct.Ratio)
		})
	}
}

// Samples without a model bound leave a cell untestable across machines,
// and the reason says so, also at the smallest count that would otherwise
// be tested (2 + 2); on one machine the bound does not matter, and a
// cell whose samples served nothing is "too few usable samples" (kills
// the boundary and negation mutants of the "no model bound" condition).
func TestGateReasonNoModelBound(t *testing.T) {
	for _, tc := range []struct {
		name         string
		count        int
		otherMachine bool
		zeroBound    bool // the cell's current samples have no bound
		zeroDishes   bool // the cell's current samples served nothing
		reason       string
	}{
		{"across machines, 6 + 6", 6, true, true, false, "no model bound to take a share of"},
		{"across machines, 2 + 2", 2, true, true, false, "no model bound to take a share of"},
		{"one machine, nothing served", 6, false, false, true, "too few usable samples (6 and 0; need >= 2 per file)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(101, 102))
			base, cur := gateFile("base", tc.count, rng, nil), gateFile("cur", tc.count, rng, nil)
			if tc.otherMachine {
				cur.Machine.CPUModel = "Other CPU"
			}
			for i := range cur.Samples {
				if s := &cur.Samples[i]; s.Cell() == medianCell {
					if tc.zeroBound {
						s.Bound = 0
					}
					if tc.zeroDishes {
						s.DishesPerSec = 0
					}
				}
			}
			v, err := Check(base, cur, DefaultThreshold)
			require.NoError(t, err)
			assert.Equal(t, tc.reason, cellTest(t, v, medianCell).Reason)
		})
	}
}

// A cell too spread to test states the drop it could have caught, the
// same figure as its Detectable (kills `100*t.Detectable` → `100/…`).
func TestGateTooSpreadStatesItsDetectableDrop(t *testing.T) {
	rng := rand.New(rand.NewPCG(111, 112))
	v, err := Check(spread(gateFile("base", 3, rng, nil), 0.6), spread(gateFile("cur", 3, rng, nil), 0.6), DefaultThreshold)
	require.NoError(t, err)
	require.NotEmpty(t, v.Inconclusive())
	for _, ct := range v.Inconclusive() {
		require.GreaterOrEqual(t, ct.Detectable, BlindDrop, "%v", ct.Cell)
		var pct float64
		_, err := fmt.Sscanf(ct.Reason, "too spread: only a drop of %g%% or more could be significant", &pct)
		require.NoError(t, err, "reason %q", ct.Reason)
		assert.InDelta(t, 100*ct.Detectable, pct, 0.5, "%v: %q against Detectable %v", ct.Cell, ct.Reason, ct.Detectable)
	}
}

// The latency watch notes a p99 that rose beyond the threshold, not one
// that rose by exactly it (kills `b.P99/a.P99-1 > threshold` → `>=`).
// The figures are exact in binary: 5e6/4e6 − 1 is 0.25 to the bit.
func TestGateLatencyWatchIsBeyondTheThreshold(t *testing.T) {
	base, cur := twinFiles(DefaultCount, 121) // the same samples until changed below
	atThreshold := results.Cell{Menu: "banquet", Strategy: "pool", Cores: 2}
	beyond := results.Cell{Menu: "banquet", Strategy: "sync", Cores: 1}
	for _, f := range []*results.File{base, cur} {
		for i := range f.Samples {
			s := &f.Samples[i]
			switch {
			case s.Cell() == atThreshold && f == base, s.Cell() == beyond && f == base:
				s.Latency.P99 = 4e6
			case s.Cell() == atThreshold:
				s.Latency.P99 = 5e6 // +25% exactly
			case s.Cell() == beyond:
				s.Latency.P99 = 5.2e6 // +30%
			}
		}
	}
	var watch string
	for _, n := range notesWith(t, base, cur) {
		if strings.HasPrefix(n, "latency watch (not gated):") {
			watch = n
		}
	}
	require.NotEmpty(t, watch, "a p99 25% up is noted at the default 5% threshold")
	watch = ""
	v, err := Check(base, cur, 0.25)
	require.NoError(t, err)
	for _, n := range v.Notes {
		if strings.HasPrefix(n, "latency watch (not gated):") {
			watch = n
		}
	}
	assert.Contains(t, watch, beyond.String(), "30% up, beyond a 25% threshold")
	assert.NotContains(t, watch, atThreshold.String(), "25% up: not beyond a 25% threshold")
}

// Significant means tested and p <= Alpha: the zero Change (no test, P
// 0) is not significant, and p exactly Alpha is (kills `c.N1 > 0` →
// `>=` and `c.P <= Alpha` → `<`).
func TestChangeSignificant(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    Change
		want bool
	}{
		{"untested", Change{}, false},
		{"p at alpha", Change{N1: 6, N2: 6, P: Alpha}, true},
		{"p above alpha", Change{N1: 6, N2: 6, P: math.Nextafter(Alpha, 1)}, false},
		{"p below alpha", Change{N1: 6, N2: 6, P: Alpha / 2}, true},
	} {
		assert.Equal(t, tc.want, tc.c.Significant(), tc.name)
	}
}

// An untested change shows its ratio only when it carries a note saying
// why it was not tested and its ratio is a number (kills the negations
// of `c.Note != ""` and `c.Old != 0` in Delta).
func TestChangeDeltaUntested(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    Change
		want string
	}{
		{"noted", Change{Old: 100, New: 110, Ratio: 0.1, Note: "untested"}, "+10.00%"},
		{"no note", Change{Old: 100, New: 110, Ratio: 0.1}, ""},
		{"ratio NaN", Change{Old: 100, New: 110, Ratio: math.NaN(), Note: "untested"}, ""},
		{"old 0", Change{Old: 0, New: 110, Ratio: 0.1, Note: "untested"}, ""},
	} {
		assert.Equal(t, tc.want, tc.c.Delta(), tc.name)
	}
}

// Stat is empty for an untested change and benchstat's figures for a
// tested one (kills `c.N1 == 0` → `!=` in Stat).
func TestChangeStat(t *testing.T) {
	assert.Equal(t, "", Change{Note: "untested"}.Stat(), "untested")
	assert.Equal(t, "p=0.002 n=6", Change{P: 0.002, N1: 6, N2: 6}.Stat(), "6 + 6")
	assert.Equal(t, "p=0.002 n=6+8", Change{P: 0.002, N1: 6, N2: 8}.Stat(), "6 + 8")
}

// Compare over three files: each later file's cells are judged against
// the first by that file's own mismatches, and an untested pooled p99
// still shows its change (kills `m.File == i` → `!=` in mismatchesOf and
// the arithmetic mutants of untested's ratio).
func TestCompareThreeFiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(131, 132))
	base := gateFile("base", DefaultCount, rng, nil)
	same := gateFile("same", DefaultCount, rng, nil)
	longer := gateFile("longer", DefaultCount, rng, nil)
	longer.Config.Duration = 300 * time.Millisecond
	for i := range same.Samples {
		same.Samples[i].Latency.P99 = 2 * base.Samples[i].Latency.P99 // p99 doubled: exactly, in binary
	}
	c, err := Compare([]*results.File{base, same, longer})
	require.NoError(t, err)
	require.NotEmpty(t, c.Cells)
	for _, cc := range c.Cells {
		assert.Equal(t, []string{"", "", "sample duration"}, cc.Differs, "%v", cc.Cell)
		assert.Empty(t, cc.Throughput[1].Note, "%v: same definition, tested", cc.Cell)
		assert.Equal(t, 6, cc.Throughput[1].N1, "%v", cc.Cell)
		assert.Equal(t, "not compared: different sample duration", cc.Throughput[2].Note, "%v", cc.Cell)
		p99 := cc.P99[1]
		assert.Equal(t, "untested", p99.Note, "%v", cc.Cell)
		assert.InDelta(t, 1.0, p99.Ratio, 1e-9, "%v: p99 %v → %v", cc.Cell, p99.Old, p99.New)
		assert.Equal(t, "+100.00%", p99.Delta(), "%v", cc.Cell)
	}
}

// The estimate of no values has no interval, though its zero bounds are
// finite (kills `e.N > 0` → `>=` in HasCI).
func TestEstimateOfNothingHasNoCI(t *testing.T) {
	e := estimate(nil)
	assert.False(t, e.HasCI(), "estimate(nil) = %+v", e)
	assert.True(t, math.IsInf(e.HalfWidthPct(), 1), "HalfWidthPct() = %v", e.HalfWidthPct())
	six := estimate([]float64{1, 2, 3, 4, 5, 6})
	assert.True(t, six.HasCI(), "six values: %+v", six)
}

// Summarize leaves unknown (zero) figures out of its medians and totals:
// a bound, mix bound, Little's-law mean or cores received of 0, and the
// CPU time of a sample without CPU time or without a served dish
// (kills the boundary and negation mutants of each `> 0` test in
// summarizeCell). It counts a starved sample without the flag as starved
// once (kills `++` → `--`) and takes a CV of two samples.
func TestSummarizeLeavesUnknownFiguresOut(t *testing.T) {
	c := results.Cell{Menu: "m", Strategy: "s", Cores: 1}
	sample := func(dps, mix, little, cores float64, cpu time.Duration, served int) results.Sample {
		return results.Sample{Menu: c.Menu, Strategy: c.Strategy, Cores: c.Cores, DishesPerSec: dps,
			MixBound: mix, Latency: results.Latency{LittleMean: little}, CoresReceived: cores,
			CPUTime: cpu, Orders: served, Served: served}
	}
	ss := []results.Sample{
		sample(100, 0, 0, 0, 0, 50), // nothing known: CPU time 0
		sample(200, 300, 4e6, 1.5, time.Second, 100),
		sample(300, 500, 6e6, 2.5, time.Second, 0), // CPU time, nothing served
	}
	ss[0].Starved = true
	sums := Summarize(ss)
	require.Len(t, sums, 1)
	s := sums[0]
	assert.Equal(t, 400.0, s.MixBound, "median mix bound of 300 and 500")
	assert.Equal(t, 5e6, s.LittleMean, "median Little's mean of 4 and 6 ms")
	assert.Equal(t, 2.0, s.CoresReceived, "median cores received of 1.5 and 2.5")
	assert.Equal(t, float64(time.Second)/100, s.CPUPerDish, "CPU time over dishes served, of the one sample with both")
	assert.Equal(t, map[string]int{"starved": 1}, s.Flags)
	assert.Equal(t, 150, s.Served)

	none := Summarize(ss[:1])[0]
	assert.Zero(t, none.CPUPerDish, "no CPU time known: 0, not NaN")
	assert.Zero(t, none.MixBound)

	two := Summarize(ss[1:])[0]
	assert.InDelta(t, math.Sqrt(5000)/250, two.CV, 1e-12, "CV of 200 and 300")
}

// With merged histograms, a percentile at the smallest censored age is a
// lower bound, as one above it is (kills `v >= censoredMin` → `>`).
func TestSummarizePercentileAtCensoredAgeIsLower(t *testing.T) {
	h := results.NewHistogram()
	h.RecordN(1000, 1000)
	h.Record(5000) // the max, far above the p999
	s := results.Sample{Menu: "m", Strategy: "s", Cores: 1, DishesPerSec: 1, Hist: h,
		Censored: 1, CensoredMin: time.Duration(h.Max())}
	sum := Summarize([]results.Sample{s})[0]
	assert.Equal(t, float64(h.Max()), sum.Max)
	assert.Equal(t, []string{"max"}, sum.Lower, "max equals the censored age; p999 %v is below it", sum.P999)
}

// A baseline p99 of 0 is unknown, not a rise to infinity: the latency
// watch says nothing of it (kills `a.P99 > 0` → `>=`).
func TestGateLatencyWatchSkipsAnUnknownBaselineP99(t *testing.T) {
	base, cur := twinFiles(DefaultCount, 141) // the same samples until changed below
	for i := range base.Samples {
		if base.Samples[i].Cell() == medianCell {
			base.Samples[i].Latency.P99 = 0
		}
	}
	for _, n := range notesWith(t, base, cur) {
		assert.NotContains(t, n, medianCell.String(), "a cell with no baseline p99 is not watched")
	}
}

// A menu whose baseline cell (sync at 1 core) has no throughput has no
// speedups, rather than infinite ones (kills `Center > 0` → `>=`).
func TestSpeedupsWithoutABaselineThroughput(t *testing.T) {
	sums := []CellSummary{
		{Cell: results.Cell{Menu: "m", Strategy: BaselineStrategy, Cores: BaselineCores}, Throughput: Estimate{Center: 0, N: 6}},
		{Cell: results.Cell{Menu: "m", Strategy: "pool", Cores: 2}, Throughput: Estimate{Center: 100, N: 6}},
		{Cell: results.Cell{Menu: "n", Strategy: BaselineStrategy, Cores: BaselineCores}, Throughput: Estimate{Center: 50, N: 6}},
		{Cell: results.Cell{Menu: "n", Strategy: "pool", Cores: 2}, Throughput: Estimate{Center: 100, N: 6}},
	}
	assert.Equal(t, map[results.Cell]float64{
		{Menu: "n", Strategy: BaselineStrategy, Cores: BaselineCores}: 1,
		{Menu: "n", Strategy: "pool", Cores: 2}:                       2,
	}, Speedups(sums))
}
