package grill

import (
	"container/heap"
	"sync"
	"sync/atomic"
)

// hold is one call's stay on a grill. The connection that made it fills
// d, arrival and end; the hold loop owns the rest.
type hold struct {
	d       int64            // hold time, ns
	arrival int64            // CLOCK_MONOTONIC ns when the request was read
	end     func(ended bool) // run once on the loop's thread; ended is false when cancelled or closed; must not block

	deadline int64 // CLOCK_MONOTONIC ns at which the hold ends; set when a grill is handed over
	idx      int   // index in the loop's heap while holding
	state    uint8 // holdNew, holdQueued, holdHolding or holdDone
}

const (
	holdNew = iota
	holdQueued
	holdHolding
	holdDone
)

// holdQueue is the loop's part of a holder: the grills in use, the heap
// of holds by deadline and the FIFO queue of holds waiting for a grill.
// It knows no clock and no system call, so that its bookkeeping is shared
// by every platform's loop; only the loop's goroutine may call it.
type holdQueue struct {
	grills  int // grills; 0: no limit
	busy    int // grills in use
	heap    holdHeap
	queue   []*hold // FIFO; head at queue[qhead]; entries in holdDone were cancelled
	qhead   int
	waiting int // holds in queue not yet cancelled
	peak    int // most grills in use at once
}

// admit starts x on a free grill at its arrival, or queues it.
func (q *holdQueue) admit(x *hold) {
	if x.state != holdNew {
		return
	}
	if q.grills == 0 || q.busy < q.grills {
		q.busy++
		q.peak = max(q.peak, q.busy)
		x.deadline = x.arrival + x.d
		x.state = holdHolding
		heap.Push(&q.heap, x)
		return
	}
	x.state = holdQueued
	q.queue = append(q.queue, x)
	q.waiting++
}

// expire ends every hold whose deadline is at or before now, handing each
// freed grill to the longest waiter.
func (q *holdQueue) expire(now int64) {
	for len(q.heap) > 0 && q.heap[0].deadline <= now {
		x := heap.Pop(&q.heap).(*hold)
		x.state = holdDone
		q.busy--
		x.end(true)
		q.next(x.deadline)
	}
}

// next hands free grills to waiters; a waiter's hold starts when the grill
// was freed (freedAt), or at its own arrival if that is later.
func (q *holdQueue) next(freedAt int64) {
	for (q.grills == 0 || q.busy < q.grills) && q.qhead < len(q.queue) {
		w := q.queue[q.qhead]
		q.queue[q.qhead] = nil
		q.qhead++
		if w.state != holdQueued {
			continue
		}
		q.waiting--
		q.busy++
		q.peak = max(q.peak, q.busy)
		w.deadline = max(freedAt, w.arrival) + w.d
		w.state = holdHolding
		heap.Push(&q.heap, w)
	}
	if q.qhead == len(q.queue) {
		q.queue, q.qhead = q.queue[:0], 0
	}
}

// drop cancels x wherever it is; a grill it held goes to the next waiter
// at now.
func (q *holdQueue) drop(x *hold, now int64) {
	switch x.state {
	case holdNew:
		x.state = holdDone
		x.end(false)
	case holdQueued:
		x.state = holdDone
		q.waiting--
		x.end(false)
	case holdHolding:
		heap.Remove(&q.heap, x.idx)
		x.state = holdDone
		q.busy--
		x.end(false)
		q.next(now)
	}
}

// dropAll cancels every hold, when the loop closes.
func (q *holdQueue) dropAll() {
	for len(q.heap) > 0 {
		x := heap.Pop(&q.heap).(*hold)
		x.state = holdDone
		x.end(false)
	}
	for _, w := range q.queue[q.qhead:] {
		if w.state == holdQueued {
			w.state = holdDone
			w.end(false)
		}
	}
	q.queue, q.qhead, q.busy, q.waiting = nil, 0, 0, 0
}

// holdHeap orders holds by deadline, earliest first.
type holdHeap []*hold

func (h holdHeap) Len() int           { return len(h) }
func (h holdHeap) Less(i, j int) bool { return h[i].deadline < h[j].deadline }
func (h holdHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].idx, h[j].idx = i, j
}
func (h *holdHeap) Push(x any) { x.(*hold).idx = len(*h); *h = append(*h, x.(*hold)) }
func (h *holdHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	x.idx = -1
	return x
}

// inbox carries holds and cancellations from connections to the loop.
type inbox struct {
	mu     sync.Mutex // guards msgs and closed
	msgs   []inboxMsg
	closed bool
	wake   atomic.Bool // a wake-up is pending: posters need not signal again
}

type inboxMsg struct {
	h      *hold
	cancel bool
}

// post adds a message and reports whether the loop must be signalled.
func (b *inbox) post(m inboxMsg) (signal bool) {
	b.mu.Lock()
	b.msgs = append(b.msgs, m)
	b.mu.Unlock()
	return !b.wake.Swap(true)
}

// take empties the inbox into spare and returns it, with whether the loop
// was asked to close.
func (b *inbox) take(spare []inboxMsg) ([]inboxMsg, bool) {
	b.wake.Store(false)
	b.mu.Lock()
	msgs := b.msgs
	b.msgs = spare[:0]
	closed := b.closed
	b.mu.Unlock()
	return msgs, closed
}

// holdStats are the loop's gauges, for Stats.
type holdStats struct {
	holding, waiting, peak atomic.Int64
}

func (s *holdStats) publish(q *holdQueue) {
	s.holding.Store(int64(q.busy))
	s.waiting.Store(int64(q.waiting))
	s.peak.Store(int64(q.peak))
}
