// Package results keeps and compares kitchenbench measurements: the result
// file model (File, Sample), reading and writing it as JSON or in the Go
// benchmark format, mergeable latency histograms, statistics over repeated
// samples (medians with confidence intervals, speedup curves), comparison of
// files from different machines or commits, a regression gate for CI, and
// rendering all of these as text, markdown, CSV or JSON tables.
//
// It holds measured data and knows nothing of how it was measured: package
// bench fills a File, package cmd/kitchen writes, reads and renders it.
// Descriptive statistics follow benchstat: medians with distribution-free
// confidence intervals and Mann-Whitney U tests from
// golang.org/x/perf/benchmath, and the Go benchmark format via
// golang.org/x/perf/benchfmt, so that benchstat reads our .txt files
// untouched. The gate (Check) uses a one-sided Welch t-test on log values
// against a null shifted by the threshold, with Holm's correction, because
// the U test cannot reach a corrected level at a few samples per cell;
// docs/gate.md gives its power and false-alarm rate. There is one
// percentile rule (Rank, nearest rank), one median (Median) and one p99
// per comparison (the pooled one of the merged histograms).
//
// Figures that are not what they seem are marked, never printed bare:
// censored percentiles (Latency.Lower) as lower bounds (≥), samples above
// their bound or starved of cores by their flags, and differences between
// files' configurations (Mismatches) before any comparison.
package results
