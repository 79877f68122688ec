package strategies

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

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
	n := widthAt(s.Cooks, cores)
	return kitchen.Capacity{Cores: float64(min(n, cores)), Cooks: n}
}

func (s Pool) Serve(ctx context.Context, k *kitchen.Kitchen, orders <-chan *Order, done func(*Order)) error {
	return servePool(ctx, k, orders, done, width(s.Cooks), nil)
}

// servePool runs n blocking cooks, sharing g when it is not nil.
//
// Note: the cooks live in one slice and the goroutines share one closure,
// so a run allocates the same few objects whatever n is (sync.WaitGroup.Go
// would allocate a closure per goroutine).
func servePool(ctx context.Context, k *kitchen.Kitchen, orders <-chan *Order, done func(*Order), n int, g *gilLock) error {
	tr := kitchen.ContextTrace(ctx)
	if n == 1 {
		var c cook
		c.init(k, g)
		c.trace = tr
		return cookLoop(ctx, &c, orders, done)
	}
	p := &struct {
		cooks []cook
		next  atomic.Int64 // next cook to start
		wg    sync.WaitGroup
	}{cooks: make([]cook, n)}
	for i := range p.cooks {
		p.cooks[i].init(k, g)
		p.cooks[i].trace = tr
	}
	work := func() {
		defer p.wg.Done()
		cookLoop(ctx, &p.cooks[p.next.Add(1)-1], orders, done)
	}
	p.wg.Add(n)
	for range n {
		go work()
	}
	p.wg.Wait()
	return ctx.Err()
}

// cookLoop is one cook's life: take an order, serve it, repeat.
//
// Note: it tries a non-blocking receive before the two-way select on
// orders and ctx: when orders are waiting (a busy kitchen) that costs a
// few nanoseconds, where runtime.selectgo locks both channels (about 45 ns
// a dish in the profile of BenchmarkOverhead). Under the GIL the cook keeps
// the lock while it takes its next order without blocking, as a CPython
// thread does on a non-empty queue, and drops it before it blocks.
func cookLoop(ctx context.Context, c *cook, orders <-chan *Order, done func(*Order)) error {
	defer c.sleeper.unwatch()
	defer c.closeIO()
	defer c.dropGIL()
	stop := ctx.Done()
	for {
		// Look at ctx first so a cancelled run stops taking orders even
		// while the queue still holds some.
		if ended(stop) {
			return ctx.Err()
		}
		var o *Order
		ok := true
		select {
		case o, ok = <-orders:
		default:
			// The queue is empty: drop the GIL before blocking.
			c.dropGIL()
			select {
			case o, ok = <-orders:
			case <-stop:
				return ctx.Err()
			}
		}
		if !ok {
			return nil
		}
		c.serve(ctx, o)
		done(o)
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
	var c cook
	c.init(k, nil)
	c.trace = kitchen.ContextTrace(ctx)
	return cookLoop(ctx, &c, orders, done)
}

// Goroutines starts one goroutine per order and lets Go's M:N scheduler
// run them: what a Go programmer writes first. Each goroutine is its own
// cook, with its own timer, so it allocates per order. Its calls take a
// connection from a pool of idle ones shared by the run (see io.go).
type Goroutines struct {
	IdleConns int // idle grill connections kept for reuse; 0 means DefaultIdleConns
}

var _ Strategy = Goroutines{}

func (Goroutines) Name() string { return "goroutines" }

func (Goroutines) Capacity(cores int) kitchen.Capacity {
	return kitchen.Capacity{Cores: float64(cores)}
}

func (s Goroutines) Serve(ctx context.Context, k *kitchen.Kitchen, orders <-chan *Order, done func(*Order)) error {
	var conns *connPool
	if k.Menu.HasKind(kitchen.Call) {
		conns = newConnPool(s.IdleConns)
		defer conns.close() // after wg.Wait, deferred below
	}
	var bufs *sync.Pool
	if k.Menu.HasKind(kitchen.Read) {
		bufs = new(sync.Pool) // a read buffer per order would be 64 KiB of garbage each
	}
	var wakes *wakeups
	if k.Waits.Precise() {
		var err error
		if wakes, err = newWakeups(); err != nil {
			return fmt.Errorf("strategies: goroutines: %w", err)
		}
		defer wakes.close()
	}
	tr := kitchen.ContextTrace(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	stop := ctx.Done()
	for {
		if ended(stop) {
			return ctx.Err()
		}
		select {
		case o, ok := <-orders:
			if !ok {
				wg.Wait()
				return ctx.Err()
			}
			wg.Go(func() {
				c := newCook(k, nil)
				c.trace = tr
				c.wakes = wakes
				c.io.conns = conns
				c.io.bufs = bufs
				c.serve(ctx, o)
				c.closeIO() // its watch; its connections went back to conns
				done(o)
			})
		case <-stop:
			return ctx.Err()
		}
	}
}
