package bench

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// Arrivals is how an open loop spaces its orders.
type Arrivals string

const (
	Poisson Arrivals = "poisson" // exponential gaps: independent customers
	Uniform Arrivals = "uniform" // constant gaps
)

// ParseArrivals reads the arrivals of `kitchen run --arrivals`: "closed",
// the closed loop, gives "" (as Matrix.Arrivals has it); "poisson" and
// "uniform" give an open loop's arrivals.
func ParseArrivals(s string) (Arrivals, error) {
	switch a := Arrivals(s); a {
	case "closed":
		return "", nil
	case Poisson, Uniform:
		return a, nil
	}
	return "", fmt.Errorf("unknown arrivals %q (want closed, poisson or uniform)", s)
}

// OpenLoad is an open loop: customers arrive on their own schedule, at Rate
// orders per second for Duration, whether or not the kitchen keeps up. The
// schedule is fixed in advance from Seed and never waits for the kitchen,
// and each order's latency counts from when it was due, so a stall shows in
// every order that should have arrived during it (no coordinated omission;
// see Gil Tene, "How NOT to Measure Latency", and wrk2).
type OpenLoad struct {
	Rate     float64       // orders per second, > 0
	Arrivals Arrivals      // "" means Poisson
	Duration time.Duration // how long orders keep arriving
	Seed     uint64        // fixes the arrival gaps
	// Grace is how long to wait for orders still in progress once the
	// schedule ends; 0 means Duration (at least 100 ms). Orders unfinished
	// then are abandoned and enter the latency figures at the latency they
	// had reached: a lower bound, never a silent omission.
	Grace time.Duration
	// Tolerance is how far completions may lag the schedule before the
	// run counts as behind it (see OpenResult.Backlog); 0 means Grace. A
	// knee search passes its latency objective.
	Tolerance time.Duration
	// Clock, when set, replaces the monotonic clock (tests).
	Clock Clock
}

// Clock is the time source of an open loop.
type Clock interface {
	Now() int64 // nanoseconds, monotonic
	// SleepUntil waits until Now() >= t or ctx ends.
	SleepUntil(ctx context.Context, t int64) error
}

// Schedule returns the arrival offsets (ns from the start) of an open load:
// every arrival before Duration.
func (l OpenLoad) Schedule() []int64 {
	if l.Rate <= 0 || l.Duration <= 0 {
		return nil
	}
	gap := float64(time.Second) / l.Rate
	n := int(math.Ceil(l.Rate*l.Duration.Seconds())) + 1
	out := make([]int64, 0, n)
	rng := rand.New(rand.NewPCG(l.Seed, 0x6b69746368656e)) // "kitchen"
	t := 0.0
	for i := 0; ; i++ {
		if l.Arrivals == Uniform {
			t = float64(i) * gap
		} else if i > 0 {
			t += rng.ExpFloat64() * gap
		}
		if t >= float64(l.Duration) {
			return out
		}
		out = append(out, int64(t))
	}
}

// OpenResult adds to Result what an open loop knows about its schedule.
type OpenResult struct {
	*Result
	TargetRate   float64       // orders/s asked for
	AchievedRate float64       // orders served per second, until the last finished
	MaxLag       time.Duration // how late the generator placed an order, at worst
	// Backlog is how far completions fell behind the schedule, at worst:
	// the largest (k-th completion − k-th arrival) over the finished
	// orders. If every order finished within L of its arrival, Backlog
	// <= L; a drain tail after the schedule ends does not raise it.
	Backlog time.Duration
	// Behind says the kitchen did not keep up: orders were left unserved
	// when the grace period ended, or Backlog exceeded the tolerance.
	Behind bool
	// DispatchLagP50 and DispatchLagP99 say how late the generator placed
	// its orders (the harness's own lateness, which latency, counted from
	// each order's due time, would otherwise charge to the kitchen).
	DispatchLagP50, DispatchLagP99 time.Duration
}

