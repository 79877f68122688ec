package bench

import (
	"context"
	"runtime"
	"sync/atomic"
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
	for _, m := range kitchen.Menus() {
		k, err := kitchen.New(m)
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range allStrategies(b) {
			b.Run("menu="+m.Name+"/strategy="+s.Name(), func(b *testing.B) {
				benchServe(b, k, s)
			})
		}
	}
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

// benchServe serves b.N orders of k with s and reports the run's figures.
func benchServe(b *testing.B, k *kitchen.Kitchen, s strategies.Strategy) {
	b.Helper()
	b.ReportAllocs()
	w := &steadyWindow{Strategy: s, from: int64(b.N / 10), to: int64(b.N - b.N/10)}
	runtime.GC()
	b.ResetTimer()
	cpu0 := processCPU()
	res, err := Run(context.Background(), k, w, Load{Orders: b.N})
	cpu := processCPU() - cpu0
	b.StopTimer()
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
	if cpu > 0 {
		b.ReportMetric(float64(cpu)/float64(res.Served), "cpu-ns/dish")
	}
	// The window needs a few dishes (b.N of 12 or more). The two reads
	// stop the world one after the other, so they cannot cross; a guard
	// all the same, rather than a wrapped-around count.
	if n := w.to - w.from; n >= 10 && w.after.Mallocs >= w.before.Mallocs {
		b.ReportMetric(float64(w.after.Mallocs-w.before.Mallocs)/float64(n), "allocs/dish")
	}
}

// steadyWindow counts the allocations of a run's steady state: those made
// while its middle 80% of dishes were served, between the from-th and the
// to-th dish finished. allocs/op counts the whole run, its fixed setup
// (channels, order records, a loop's tables, goroutines) included, and
// prints as a whole number; over the few hundred dishes a slow menu serves
// in a second, that setup alone reads as up to 0.08 allocations per dish.
// allocs/dish is the figure the steady state is judged by. For every
// strategy but goroutines it is 0 in most cells; what remains, at two
// cores, is the runtime's: wait records (sudogs) for a select or a
// sync.Cond, allocated again after the collection benchServe forces before
// each run empties their shared cache, some tens per run (see README).
//
// Note: reading the memory statistics stops the world for some tens of
// microseconds, twice a run; counting the dishes is one atomic add each,
// beside the recorder's lock.
type steadyWindow struct {
	strategies.Strategy
	from, to      int64
	served        atomic.Int64
	before, after runtime.MemStats
}

func (w *steadyWindow) Serve(ctx context.Context, k *kitchen.Kitchen, orders <-chan *strategies.Order, done func(*strategies.Order)) error {
	return w.Strategy.Serve(ctx, k, orders, func(o *strategies.Order) {
		done(o)
		switch w.served.Add(1) {
		case w.from:
			runtime.ReadMemStats(&w.before)
		case w.to:
			runtime.ReadMemStats(&w.after)
		}
	})
}
