package stats

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The edges of each function: the cases the gate meets rarely but must
// get right (equal samples, a drop exactly at the threshold, p-values
// exactly at Holm's levels).

func TestMeanVarOfTwo(t *testing.T) {
	mean, variance := MeanVar([]float64{1, 3})
	assert.Equal(t, 2.0, mean, "mean")
	assert.Equal(t, 2.0, variance, "sample variance of two values: ((1-2)² + (3-2)²) / 1")
	mean, variance = MeanVar([]float64{5})
	assert.Equal(t, 5.0, mean)
	assert.Equal(t, 0.0, variance, "one value has no spread")
}

func TestLogsDropsWhatHasNoLogarithm(t *testing.T) {
	out, dropped := Logs([]float64{1, 0, -1, math.Inf(1), math.E})
	assert.Equal(t, []float64{0, 1}, out)
	assert.Equal(t, 3, dropped, "0, -1 and +Inf")
}

func TestWelchOfEqualSamples(t *testing.T) {
	w := WelchOf([]float64{2, 2, 2}, []float64{3, 3, 3, 3})
	assert.Equal(t, 1.0, w.D)
	assert.Equal(t, 0.0, w.SE)
	assert.Equal(t, 5.0, w.DF, "no spread: DF is n1 + n2 - 2, not 0/0")
}

func TestPBelowAndPAboveWithoutSpread(t *testing.T) {
	for _, tc := range []struct {
		name         string
		d, shift     float64
		below, above float64
	}{
		{"below the shift", -0.2, -0.05, 0, 1},
		{"exactly at the shift: H0 holds either way", -0.05, -0.05, 1, 1},
		{"above the shift", 0.1, -0.05, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := Welch{D: tc.d, SE: 0, DF: 4}
			assert.Equal(t, tc.below, w.PBelow(tc.shift), "PBelow")
			assert.Equal(t, tc.above, w.PAbove(tc.shift), "PAbove")
		})
	}
}

func TestPBelowAndPAboveWithSpread(t *testing.T) {
	// t = (D - shift) / SE = -2 with 10 degrees of freedom: the one-sided
	// p-value is 0.0367 (R: pt(-2, 10)).
	w := Welch{D: -0.25, SE: 0.1, DF: 10}
	assert.InDelta(t, 0.03669402, w.PBelow(-0.05), 1e-6, "PBelow")
	assert.InDelta(t, 1-0.03669402, w.PAbove(-0.05), 1e-6, "PAbove")
	up := Welch{D: 0.15, SE: 0.1, DF: 10}
	assert.InDelta(t, 0.03669402, up.PAbove(-0.05), 1e-6, "PAbove of a rise")
}

func TestTQuantileEnds(t *testing.T) {
	assert.True(t, math.IsInf(TQuantile(0, 5), -1), "p = 0")
	assert.True(t, math.IsInf(TQuantile(-0.1, 5), -1), "p < 0")
	assert.True(t, math.IsInf(TQuantile(1, 5), 1), "p = 1")
	assert.True(t, math.IsInf(TQuantile(1.5, 5), 1), "p > 1")
}

func TestHolmAtItsLevels(t *testing.T) {
	// Holm compares the k-th smallest p with alpha/(m-k): p-values exactly
	// at those levels are rejected (≤), one a hair above is not.
	assert.Equal(t, []bool{true, true}, Holm([]float64{0.05, 0.025}, 0.05))
	assert.Equal(t, []bool{false, true}, Holm([]float64{0.0500001, 0.025}, 0.05))
	assert.Equal(t, []bool{false, false}, Holm([]float64{0.04, 0.0250001}, 0.05), "the first step fails: Holm stops")
}
