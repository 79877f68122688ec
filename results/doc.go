// Package results keeps and compares kitchenbench measurements: the result
// file model (File, Sample), reading and writing it as JSON or in the Go
// benchmark format, mergeable latency histograms, statistics over repeated
// samples (medians with confidence intervals, speedup curves), comparison of
// files from different machines or commits, a regression gate for CI, and
// rendering all of these as text, markdown, CSV or JSON tables.
//
// It holds measured data and knows nothing of how it was measured: package
// bench fills a File, package cmd/kitchen writes, reads and renders it.
// Statistics follow benchstat: medians with distribution-free confidence
// intervals and Mann-Whitney U tests from golang.org/x/perf/benchmath, and
// the Go benchmark format via golang.org/x/perf/benchfmt, so that benchstat
// reads our .txt files untouched.
package results
