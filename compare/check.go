package compare

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/stats"
)

// Metric names used in Findings.
const (
	MetricThroughput = "dishes/s"       // lower is worse
	MetricShare      = "share of bound" // dishes/s ÷ the sample's own model bound; lower is worse
	MetricP99        = "p99"            // higher is worse
)

// Defaults of the gate, justified in docs/gate.md.
const (
	// DefaultThreshold is the smallest drop the gate is asked to catch:
	// it tests H0 "the current run is at most this much slower", so
	// run-to-run drift below it does not alarm.
	DefaultThreshold = 0.05
	// DefaultCount is the samples per cell the gate is stated for (and
	// what `kitchen check` measures afresh when the baseline has fewer).
	DefaultCount = 6
	// BlindDrop is the detectable drop at or beyond which a cell counts as
	// untestable: a gate that would let a halving of a cell pass says
	// nothing about it.
	BlindDrop = 0.5
)

// A Verdict is the outcome of Check: the regressions of a current file
// against a baseline, what each cell could have shown, and what could not
// be decided.
type Verdict struct {
	Baseline, Current *results.File
	Labels            [2]string // short names of the two files
	Threshold         float64   // the smallest drop that counts, as a fraction (0.05 is 5%)
	Metric            string    // MetricThroughput on one machine, MetricShare across machines
	Cells             int       // cells common to both files

	// Mismatches between the files' configurations and machines, severe
	// ones first (see Mismatches).
	Mismatches []results.Mismatch
	// Tests holds every common cell: what was tested and what could have
	// been detected, or why it was not tested.
	Tests []CellTest

	// Regressions are drops significantly beyond Threshold (one-sided
	// Welch t-test on log values against the shifted null "drop <=
	// Threshold", Holm's correction over the cells tested). A build
	// should fail on them.
	Regressions []Finding
	// Improvements are rises significantly beyond Threshold, by the
	// mirrored test (Holm within improvements).
	Improvements []Finding
	// Unconfirmed are drops beyond Threshold in the point estimate that
	// did not reach significance: neither an alarm nor evidence that
	// nothing changed. A rerun with more samples (-count) settles them.
	Unconfirmed []Finding
	// Notes say what else the reader should know: cells missing from one
	// file, starved samples left out, partial files, the latency watch.
	Notes []string
}

// A CellTest is the gate's work on one cell.
type CellTest struct {
	results.Cell
	N1, N2   int     // samples used on each side
	Old, New float64 // geometric means of the metric
	Ratio    float64 // New/Old − 1
	P        float64 // one-sided p-value of a drop beyond the threshold
	// Detectable is the smallest drop (a fraction) that would have been
	// significant here at Holm's strictest level, α ÷ cells tested, given
	// these counts and spreads: the cell's stated sensitivity.
	Detectable float64
	// Reason says why the cell was not tested ("" when it was): a
	// definition that differs between the files, too few samples, too
	// much spread (Detectable >= BlindDrop), starved samples.
	Reason string
}

// Tested reports whether the cell took part in the test.
func (t CellTest) Tested() bool { return t.Reason == "" }

// Regressed reports whether v holds a regression.
func (v *Verdict) Regressed() bool { return len(v.Regressions) > 0 }

// Inconclusive returns the cells the gate could not judge because
// significance was out of reach (too few samples, too much spread,
// starved samples) or their definitions differ between the files.
func (v *Verdict) Inconclusive() []CellTest {
	var out []CellTest
	for _, t := range v.Tests {
		if !t.Tested() {
			out = append(out, t)
		}
	}
	return out
}

// Conclusive reports whether every common cell was tested: a pass then
// means no cell dropped beyond what its Detectable states.
func (v *Verdict) Conclusive() bool { return len(v.Inconclusive()) == 0 && v.Cells > 0 }

// A Finding is one metric of one cell that changed.
type Finding struct {
	results.Cell
	Metric string // MetricThroughput, MetricShare or MetricP99
	Change
}

func (f Finding) String() string {
	return fmt.Sprintf("%s/%s/%d cores: %s %s → %s (%s, %s)", f.Menu, f.Strategy, f.Cores, f.Metric,
		MetricText(f.Metric, f.Old), MetricText(f.Metric, f.New), results.FormatChange(f.Ratio), f.Stat())
}

// MetricText formats v, a figure of metric, for people: a duration, a
// share in percent, or dishes/s.
func MetricText(metric string, v float64) string {
	switch metric {
	case MetricP99:
		return results.FormatNs(v)
	case MetricShare:
		return fmt.Sprintf("%.1f%%", 100*v)
	}
	return results.FormatRate(v) + " dishes/s"
}

