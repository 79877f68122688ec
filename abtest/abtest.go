// Package abtest gates a change on A/B rounds measured in one job on one
// machine: the old build (A) and the new one (B) are run alternately, in
// ABBA order, and each round gives one ratio new/old of dishes/s per cell.
// Ratios within a round cancel what drifts between rounds (a neighbour's
// load, clock boosts, a CI runner's hardware), which a stored baseline from
// another job cannot; this is benchstat's advice to interleave old and new
// on one machine, and what Go's performance builders and cob do.
//
// Gate tests each cell's log ratios twice, one-sided, with Student's t
// against the threshold θ: a regression when the mean log ratio is
// significantly below log(1−θ) (Holm's correction across cells keeps the
// false-alarm rate of the whole gate at α), a pass when it is
// significantly above (every cell must pass on its own, an
// intersection-union test needing no correction), and inconclusive
// otherwise: the rounds were too few or too noisy to say. It states each
// cell's smallest regression it detects with 80% power.
//
// Package cli's `kitchen check --against REF` builds the two
// binaries and measures the rounds; package results holds the samples,
// and package history watches a series of commits instead of one pair.
package abtest

import (
	"cmp"
	"math"
	"slices"

	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/stats"
)

// Options tune Gate. The zero value is usable: zero fields take
// DefaultOptions' values.
type Options struct {
	Threshold float64 // smallest regression that fails, as a fraction: 0.05 for 5%
	Alpha     float64 // false-alarm rate of the whole gate
	Power     float64 // power at which the smallest detectable change is stated
}

// DefaultOptions: a 5% threshold, α = 0.05, 80% power.
var DefaultOptions = Options{Threshold: 0.05, Alpha: 0.05, Power: 0.8}

func (o Options) withDefaults() Options {
	if o.Threshold <= 0 {
		o.Threshold = DefaultOptions.Threshold
	}
	if o.Alpha <= 0 {
		o.Alpha = DefaultOptions.Alpha
	}
	if o.Power <= 0 {
		o.Power = DefaultOptions.Power
	}
	return o
}

// Round is one A/B round: each cell's dishes/s under the old and the new
// build, measured back to back.
type Round struct {
	Old, New map[results.Cell]float64
}

// Outcome is a cell's verdict.
type Outcome string

const (
	Pass         Outcome = "pass"         // significantly better than −threshold
	Regression   Outcome = "regression"   // significantly worse than −threshold
	Inconclusive Outcome = "inconclusive" // neither: more rounds or a quieter machine needed
)

// Cell is one cell's figures and verdict.
type Cell struct {
	Cell     results.Cell
	Rounds   int     // rounds with both figures
	Old, New float64 // median dishes/s over the rounds
	// Change is the geometric mean of the within-round ratios, minus 1:
	// −0.2 when the new build serves 20% fewer dishes per second.
	Change float64
	// Low and High bound Change with 1−2α confidence (α on each side).
	Low, High float64
	// PRegression is the p-value of "no regression beyond the threshold"
	// (before Holm's correction); PPass that of "a regression beyond it".
	PRegression, PPass float64
	// SE is the standard error of the mean log ratio.
	SE float64
	// Detectable is the smallest regression (a positive fraction) that the
	// test would flag with the stated power at these rounds and this noise.
	Detectable float64
	Outcome    Outcome
}

// Verdict is Gate's answer.
type Verdict struct {
	Options Options
	Cells   []Cell
}

// Regressions returns the cells that regressed.
func (v *Verdict) Regressions() []Cell { return v.with(Regression) }

// Inconclusive returns the cells with no verdict either way.
func (v *Verdict) Inconclusive() []Cell { return v.with(Inconclusive) }

func (v *Verdict) with(o Outcome) []Cell {
	var out []Cell
	for _, c := range v.Cells {
		if c.Outcome == o {
			out = append(out, c)
		}
	}
	return out
}

// Gate judges each cell that every round measured under both builds.
// It needs at least 3 rounds; cells with fewer are inconclusive.
func Gate(rounds []Round, o Options) *Verdict {
	o = o.withDefaults()
	logs := map[results.Cell][]float64{}
	olds := map[results.Cell][]float64{}
	news := map[results.Cell][]float64{}
	for _, r := range rounds {
		for c, a := range r.Old {
			b, ok := r.New[c]
			if !ok || a <= 0 || b <= 0 {
				continue
			}
			logs[c] = append(logs[c], math.Log(b/a))
			olds[c] = append(olds[c], a)
			news[c] = append(news[c], b)
		}
	}
	v := &Verdict{Options: o}
	for c, d := range logs {
		v.Cells = append(v.Cells, judge(c, d, olds[c], news[c], o))
	}
	slices.SortFunc(v.Cells, func(a, b Cell) int {
		return cmp.Or(cmp.Compare(a.Cell.Menu, b.Cell.Menu), cmp.Compare(a.Cell.Strategy, b.Cell.Strategy), cmp.Compare(a.Cell.Cores, b.Cell.Cores))
	})
	holm(v.Cells, o)
	return v
}

// judge computes one cell's figures; holm sets the regressions.
func judge(c results.Cell, d, old, new []float64, o Options) Cell {
	n := len(d)
	out := Cell{Cell: c, Rounds: n, Old: stats.Median(old), New: stats.Median(new), PRegression: 1, PPass: 1,
		Detectable: math.Inf(1), Low: math.Inf(-1), High: math.Inf(1), Outcome: Inconclusive}
	mean, variance := stats.MeanVar(d)
	out.Change = math.Expm1(mean)
	if n < 3 {
		return out
	}
	se := math.Sqrt(variance / float64(n))
	df := float64(n - 1)
	bound := math.Log1p(-o.Threshold)
	out.SE = se
	if se == 0 {
		se = math.SmallestNonzeroFloat64 // identical ratios: any difference is certain
	}
	z := (mean - bound) / se
	out.PRegression = stats.TCDF(z, df) // small when mean is far below the bound
	out.PPass = stats.TCDF(-z, df)      // small when mean is far above it
	q := stats.TQuantile(1-o.Alpha, df)
	out.Low, out.High = math.Expm1(mean-q*se), math.Expm1(mean+q*se)
	if out.PPass <= o.Alpha {
		out.Outcome = Pass
	}
	return out
}

// holm marks regressions with Holm's step-down correction over the cells
// and fills in each cell's smallest detectable regression at the level
// Holm tests the first cell at (α/m, the most conservative).
func holm(cells []Cell, o Options) {
	m := len(cells)
	order := make([]int, m)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(cells[a].PRegression, cells[b].PRegression) })
	for k, i := range order {
		if cells[i].PRegression > o.Alpha/float64(m-k) {
			break
		}
		cells[i].Outcome = Regression
	}
	for i := range cells {
		cells[i].Detectable = detectable(cells[i], o, o.Alpha/float64(m))
	}
}

// detectable returns the smallest regression (a positive fraction) that a
// one-sided test at level alpha flags with probability o.Power, at the
// cell's rounds and standard error: the true mean log ratio must lie
// (t₁₋α + t_power)·se below log(1−θ).
func detectable(c Cell, o Options, alpha float64) float64 {
	if c.Rounds < 3 || c.SE <= 0 {
		return math.Inf(1)
	}
	df := float64(c.Rounds - 1)
	mu := math.Log1p(-o.Threshold) - (stats.TQuantile(1-alpha, df)+stats.TQuantile(o.Power, df))*c.SE
	return -math.Expm1(mu)
}
