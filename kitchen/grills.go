package kitchen

import "sync"

// GrillWaiter is told when a grill it queued for has been handed to it.
// GrillReady runs on the goroutine that released the grill, so it must not
// block: signal a channel or push onto a queue.
type GrillWaiter interface {
	GrillReady()
}

// Grills is a kitchen's set of G grills: a counting resource with a FIFO
// queue of waiters. A released grill is handed straight to the longest
// waiter, so waiters are served in order and a grill is never lost or
// double-booked. Blocking cooks wait with Acquire; an event loop, which must
// never block, uses AcquireOrQueue and learns of its grill via GrillReady.
//
// Note: golang.org/x/sync/semaphore has Acquire and TryAcquire but no way to
// be told asynchronously, which an event loop needs; hence this type.
type Grills struct {
	mu      sync.Mutex    // guards all fields below
	free    int           // grills not in use
	total   int           // G
	inUse   int           // grills in use
	maxUse  int           // largest inUse seen
	waiters []GrillWaiter // FIFO; head at waiters[head]
	head    int
}

// NewGrills returns n free grills.
func NewGrills(n int) *Grills { return &Grills{free: n, total: n} }

// AcquireOrQueue takes a free grill and returns true, or queues w and
// returns false; w.GrillReady is then called once a grill is handed to w.
func (g *Grills) AcquireOrQueue(w GrillWaiter) bool {
	g.mu.Lock()
	if g.free > 0 && g.head == len(g.waiters) {
		g.take()
		g.mu.Unlock()
		return true
	}
	g.waiters = append(g.waiters, w)
	g.mu.Unlock()
	return false
}

// take books a grill. g.mu must be held.
func (g *Grills) take() {
	g.free--
	g.inUse++
	if g.inUse > g.maxUse {
		g.maxUse = g.inUse
	}
}

// Release returns a grill, handing it to the longest waiter if any.
func (g *Grills) Release() {
	g.mu.Lock()
	g.inUse--
	g.free++
	if g.free > g.total {
		g.mu.Unlock()
		panic("kitchen: Grills.Release without a grill in use")
	}
	var w GrillWaiter
	if g.head < len(g.waiters) {
		w = g.waiters[g.head]
		g.waiters[g.head] = nil
		g.head++
		if g.head == len(g.waiters) {
			g.waiters, g.head = g.waiters[:0], 0
		} else if g.head > 64 && g.head*2 > len(g.waiters) {
			// Compact so a queue that never empties does not grow forever.
			n := copy(g.waiters, g.waiters[g.head:])
			clear(g.waiters[n:])
			g.waiters, g.head = g.waiters[:n], 0
		}
		g.take()
	}
	g.mu.Unlock()
	if w != nil {
		w.GrillReady()
	}
}

// Cancel removes w from the queue and reports whether it was still
// queued. If it returns false, a grill was (or is being) handed to w, and
// the caller owns it and must Release it.
func (g *Grills) Cancel(w GrillWaiter) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i := g.head; i < len(g.waiters); i++ {
		if g.waiters[i] == w {
			copy(g.waiters[i:], g.waiters[i+1:])
			g.waiters[len(g.waiters)-1] = nil
			g.waiters = g.waiters[:len(g.waiters)-1]
			if g.head == len(g.waiters) {
				g.waiters, g.head = g.waiters[:0], 0
			}
			return true
		}
	}
	return false
}

// Stats reports the grills in use now and the most ever in use at once.
func (g *Grills) Stats() (inUse, maxInUse int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.inUse, g.maxUse
}

// Total returns G.
func (g *Grills) Total() int { return g.total }
