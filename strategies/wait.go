package strategies

import (
	"context"
	"runtime"
	"sync"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

// Precise waits (kitchen.PreciseWaits), one kind per style of strategy,
// each faithful to how that style waits for I/O:
//
//   - a blocking cook (sync, pool, gil) blocks its thread in the kernel
//     with clock_nanosleep, as a blocking read would (threadSleeper);
//   - an event loop parks on its runtime timer as before, and a timerfd
//     armed to its earliest deadline wakes the runtime's poller then
//     (nudge): the loop's timeout comes from the timerfd, not from the
//     millisecond timeout the runtime gives epoll_wait;
//   - goroutines park on their own runtime timers, all backed by one
//     timerfd armed to the earliest of their deadlines (wakeups).
//
// The runtime's timers alone (kitchen.RuntimeWaits) end a wait of 300 µs
// at 1 ms and one of 7.5 ms at about 8 ms when the process is otherwise
// idle: Go's netpoller waits in whole milliseconds. BenchmarkTiming in
// package bench measures both.
//
// Note: an event loop that blocks its own thread in epoll_wait (on an epoll
// set of a timerfd and an eventfd) was rejected: a goroutine in a system
// call keeps its processor until the runtime's monitor takes it back (20 µs
// to 10 ms later), so at one core the open loop's driver and the loop's
// hand-overs would wait for that; and the loop's orders come on a channel,
// which epoll cannot watch. The runtime's poller is the reactor here: the
// timerfd joins it.

// wakeups backs the runtime timers of many goroutines with one nudge,
// armed to the earliest of their deadlines: each waiter adds itself before
// it parks and removes itself when it wakes, re-arming the nudge to the
// next deadline. All methods are safe for concurrent use.
type wakeups struct {
	n     *nudge
	mu    sync.Mutex        // guards h and armed
	h     dueHeap[struct{}] // the waiters, by due
	armed int64             // when n fires next; 0: not armed
}

// wakeEntry is one waiter's place in a wakeups heap; the zero value is in
// none.
type wakeEntry = dueEntry[struct{}]

func newWakeups() (*wakeups, error) {
	n, err := newNudge()
	if err != nil {
		return nil, err
	}
	return &wakeups{n: n}, nil
}

func (w *wakeups) close() error { return w.n.close() }

// add queues e for due, arming the nudge if due is now the earliest.
func (w *wakeups) add(e *wakeEntry, due int64) {
	w.mu.Lock()
	e.due = due
	w.h.push(e)
	if w.h.min() == e && w.armed != due {
		w.n.at(due)
		w.armed = due
	}
	w.mu.Unlock()
}

// remove takes e off the heap, if it is there, re-arming the nudge for the
// next waiter if e was the earliest.
func (w *wakeups) remove(e *wakeEntry) {
	w.mu.Lock()
	if w.h.remove(e) && w.h.len() > 0 && w.h.min().due != w.armed {
		w.armed = w.h.min().due
		w.n.at(w.armed)
	}
	w.mu.Unlock()
}

// sleepNudged waits d on t, a stopped runtime timer, backed by w (nil:
// the runtime's precision), and reports whether it waited the whole d
// rather than seeing ctx end.
func sleepNudged(ctx context.Context, t *time.Timer, w *wakeups, e *wakeEntry, d time.Duration) bool {
	t.Reset(d)
	if w != nil {
		// Read the clock after Reset: the nudge must not fire before the
		// runtime timer is due, or the poller goes back to sleep for a
		// whole millisecond.
		w.add(e, Now()+int64(d))
		defer w.remove(e)
	}
	return awaitTimer(ctx, t)
}

// awaitTimer waits for t, a running runtime timer, and reports whether it
// fired rather than ctx ending first (t is stopped then).
func awaitTimer(ctx context.Context, t *time.Timer) bool {
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		t.Stop()
		return false
	}
}

// yieldForArrival gives the core to the Go scheduler once the open loop's
// next order is due (see kitchen.Kitchen.NextArrival).
func yieldForArrival(k *kitchen.Kitchen) {
	if na := k.NextArrival; na != nil {
		if t := na.Load(); t != 0 && Now() >= t {
			runtime.Gosched()
		}
	}
}

// Alarm wakes one goroutine at a given time on Now's clock. One from
// NewAlarm has the precision of the kitchen's precise waits: it parks on a
// runtime timer backed by a timerfd until Spin before the time, then
// spins, yielding the processor at each turn, until the time has come; one
// from RuntimeAlarm parks on the runtime timer alone. The open loop's
// driver in package bench places its orders with one. An Alarm is used by
// one goroutine at a time; Close releases its timer (and timerfd).
type Alarm struct {
	Spin time.Duration // the last stretch, spent spinning; 0: none
	t    *time.Timer
	n    *nudge // nil: the runtime timer alone
}

// NewAlarm returns an alarm that spins for the last spin of each wait.
func NewAlarm(spin time.Duration) (*Alarm, error) {
	n, err := newNudge()
	if err != nil {
		return nil, err
	}
	a := RuntimeAlarm()
	a.Spin, a.n = spin, n
	return a, nil
}

// RuntimeAlarm returns an alarm on a runtime timer alone, with no timerfd
// and no spin: as late as Go's timers are (kitchen.RuntimeWaits).
func RuntimeAlarm() *Alarm {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &Alarm{t: t}
}

// SleepUntil waits until Now() >= due and returns nil, or returns ctx's
// error once ctx has ended.
func (a *Alarm) SleepUntil(ctx context.Context, due int64) error {
	if d := time.Duration(due-Now()) - a.Spin; d > 0 {
		a.t.Reset(d)
		if a.n != nil {
			a.n.at(Now() + int64(d)) // after Reset: see sleepNudged
		}
		if !awaitTimer(ctx, a.t) {
			return ctx.Err()
		}
	}
	for Now() < due {
		if err := ctx.Err(); err != nil {
			return err
		}
		runtime.Gosched()
	}
	return ctx.Err()
}

// Close releases the alarm's timer and timerfd.
func (a *Alarm) Close() error {
	a.t.Stop()
	if a.n == nil {
		return nil
	}
	return a.n.close()
}
