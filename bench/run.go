package bench

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// Load says how much to serve. With Orders, a run places that many orders
// and waits for all of them. With Duration, it measures a window: when the
// time is up it stops placing orders and abandons those still queued or in
// progress, counting them as Unfinished and recording each as censored (see
// Record), so the window's length never depends on how long the queue takes
// to drain. With both, whichever comes first ends it.
//
// Warmup, with Duration, serves that long unmeasured before the window
// opens, as JMH's warm-up iterations do: every closed-loop customer orders
// at time zero, so the first orders queue behind each other and a window
// that opens at once measures a cold start. Orders finished during the
// warm-up are not counted; orders placed during it and finished in the
// window count with their whole latency. It also keeps what a strategy
// sets up at its start (a connection per call in flight to the grill
// service, for a menu with call steps) out of the figures, as it is out of
// a long-running server's.
type Load struct {
	Orders    int           // orders to serve; 0: no limit (Duration must be set)
	Duration  time.Duration // length of the measured window; 0: no limit
	Warmup    time.Duration // unmeasured service before the window (Duration only)
	Customers int           // closed-loop customers; 0: the menu's
}

// Record is one order of a run: finished, or censored at the window's end.
type Record struct {
	Dish    int32 // index into the menu's dishes
	Outcome strategies.Outcome
	// Censored marks an order still queued or in progress when the window
	// closed, whichever strategy held it and however soon it was
	// abandoned. Its Outcome is Cancelled and its Latency the age it had
	// reached at the window's end: a lower bound on its true latency.
	Censored bool
	Latency  int64 // ns from arrival to served (or to the window's end, censored)
	Queue    int64 // ns from arrival until a cook or loop started it
	End      int64 // when it ended (strategies.Now), or the window's end when censored
}

