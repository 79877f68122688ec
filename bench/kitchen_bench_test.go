package bench

import (
	"context"
	"runtime"
	"testing"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// BenchmarkKitchen is the matrix: every built-in menu served by every
// strategy, one op per dish served, at the core counts given with -cpu
// (GOMAXPROCS, which also sizes pool, gil and loops). Besides ns/op it
// reports dishes/s, the p50 and p99 latency from order placed to dish
// served, and allocs/dish, so benchstat can compare strategies:
//
//	go test -run '^$' -bench Kitchen -cpu 1,2 -count 10 ./bench | tee new.txt
//	benchstat -col /strategy new.txt
func BenchmarkKitchen(b *testing.B) {
	for _, m := range kitchen.Menus() {
		k, err := kitchen.New(m)
		if err != nil {
			b.Fatal(err)
		}
		for _, name := range strategies.Names() {
			s, err := strategies.New(name)
			if err != nil {
				b.Fatal(err)
			}
			b.Run("menu="+m.Name+"/strategy="+name, func(b *testing.B) {
				benchServe(b, k, s)
			})
		}
	}
}

// benchServe serves b.N orders of k with s and reports the run's figures.
func benchServe(b *testing.B, k *kitchen.Kitchen, s strategies.Strategy) {
	b.Helper()
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	res, err := Run(context.Background(), k, s, Load{Orders: b.N})
	b.StopTimer()
	runtime.ReadMemStats(&after)
	if err != nil {
		b.Fatal(err)
	}
	if res.Served != b.N {
		b.Fatalf("served %d of %d orders (failed %d, cancelled %d): %v",
			res.Served, b.N, res.Failed, res.Cancelled, res.Errors)
	}
	lat := res.Latencies(-1)
	b.ReportMetric(res.Throughput(), "dishes/s")
	b.ReportMetric(float64(lat.P50), "p50-ns")
	b.ReportMetric(float64(lat.P99), "p99-ns")
	// allocs/op is printed as a whole number; the target of at most 0.01
	// allocations per dish needs the fraction. It counts every allocation
	// of the run, its fixed setup included, so it shrinks as b.N grows:
	//	go test -run '^$' -bench Kitchen -benchtime 2000x -cpu 1,2 ./bench
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N), "allocs/dish")
}
