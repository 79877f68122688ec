package results

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Metric names used in Findings.
const (
	MetricThroughput = "dishes/s" // lower is worse
	MetricP99        = "p99"      // higher is worse
)

// A Verdict is the outcome of Check: the regressions of a current file
// against a baseline, and what could not be decided.
type Verdict struct {
	Baseline, Current *File
	Labels            [2]string // short names of the two files
	Threshold         float64   // the smallest change that counts, as a fraction (0.05 is 5%)
	Cells             int       // cells compared

	// Regressions are significant (p <= Alpha) changes worse than
	// Threshold: lower dishes/s or higher p99. A build should fail on them.
	Regressions []Finding
	// Improvements are significant changes better than Threshold.
	Improvements []Finding
	// Unconfirmed are changes worse than Threshold in cells with too few
	// samples for any change to be significant: worth a rerun with more
	// samples, not an alarm.
	Unconfirmed []Finding
	// Notes say what else the reader should know: too few samples, cells
	// missing from one file, partial files.
	Notes []string
}

// Regressed reports whether v holds a regression.
func (v *Verdict) Regressed() bool { return len(v.Regressions) > 0 }

// A Finding is one metric of one cell that changed.
type Finding struct {
	Cell
	Metric string // MetricThroughput or MetricP99
	Change
}

func (f Finding) String() string {
	return fmt.Sprintf("%s/%s/%d cores: %s %s → %s (%s, %s)", f.Menu, f.Strategy, f.Cores, f.Metric,
		formatMetric(f.Metric, f.Old), formatMetric(f.Metric, f.New), f.Delta(), f.Stat())
}

func formatMetric(metric string, v float64) string {
	if metric == MetricP99 {
		return FormatNs(v)
	}
	return FormatRate(v) + " dishes/s"
}

