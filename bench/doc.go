// Package bench measures strategies serving a kitchen.
//
//   - Run drives one strategy with a closed loop of customers (each orders
//     again as soon as their dish is served), after an optional warm-up,
//     and records every order's outcome and latency; orders still waiting
//     when the window closes are recorded as censored, alike for every
//     strategy. RunOpen does the same for an open loop: arrivals on a
//     fixed schedule (Poisson or uniform), dispatched on time, each
//     latency counted from its due time, the generator's own lateness
//     recorded beside it.
//   - Latencies turns a run's records into percentiles; SampleOf and
//     OpenSampleOf turn a run into a result sample with its model bounds,
//     CPU use and flags (Judge: over-bound, starved, mix-starvation,
//     no-steady-state).
//   - Matrix measures menus × strategies × core counts in interleaved
//     rounds; Measure runs one into a result file (Calibrate, ThisMachine);
//     Rerun measures a baseline file's cells again; Warnings and
//     FindStarved say what a reader must know about the samples, and
//     AllFailed whether any order was served; Matrix.Validate checks a
//     matrix's settings.
//     Progress shows a long run on a terminal or in a log, and
//     MeasureShown is Measure with its progress and warnings shown.
//   - StartIO starts what menus with call and read steps need: a grill
//     service per menu as a child process, and a pantry file; the Rig
//     describes what it started (Describe) and the CPU its services
//     used (ReportCPU); MeasureWithIO measures a matrix with them.
//   - Knee, FindKnee and FindKnees (every menu × strategy, into a result
//     file) search the highest open-loop rate that meets a
//     latency objective; MG1Of models an open loop as an M/G/1 queue
//     (PredictMG1 for a result file).
//   - CheckClaims measures the talk's claims as ratios within one run;
//     TallyClaims sorts the results into failed, skipped and starved, and
//     CheckClaimsShown logs what it measures.
//   - Paired compares two strategies in back-to-back ABBA blocks of the
//     same orders, for differences smaller than a machine's drift
//     between separate benchmarks.
//   - Benchmark is the `go test -bench` matrix behind BenchmarkKitchen,
//     named menu=<menu>/strategy=<strategy> so benchstat reads it
//     untouched, for the built-in strategies or one of your own.
//
// Menus come from package kitchen and strategies from package strategies;
// package results keeps what bench measures and package compare compares
// it.
package bench
