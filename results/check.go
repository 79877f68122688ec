package results

import (
	"fmt"
	"math"
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
// p <= Alpha) worse than threshold, a fraction (0.05 for 5%), in dishes/s
// (lower is worse) or p99 latency (higher is worse). It fails on files that
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
	tooFew := 0
	for _, cc := range cmp.Cells {
		for _, m := range []struct {
			name   string
			ch     Change
			worse  bool
			better bool
		}{
			{MetricThroughput, cc.Throughput[1], cc.Throughput[1].Ratio < -threshold, cc.Throughput[1].Ratio > threshold},
			{MetricP99, cc.P99[1], cc.P99[1].Ratio > threshold, cc.P99[1].Ratio < -threshold},
		} {
			f := Finding{Cell: cc.Cell, Metric: m.name, Change: m.ch}
			if math.IsNaN(m.ch.Ratio) {
				continue
			}
			switch {
			case m.ch.Significant() && m.worse:
				v.Regressions = append(v.Regressions, f)
			case m.ch.Significant() && m.better:
				v.Improvements = append(v.Improvements, f)
			case m.ch.TooFewSamples() && m.worse:
				v.Unconfirmed = append(v.Unconfirmed, f)
			}
		}
		if cc.Throughput[1].TooFewSamples() {
			tooFew++
		}
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
