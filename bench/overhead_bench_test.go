package bench

import (
	"context"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// The harness's own cost (issue 6, item 1). A benchmark harness must cost
// far less than what it measures: these benchmarks serve dishes made only
// of tiny CPU steps, so what is left beyond the work is the strategy's and
// the driver's overhead. Compare strategies with
//
//	go test -run '^$' -bench 'Overhead/' -cpu 1 -count 10 ./bench | tee o.txt
//	benchstat -col /strategy o.txt
//
// With 1 µs steps the physical limit of every strategy on one core is
// sync's dishes/s, the work itself: BenchmarkOverheadShare measures each
// strategy's share of it in paired rounds.

// overheadMenu is one dish of steps CPU steps of units work units each.
func overheadMenu(steps int, units int64) *kitchen.Menu {
	d := kitchen.Dish{Name: "tapas", Weight: 1}
	for i := range steps {
		d.Steps = append(d.Steps, kitchen.Step{Name: "bite" + strconv.Itoa(i), Kind: kitchen.CPU, Units: units})
	}
	return &kitchen.Menu{Name: "overhead", Dishes: []kitchen.Dish{d}, Customers: 16, Seed: 1}
}

// BenchmarkOverhead measures each strategy's cost per CPU step: one op is
// one step of a dish of 1 or 8 zero-work steps, so ns/op is all overhead
// (the driver's cost per dish included, spread over the dish's steps:
// the two step counts part it from the cost per step). It also reports
// dishes/s.
func BenchmarkOverhead(b *testing.B) {
	for _, steps := range []int{1, 8} {
		k, err := kitchen.New(overheadMenu(steps, 0))
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range allStrategies(b) {
			b.Run("units=0/steps="+strconv.Itoa(steps)+"/strategy="+s.Name(), func(b *testing.B) {
				benchSteps(b, k, s, steps)
			})
		}
	}
}

// benchSteps serves about b.N steps, steps to a dish.
func benchSteps(b *testing.B, k *kitchen.Kitchen, s strategies.Strategy, steps int) {
	b.ReportAllocs()
	orders := (b.N + steps - 1) / steps
	runtime.GC()
	b.ResetTimer()
	res, err := Run(context.Background(), k, s, Load{Orders: orders})
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if res.Served != orders {
		b.Fatalf("served %d of %d orders: %v", res.Served, orders, res.Errors)
	}
	b.ReportMetric(res.Throughput(), "dishes/s")
}

// BenchmarkEventLoop measures the event loop's own machinery on one loop:
// op=step is one scheduled step (a dish of one zero-work CPU step taken
// from the order queue, run from the ready queue and finished), and
// op=timed-wait one wait through the timer heap (a dish of eight 1 ns rest
// steps: each is pushed on the heap, found due on the next turn, popped and
// rescheduled, so no OS timer is involved). Both include the driver's cost
// per dish, spread over the dish's steps.
func BenchmarkEventLoop(b *testing.B) {
	b.Run("op=step", func(b *testing.B) {
		k, err := kitchen.New(overheadMenu(1, 0))
		if err != nil {
			b.Fatal(err)
		}
		benchSteps(b, k, strategies.EventLoop{}, 1)
	})
	b.Run("op=timed-wait", func(b *testing.B) {
		const waits = 8
		d := kitchen.Dish{Name: "sips", Weight: 1}
		for range waits {
			d.Steps = append(d.Steps, kitchen.Step{Kind: kitchen.Rest, Wait: time.Nanosecond})
		}
		k, err := kitchen.New(&kitchen.Menu{Name: "waits", Dishes: []kitchen.Dish{d}, Customers: 16, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		benchSteps(b, k, strategies.EventLoop{}, waits)
	})
}