// RunOpen serves an open load with s against k. Orders arrive by the
// schedule; when it ends RunOpen waits up to Grace for the rest, then
// abandons them. Records hold every order, served or not: an abandoned
// order, queued or in progress, is censored alike for every strategy (see
// Record): its Latency is how long it had waited when the grace period
// ended, and its Outcome Cancelled. The result counts it as Unfinished.
func RunOpen(ctx context.Context, k *kitchen.Kitchen, s strategies.Strategy, load OpenLoad) (*OpenResult, error) {
	if load.Rate <= 0 || math.IsInf(load.Rate, 0) || math.IsNaN(load.Rate) {
		return nil, fmt.Errorf("bench: open-loop rate %v out of range (0, +Inf)", load.Rate)
	}
	if load.Duration <= 0 {
		return nil, errors.New("bench: open loop needs a Duration")
	}
	clock := load.Clock
	var next *atomic.Int64 // when the next order is due, for the kitchen's cooks
	if clock == nil {
		c, err := newRealClock(k.Waits, load.Rate)
		if err != nil {
			return nil, err
		}
		defer c.Close()
		clock = c
		if c.precise {
			k, next = withNextArrival(k)
		}
	}
	grace := load.Grace
	if grace <= 0 {
		grace = max(load.Duration, 100*time.Millisecond)
	}
	sched := load.Schedule()
	n := len(sched)
	res := &Result{Strategy: s.Name(), Records: make([]Record, 0, n)}
	out := &OpenResult{Result: res, TargetRate: load.Rate}
	if n == 0 {
		return out, nil
	}
	pool := make([]strategies.Order, n)
	lags := make([]int64, n)                  // dispatch lag of each order placed
	orders := make(chan *strategies.Order, n) // the queue is unbounded: arrivals never wait
	var rec recorder
	rec.init(k, res)

	serveCtx, stopServing := context.WithCancelCause(ctx)
	defer stopServing(nil)
	var (
		wg      sync.WaitGroup
		genErr  error
		lag     int64
		placed  int
		lastEnd int64
		mu      sync.Mutex // guards lastEnd
	)
	start := clock.Now()
	opened := readUsage(strategies.Now())
	wg.Go(func() {
		defer close(orders)
		if next != nil {
			defer next.Store(0)
		}
		for i, off := range sched {
			due := start + off
			if next != nil {
				next.Store(due)
			}
			if err := clock.SleepUntil(serveCtx, due); err != nil {
				genErr = err
				return
			}
			l := max(clock.Now()-due, 0)
			lags[i] = l
			lag = max(lag, l)
			pool[i].Reset(int64(i), k.Pick(int64(i)), due)
			orders <- &pool[i]
			placed = i + 1
		}
	})
	schedEnd := start + int64(load.Duration)
	var cut atomic.Int64 // when the grace period ended; 0 before
	graceTimer := time.AfterFunc(time.Duration(schedEnd+int64(grace)-clock.Now()), func() {
		cut.Store(clock.Now())
		stopServing(errWindowOver)
	})
	defer graceTimer.Stop()

	err := s.Serve(serveCtx, k, orders, func(o *strategies.Order) {
		rec.record(o)
		mu.Lock()
		lastEnd = max(lastEnd, o.End)
		mu.Unlock()
	})
	stopServing(errWindowOver) // stop the generator if the kitchen ended first
	wg.Wait()
	end := clock.Now()
	res.Usage = readUsage(strategies.Now()).since(opened)

	var queued []*strategies.Order
	for o := range orders {
		queued = append(queued, o)
	}
	res.Submitted = placed
	if ctx.Err() == nil {
		err, genErr = nil, nil
		// Whatever the grace period could not finish is censored at its
		// end, whichever strategy held it.
		at := cut.Load()
		if at == 0 {
			at = end // the generator stopped without the timer (a stalled clock)
		}
		censor(res, &rec, queued, at)
		lastEnd = 0
		for _, r := range res.Records {
			if !r.Censored {
				lastEnd = max(lastEnd, r.End)
			}
		}
	} else {
		// Orders placed but never started were abandoned with the run.
		for _, o := range queued {
			o.Err, o.End = errAbandoned, end
			rec.record(o)
		}
	}
	res.Elapsed = time.Duration(max(lastEnd, schedEnd) - start)
	out.MaxLag = time.Duration(lag)
	out.DispatchLagP50, out.DispatchLagP99 = dispatchLags(lags[:placed])
	if res.Elapsed > 0 {
		out.AchievedRate = float64(res.Served) / res.Elapsed.Seconds()
	}
	out.Backlog = backlog(start, sched[:placed], res.Records)
	tol := load.Tolerance
	if tol <= 0 {
		tol = grace
	}
	out.Behind = res.Unfinished > 0 || out.Backlog > tol
	if c := res.Served + res.Failed + res.Cancelled + res.Unfinished; c != res.Submitted {
		return out, &ConservationError{res.Submitted, res.Served, res.Failed, res.Cancelled, res.Unfinished}
	}
	if err == nil {
		err = genErr
	}
	return out, err
}

// backlog returns the largest lag of the k-th completion behind the k-th
// arrival (offsets sched from start) over the orders that finished.
func backlog(start int64, sched []int64, recs []Record) time.Duration {
	ends := make([]int64, 0, len(recs))
	for _, r := range recs {
		if !r.Censored {
			ends = append(ends, r.End)
		}
	}
	slices.Sort(ends)
	worst := int64(0)
	for k, e := range ends {
		if k < len(sched) {
			worst = max(worst, e-(start+sched[k]))
		}
	}
	return time.Duration(worst)
}

var errAbandoned = fmt.Errorf("%w: never started", strategies.ErrCancelled)