// Check compares current with baseline over their common cells and reports
// as regressions the statistically significant changes (Mann-Whitney U,
// with Holm's correction for the number of cells and metrics tested, so the
// whole check has at most an Alpha chance of a false alarm) worse than
// threshold, a fraction (0.05 for 5%), in dishes/s (lower is worse) or p99
// latency (higher is worse), and larger than noiseFactor times the cell's
// own sample-to-sample variation (CV) in either file; significant changes
// within that variation are listed as unconfirmed. It fails on files that
// cannot be compared (wrapping ErrIncomparable) and on a threshold that is
// negative or not finite.
func Check(baseline, current *File, threshold float64) (*Verdict, error) {
	if math.IsNaN(threshold) || math.IsInf(threshold, 0) || threshold < 0 {
		return nil, fmt.Errorf("check: threshold %v: want a fraction >= 0 such as 0.05 for 5%%", threshold)
	}
	cmp, err := Compare([]*File{baseline, current})
	if err != nil {
		return nil, err
	}
	v := &Verdict{
		Baseline: baseline, Current: current,
		Labels:    [2]string{cmp.Labels[0], cmp.Labels[1]},
		Threshold: threshold,
		Cells:     len(cmp.Cells),
	}
	// Every (cell, metric) pair is a test; with dozens of cells some would
	// pass α = 0.05 by chance alone. Holm's step-down correction keeps the
	// chance of any false alarm in the whole check at α.
	type test struct {
		f             Finding
		worse, better bool
		noise         float64 // larger CV of the metric in the two files
	}
	var tests []test
	base, cur := samplesOf(baseline), samplesOf(current)
	tooFew := 0
	for _, cc := range cmp.Cells {
		thr := [2]float64{
			max(cv(figures(base[cc.Cell], func(s *Sample) float64 { return s.DishesPerSec })),
				cv(figures(cur[cc.Cell], func(s *Sample) float64 { return s.DishesPerSec }))),
			max(cv(figures(base[cc.Cell], func(s *Sample) float64 { return s.Latency.P99 })),
				cv(figures(cur[cc.Cell], func(s *Sample) float64 { return s.Latency.P99 }))),
		}
		for i, m := range []struct {
			name   string
			ch     Change
			worse  bool
			better bool
		}{
			{MetricThroughput, cc.Throughput[1], cc.Throughput[1].Ratio < -threshold, cc.Throughput[1].Ratio > threshold},
			{MetricP99, cc.P99[1], cc.P99[1].Ratio > threshold, cc.P99[1].Ratio < -threshold},
		} {
			if math.IsNaN(m.ch.Ratio) {
				continue
			}
			f := Finding{Cell: cc.Cell, Metric: m.name, Change: m.ch}
			if m.ch.TooFewSamples() {
				if m.worse {
					v.Unconfirmed = append(v.Unconfirmed, f)
				}
				continue
			}
			tests = append(tests, test{f: f, worse: m.worse, better: m.better, noise: thr[i]})
		}
		if cc.Throughput[1].TooFewSamples() {
			tooFew++
		}
	}
	slices.SortStableFunc(tests, func(a, b test) int { return cmpFloat(a.f.P, b.f.P) })
	noisy := 0
	for i, t := range tests {
		if t.f.P > Alpha/float64(len(tests)-i) {
			break // Holm: this and every larger p-value are not significant
		}
		// Samples from one run share its conditions and understate the
		// run-to-run variation: a change within noiseFactor times the
		// cell's own sample-to-sample variation is not trusted as a
		// regression.
		withinNoise := math.Abs(t.f.Ratio) <= noiseFactor*t.noise
		switch {
		case t.worse && withinNoise:
			v.Unconfirmed = append(v.Unconfirmed, t.f)
			noisy++
		case t.worse:
			v.Regressions = append(v.Regressions, t.f)
		case t.better && !withinNoise:
			v.Improvements = append(v.Improvements, t.f)
		}
	}
	sortFindings(v.Regressions)
	sortFindings(v.Improvements)
	sortFindings(v.Unconfirmed)
	if noisy > 0 {
		v.Notes = append(v.Notes, fmt.Sprintf("%d significant changes beyond the threshold are within %d × their cells' sample-to-sample variation (CV): worth a rerun, not an alarm", noisy, noiseFactor))
	}
	if tooFew > 0 {
		v.Notes = append(v.Notes, fmt.Sprintf("%d of %d cells have too few samples (%s) for a change to be significant at α=%v: run with more samples per cell (-count)",
			tooFew, len(cmp.Cells), minSamplesText(), Alpha))
	}
	if n := len(cmp.Sums[0]) - len(cmp.Cells); n > 0 {
		v.Notes = append(v.Notes, fmt.Sprintf("%d cells of %s are not in %s and were not checked", n, v.Labels[0], v.Labels[1]))
	}
	if n := len(cmp.Sums[1]) - len(cmp.Cells); n > 0 {
		v.Notes = append(v.Notes, fmt.Sprintf("%d cells of %s are not in %s and were not checked", n, v.Labels[1], v.Labels[0]))
	}
	for i, f := range []*File{baseline, current} {
		if f.Partial {
			v.Notes = append(v.Notes, fmt.Sprintf("%s is partial: its run was interrupted", v.Labels[i]))
		}
	}
	return v, nil
}

// noiseFactor is how many times a cell's sample-to-sample coefficient of
// variation a change must exceed to count. Samples of one run share that
// run's conditions, so their spread understates the spread between runs.
// Measured on the 2-core reference machine: five reruns of one commit
// against one baseline (banquet and dinner-rush, 10 samples per cell)
// gave goroutines/dinner-rush changes of up to 15% in dishes/s and 36% in
// p99 with p < 0.001; at 2 × CV one of the five still raised an alarm, at
// 3 × CV none did, while a 20% drop in a quiet cell still fails the check.
const noiseFactor = 3

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
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

// minSamplesText says how many samples per file the U test needs at Alpha,
// as benchmath words it (">= 4").
func minSamplesText() string {
	for n := 2; n <= 20; n++ {
		a, b := make([]float64, n), make([]float64, n)
		for i := range n {
			a[i], b[i] = float64(i), float64(n+i)
		}
		if c := change(a, b, 1, 2); c.Significant() {
			return fmt.Sprintf("need >= %d per file", n)
		}
	}
	return "need > 20 per file"
}
