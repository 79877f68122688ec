package strategies

import (
	"context"
	"fmt"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

// cook serves one order at a time start to finish, blocking during grill
// and rest steps: the cook of sync, pool, gil and goroutines. Its timer and
// grill waiter are made when first needed (a CPU-only menu needs neither)
// and reused from order to order, so serving allocates nothing. A cook is
// used by one goroutine at a time.
//
// With precise waits (see wait.go) a cook of sync, pool or gil sleeps its
// thread in the kernel (sleeper); a goroutine's cook parks on its timer,
// backed by its Serve's wakeups.
type cook struct {
	k       *kitchen.Kitchen
	trace   *kitchen.Trace // its Serve's context's; nil: none
	timer   *time.Timer    // nil until the first wait
	waiter  chanWaiter     // ch is nil until the first queue for a grill
	gil     *gilLock       // nil: no global lock around cooking
	locked  bool           // holds gil
	precise bool           // k.Waits is precise
	wakes   *wakeups       // goroutines' precise waits; nil: sleeper's
	entry   wakeEntry      // place in wakes or in the GIL's
	sleeper threadSleeper
	io      cookIO // connection and read buffer for call and read steps (io.go)
}

func (c *cook) init(k *kitchen.Kitchen, g *gilLock) {
	*c = cook{k: k, gil: g, precise: k.Waits.Precise()}
}

func newCook(k *kitchen.Kitchen, g *gilLock) *cook {
	c := new(cook)
	c.init(k, g)
	return c
}

// waitTimer returns the cook's timer, stopped.
func (c *cook) waitTimer() *time.Timer {
	if c.timer == nil {
		c.timer = time.NewTimer(time.Hour)
		c.timer.Stop()
	}
	return c.timer
}

// chanWaiter is a blocking cook's place in a grill queue.
type chanWaiter struct{ ch chan struct{} }

// GrillReady never blocks: at most one grill is handed to a waiter at once.
func (w *chanWaiter) GrillReady() { w.ch <- struct{}{} }

// Cook is the blocking cook of Sync, Pool, GIL and Goroutines, exported so
// that other worker pools can serve orders with exactly the same cooking
// (bench compares our Pool with popular Go worker pools this way): it
// serves one order at a time start to finish, blocking during grill and
// rest steps. Make one with NewCook; a Cook is used by one goroutine at a
// time, and serving allocates nothing once its timer exists. With precise
// waits (the default) a Cook's sleeps block its thread in the kernel and
// watch the context of its latest order, so cancelling that context ends
// a sleep at once; a new context replaces the watch. Each Serve reads the
// kitchen.Trace of its context.
type Cook struct{ c cook }

// NewCook returns a cook for k.
func NewCook(k *kitchen.Kitchen) *Cook {
	c := new(Cook)
	c.c.init(k, nil)
	return c
}

// Serve cooks o, recording its outcome in o (Start, End, Err, Check): nil
// Err when served, a *Failure when a step panicked, an error wrapping
// ErrCancelled when ctx ended first. Serve does not report o: the caller
// passes it to its done callback.
func (c *Cook) Serve(ctx context.Context, o *Order) {
	c.c.trace = kitchen.ContextTrace(ctx)
	c.c.serve(ctx, o)
}

// Close closes the cook's connection to the grill service, if call steps
// opened one. A Cook that served a menu with call steps needs it.
func (c *Cook) Close() error {
	c.c.closeIO()
	return nil
}

// serve cooks o and records its outcome in o; it does not call done. Under
// the GIL the cook may still hold the lock when serve returns: as in
// CPython, a thread that takes its next task without blocking keeps the
// GIL, so cookLoop drops it only before it blocks.
func (c *cook) serve(ctx context.Context, o *Order) {
	o.Start = Now()
	o.Err = c.cookDish(ctx, o)
	o.End = Now()
}

func (c *cook) cookDish(ctx context.Context, o *Order) (err error) {
	d := o.Dish
	grillHeld := false
	defer func() {
		if r := recover(); r != nil {
			if grillHeld {
				c.k.Grills.Release()
			}
			err = &Failure{Dish: d.Name, Step: o.next, Value: r}
		}
	}()
	done := ctx.Done()
	for o.next = 0; o.next < len(d.Steps); o.next++ {
		s := &d.Steps[o.next]
		if ended(done) {
			return cancelled(ctx)
		}
		if tr := c.trace; tr != nil && tr.StepStart != nil {
			tr.StepStart(d, o.next)
		}
		switch s.Kind {
		case kitchen.CPU:
			if c.gil != nil && !c.holdGIL(ctx) {
				return cancelled(ctx)
			}
			if !cookUnits(ctx, c.k, c.trace, o, s.Units, c) {
				return cancelled(ctx)
			}
		case kitchen.Grill:
			c.dropGIL()
			if !c.acquireGrill(ctx) {
				return cancelled(ctx)
			}
			grillHeld = true
			ok := c.sleep(ctx, s.Wait)
			grillHeld = false
			c.k.Grills.Release()
			if !ok {
				return cancelled(ctx)
			}
		case kitchen.Rest:
			c.dropGIL()
			if !c.sleep(ctx, s.Wait) {
				return cancelled(ctx)
			}
		case kitchen.Call:
			c.dropGIL()
			if err := c.call(ctx, o, s); err != nil {
				return err
			}
		case kitchen.Read:
			c.dropGIL()
			if err := c.read(o, s); err != nil {
				return err
			}
		default:
			return &Failure{Dish: d.Name, Step: o.next, Value: fmt.Sprintf("unknown step kind %v", s.Kind)}
		}
	}
	return nil
}

// holdGIL makes sure the cook holds the GIL before a CPU step, handing it
// over first if another cook has asked for it: every step boundary is a
// check, as every CPython bytecode boundary is.
func (c *cook) holdGIL(ctx context.Context) bool {
	if !c.locked {
		if err := c.gil.acquireWith(ctx, c.waitTimer(), &c.entry); err != nil {
			return false
		}
		c.locked = true
		return true
	}
	if c.gil.dropRequested() {
		if err := c.gil.yieldWith(ctx, c.waitTimer(), &c.entry); err != nil {
			c.locked = false
			return false
		}
	}
	return true
}

// cookUnits does units of work for o in chunks, looking between chunks at
// ctx and, for a cook under the GIL, at a request to hand the lock over. It
// serves blocking cooks and event loops alike (c is nil for a loop, which
// cannot yield mid-step) and returns false when ctx ended first. tr's
// WorkStart and WorkDone, when tr is not nil, bracket each chunk.
func cookUnits(ctx context.Context, k *kitchen.Kitchen, tr *kitchen.Trace, o *Order, units int64, c *cook) bool {
	done := ctx.Done()
	var start, end func()
	if tr != nil {
		start, end = tr.WorkStart, tr.WorkDone
	}
	for units > 0 {
		n := min(units, chunkUnits)
		if start != nil {
			start()
		}
		o.Check ^= kitchen.Work(n, uint64(o.ID)+o.Check)
		if end != nil {
			end()
		}
		units -= n
		yieldForArrival(k)
		if units == 0 {
			break
		}
		if ended(done) {
			return false
		}
		if c != nil && c.gil != nil && c.gil.dropRequested() {
			if err := c.gil.yieldWith(ctx, c.waitTimer(), &c.entry); err != nil {
				c.locked = false
				return false
			}
		}
	}
	return true
}

// dropGIL releases the GIL before a blocking wait, as CPython does around
// blocking I/O.
func (c *cook) dropGIL() {
	if c.locked {
		c.gil.release()
		c.locked = false
	}
}

func (c *cook) acquireGrill(ctx context.Context) bool {
	g := c.k.Grills
	if c.waiter.ch == nil {
		c.waiter.ch = make(chan struct{}, 1)
	}
	if g.AcquireOrQueue(&c.waiter) {
		return true
	}
	select {
	case <-c.waiter.ch:
		return true
	case <-ctx.Done():
		if !g.Cancel(&c.waiter) {
			<-c.waiter.ch // handed to us meanwhile: give it back
			g.Release()
		}
		return false
	}
}

// sleep waits d, or less if ctx ends first (then it returns false).
//
// Note: a context that can never end needs no select: time.Sleep uses the
// goroutine's own runtime timer, with no channel to allocate or to wake
// through.
func (c *cook) sleep(ctx context.Context, d time.Duration) bool {
	if c.precise {
		if c.wakes != nil {
			return sleepNudged(ctx, c.waitTimer(), c.wakes, &c.entry, d)
		}
		return c.sleeper.sleepUntil(ctx, Now()+int64(d))
	}
	if ctx.Done() == nil {
		time.Sleep(d)
		return true
	}
	return sleepNudged(ctx, c.waitTimer(), nil, nil, d)
}
