package results

import (
	"math"
	"slices"

	"github.com/montanaflynn/stats"
)

// This file holds the few statistics the gate needs beyond benchmath:
// Welch's t-test on log values and Student's t distribution. benchmath
// offers only the Mann-Whitney U test, whose p-value cannot go below
// 2/C(n1+n2, n1): with 6 against 6 samples no Holm-corrected threshold
// over dozens of cells is reachable (see docs/gate.md).

// Median returns the median of v (the mean of the two middle values for an
// even count), or 0 for no values. It is the one median of this module:
// every summary, table and comparison uses it.
func Median(v []float64) float64 {
	m, err := stats.Median(v)
	if err != nil {
		return 0
	}
	return m
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

// logs returns the natural logarithms of the positive values of v and how
// many values were not positive (and so left out).
func logs(v []float64) (out []float64, dropped int) {
	for _, x := range v {
		if x > 0 && !math.IsInf(x, 0) {
			out = append(out, math.Log(x))
		} else {
			dropped++
		}
	}
	return out, dropped
}

func meanVar(v []float64) (mean, variance float64) {
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

// welch is Welch's unequal-variance t statistic's ingredients for b − a:
// the difference of means D, its standard error SE and the
// Welch-Satterthwaite degrees of freedom DF. Both slices need at least 2
// values. When both variances are 0, SE is 0 and DF is n1+n2−2.
type welch struct {
	D, SE, DF float64
}

func welchOf(a, b []float64) welch {
	ma, va := meanVar(a)
	mb, vb := meanVar(b)
	sa, sb := va/float64(len(a)), vb/float64(len(b))
	w := welch{D: mb - ma, SE: math.Sqrt(sa + sb), DF: float64(len(a) + len(b) - 2)}
	if den := sa*sa/float64(len(a)-1) + sb*sb/float64(len(b)-1); den > 0 {
		w.DF = (sa + sb) * (sa + sb) / den
	}
	return w
}

// pBelow is the one-sided p-value of H0: true difference >= shift against
// H1: true difference < shift.
func (w welch) pBelow(shift float64) float64 {
	if w.SE == 0 {
		if w.D < shift {
			return 0
		}
		return 1
	}
	return tCDF((w.D-shift)/w.SE, w.DF)
}

// pAbove is the one-sided p-value of H0: true difference <= shift against
// H1: true difference > shift.
func (w welch) pAbove(shift float64) float64 {
	if w.SE == 0 {
		if w.D > shift {
			return 0
		}
		return 1
	}
	return tCDF(-(w.D-shift)/w.SE, w.DF)
}

// tCDF is Student's t cumulative distribution function with df degrees of
// freedom (df > 0, not necessarily whole).
func tCDF(t, df float64) float64 {
	if math.IsNaN(t) {
		return math.NaN()
	}
	if math.IsInf(t, 0) {
		if t > 0 {
			return 1
		}
		return 0
	}
	x := df / (df + t*t)
	tail := 0.5 * betaInc(df/2, 0.5, x) // P(T > |t|)
	if t > 0 {
		return 1 - tail
	}
	return tail
}

// tQuantile returns t with tCDF(t, df) = p, for 0 < p < 1, by bisection.
func tQuantile(p, df float64) float64 {
	if p <= 0 {
		return math.Inf(-1)
	}
	if p >= 1 {
		return math.Inf(1)
	}
	lo, hi := -1e12, 1e12
	for range 300 {
		mid := (lo + hi) / 2
		if tCDF(mid, df) < p {
			lo = mid
		} else {
			hi = mid
		}
		if hi-lo <= 1e-12*math.Max(1, math.Abs(mid)) {
			break
		}
	}
	return (lo + hi) / 2
}

// betaInc is the regularized incomplete beta function I_x(a, b), by the
// continued fraction of Numerical Recipes (betacf), accurate to about
// 1e-14 for the arguments the t distribution uses.
func betaInc(a, b, x float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	la, _ := math.Lgamma(a + b)
	lb, _ := math.Lgamma(a)
	lc, _ := math.Lgamma(b)
	front := math.Exp(la - lb - lc + a*math.Log(x) + b*math.Log1p(-x))
	if x < (a+1)/(a+b+2) {
		return front * betaCF(a, b, x) / a
	}
	return 1 - front*betaCF(b, a, 1-x)/b
}

func betaCF(a, b, x float64) float64 {
	const tiny = 1e-300
	qab, qap, qam := a+b, a+1, a-1
	c, d := 1.0, 1-qab*x/qap
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m <= 1000; m++ {
		fm := float64(m)
		m2 := 2 * fm
		aa := fm * (b - fm) * x / ((qam + m2) * (a + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		h *= d * c
		aa = -(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-15 {
			break
		}
	}
	return h
}

// holm applies Holm's step-down procedure at level alpha to ps and reports
// which are rejected (significant), in the order of ps.
func holm(ps []float64, alpha float64) []bool {
	idx := make([]int, len(ps))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmpFloat(ps[a], ps[b]) })
	out := make([]bool, len(ps))
	for k, i := range idx {
		if !(ps[i] <= alpha/float64(len(ps)-k)) {
			break
		}
		out[i] = true
	}
	return out
}
