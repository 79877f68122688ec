package strategies

import (
	"context"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

// cook serves one order at a time start to finish, blocking during grill
// and rest steps: the cook of sync, pool, gil and goroutines. It owns a
// timer and a grill waiter, reused from order to order so serving
// allocates nothing. A cook is used by one goroutine at a time.
type cook struct {
	k      *kitchen.Kitchen
	timer  *time.Timer
	waiter chanWaiter
	gil    *gilLock // nil: no global lock around cooking
	locked bool     // holds gil
}

func newCook(k *kitchen.Kitchen, g *gilLock) *cook {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &cook{k: k, timer: t, waiter: chanWaiter{ch: make(chan struct{}, 1)}, gil: g}
}

// chanWaiter is a blocking cook's place in a grill queue.
type chanWaiter struct{ ch chan struct{} }

// GrillReady never blocks: at most one grill is handed to a waiter at once.
func (w *chanWaiter) GrillReady() { w.ch <- struct{}{} }

// serve cooks o and records its outcome in o; it does not call done.
func (c *cook) serve(ctx context.Context, o *Order) {
	o.Start = Now()
	o.Err = c.cookDish(ctx, o)
	if c.locked {
		c.gil.release()
		c.locked = false
	}
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
		select {
		case <-done:
			return cancelled(ctx)
		default:
		}
		if c.k.BeforeStep != nil {
			c.k.BeforeStep(d, o.next)
		}
		switch s.Kind {
		case kitchen.CPU:
			if c.gil != nil && !c.locked {
				if err := c.gil.acquire(ctx, c.timer); err != nil {
					return cancelled(ctx)
				}
				c.locked = true
			}
			if !c.cookUnits(ctx, o, s.Units) {
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
		}
	}
	return nil
}

// cookUnits does units of work in chunks, looking between chunks at ctx
// and, under the GIL, at a request to hand the lock over.
func (c *cook) cookUnits(ctx context.Context, o *Order, units int64) bool {
	done := ctx.Done()
	p := c.k.Probe
	for units > 0 {
		n := min(units, chunkUnits)
		if p != nil {
			p.Enter()
		}
		o.Check ^= kitchen.Work(n, uint64(o.ID)+o.Check)
		if p != nil {
			p.Exit()
		}
		units -= n
		if units == 0 {
			break
		}
		select {
		case <-done:
			return false
		default:
		}
		if c.gil != nil && c.gil.dropRequested() {
			if err := c.gil.yield(ctx, c.timer); err != nil {
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
func (c *cook) sleep(ctx context.Context, d time.Duration) bool {
	c.timer.Reset(d)
	select {
	case <-c.timer.C:
		return true
	case <-ctx.Done():
		c.timer.Stop()
		return false
	}
}
