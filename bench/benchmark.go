package bench

import (
	"context"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// Benchmark benchmarks strategies serving menus, one sub-benchmark per
// menu and strategy named menu=<menu>/strategy=<name>, exactly as
// BenchmarkKitchen does for the built-in strategies, so benchstat compares
// a strategy of your own with them untouched. A nil menus means every
// built-in menu. Each op is one dish served; besides ns/op it reports
// dishes/s, p50-ns and p99-ns (order placed to dish served) and
// allocs/dish in the steady state. Call it from your own _test.go:
//
//	func BenchmarkMine(b *testing.B) {
//		bench.Benchmark(b, nil, mypool.New(), strategies.Pool{})
//	}
//
// and run `go test -bench Mine -cpu 1,2 -count 10 | tee new.txt`, then
// `benchstat -col /strategy new.txt`. -cpu sets GOMAXPROCS, the core
// count a strategy sees through runtime.GOMAXPROCS(0).
//
// A strategy that fails an order (Serve's contract, see
// strategies.Strategy) fails its sub-benchmark with the errors.
//
// Menus with call or read steps get a grill service child per menu and a
// pantry (StartIO with the zero IOOptions): the child is the test binary
// itself, so the package's TestMain must call GrillChildMain first.
func Benchmark(b *testing.B, menus []*kitchen.Menu, ss ...strategies.Strategy) {
	b.Helper()
	if menus == nil {
		menus = kitchen.Menus()
	}
	if len(ss) == 0 {
		b.Fatal("bench.Benchmark: no strategies to benchmark")
	}
	var ioMenus []*kitchen.Menu
	for _, m := range menus {
		if m.HasIO() {
			ioMenus = append(ioMenus, m)
		}
	}
	var rig *Rig
	if len(ioMenus) > 0 {
		var err error
		if rig, err = StartIO(context.Background(), ioMenus, IOOptions{}); err != nil {
			b.Fatalf("bench.Benchmark: %v (a test binary serves the grill when its TestMain calls bench.GrillChildMain)", err)
		}
		defer rig.Close()
	}
	for _, m := range menus {
		k, err := kitchen.New(m)
		if err != nil {
			b.Fatalf("bench.Benchmark: menu %q: %v", m.Name, err)
		}
		if rig != nil && m.HasIO() {
			if err := rig.Equip(k); err != nil {
				b.Fatalf("bench.Benchmark: %v", err)
			}
		}
		for _, s := range ss {
			b.Run("menu="+m.Name+"/strategy="+s.Name(), func(b *testing.B) {
				benchServe(b, k, s)
			})
		}
	}
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
