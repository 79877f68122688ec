// Package scaling fits Gunther's Universal Scalability Law (USL) to
// throughput measured at several core counts, so that results from a small
// machine can be extrapolated, clearly marked as predictions, to machines we
// do not have. It is pure arithmetic on (cores, throughput) points and knows
// nothing of how they were measured: build the points from the per-cell
// summaries of package compare, and draw the fitted curves with package
// report.
//
// The law is
//
//	X(N) = λN / (1 + σ(N−1) + κN(N−1))
//
// where λ is the throughput of one core, σ the contention (the serial
// fraction, Amdahl's law when κ = 0) and κ the coherency cost (crosstalk
// between cores, which makes throughput fall beyond a peak). See N. J.
// Gunther, "Guerrilla Capacity Planning" (Springer, 2007), chapter 4.
package scaling

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// Point is one throughput measurement X at N cores. Several points may
// share the same N (repeated samples of one cell).
type Point struct {
	N float64 // cores, ≥ 1
	X float64 // throughput, > 0 (any unit; the fitted λ has the same unit)
}

// Model is a fitted Universal Scalability Law together with the quality of
// the fit and the range of core counts it was fitted on.
type Model struct {
	Lambda float64 // throughput of one core, in the unit of Point.X
	Sigma  float64 // contention, ≥ 0
	Kappa  float64 // coherency, ≥ 0

	R2   float64 // coefficient of determination of X (1 is a perfect fit)
	RMSE float64 // root mean square error of X, in the unit of Point.X

	Points int   // number of points fitted
	Cores  []int // the distinct core counts fitted, ascending (rounded to int)
	MaxN   float64
}

// ErrTooFewCores is returned (wrapped) by Fit when the points cover fewer
// than three distinct core counts: three parameters cannot be told apart
// from two, and we would rather say so than invent a fit.
var ErrTooFewCores = errors.New("scaling: need at least 3 core counts")

// kappaEps is the coherency below which a model is treated as having no
// peak: with κ < 1e-9 and σ = 0 the peak would lie beyond 30 000 cores.
const kappaEps = 1e-9

// Predict returns the model's throughput at n cores. Callers that show a
// prediction for an n that was not measured must mark it as predicted (see
// Predictions).
func (m Model) Predict(n float64) float64 {
	return usl(m.Lambda, m.Sigma, m.Kappa, n)
}

// PeakN returns the core count at which the model predicts the highest
// throughput, ⌊√((1−σ)/κ)⌋ (at least 1), and ok = false when the model has
// no peak because κ is (nearly) zero: throughput then rises for ever,
// approaching λ/σ.
func (m Model) PeakN() (n int, ok bool) {
	if m.Kappa < kappaEps {
		return 0, false
	}
	if m.Sigma >= 1 {
		return 1, true // throughput falls from the first added core
	}
	p := math.Floor(math.Sqrt((1 - m.Sigma) / m.Kappa))
	if p < 1 {
		return 1, true
	}
	if p > math.MaxInt32 {
		return 0, false
	}
	return int(p), true
}

// Prediction is the model's throughput at one core count.
type Prediction struct {
	N int
	X float64
	// Measured reports whether N is one of the core counts the model was
	// fitted to. When false, X is an extrapolation or interpolation and
	// must be shown as "predicted", apart from measurements.
	Measured bool
}

// Predictions returns the model's throughput at each of ns, in order, each
// marked as measured or not.
func (m Model) Predictions(ns []int) []Prediction {
	out := make([]Prediction, len(ns))
	for i, n := range ns {
		_, measured := slices.BinarySearch(m.Cores, n)
		out[i] = Prediction{N: n, X: m.Predict(float64(n)), Measured: measured}
	}
	return out
}

// String formats the parameters for logs and tests.
func (m Model) String() string {
	return fmt.Sprintf("λ=%.4g σ=%.4g κ=%.4g R²=%.4f", m.Lambda, m.Sigma, m.Kappa, m.R2)
}

func usl(lambda, sigma, kappa, n float64) float64 {
	return lambda * n / (1 + sigma*(n-1) + kappa*n*(n-1))
}