// Result is what one run measured.
type Result struct {
	Strategy   string
	Submitted  int
	Served     int
	Failed     int
	Cancelled  int           // abandoned because ctx ended
	Unfinished int           // still queued or in progress when Duration was up
	Censored   int           // Records marked Censored (the Unfinished of a window)
	Elapsed    time.Duration // first order placed until the last finished, or the window's length
	Records    []Record      // one per finished order, in completion order, then the censored
	Usage      Usage         // CPU over the measured window (zero for a run of Orders)
	Customers  int           // closed loop: the customers; 0 for an open loop
	Warmup     time.Duration // unmeasured service before the window
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
	if load.Duration <= 0 {
		load.Warmup = 0 // a run of Orders has no window to warm up for
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

	res := &Result{Strategy: s.Name(), Customers: customers, Warmup: load.Warmup}
	if load.Orders > 0 {
		res.Records = make([]Record, 0, load.Orders)
	}
	orders := make(chan *strategies.Order, customers)
	pool := make([]strategies.Order, customers)

	var st struct {
		rec    recorder
		next   atomic.Int64 // next order number
		active atomic.Int64 // customers still ordering
		warm   atomic.Int64 // orders finished during the warm-up
	}
	st.rec.init(k, res)
	stop := ctx.Done()
	start := strategies.Now()
	// openAt is when the measured window opened: an order that ended
	// before it was warm-up. The window goroutine sets it when the
	// warm-up is over, and reads the CPU counters at the same moment, so
	// the throughput's window and the CPU's are the same.
	var openAt atomic.Int64
	openAt.Store(start)
	if load.Warmup > 0 {
		openAt.Store(math.MaxInt64)
	}
	done := func(o *strategies.Order) {
		if o.End < openAt.Load() {
			st.warm.Add(1) // warm-up: not measured
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

	// The window goroutine ends the warm-up, then the window. It alone
	// writes opened, shut and closed until Run waits for it.
	var (
		wg           sync.WaitGroup
		opened, shut usageMark
		closed       int64 // when the window closed; 0 if it did not
	)
	if endWindow != nil {
		opened = readUsage(start)
		wg.Go(func() {
			a := strategies.RuntimeAlarm()
			defer a.Close()
			if load.Warmup > 0 {
				if a.SleepUntil(ctx, start+int64(load.Warmup)) != nil {
					return
				}
				now := strategies.Now()
				opened = readUsage(now)
				openAt.Store(now)
			}
			if a.SleepUntil(ctx, openAt.Load()+int64(load.Duration)) != nil {
				return
			}
			now := strategies.Now()
			shut = readUsage(now)
			closed = now
			endWindow(errWindowOver)
		})
	}
	st.active.Store(int64(customers))
	st.next.Store(int64(customers))
	for i := range pool {
		pool[i].Reset(int64(i), k.Pick(int64(i)), start)
		orders <- &pool[i]
	}
	err := s.Serve(ctx, k, orders, done)
	end := strategies.Now()
	if endWindow != nil {
		endWindow(nil) // stop the window goroutine if the run ended first
		wg.Wait()
	}

	// Orders placed but never taken were cancelled with the run.
	var queued []*strategies.Order
	for {
		select {
		case o, ok := <-orders:
			if ok {
				queued = append(queued, o)
				continue
			}
		default:
		}
		break
	}
	res.Submitted = int(min(st.next.Load(), limit) - st.warm.Load())
	res.Elapsed = time.Duration(end - start)
	if parent.Err() == nil && context.Cause(ctx) == errWindowOver {
		// The window closed: the run ended normally, and what was queued
		// or in progress then is censored, whoever held it.
		censor(res, &st.rec, queued, closed)
		res.Elapsed = time.Duration(closed - openAt.Load())
		res.Usage = shut.since(opened)
		err = nil
	} else {
		res.Cancelled += len(queued)
	}
	if c := res.Served + res.Failed + res.Cancelled + res.Unfinished; c != res.Submitted {
		return res, &ConservationError{res.Submitted, res.Served, res.Failed, res.Cancelled, res.Unfinished}
	}
	return res, err
}

// censor applies the window's end, at time end, to res alike for every
// strategy: an order that ended after it (served late, or abandoned by a
// strategy that had taken it off the queue) and every order still in
// queued becomes Unfinished and a censored Record at the age it had
// reached at end. Orders placed after end, by a customer whose order
// finished in the instant the window closed, were never in the window and
// are dropped from Submitted. Call it only once Serve has returned.
//
// Note: leaving it to each strategy made censoring depend on the
// strategy: sync, pool and gil leave queued orders in the channel, where
// nobody recorded their latency, while eventloop and goroutines take every
// order off it and report each as cancelled.
func censor(res *Result, rec *recorder, queued []*strategies.Order, end int64) {
	kept := res.Records[:0]
	for _, r := range res.Records {
		arrive := r.End - r.Latency
		switch {
		case arrive > end:
			res.Submitted-- // placed after the window closed
			res.count(r.Outcome, -1)
			continue
		case r.End > end || r.Outcome == strategies.Cancelled:
			res.count(r.Outcome, -1)
			queue := r.Queue
			if arrive+queue > end {
				queue = end - arrive // not started by the window's end
			}
			r = Record{Dish: r.Dish, Outcome: strategies.Cancelled, Censored: true, Latency: end - arrive, Queue: queue, End: end}
			res.Unfinished++
			res.Censored++
		}
		kept = append(kept, r)
	}
	res.Records = kept
	for _, o := range queued {
		if o.Arrive > end {
			res.Submitted--
			continue
		}
		age := end - o.Arrive
		res.Records = append(res.Records, Record{Dish: rec.dish(o.Dish), Outcome: strategies.Cancelled, Censored: true, Latency: age, Queue: age, End: end})
		res.Unfinished++
		res.Censored++
	}
}

// count adds n to the counter of outcome out.
func (r *Result) count(out strategies.Outcome, n int) {
	switch out {
	case strategies.Served:
		r.Served += n
	case strategies.Failed:
		r.Failed += n
	case strategies.Cancelled:
		r.Cancelled += n
	}
}

// errWindowOver ends a Load.Duration window.
var errWindowOver = errors.New("bench: measurement window over")
