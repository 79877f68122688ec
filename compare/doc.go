// Package compare says how kitchenbench figures compare: it summarises a
// cell's samples as a median with a distribution-free confidence interval
// (Summarize, as benchstat does, through golang.org/x/perf/benchmath),
// puts files from different machines or commits side by side with
// Mann-Whitney U tests (Compare), and gates a change for CI (Check).
//
// The gate uses a one-sided Welch t-test on log values against a null
// shifted by the threshold, with Holm's correction, because the U test
// cannot reach a corrected level at a few samples per cell;
// docs/gate.md gives its power and false-alarm rate. There is one median
// and one percentile rule (package stats) and one p99 per comparison (the
// pooled one of the merged histograms).
//
// Package results holds what is compared, package stats the arithmetic,
// and package render writes summaries, comparisons and verdicts.
package compare
