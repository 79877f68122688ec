package strategies

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

// DefaultSwitchInterval is CPython's default GIL switch interval
// (sys.getswitchinterval() = 0.005 s).
const DefaultSwitchInterval = 5 * time.Millisecond

// GIL is the worker pool of Pool with one global interpreter lock around
// all cooking: Python's kitchen with the GIL, where any number of cooks
// share one grill for CPU work. A cook holds the lock while computing and
// releases it during grill and rest steps; a cook that has waited a switch
// interval for the lock asks the holder to drop it, and the holder hands it
// over at its next check (every 16 work units) and waits until the other
// cook has taken it, as CPython's FORCE_SWITCHING does (Python/ceval_gil.c).
// CPU work therefore never runs on more than one core; waits still overlap.
type GIL struct {
	Cooks          int           // cooks; 0 means GOMAXPROCS
	SwitchInterval time.Duration // 0 means DefaultSwitchInterval
}

var _ Strategy = GIL{}

func (GIL) Name() string { return "gil" }

func (s GIL) Capacity(cores int) kitchen.Capacity {
	return kitchen.Capacity{Cores: 1, Cooks: widthAt(s.Cooks, cores)}
}

func (s GIL) Serve(ctx context.Context, k *kitchen.Kitchen, orders <-chan *Order, done func(*Order)) error {
	iv := s.SwitchInterval
	if iv <= 0 {
		iv = DefaultSwitchInterval
	}
	g := newGILLock(iv)
	if k.Waits.Precise() {
		var err error
		if g.wakes, err = newWakeups(); err != nil {
			return fmt.Errorf("strategies: gil: %w", err)
		}
		defer g.wakes.close()
	}
	return servePool(ctx, k, orders, done, width(s.Cooks), g)
}

// gilLock is a mutex with CPython's GIL hand-over protocol.
type gilLock struct {
	interval time.Duration
	mu       sync.Mutex // guards locked, waiters, switches
	locked   bool
	waiters  int           // cooks blocked in acquire
	switches uint64        // number of acquisitions so far
	switched sync.Cond     // L is &mu
	wake     chan struct{} // a release wakes one waiter; capacity 1
	drop     atomic.Bool   // a waiter asks the holder to drop the lock
	forced   atomic.Int64  // hand-overs forced by a drop request
	wakes    *wakeups      // backs the interval timers (precise waits); nil: runtime timers alone
}

func newGILLock(interval time.Duration) *gilLock {
	g := &gilLock{interval: interval, wake: make(chan struct{}, 1)}
	g.switched.L = &g.mu
	return g
}

// acquire takes the lock, asking the holder to drop it after each switch
// interval in which no other cook took it. t is the caller's own timer.
func (g *gilLock) acquire(ctx context.Context, t *time.Timer) error {
	return g.acquireWith(ctx, t, nil)
}

// acquireWith is acquire with the caller's place e in g.wakes, which
// backs t when both are set, so the interval ends on time.
func (g *gilLock) acquireWith(ctx context.Context, t *time.Timer, e *wakeEntry) error {
	g.mu.Lock()
	for g.locked {
		g.waiters++
		sn := g.switches
		g.mu.Unlock()
		t.Reset(g.interval)
		nudged := g.wakes != nil && e != nil
		if nudged {
			g.wakes.add(e, Now()+int64(g.interval))
		}
		timedOut := false
		select {
		case <-g.wake:
			t.Stop()
		case <-t.C:
			timedOut = true
		case <-ctx.Done():
			t.Stop()
			if nudged {
				g.wakes.remove(e)
			}
			g.mu.Lock()
			g.waiters--
			g.switched.Broadcast() // a yielding holder may be waiting for us
			g.mu.Unlock()
			return ctx.Err()
		}
		if nudged {
			g.wakes.remove(e)
		}
		g.mu.Lock()
		g.waiters--
		if timedOut && g.locked && g.switches == sn {
			g.drop.Store(true)
		}
	}
	g.locked = true
	g.switches++
	g.drop.Store(false)
	g.switched.Broadcast()
	g.mu.Unlock()
	return nil
}

// release gives the lock up and wakes one waiter.
func (g *gilLock) release() {
	g.mu.Lock()
	g.releaseLocked()
	g.mu.Unlock()
}

func (g *gilLock) releaseLocked() {
	g.locked = false
	select {
	case g.wake <- struct{}{}:
	default:
	}
}

func (g *gilLock) dropRequested() bool { return g.drop.Load() }

// yield hands the lock to a waiting cook, waits until one has taken it,
// then queues for it again.
func (g *gilLock) yield(ctx context.Context, t *time.Timer) error {
	return g.yieldWith(ctx, t, nil)
}

// yieldWith is yield with the caller's place in g.wakes (see acquireWith).
func (g *gilLock) yieldWith(ctx context.Context, t *time.Timer, e *wakeEntry) error {
	g.mu.Lock()
	sn := g.switches
	g.releaseLocked()
	g.forced.Add(1)
	for g.switches == sn && g.waiters > 0 {
		g.switched.Wait()
	}
	g.mu.Unlock()
	return g.acquireWith(ctx, t, e)
}
