// Package mystrategy shows how to benchmark concurrency code of your own in
// the kitchen: Semaphore, a goroutine per order bounded by a semaphore of
// cooks, implements strategies.Strategy; semaphore_test.go benchmarks it
// beside the built-in pool with bench.Benchmark; and cmd/mykitchen is the
// whole `kitchen` CLI with it added (strategies.Register and cli.Main).
//
// Copy this folder into your own module and replace Semaphore with your
// pool, scheduler or event loop.
package mystrategy

import (
	"context"
	"runtime"
	"strconv"
	"sync"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// Semaphore starts one goroutine per order, as the built-in goroutines
// strategy does, but lets at most Limit orders be in progress at once: a
// buffered channel of Limit cooks is the semaphore, and taking a cook from
// it is acquiring. Unlike goroutines, a burst of orders cannot start more
// goroutines than Limit, and the cooks (with their timers) are reused, so
// serving allocates only the goroutine. The zero value uses a limit of
// twice GOMAXPROCS: half the orders can wait at a grill while the others
// use every core.
type Semaphore struct {
	Limit int // orders in progress at once; 0: 2 × GOMAXPROCS
}

var _ strategies.Strategy = Semaphore{}

// Name is "semaphore" for the default limit, else "semaphore-N".
func (s Semaphore) Name() string {
	if s.Limit > 0 {
		return "semaphore-" + strconv.Itoa(s.Limit)
	}
	return "semaphore"
}

func (s Semaphore) limit(cores int) int {
	if s.Limit > 0 {
		return s.Limit
	}
	return 2 * cores
}

// Capacity: every core can cook, and Limit orders are in progress at most.
func (s Semaphore) Capacity(cores int) kitchen.Capacity {
	n := s.limit(cores)
	return kitchen.Capacity{Cores: float64(min(cores, n)), Cooks: n}
}

// Serve takes a cook for each order (blocking while all are busy), serves
// the order on a new goroutine with it, and puts the cook back.
func (s Semaphore) Serve(ctx context.Context, k *kitchen.Kitchen, orders <-chan *strategies.Order, done func(*strategies.Order)) error {
	n := s.limit(runtime.GOMAXPROCS(0))
	cooks := make(chan *strategies.Cook, n)
	for range n {
		cooks <- strategies.NewCook(k)
	}
	var wg sync.WaitGroup
	defer wg.Wait() // every goroutine has exited when Serve returns
	stop := ctx.Done()
	for {
		var c *strategies.Cook
		select {
		case c = <-cooks: // acquire
		case <-stop:
			return ctx.Err()
		}
		select {
		case o, ok := <-orders:
			if !ok {
				return nil
			}
			wg.Go(func() {
				c.Serve(ctx, o)
				cooks <- c // release before done, so the next order starts at once
				done(o)
			})
		case <-stop:
			return ctx.Err()
		}
	}
}