// Fit fits the Universal Scalability Law to points by nonlinear least
// squares, with σ ≥ 0, κ ≥ 0 and λ > 0. It needs at least three distinct
// core counts (ErrTooFewCores otherwise); every point must have N ≥ 1 and a
// finite X > 0.
//
// The residuals are relative, (X − X̂)/X: throughput noise is
// multiplicative (a 2% jitter at 64 cores is 64 times the jitter at one),
// and absolute residuals would let the largest core counts decide the
// whole fit. R2 and RMSE are reported on X itself.
//
// Note: the fit starts from the exact solution of the linearised law,
// N/X = 1/λ + (σ/λ)(N−1) + (κ/λ)N(N−1), which is linear in 1/λ, σ/λ and
// κ/λ; then damped Gauss–Newton (optimize.Newton given the Gauss–Newton
// Hessian JᵀJ) refines it, over log λ so that λ stays positive. The bounds
// σ, κ ≥ 0 are handled by an active set: with only two bounds, the fit is
// repeated with each subset of {σ, κ} pinned at zero and the best feasible
// fit wins. Squaring σ and κ instead was rejected: the gradient in a
// squared parameter vanishes at zero, so a fit whose answer is σ = 0 crawls
// towards it and stops short.
func Fit(points []Point) (Model, error) {
	cores := make([]int, 0, len(points))
	var ns []float64
	for i, p := range points {
		if !(p.N >= 1) || math.IsInf(p.N, 0) {
			return Model{}, fmt.Errorf("scaling: point %d: N = %g, want ≥ 1", i, p.N)
		}
		if !(p.X > 0) || math.IsInf(p.X, 0) {
			return Model{}, fmt.Errorf("scaling: point %d (N = %g): X = %g, want finite and > 0", i, p.N, p.X)
		}
		if !slices.Contains(ns, p.N) {
			ns = append(ns, p.N)
		}
		cores = append(cores, int(math.Round(p.N)))
	}
	if len(ns) < 3 {
		return Model{}, fmt.Errorf("%w, have %d", ErrTooFewCores, len(ns))
	}
	slices.Sort(cores)
	cores = slices.Compact(cores)

	var (
		best    [3]float64
		bestF   = math.Inf(1)
		bestSet bool
	)
	// Free-parameter masks over (log λ, σ, κ): all free, κ pinned at 0,
	// σ pinned at 0, both pinned.
	for _, free := range [][3]bool{{true, true, true}, {true, true, false}, {true, false, true}, {true, false, false}} {
		x, f, ok := fitSubset(points, free)
		if !ok || x[1] < 0 || x[2] < 0 {
			continue
		}
		if f < bestF {
			best, bestF, bestSet = x, f, true
		}
	}
	if !bestSet {
		return Model{}, errors.New("scaling: no fit converged") // not reached: σ = κ = 0 always fits
	}

	m := Model{
		Lambda: math.Exp(best[0]),
		Sigma:  best[1],
		Kappa:  best[2],
		Points: len(points),
		Cores:  cores,
		MaxN:   slices.Max(ns),
	}
	var mean, ssRes, ssTot float64
	for _, p := range points {
		mean += p.X
	}
	mean /= float64(len(points))
	for _, p := range points {
		d := p.X - m.Predict(p.N)
		ssRes += d * d
		ssTot += (p.X - mean) * (p.X - mean)
	}
	m.RMSE = math.Sqrt(ssRes / float64(len(points)))
	switch {
	case ssTot > 0:
		m.R2 = 1 - ssRes/ssTot
	case ssRes <= 1e-24*mean*mean:
		m.R2 = 1 // flat data fitted exactly
	}
	return m, nil
}