// Check compares current with baseline, cell by cell, and reports as
// regressions the drops in throughput that are significantly larger than
// threshold (a fraction: 0.05 for 5%).
//
// The method (docs/gate.md gives the figures behind it): per cell, a
// one-sided Welch t-test on the logarithms of the per-sample figures
// against the shifted null H0: current/baseline >= 1 − threshold, so
// that drift smaller than the threshold does not alarm however many
// samples there are; Holm's step-down correction over the cells tested,
// so the whole check has at most an Alpha chance of a false alarm when no
// cell dropped by more than threshold. On one machine the figure is
// dishes/s; across machines (CPU model, CPU count, OS or architecture
// differ) it is the share of each sample's own model bound, which a
// machine's speed cancels out of (it also hides a slower work unit, which
// is why one machine uses dishes/s).
//
// Cells whose definitions differ (see Mismatches), with fewer than 2
// usable samples on a side, or so spread that even a halving could not be
// significant, are not tested: they are listed with their reason and make
// the verdict inconclusive. Starved samples (Sample.Starved) are left out
// first: a sample that did not get its cores says nothing about the code.
//
// Latency is watched, not gated: a pooled p99 (from the merged
// histograms, the one p99 of every table) that rose beyond threshold is
// noted, unless either side is a censored lower bound.
//
// Check fails on files that cannot be compared (wrapping ErrIncomparable)
// and on a threshold outside [0, 1).
func Check(baseline, current *results.File, threshold float64) (*Verdict, error) {
	if math.IsNaN(threshold) || threshold < 0 || threshold >= 1 {
		return nil, fmt.Errorf("check: threshold %v: want a fraction in [0, 1) such as 0.05 for 5%%", threshold)
	}
	cmp, err := Compare([]*results.File{baseline, current})
	if err != nil {
		return nil, err
	}
	v := &Verdict{
		Baseline: baseline, Current: current,
		Labels:     [2]string{cmp.Labels[0], cmp.Labels[1]},
		Threshold:  threshold,
		Metric:     MetricThroughput,
		Cells:      len(cmp.Cells),
		Mismatches: cmp.Mismatches,
	}
	metric := func(s *results.Sample) float64 { return s.DishesPerSec }
	if !results.SameMachine(baseline.Machine, current.Machine) {
		v.Metric = MetricShare
		metric = func(s *results.Sample) float64 {
			if s.Bound <= 0 {
				return math.NaN()
			}
			return s.DishesPerSec / s.Bound
		}
	}
	base, cur := samplesOf(baseline), samplesOf(current)
	starved := [2]int{}
	type prepared struct {
		a, b []float64
	}
	var prep []prepared
	for _, cc := range cmp.Cells {
		t := CellTest{Cell: cc.Cell, P: 1, Ratio: math.NaN(), Old: math.NaN(), New: math.NaN(), Detectable: math.NaN()}
		var sides [2][]float64
		cellStarved := 0
		for i, ss := range [2][]*results.Sample{base[cc.Cell], cur[cc.Cell]} {
			var vals []float64
			for _, s := range ss {
				if s.Starved {
					starved[i]++
					cellStarved++
					continue
				}
				vals = append(vals, metric(s))
			}
			sides[i], _ = stats.Logs(vals)
		}
		t.N1, t.N2 = len(sides[0]), len(sides[1])
		if t.N1 > 0 && t.N2 > 0 {
			m1, _ := stats.MeanVar(sides[0])
			m2, _ := stats.MeanVar(sides[1])
			t.Old, t.New = math.Exp(m1), math.Exp(m2)
			t.Ratio = math.Exp(m2-m1) - 1
		}
		switch {
		case results.Incomparable(cmp.Mismatches, cc.Cell) != "":
			t.Reason = "defined differently: " + results.Incomparable(cmp.Mismatches, cc.Cell)
		case t.N1 < 2 || t.N2 < 2:
			t.Reason = fmt.Sprintf("too few usable samples (%d and %d; need >= 2 per file)", t.N1, t.N2)
			if cellStarved > 0 {
				t.Reason += fmt.Sprintf(" after leaving out %d starved samples", cellStarved)
			} else if v.Metric == MetricShare && (len(base[cc.Cell]) >= 2 && len(cur[cc.Cell]) >= 2) {
				t.Reason = "no model bound to take a share of"
			}
		}
		v.Tests = append(v.Tests, t)
		prep = append(prep, prepared{sides[0], sides[1]})
	}

	// The test, with the count of tests known.
	m := 0
	for _, t := range v.Tests {
		if t.Tested() {
			m++
		}
	}
	shiftDown, shiftUp := math.Log1p(-threshold), math.Log1p(threshold)
	var idx []int
	var pDown, pUp []float64
	for i := range v.Tests {
		t := &v.Tests[i]
		if !t.Tested() {
			continue
		}
		w := stats.WelchOf(prep[i].a, prep[i].b)
		t.P = w.PBelow(shiftDown)
		t.Detectable = detectable(w, shiftDown, Alpha/float64(m))
		if t.Detectable >= BlindDrop {
			t.Reason = fmt.Sprintf("too spread: only a drop of %.0f%% or more could be significant", 100*t.Detectable)
			continue
		}
		idx = append(idx, i)
		pDown = append(pDown, t.P)
		pUp = append(pUp, w.PAbove(shiftUp))
	}
	down, up := stats.Holm(pDown, Alpha), stats.Holm(pUp, Alpha)
	for k, i := range idx {
		t := v.Tests[i]
		f := Finding{Cell: t.Cell, Metric: v.Metric, Change: Change{Old: t.Old, New: t.New, Ratio: t.Ratio, P: t.P, N1: t.N1, N2: t.N2}}
		switch {
		case down[k]:
			v.Regressions = append(v.Regressions, f)
		case up[k]:
			f.P = pUp[k]
			v.Improvements = append(v.Improvements, f)
		case t.Ratio < -threshold:
			v.Unconfirmed = append(v.Unconfirmed, f)
		}
	}
	sortFindings(v.Regressions)
	sortFindings(v.Improvements)
	sortFindings(v.Unconfirmed)

	v.Notes = append(v.Notes, latencyWatch(cmp, threshold)...)
	for i, n := range starved {
		if n > 0 {
			v.Notes = append(v.Notes, fmt.Sprintf("%d starved samples of %s (the process received markedly fewer cores than its strategy keeps busy) were left out of the test", n, v.Labels[i]))
		}
	}
	if n := len(cmp.Sums[0]) - len(cmp.Cells); n > 0 {
		v.Notes = append(v.Notes, fmt.Sprintf("%d cells of %s are not in %s and were not checked", n, v.Labels[0], v.Labels[1]))
	}
	if n := len(cmp.Sums[1]) - len(cmp.Cells); n > 0 {
		v.Notes = append(v.Notes, fmt.Sprintf("%d cells of %s are not in %s and were not checked", n, v.Labels[1], v.Labels[0]))
	}
	for i, f := range []*results.File{baseline, current} {
		if f.Partial {
			v.Notes = append(v.Notes, fmt.Sprintf("%s is partial: its run was interrupted", v.Labels[i]))
		}
	}
	return v, nil
}

