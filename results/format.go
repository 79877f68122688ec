package results

import (
	"fmt"
	"math"
	"strconv"
)

// round3 rounds v to 3 significant figures.
func round3(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	p := math.Pow(10, 2-math.Floor(math.Log10(math.Abs(v))))
	return math.Round(v*p) / p
}

// sig3 formats v (already scaled to 1 <= |v| < 1000, or 0) with 3
// significant figures and no exponent.
func sig3(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100 || a == 0:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

// A prefix scales a figure: divide by scale and append name.
type prefix struct {
	scale float64
	name  string
}

var (
	timePrefixes = []prefix{{1e9, "s"}, {1e6, "ms"}, {1e3, "µs"}, {1, "ns"}}
	siPrefixes   = []prefix{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1, ""}}
)

// scale writes v, rounded to 3 significant figures, with the largest of
// prefixes (largest first, the last of scale 1) that it reaches.
func scale(v float64, prefixes []prefix) string {
	r := round3(v)
	for _, p := range prefixes[:len(prefixes)-1] {
		if math.Abs(r) >= p.scale {
			return sig3(r/p.scale) + p.name
		}
	}
	return sig3(r) + prefixes[len(prefixes)-1].name
}

// FormatNs formats a duration in nanoseconds for people, with 3 significant
// figures: "850ns", "1.23ms", "12.3s". Zero is "0"; NaN and ±Inf are "?".
func FormatNs(ns float64) string {
	if math.IsNaN(ns) || math.IsInf(ns, 0) {
		return "?"
	}
	if ns == 0 {
		return "0"
	}
	return scale(ns, timePrefixes)
}

// FormatRate formats a rate (dishes per second) with 3 significant figures
// and an SI suffix: "950", "1.23k", "45.6k", "1.20M".
//
// Note: benchunit.Scale is the nearest relative, but it prints 4
// significant figures and milli prefixes ("950.0", "500.0m"), wider than
// our tables' cells and odd for dishes per second.
func FormatRate(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "?"
	}
	if r := round3(v); math.Abs(r) < 1 && r != 0 {
		return fmt.Sprintf("%.3g", r)
	}
	return scale(v, siPrefixes)
}

// FormatSpeedup formats a speedup ratio: "1.95×". NaN (no baseline) is "-".
func FormatSpeedup(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	return sig3(round3(x)) + "×"
}

// FormatPercent formats a fraction as a percentage with no more digits
// than it needs: 0.05 is "5%", 0.025 is "2.5%".
func FormatPercent(f float64) string { return strconv.FormatFloat(100*f, 'g', -1, 64) + "%" }

// FormatCores names a core count in prose: "1 core", "2 cores".
func FormatCores(n int) string {
	if n == 1 {
		return "1 core"
	}
	return strconv.Itoa(n) + " cores"
}

// FormatChange formats a relative change (new/old − 1) as a signed
// percentage with two decimals: "-20.00%"; NaN is "?".
func FormatChange(r float64) string {
	if math.IsNaN(r) {
		return "?"
	}
	return fmt.Sprintf("%+.2f%%", 100*r)
}
