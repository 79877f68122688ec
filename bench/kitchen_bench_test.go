package bench

import (
	"testing"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// BenchmarkKitchen is the matrix: every built-in menu served by every
// strategy, one op per dish served, at the core counts given with -cpu
// (GOMAXPROCS, which also sizes pool, gil and loops). Besides ns/op it
// reports dishes/s, the p50 and p99 latency from order placed to dish
// served, cpu-ns/dish (the process's CPU time, getrusage, per dish served:
// what a dish costs whatever the wall-clock throughput, so a starved run
// shows as slow but not as costly) and allocs/dish in the steady state
// (see steadyWindow), so benchstat can compare strategies:
//
//	go test -run '^$' -bench Kitchen -cpu 1,2 -count 10 ./bench | tee new.txt
//	benchstat -col /strategy new.txt
func BenchmarkKitchen(b *testing.B) {
	Benchmark(b, kitchen.Menus(), allStrategies(b)...)
}

// allStrategies returns every strategy with its default settings, in the
// canonical order of strategies.Names.
func allStrategies(tb testing.TB) []strategies.Strategy {
	tb.Helper()
	var all []strategies.Strategy
	for _, name := range strategies.Names() {
		s, err := strategies.New(name)
		if err != nil {
			tb.Fatal(err)
		}
		all = append(all, s)
	}
	return all
}
