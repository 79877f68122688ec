package bench

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// Load says how much to serve. A run stops taking new orders when either
// limit is reached, then waits for the orders in progress.
type Load struct {
	Orders    int           // orders to serve; 0: no limit (Duration must be set)
	Duration  time.Duration // stop placing orders after this long; 0: no limit
	Customers int           // closed-loop customers; 0: the menu's
}

// Record is one finished order.
type Record struct {
	Dish    int32 // index into the menu's dishes
	Outcome strategies.Outcome
	Latency int64 // ns from arrival to served
	Queue   int64 // ns from arrival until a cook or loop started it
}

// Result is what one run measured.
type Result struct {
	Strategy  string
	Submitted int
	Served    int
	Failed    int
	Cancelled int
	Elapsed   time.Duration // first order placed until last order finished
	Records   []Record      // one per finished order, in completion order
	Errors    []string      // up to 10 distinct failure messages
	Check     uint64        // folds every order's work, so it cannot be optimised away
}

// ConservationError reports orders lost or counted twice: a bug in a
// strategy or in the driver.
type ConservationError struct {
	Submitted, Served, Failed, Cancelled int
}

func (e *ConservationError) Error() string {
	return fmt.Sprintf("bench: conservation violated: served %d + failed %d + cancelled %d != submitted %d",
		e.Served, e.Failed, e.Cancelled, e.Submitted)
}

// Run serves load with s against k under a closed loop: every customer
// places an order, waits for it, and orders again at once. It returns
// the run's result, with ctx's error if ctx ended it early (the result
// then holds what finished and counts the rest as cancelled), or a
// *ConservationError if served + failed + cancelled != submitted.
func Run(ctx context.Context, k *kitchen.Kitchen, s strategies.Strategy, load Load) (*Result, error) {
	if load.Orders <= 0 && load.Duration <= 0 {
		return nil, fmt.Errorf("bench: Load needs Orders or Duration")
	}
	customers := load.Customers
	if customers <= 0 {
		customers = k.Menu.Customers
	}
	limit := int64(load.Orders)
	if limit <= 0 {
		limit = 1<<62 - 1
	}
	if int64(customers) > limit {
		customers = int(limit)
	}

	dishIndex := make(map[*kitchen.Dish]int32, len(k.Menu.Dishes))
	for i := range k.Menu.Dishes {
		dishIndex[&k.Menu.Dishes[i]] = int32(i)
	}
	res := &Result{Strategy: s.Name()}
	if load.Orders > 0 {
		res.Records = make([]Record, 0, load.Orders)
	}
	orders := make(chan *strategies.Order, customers)
	pool := make([]strategies.Order, customers)

	var (
		mu       sync.Mutex // guards res and seen
		seen     = map[string]bool{}
		next     atomic.Int64 // next order number
		active   atomic.Int64 // customers still ordering
		deadline int64
		stop     = ctx.Done()
	)
	done := func(o *strategies.Order) {
		out := o.Outcome()
		rec := Record{Dish: dishIndex[o.Dish], Outcome: out, Latency: o.End - o.Arrive}
		if o.Start != 0 {
			rec.Queue = o.Start - o.Arrive
		}
		mu.Lock()
		res.Records = append(res.Records, rec)
		switch out {
		case strategies.Served:
			res.Served++
		case strategies.Failed:
			res.Failed++
			if msg := o.Err.Error(); !seen[msg] && len(res.Errors) < 10 {
				seen[msg] = true
				res.Errors = append(res.Errors, msg)
			}
		case strategies.Cancelled:
			res.Cancelled++
		}
		res.Check ^= o.Check
		mu.Unlock()

		// The customer orders again, unless the run is over.
		select {
		case <-stop:
		default:
			if now := strategies.Now(); deadline == 0 || now < deadline {
				if id := next.Add(1) - 1; id < limit {
					o.Reset(id, k.Pick(id), now)
					orders <- o // never blocks: at most `customers` orders exist
					return
				}
			}
		}
		if active.Add(-1) == 0 {
			close(orders)
		}
	}

	start := strategies.Now()
	if load.Duration > 0 {
		deadline = start + int64(load.Duration)
	}
	active.Store(int64(customers))
	next.Store(int64(customers))
	for i := range pool {
		pool[i].Reset(int64(i), k.Pick(int64(i)), start)
		orders <- &pool[i]
	}
	err := s.Serve(ctx, k, orders, done)
	end := strategies.Now()

	// Orders placed but never taken were cancelled with the run.
	res.Submitted = int(min(next.Load(), limit))
	for {
		select {
		case _, ok := <-orders:
			if ok {
				res.Cancelled++
				continue
			}
		default:
		}
		break
	}
	res.Elapsed = time.Duration(end - start)
	if c := res.Served + res.Failed + res.Cancelled; c != res.Submitted {
		return res, &ConservationError{res.Submitted, res.Served, res.Failed, res.Cancelled}
	}
	return res, err
}
