// Package history finds lasting changes in a project's benchmark history:
// it orders result files by the date of the commit they measured, builds
// one series per machine and cell (the median dishes/s of each commit), and
// looks for change points in each series with E-divisive means and a
// permutation test (Matteson and James, "A Nonparametric Approach for
// Multiple Change Point Analysis of Multivariate Data", JASA 2014; the
// method behind MongoDB's signal processing and Apache Otava).
//
// Why change points and not a threshold on each run: on shared CI machines
// a single run is noisy, and a threshold either fires on noise or misses a
// drop that a few later runs make plain. E-divisive compares whole stretches
// of the series, needs no assumption about the noise's distribution, and
// its permutation test gives each change point a p-value whose false-alarm
// rate holds on any series whose points are exchangeable (see Detect).
//
// Series from different machines (CPU model, logical CPUs, OS and
// architecture) are never mixed: each machine has its own series.
//
// Package results reads the files (results.Read) and package cli's
// `kitchen history` prints what Analyze finds; for a change between two
// commits measured in one job, use `kitchen check --against` instead.
package history
