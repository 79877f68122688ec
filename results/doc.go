// Package results keeps kitchenbench measurements: the result file model
// (File, Sample, Latency, Knee), reading and writing it as JSON or in the
// Go benchmark format (so that benchstat reads our .txt files untouched),
// mergeable latency histograms, merging files of one machine, machine
// labels, the mismatches that make two files' figures mean different
// things, and the units figures are printed in (FormatNs, FormatRate).
//
// It holds measured data and knows nothing of how it was measured:
// package bench fills a File. Its siblings split the rest of the job as
// golang.org/x/perf splits benchfmt, benchmath and benchtab: package stats
// holds the arithmetic (the one median and nearest-rank rule, Welch's
// t-test), package compare summarises files, compares them and gates a
// change, and package render writes all of it as text, markdown, CSV or
// JSON.
//
// Figures that are not what they seem are marked, never stored bare:
// censored percentiles (Latency.Lower) are lower bounds, samples carry
// flags when they ran above their bound or starved of cores, and
// Mismatches names the differences between files' configurations before
// any comparison.
package results
