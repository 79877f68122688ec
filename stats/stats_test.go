package stats

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		v    []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
	} {
		v := append([]float64(nil), tc.v...)
		assert.Equal(t, tc.want, Median(v), "Median(%v)", tc.v)
		assert.Equal(t, tc.v, []float64(v), "Median(%v) left its argument alone", tc.v)
	}
}

func TestHolm(t *testing.T) {
	// holm itself: step-down, not plain alpha, not Bonferroni.
	assert.Equal(t, []bool{true, true, true}, Holm([]float64{0.001, 0.02, 0.04}, 0.05), "0.001 <= .05/3, 0.02 <= .05/2, 0.04 <= .05")
	assert.Equal(t, []bool{false, true, false}, Holm([]float64{0.03, 0.01, 0.5}, 0.05), "0.01 <= .05/3; 0.03 > .05/2 stops")
	assert.Equal(t, []bool{false, false}, Holm([]float64{0.04, 0.04}, 0.05), "0.04 > .05/2")
}

func TestTDistribution(t *testing.T) {
	// Reference values: R's pt() and qt().
	for _, tc := range []struct{ t, df, want float64 }{
		{0, 5, 0.5},
		{-2.015048, 5, 0.05},
		{-4.144, 10, 0.001},
		{1.959964, 1e6, 0.975},
		{-63.65674, 1, 0.005},
	} {
		assert.InDelta(t, tc.want, TCDF(tc.t, tc.df), 2e-5, "TCDF(%v, %v)", tc.t, tc.df)
		assert.InDelta(t, tc.t, TQuantile(tc.want, tc.df), 2e-3*math.Max(1, math.Abs(tc.t)), "TQuantile(%v, %v)", tc.want, tc.df)
	}
}

func TestWelch(t *testing.T) {
	// Hand-computed: means 2 and 4, variances 1 and 4, n 3 and 5.
	w := WelchOf([]float64{1, 2, 3}, []float64{2, 2, 4, 6, 6})
	assert.InDelta(t, 2.0, w.D, 1e-12, "D")
	assert.InDelta(t, math.Sqrt(1.0/3+4.0/5), w.SE, 1e-12, "SE")
	// (1/3 + 4/5)^2 / ((1/3)^2/2 + (4/5)^2/4)
	assert.InDelta(t, (1.0/3+0.8)*(1.0/3+0.8)/((1.0/9)/2+0.64/4), w.DF, 1e-12, "DF")
	same := WelchOf([]float64{5, 5}, []float64{5, 5})
	assert.Equal(t, 0.0, same.SE, "SE of constant samples")
	assert.Equal(t, 1.0, same.PBelow(math.Log(0.95)), "no drop: p = 1")
}

func TestRankIsNearestRank(t *testing.T) {
	for _, tc := range []struct {
		p    float64
		n    int64
		want int64
	}{
		{99, 170, 169}, // HdrHistogram's own rule gives 168
		{99, 100, 99},
		{99.9, 1000, 999}, // 0.999 × 1000 is 999.0000000000001 in floating point
		{50, 10, 5},
		{50, 11, 6},
		{0, 10, 1},
		{100, 10, 10},
		{7, 100, 7},
	} {
		assert.Equal(t, tc.want, Rank(tc.p, tc.n), "Rank(%v, %d)", tc.p, tc.n)
	}
	assert.Equal(t, int64(0), Rank(50, 0))
}
