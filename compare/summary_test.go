package compare

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/internal/fixture"
	"github.com/kitchenbench/kitchenbench/results"
)

func TestSummarizeOrderAndTotals(t *testing.T) {
	mk := func(menu, st string, cores int, dps float64) results.Sample {
		return results.Sample{Menu: menu, Strategy: st, Cores: cores, Orders: 10, Served: 9, Failed: 1, DishesPerSec: dps}
	}
	samples := []results.Sample{
		mk("b", "pool", 4, 1), mk("a", "sync", 2, 1), mk("b", "sync", 1, 1),
		mk("a", "pool", 1, 1), mk("b", "pool", 1, 1), mk("b", "pool", 4, 3),
	}
	samples[5].Behind = true
	got := Summarize(samples)
	var cells []results.Cell
	for _, s := range got {
		cells = append(cells, s.Cell)
	}
	want := []results.Cell{{Menu: "b", Strategy: "pool", Cores: 1}, {Menu: "b", Strategy: "pool", Cores: 4}, {Menu: "b", Strategy: "sync", Cores: 1}, {Menu: "a", Strategy: "pool", Cores: 1}, {Menu: "a", Strategy: "sync", Cores: 2}}
	assert.Equal(t, want, cells, "Summarize() cells = %v; want %v", cells, want)
	bp4 := got[1]
	assert.Equal(t, 20, bp4.Orders, "Orders")
	assert.Equal(t, 18, bp4.Served, "Served")
	assert.Equal(t, 2, bp4.Failed, "Failed")
	assert.True(t, bp4.Behind, "Behind")
	assert.False(t, got[0].Behind, "Behind of a cell on schedule")
	assert.Equal(t, 2.0, bp4.Throughput.Center, "Throughput.Center")
	assert.Equal(t, 2, bp4.Throughput.N, "Throughput.N")
	assert.False(t, bp4.Throughput.HasCI(), "HasCI() with 2 samples")
	assert.True(t, math.IsInf(bp4.Throughput.HalfWidthPct(), 1), "HalfWidthPct() with 2 samples")
	assert.Empty(t, Summarize(nil), "Summarize(nil)")
}

func TestSummarizeStatistics(t *testing.T) {
	dps := []float64{100, 101, 99, 102, 98, 100, 103}
	var samples []results.Sample
	for i, v := range dps {
		samples = append(samples, results.Sample{
			Menu: "m", Strategy: "sync", Cores: 1, Iter: i, DishesPerSec: v, Bound: []float64{0, 200, 210, 220, 0, 0, 0}[i],
			Latency: results.Latency{P50: float64(10 * (i + 1)), P99: float64(100 * (i + 1)), Max: 1000},
		})
	}
	got := Summarize(samples)
	require.Len(t, got, 1)
	s := got[0]
	// The distribution-free 95% CI of the median of 7 values spans the
	// 1st to 7th order statistics (confidence 1-2/2^7 = 98.4%); the 2nd to
	// 6th would give only 87.5%.
	assert.Equal(t, Estimate{Center: 100, Lo: 98, Hi: 103, N: 7}, s.Throughput, "Throughput")
	assert.True(t, s.Throughput.HasCI(), "HasCI()")
	assert.InDelta(t, 3.0, s.Throughput.HalfWidthPct(), 1e-9, "HalfWidthPct()")
	assert.Equal(t, 210.0, s.Bound, "Bound (median of the known bounds)")
	assert.InDelta(t, 100*100/210.0, s.PctOfBound(), 1e-9, "PctOfBound()")
	// sample sd of dps: mean 100.43, sd 1.718
	assert.InDelta(t, 0.01711, s.CV, 1e-4, "CV")
	// No histograms: medians of the per-sample figures.
	assert.Equal(t, 40.0, s.P50, "P50")
	assert.Equal(t, 400.0, s.P99, "P99")
	assert.Equal(t, 1000.0, s.Max, "Max")
	assert.Equal(t, 0.0, CellSummary{}.PctOfBound(), "PctOfBound() without a bound")
}

func TestSummarizeMergesHistograms(t *testing.T) {
	// Two samples: 1..1000 and 1001..2000 ns. Merged, p50 is ~1000 and p99
	// ~1980; medians of per-sample percentiles would give 1000 and 1490.
	var samples []results.Sample
	for k := range 2 {
		h := results.NewHistogram()
		for v := int64(1); v <= 1000; v++ {
			h.Record(int64(k)*1000 + v)
		}
		samples = append(samples, results.Sample{Menu: "m", Strategy: "s", Cores: 1, DishesPerSec: 1, Latency: h.Latency(), Hist: h})
	}
	s := Summarize(samples)[0]
	assert.InDelta(t, 1000, s.P50, 1, "P50 from merged histograms")
	assert.InDelta(t, 1980, s.P99, 2, "P99 from merged histograms")
	assert.Equal(t, 2000.0, s.Max, "Max from merged histograms")
	assert.Equal(t, int64(1000), samples[0].Hist.Count(), "Summarize modified a sample's histogram")

	// One sample without a histogram: medians over samples instead.
	samples[1].Hist = nil
	s = Summarize(samples)[0]
	assert.InDelta(t, 1000, s.P50, 1, "P50 median over samples")
	assert.InDelta(t, (990+1990)/2.0, s.P99, 2, "P99 median over samples")
}

func TestSpeedupsAndCurves(t *testing.T) {
	sums := Summarize(fixture.File("x", 3, 1, nil).Samples)
	sp := Speedups(sums)
	assert.InDelta(t, 1.0, sp[results.Cell{Menu: "dinner-rush", Strategy: "sync", Cores: 1}], 1e-12, "speedup of the baseline")
	assert.InDelta(t, 1.9*0.95, sp[results.Cell{Menu: "dinner-rush", Strategy: "pool", Cores: 2}], 0.03, "speedup of pool at 2 cores")
	assert.InDelta(t, 4.0, sp[results.Cell{Menu: "banquet", Strategy: "eventloop", Cores: 1}], 0.1, "speedup of eventloop at 1 core")

	curves := Curves(sums)
	require.Len(t, curves, 6, "Curves()")
	assert.Equal(t, "dinner-rush", curves[0].Menu)
	assert.Equal(t, "sync", curves[0].Strategy)
	assert.Equal(t, []int{1, 2, 4}, curves[1].Cores, "Curves()[1].Cores")
	assert.Equal(t, "pool", curves[1].Strategy)
	assert.InDelta(t, sp[results.Cell{Menu: "dinner-rush", Strategy: "pool", Cores: 4}], curves[1].Speedup[2], 1e-12, "Curves()[1].Speedup[2]")

	// No sync at 1 core: no speedups for that menu.
	var noBase []CellSummary
	for _, s := range sums {
		if s.Strategy != "sync" || s.Menu != "banquet" {
			noBase = append(noBase, s)
		}
	}
	for c := range Speedups(noBase) {
		assert.NotEqual(t, "banquet", c.Menu, "Speedups() has %v without a baseline", c)
	}
}

func TestMinSamplesAreBenchmaths(t *testing.T) {
	// benchmath (x/perf) needs 6 samples for a 95% interval and 4 a side
	// for a U test that can reach α = 0.05; the constants are asked of it.
	if MinSamplesCI != 6 || MinSamplesCompare != 4 {
		t.Errorf("MinSamplesCI, MinSamplesCompare = %d, %d; want 6, 4", MinSamplesCI, MinSamplesCompare)
	}
}