// fitSubset fits (log λ, σ, κ) with the parameters not in free pinned at
// zero. It returns the parameters, the objective ½Σr² and whether the fit
// produced finite numbers.
func fitSubset(points []Point, free [3]bool) (x [3]float64, f float64, ok bool) {
	x, ok = linearGuess(points, free)
	if !ok {
		return x, 0, false
	}
	idx := make([]int, 0, 3) // positions in x of the free parameters
	for j, f := range free {
		if f {
			idx = append(idx, j)
		}
	}
	full := func(v []float64) [3]float64 {
		y := x
		for k, j := range idx {
			y[j] = v[k]
		}
		return y
	}
	// jac fills r and, when jr != nil, the Jacobian rows (one per point,
	// len(idx) columns) at the full parameter vector y.
	residuals := func(y [3]float64, r []float64, jr [][]float64) {
		lambda := math.Exp(y[0])
		for i, p := range points {
			d := 1 + y[1]*(p.N-1) + y[2]*p.N*(p.N-1)
			xh := lambda * p.N / d
			r[i] = (p.X - xh) / p.X
			if jr == nil {
				continue
			}
			// ∂r/∂θ = −(∂X̂/∂θ)/X.
			dx := [3]float64{xh, -xh * (p.N - 1) / d, -xh * p.N * (p.N - 1) / d}
			for k, j := range idx {
				jr[i][k] = -dx[j] / p.X
			}
		}
	}
	n := len(points)
	r := make([]float64, n)
	jr := make([][]float64, n)
	for i := range jr {
		jr[i] = make([]float64, len(idx))
	}
	objective := func(v []float64) float64 {
		residuals(full(v), r, nil)
		var s float64
		for _, ri := range r {
			s += ri * ri
		}
		if math.IsNaN(s) {
			return math.Inf(1)
		}
		return s / 2
	}
	problem := optimize.Problem{
		Func: objective,
		Grad: func(g, v []float64) {
			residuals(full(v), r, jr)
			clear(g)
			for i := range n {
				for k := range g {
					g[k] += jr[i][k] * r[i]
				}
			}
		},
		Hess: func(h *mat.SymDense, v []float64) {
			residuals(full(v), r, jr)
			for a := range idx {
				for b := a; b < len(idx); b++ {
					var s float64
					for i := range n {
						s += jr[i][a] * jr[i][b]
					}
					h.SetSym(a, b, s)
				}
			}
		},
	}
	init := make([]float64, len(idx))
	for k, j := range idx {
		init[k] = x[j]
	}
	f0 := objective(init)
	settings := &optimize.Settings{
		GradientThreshold: 1e-13,
		MajorIterations:   200,
		Converger:         &optimize.FunctionConverge{Absolute: 1e-16, Relative: 1e-12, Iterations: 5},
	}
	res, err := optimize.Minimize(problem, init, settings, &optimize.Newton{})
	// A line search that cannot improve on an exact start reports an
	// error; the best location found is still the answer.
	_ = err
	if res != nil && res.F < f0 && !math.IsNaN(res.F) {
		x = full(res.X)
		f0 = res.F
	}
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return x, 0, false
		}
	}
	return x, f0, true
}

// linearGuess solves the linearised law N/X = c₀ + c₁(N−1) + c₂N(N−1)
// by weighted linear least squares (weights X/N, so that its residuals are
// relative like Fit's), with c_j pinned at zero where !free[j], and returns
// (log λ, σ, κ) = (−log c₀, c₁/c₀, c₂/c₀), with negative σ or κ raised to 0.
func linearGuess(points []Point, free [3]bool) (x [3]float64, ok bool) {
	var cols []int
	for j, f := range free {
		if f {
			cols = append(cols, j)
		}
	}
	a := mat.NewDense(len(points), len(cols), nil)
	b := mat.NewVecDense(len(points), nil)
	for i, p := range points {
		w := p.X / p.N
		basis := [3]float64{1, p.N - 1, p.N * (p.N - 1)}
		for k, j := range cols {
			a.Set(i, k, w*basis[j])
		}
		b.SetVec(i, w*p.N/p.X) // = 1
	}
	var c mat.VecDense
	if err := c.SolveVec(a, b); err != nil {
		return x, false
	}
	var coef [3]float64
	for k, j := range cols {
		coef[j] = c.AtVec(k)
	}
	if !(coef[0] > 0) {
		// The linearisation failed (wildly noisy data); start from the
		// smallest core count instead: λ = X/N there, no contention.
		first := points[0]
		for _, p := range points {
			if p.N < first.N {
				first = p
			}
		}
		return [3]float64{math.Log(first.X / first.N), 0, 0}, true
	}
	// Start feasible: the refinement may still leave the bounds, and Fit
	// then prefers a subset with the offending parameter pinned.
	return [3]float64{-math.Log(coef[0]), max(coef[1]/coef[0], 0), max(coef[2]/coef[0], 0)}, true
}
