// Package stats is kitchenbench's arithmetic over repeated figures: the
// one median, the one percentile rule (nearest rank), mean and variance,
// Welch's t-test on log values, Student's t distribution and Holm's
// correction. It knows nothing of result files, as x/perf's benchmath
// knows nothing of benchfmt.
//
// Package results keeps the figures (its histograms use Rank), package
// compare summarises, compares and gates them with these tests, and
// packages abtest and history use the same t distribution and median.
// Descriptive statistics (confidence intervals, Mann-Whitney U) come from
// golang.org/x/perf/benchmath; this package adds the few tests the gate
// needs beyond it. benchmath offers only the U test, whose p-value cannot
// go below 2/C(n1+n2, n1): with 6 against 6 samples no Holm-corrected
// threshold over dozens of cells is reachable (see docs/gate.md).
package stats

import (
	"cmp"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Median returns the median of v (the mean of the two middle values for an
// even count), or 0 for no values. It is the one median of this module:
// every summary, table and comparison uses it.
func Median(v []float64) float64 {
	n := len(v)
	if n == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Rank returns the 1-based rank of the p-th percentile (0 <= p <= 100)
// among n sorted values by the nearest-rank rule: the smallest rank k with
// k >= p/100 × n, at least 1 and at most n. It is the one percentile rule
// of this module (histogram quantiles use it too). The product is rounded
// to 9 decimals first so that 99.9% of 1000 is rank 999, not 1000 as
// floating point (0.999000…1 × 1000) would make it.
func Rank(p float64, n int64) int64 {
	if n <= 0 {
		return 0
	}
	x := p / 100 * float64(n)
	x = math.Round(x*1e9) / 1e9
	k := int64(math.Ceil(x))
	return min(max(k, 1), n)
}

// Logs returns the natural logarithms of the positive values of v and how
// many values were not positive (and so left out).
func Logs(v []float64) (out []float64, dropped int) {
	for _, x := range v {
		if x > 0 && !math.IsInf(x, 0) {
			out = append(out, math.Log(x))
		} else {
			dropped++
		}
	}
	return out, dropped
}

// MeanVar returns the mean of v and its sample variance (0 for fewer than
// two values).
func MeanVar(v []float64) (mean, variance float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	if len(v) < 2 {
		return mean, 0
	}
	for _, x := range v {
		variance += (x - mean) * (x - mean)
	}
	return mean, variance / float64(len(v)-1)
}

// Welch is Welch's unequal-variance t statistic's ingredients for b − a:
// the difference of means D, its standard error SE and the
// Welch-Satterthwaite degrees of freedom DF.
type Welch struct {
	D, SE, DF float64
}

// WelchOf returns the Welch statistic of b − a. Both slices need at least
// 2 values. When both variances are 0, SE is 0 and DF is n1+n2−2.
func WelchOf(a, b []float64) Welch {
	ma, va := MeanVar(a)
	mb, vb := MeanVar(b)
	sa, sb := va/float64(len(a)), vb/float64(len(b))
	w := Welch{D: mb - ma, SE: math.Sqrt(sa + sb), DF: float64(len(a) + len(b) - 2)}
	if den := sa*sa/float64(len(a)-1) + sb*sb/float64(len(b)-1); den > 0 {
		w.DF = (sa + sb) * (sa + sb) / den
	}
	return w
}

// PBelow is the one-sided p-value of H0: true difference >= shift against
// H1: true difference < shift.
func (w Welch) PBelow(shift float64) float64 {
	if w.SE == 0 {
		if w.D < shift {
			return 0
		}
		return 1
	}
	return TCDF((w.D-shift)/w.SE, w.DF)
}

// PAbove is the one-sided p-value of H0: true difference <= shift against
// H1: true difference > shift.
func (w Welch) PAbove(shift float64) float64 {
	if w.SE == 0 {
		if w.D > shift {
			return 0
		}
		return 1
	}
	return TCDF(-(w.D-shift)/w.SE, w.DF)
}

// TCDF is Student's t cumulative distribution function with df degrees of
// freedom (df > 0, not necessarily whole).
func TCDF(t, df float64) float64 {
	if math.IsNaN(t) {
		return math.NaN()
	}
	return studentsT(df).CDF(t)
}

// TQuantile returns t with TCDF(t, df) = p: -Inf for p <= 0, +Inf for
// p >= 1.
func TQuantile(p, df float64) float64 {
	if p <= 0 {
		return math.Inf(-1)
	}
	if p >= 1 {
		return math.Inf(1)
	}
	return studentsT(df).Quantile(p)
}

func studentsT(df float64) distuv.StudentsT {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
}

// Holm applies Holm's step-down procedure at level alpha to ps and reports
// which are rejected (significant), in the order of ps.
func Holm(ps []float64, alpha float64) []bool {
	idx := make([]int, len(ps))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(ps[a], ps[b]) })
	out := make([]bool, len(ps))
	for k, i := range idx {
		if !(ps[i] <= alpha/float64(len(ps)-k)) {
			break
		}
		out[i] = true
	}
	return out
}
