package strategies

import (
	"context"
	"sync"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

// Pool is a fixed pool of cooks taking orders from one queue, each serving
// an order start to finish and blocking during its waits: the talk's
// kitchen of many cooks with many grills, free threading. Go runs the
// cooks in parallel on up to GOMAXPROCS cores.
type Pool struct {
	Cooks int // 0 means GOMAXPROCS
}

var _ Strategy = Pool{}

func (Pool) Name() string { return "pool" }

func (s Pool) Capacity(cores int) kitchen.Capacity {
	n := s.Cooks
	if n <= 0 {
		n = cores
	}
	return kitchen.Capacity{Cores: float64(min(n, cores)), Cooks: n}
}

func (s Pool) Serve(ctx context.Context, k *kitchen.Kitchen, orders <-chan *Order, done func(*Order)) error {
	return servePool(ctx, k, orders, done, width(s.Cooks), nil)
}

// servePool runs n blocking cooks, sharing g when it is not nil.
func servePool(ctx context.Context, k *kitchen.Kitchen, orders <-chan *Order, done func(*Order), n int, g *gilLock) error {
	if n == 1 {
		return cookLoop(ctx, newCook(k, g), orders, done)
	}
	var wg sync.WaitGroup
	for range n {
		c := newCook(k, g)
		wg.Go(func() { cookLoop(ctx, c, orders, done) })
	}
	wg.Wait()
	return ctx.Err()
}

// cookLoop is one cook's life: take an order, serve it, repeat.
func cookLoop(ctx context.Context, c *cook, orders <-chan *Order, done func(*Order)) error {
	stop := ctx.Done()
	for {
		// Look at ctx first so a cancelled run stops taking orders even
		// while the queue still holds some.
		select {
		case <-stop:
			return ctx.Err()
		default:
		}
		select {
		case o, ok := <-orders:
			if !ok {
				return nil
			}
			c.serve(ctx, o)
			done(o)
		case <-stop:
			return ctx.Err()
		}
	}
}

// Sync is one cook serving each order start to finish on the calling
// goroutine, waiting at the grill and while the steak rests: the talk's
// kitchen of a single cook, synchronous code.
type Sync struct{}

var _ Strategy = Sync{}

func (Sync) Name() string { return "sync" }

func (Sync) Capacity(int) kitchen.Capacity { return kitchen.Capacity{Cores: 1, Cooks: 1} }

func (Sync) Serve(ctx context.Context, k *kitchen.Kitchen, orders <-chan *Order, done func(*Order)) error {
	return cookLoop(ctx, newCook(k, nil), orders, done)
}

// Goroutines starts one goroutine per order and lets Go's M:N scheduler
// run them: what a Go programmer writes first. Each goroutine is its own
// cook, with its own timer, so it allocates per order.
type Goroutines struct{}

var _ Strategy = Goroutines{}

func (Goroutines) Name() string { return "goroutines" }

func (Goroutines) Capacity(cores int) kitchen.Capacity {
	return kitchen.Capacity{Cores: float64(cores)}
}

func (Goroutines) Serve(ctx context.Context, k *kitchen.Kitchen, orders <-chan *Order, done func(*Order)) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	stop := ctx.Done()
	for {
		select {
		case <-stop:
			return ctx.Err()
		default:
		}
		select {
		case o, ok := <-orders:
			if !ok {
				wg.Wait()
				return ctx.Err()
			}
			wg.Go(func() {
				newCook(k, nil).serve(ctx, o)
				done(o)
			})
		case <-stop:
			return ctx.Err()
		}
	}
}
