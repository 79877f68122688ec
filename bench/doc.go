// Package bench measures strategies serving a kitchen: Run drives one
// strategy with a closed loop of customers (each orders again as soon as
// their dish is served) and records every order's outcome and latency;
// Summary turns that into throughput and latency percentiles. The
// `go test -bench` matrix BenchmarkKitchen lives here too, named
// menu=<menu>/strategy=<strategy> so benchstat reads it untouched.
// Paired compares two strategies in back-to-back blocks of the same
// orders, for differences smaller than the machine's drift between
// separate benchmarks.
//
// Menus come from package kitchen and strategies from package strategies;
// package results keeps what bench measures and package compare compares it.
package bench
