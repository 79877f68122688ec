package bench

import (
	"context"
	"runtime"
	"runtime/metrics"
	"strconv"
	"testing"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// BenchmarkWaitingDishes measures the memory a strategy holds per dish in
// progress (issue 6, item 3): 100,000 dishes wait on 100,000 grills at
// once, and the heap and goroutine stacks in use then, less what was in use
// before Serve started, are divided by the number of dishes waiting. The
// orders themselves (the driver's, about 100 B each) are not counted; the
// strategy's tasks, timers, tables and goroutines are.
//
//	go test -run '^$' -bench WaitingDishes -count 5 ./bench
func BenchmarkWaitingDishes(b *testing.B) {
	const n = 100_000
	for _, s := range []strategies.Strategy{strategies.EventLoop{}, strategies.Goroutines{}} {
		b.Run("dishes="+strconv.Itoa(n)+"/strategy="+s.Name(), func(b *testing.B) {
			var heap, stacks float64
			for range b.N {
				heap, stacks = waitingBytes(b, s, n)
			}
			b.ReportMetric((heap+stacks)/n, "B/waiting-dish")
			b.ReportMetric(stacks/n, "stack-B/waiting-dish")
		})
	}
}

// waitingBytes serves n orders of a dish that grills for an hour, and
// measures the heap and stack bytes in use once all n are on a grill.
func waitingBytes(b *testing.B, s strategies.Strategy, n int) (heap, stacks float64) {
	b.Helper()
	k, err := kitchen.New(&kitchen.Menu{
		Name: "waiting", Grills: n, Customers: n, Seed: 1,
		Dishes: []kitchen.Dish{{Name: "brisket", Weight: 1, Steps: []kitchen.Step{
			{Name: "smoke", Kind: kitchen.Grill, Wait: time.Hour},
		}}},
	})
	if err != nil {
		b.Fatal(err)
	}
	orders := make(chan *strategies.Order, n)
	pool := make([]strategies.Order, n)
	for i := range pool {
		pool[i].Reset(int64(i), k.Pick(int64(i)), strategies.Now())
		orders <- &pool[i]
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	before := memInUse()
	served := make(chan struct{})
	go func() {
		defer close(served)
		s.Serve(ctx, k, orders, func(*strategies.Order) {})
	}()
	for {
		if inUse, _ := k.Grills.Stats(); inUse == n {
			break
		}
		time.Sleep(time.Millisecond)
	}
	// Every dish has its grill; give the last few a moment to park.
	time.Sleep(20 * time.Millisecond)
	after := memInUse()
	cancel()
	<-served
	runtime.KeepAlive(pool)
	return after[0] - before[0], after[1] - before[1]
}

// memInUse returns the bytes of live heap objects and of goroutine stacks,
// after a full collection.
func memInUse() [2]float64 {
	runtime.GC()
	s := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/stacks:bytes"},
	}
	metrics.Read(s)
	return [2]float64{float64(s[0].Value.Uint64()), float64(s[1].Value.Uint64())}
}
