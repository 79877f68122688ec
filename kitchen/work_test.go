package kitchen

import (
	"math"
	"testing"
)

// BenchmarkCalibrate measures how stable the work-unit calibration is
// (issue 6, item 7): one op is 10 calibrations with the default settings
// in this process, and cv-% is the coefficient of variation of their
// NsPerUnit, in percent (target ≤ 2). A test asserting it would fail on a
// busy machine, so it is a benchmark metric:
//
//	go test -run '^$' -bench Calibrate -count 5 ./kitchen
func BenchmarkCalibrate(b *testing.B) {
	const n = 10
	var cv, ns float64
	for range b.N {
		per := make([]float64, n)
		for i := range per {
			per[i] = Calibrate(0, 0).NsPerUnit
		}
		ns, cv = meanCV(per)
	}
	b.ReportMetric(cv*100, "cv-%")
	b.ReportMetric(ns, "ns/unit")
}

// meanCV returns the mean of xs and their coefficient of variation
// (sample standard deviation over mean).
func meanCV(xs []float64) (mean, cv float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	var sq float64
	for _, x := range xs {
		sq += (x - mean) * (x - mean)
	}
	if len(xs) < 2 || mean == 0 {
		return mean, 0
	}
	return mean, math.Sqrt(sq/float64(len(xs)-1)) / mean
}

func TestMeanCV(t *testing.T) {
	mean, cv := meanCV([]float64{9, 10, 11})
	if mean != 10 || math.Abs(cv-0.1) > 1e-12 {
		t.Errorf("meanCV(9, 10, 11) = %v, %v; want 10, 0.1", mean, cv)
	}
	if _, cv := meanCV([]float64{5}); cv != 0 {
		t.Errorf("meanCV(5) cv = %v; want 0", cv)
	}
}
