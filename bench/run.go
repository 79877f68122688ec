package bench

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// Load says how much to serve. With Orders, a run places that many orders
// and waits for all of them. With Duration, it measures a window: when the
// time is up it stops placing orders and abandons those still in progress,
// counting them as Unfinished, so the window's length never depends on how
// long the queue takes to drain. With both, whichever comes first ends it.
type Load struct {
	Orders    int           // orders to serve; 0: no limit (Duration must be set)
	Duration  time.Duration // length of the measured window; 0: no limit
	Customers int           // closed-loop customers; 0: the menu's
	// Warmup, with Duration, serves orders for this long before the
	// window opens and leaves them out of the result: what a strategy
	// sets up at its start (a connection per call in flight to the grill
	// service, for a menu with call steps) is then not in the figures,
	// as it is not in a long-running server's. Orders still in progress
	// when the window opens count in it.
	Warmup time.Duration
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
	Strategy   string
	Submitted  int
	Served     int
	Failed     int
	Cancelled  int           // abandoned because ctx ended
	Unfinished int           // still queued or in progress when Duration was up
	Elapsed    time.Duration // first order placed until the last finished, or the window's end
	Records    []Record      // one per finished order, in completion order
	Errors     []string      // up to 10 distinct failure messages
	Check      uint64        // folds every order's work, so it cannot be optimised away
}

// ConservationError reports orders lost or counted twice: a bug in a
// strategy or in the driver.
type ConservationError struct {
	Submitted, Served, Failed, Cancelled, Unfinished int
}

func (e *ConservationError) Error() string {
	return fmt.Sprintf("bench: conservation violated: served %d + failed %d + cancelled %d + unfinished %d != submitted %d",
		e.Served, e.Failed, e.Cancelled, e.Unfinished, e.Submitted)
}

// Run serves load with s against k under a closed loop: every customer
// places an order, waits for it, and orders again at once. It returns
// the run's result, with ctx's error if ctx ended it early (the result
// then holds what finished and counts the rest as cancelled), or a
// *ConservationError if served + failed + cancelled + unfinished !=
// submitted.
func Run(ctx context.Context, k *kitchen.Kitchen, s strategies.Strategy, load Load) (*Result, error) {
	if load.Orders <= 0 && load.Duration <= 0 {
		return nil, fmt.Errorf("bench: Load needs Orders or Duration")
	}
	parent := ctx
	var endWindow context.CancelCauseFunc
	if load.Duration > 0 {
		ctx, endWindow = context.WithCancelCause(ctx)
		defer endWindow(nil)
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

	res := &Result{Strategy: s.Name()}
	if load.Orders > 0 {
		res.Records = make([]Record, 0, load.Orders)
	}
	orders := make(chan *strategies.Order, customers)
	pool := make([]strategies.Order, customers)

	var st struct {
		rec     recorder
		next    atomic.Int64 // next order number
		active  atomic.Int64 // customers still ordering
		warmEnd int64        // the window opens; 0: no warm-up
		warm    atomic.Int64 // orders finished during the warm-up
	}
	st.rec.init(k, res)
	stop := ctx.Done()
	done := func(o *strategies.Order) {
		if o.End < st.warmEnd {
			st.warm.Add(1)
		} else {
			st.rec.record(o)
		}

		// The customer orders again, unless the run is over.
		select {
		case <-stop:
		default:
			if id := st.next.Add(1) - 1; id < limit {
				o.Reset(id, k.Pick(id), o.End)
				orders <- o // never blocks: at most `customers` orders exist
				return
			}
		}
		if st.active.Add(-1) == 0 {
			close(orders)
		}
	}

	start := strategies.Now()
	if endWindow != nil {
		// The window opens as the first orders are placed, or after the
		// warm-up.
		if load.Warmup > 0 {
			st.warmEnd = start + int64(load.Warmup)
		}
		t := time.AfterFunc(load.Warmup+load.Duration, func() { endWindow(errWindowOver) })
		defer t.Stop()
	}
	st.active.Store(int64(customers))
	st.next.Store(int64(customers))
	for i := range pool {
		pool[i].Reset(int64(i), k.Pick(int64(i)), start)
		orders <- &pool[i]
	}
	err := s.Serve(ctx, k, orders, done)
	end := strategies.Now()

	// Orders placed but never taken were cancelled with the run.
	res.Submitted = int(min(st.next.Load(), limit) - st.warm.Load())
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
	res.Elapsed = time.Duration(end - max(start, min(st.warmEnd, end)))
	if parent.Err() == nil && context.Cause(ctx) == errWindowOver {
		// The window closed: what was abandoned was unfinished, not
		// cancelled, and the run ended normally.
		res.Unfinished, res.Cancelled = res.Cancelled, 0
		err = nil
	}
	if c := res.Served + res.Failed + res.Cancelled + res.Unfinished; c != res.Submitted {
		return res, &ConservationError{res.Submitted, res.Served, res.Failed, res.Cancelled, res.Unfinished}
	}
	return res, err
}

// errWindowOver ends a Load.Duration window.
var errWindowOver = errors.New("bench: measurement window over")