// detectable returns the smallest true drop (a fraction) whose expected
// log ratio would reach significance at level a: D such that
// (log(1−D) − shift) / SE = t_a.
func detectable(w stats.Welch, shift, a float64) float64 {
	d := shift + stats.TQuantile(a, w.DF)*w.SE
	return -math.Expm1(d)
}

// latencyWatch notes cells whose pooled p99 rose beyond threshold, where
// neither side is a censored lower bound.
func latencyWatch(cmp *Comparison, threshold float64) []string {
	var rose []string
	censored := 0
	for _, cc := range cmp.Cells {
		a, b := cc.Sums[0], cc.Sums[1]
		if a.IsLower("p99") || b.IsLower("p99") {
			censored++
			continue
		}
		if a.P99 > 0 && b.P99/a.P99-1 > threshold {
			rose = append(rose, fmt.Sprintf("%s %s → %s", cc.Cell.String(), results.FormatNs(a.P99), results.FormatNs(b.P99)))
		}
	}
	var out []string
	if len(rose) > 0 {
		out = append(out, fmt.Sprintf("latency watch (not gated): pooled p99 rose beyond %s in %s", results.FormatPercent(threshold), strings.Join(rose, "; ")))
	}
	if censored > 0 {
		out = append(out, fmt.Sprintf("latency watch: %d cells have a censored p99 (a lower bound) on one side and were not compared", censored))
	}
	return out
}

// sortFindings orders findings by cell (menu, strategy, cores), then metric.
func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if c := strings.Compare(a.Menu, b.Menu); c != 0 {
			return c
		}
		if c := strings.Compare(a.Strategy, b.Strategy); c != 0 {
			return c
		}
		if a.Cores != b.Cores {
			return a.Cores - b.Cores
		}
		return strings.Compare(a.Metric, b.Metric)
	})
}
