package strategies

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

// EventLoop is one goroutine running a cooperative scheduler, in the manner
// of asyncio's loop: a ready queue of dishes and a heap of timers. It runs
// CPU steps inline, parks a dish during its grill or rest step and switches
// to another ready dish, and takes new orders while others wait. It never
// sleeps while a dish is ready. This is the talk's multitasking cook: one
// core, any number of dishes in progress. A long CPU step blocks the whole
// loop, and every dish waiting behind it shows that in its latency.
//
// For a menu with call or read steps, on Linux, the loop is a reactor
// (eventloop_io.go, eventloop_call.go, eventloop_read.go, reactor_linux.go):
// call steps are non-blocking sockets in its own epoll instance, read
// steps go to a small pool of threads, and it parks in Go's scheduler
// until epoll, a wake or its timer heap has something for it. A menu of
// timers alone gives epoll nothing to watch: its loop parks on the order
// channel and a timerfd in Go's poller instead (see newLoop).
type EventLoop struct {
	// LockThread keeps the loop's goroutine on one OS thread
	// (runtime.LockOSThread), as asyncio's loop is a thread. It changes
	// nothing the loop does, and costs a handover of the processor between
	// OS threads each time the loop parks and wakes: dinner-rush-net at one
	// core took 49–75 µs of CPU per dish locked against 36 µs unlocked on
	// the loaded reference machine (docs/reactor.md), so it is off by
	// default.
	LockThread bool
}

var _ Strategy = EventLoop{}

func (EventLoop) Name() string { return "eventloop" }

func (EventLoop) Capacity(int) kitchen.Capacity { return kitchen.Capacity{Cores: 1} }

func (s EventLoop) Serve(ctx context.Context, k *kitchen.Kitchen, orders <-chan *Order, done func(*Order)) error {
	if !haveReactor {
		if err := needsReactor(k, "eventloop"); err != nil {
			return err
		}
	}
	l, err := newLoop(k, orders, done)
	if err != nil {
		return fmt.Errorf("strategies: eventloop: %w", err)
	}
	l.lockThread = s.LockThread
	l.trace = kitchen.ContextTrace(ctx)
	return l.run(ctx)
}

// Loops runs one event loop per core, all taking orders from the same
// queue: async and free threading together, the one-loop-per-thread model
// recommended for asyncio on free-threaded CPython 3.14.
type Loops struct {
	Loops      int  // 0 means GOMAXPROCS
	LockThread bool // see EventLoop.LockThread
}

var _ Strategy = Loops{}

func (Loops) Name() string { return "loops" }

func (s Loops) Capacity(cores int) kitchen.Capacity {
	return kitchen.Capacity{Cores: float64(min(widthAt(s.Loops, cores), cores))}
}

func (s Loops) Serve(ctx context.Context, k *kitchen.Kitchen, orders <-chan *Order, done func(*Order)) error {
	if !haveReactor {
		if err := needsReactor(k, "loops"); err != nil {
			return err
		}
	}
	n := width(s.Loops)
	if n == 1 {
		return EventLoop{LockThread: s.LockThread}.Serve(ctx, k, orders, done)
	}
	// One closure for all loops, as in servePool.
	p := &struct {
		loops []*loop
		next  atomic.Int64
		wg    sync.WaitGroup
	}{loops: make([]*loop, n)}
	tr := kitchen.ContextTrace(ctx)
	for i := range p.loops {
		l, err := newLoop(k, orders, done)
		if err != nil {
			for _, l := range p.loops[:i] {
				l.close()
			}
			return fmt.Errorf("strategies: loops: %w", err)
		}
		l.lockThread = s.LockThread
		l.trace = tr
		p.loops[i] = l
	}
	work := func() {
		defer p.wg.Done()
		p.loops[p.next.Add(1)-1].run(ctx)
	}
	p.wg.Add(n)
	for range n {
		go work()
	}
	p.wg.Wait()
	return ctx.Err()
}

// task is one dish in progress on a loop.
type task struct {
	// due is the end of the current wait, while on the loop's timers; of
	// is the task itself.
	dueEntry[*task]
	o       *Order
	l       *loop
	liveAt  int        // index in l.live
	onGrill bool       // holds a grill during its current step
	inQueue bool       // queued for a grill
	reading bool       // its read step is with the read pool
	call    *grillConn // carries its call step; nil when none
}

// GrillReady is called by the goroutine releasing a grill.
func (t *task) GrillReady() { t.l.handOver(t) }

// loop is one event loop. Only run's goroutine touches its fields, except
// the hand-over fields guarded by mu.
type loop struct {
	k      *kitchen.Kitchen
	orders <-chan *Order
	done   func(*Order)

	ready      taskQueue      // dishes ready to run their next step
	timers     dueHeap[*task] // dishes waiting, by due time
	live       []*task        // every dish in progress, for cancellation
	free       []*task        // recycled tasks
	slab       []task         // tasks never used yet, handed out from the front
	timer      *time.Timer
	nudge      *nudge         // backs timer (precise waits); nil: the runtime timer alone
	io         *loopIO        // the reactor and its I/O (Linux); nil: none
	lockThread bool           // run keeps its OS thread
	trace      *kitchen.Trace // its Serve's context's; nil: none

	mu      sync.Mutex // guards handed
	handed  []*task    // dishes handed a grill by another goroutine
	pending atomic.Bool
	wake    chan struct{} // capacity 1: something was handed over
}

// maxPresize caps how many dishes in progress a new loop makes room for
// up front; beyond that its tables grow by doubling.
const maxPresize = 4096

func newLoop(k *kitchen.Kitchen, orders <-chan *Order, done func(*Order)) (*loop, error) {
	t := time.NewTimer(time.Hour)
	t.Stop()
	l := &loop{k: k, orders: orders, done: done, timer: t, wake: make(chan struct{}, 1)}
	// The reactor only where there is I/O for it to watch. Note: a kitchen
	// of timers alone has nothing for epoll but the loop's own timer and
	// wake-ups, and there the reactor (each order handed over through an
	// eventfd by a forwarding goroutine) cost dinner-rush at one core 45%
	// of its dishes/s: 31.0k at 32.6 µs of CPU per dish, against 56.1k at
	// 18.0 µs parked on the order channel and a timerfd in Go's poller
	// (2-core reference VM, 2026-11-25, 6 × 120 ms samples each). So such
	// a loop parks on its channel and its timer instead (see waits).
	if k.Menu.HasIO() {
		if err := l.openIO(); err != nil {
			return nil, err
		}
	}
	if k.Waits.Precise() && l.io == nil {
		n, err := newNudge()
		if err != nil {
			return nil, err
		}
		l.nudge = n
	}
	// A closed loop has at most cap(orders) dishes in progress: make room
	// for them at once, so the steady state allocates nothing and a run
	// allocates a handful of objects, not a few per dish. The four tables
	// of task pointers share one array, each with its own capacity; one
	// that outgrows it moves out by append.
	n := min(max(cap(orders), 16), maxPresize)
	l.slab = make([]task, n)
	ptrs := make([]*task, 4*n)
	l.live = ptrs[0:0:n]
	l.free = ptrs[n : n : 2*n]
	l.handed = ptrs[2*n : 2*n : 3*n]
	l.ready.buf = ptrs[3*n : 4*n : 4*n]
	l.timers.h = make([]*dueEntry[*task], 0, n)
	return l, nil
}

// close releases the loop's timerfd and its reactor.
func (l *loop) close() {
	l.closeIO()
	l.timer.Stop()
	if l.nudge != nil {
		l.nudge.close()
	}
}

// newTask returns a recycled or fresh task.
func (l *loop) newTask() *task {
	if n := len(l.free); n > 0 {
		t := l.free[n-1]
		l.free[n-1] = nil
		l.free = l.free[:n-1]
		return t
	}
	if len(l.slab) == 0 {
		// As many again as are in use: tasks come in O(log n) slabs.
		l.slab = make([]task, max(16, len(l.live)))
	}
	t := &l.slab[0]
	l.slab = l.slab[1:]
	t.l, t.of = l, t
	return t
}

// handOver moves t to the loop's ready queue from another goroutine.
func (l *loop) handOver(t *task) {
	l.mu.Lock()
	l.handed = append(l.handed, t)
	l.mu.Unlock()
	l.pending.Store(true)
	if l.wakeIO() {
		return
	}
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// run serves until orders is closed and every dish is done, or ctx ends,
// then closes the loop.
func (l *loop) run(ctx context.Context) error {
	if l.io != nil {
		return l.runReactor(ctx)
	}
	defer l.close()
	stop := ctx.Done()
	orders := l.orders // nil once closed
	for {
		if ended(stop) {
			return l.cancelAll(ctx)
		}
		// Take at most one new order per turn, so a flood of orders
		// cannot starve dishes already cooking (asyncio's loop also runs
		// one batch of ready callbacks per turn). len is a lock-free look;
		// a closed channel is noticed when the loop next blocks.
		if orders != nil && (len(orders) > 0 || cap(orders) == 0) {
			select {
			case o, ok := <-orders:
				orders = l.received(orders, o, ok)
			default:
			}
		}
		l.fireTimers()
		if t := l.ready.pop(); t != nil {
			l.step(ctx, t)
			continue
		}
		if orders == nil && len(l.live) == 0 {
			return nil
		}
		// Nothing ready: block until an order, a hand-over, a timer or
		// cancellation.
		var timerC <-chan time.Time
		if l.timers.len() > 0 {
			d := l.timers.min().due - Now()
			l.timer.Reset(time.Duration(d))
			if l.nudge != nil {
				// The clock read after Reset, so the nudge never fires
				// before the timer is due (see sleepNudged).
				l.nudge.at(Now() + d)
			}
			timerC = l.timer.C
		}
		select {
		case o, ok := <-orders:
			orders = l.received(orders, o, ok)
		case <-l.wake:
		case <-timerC:
		case <-stop:
			l.timer.Stop()
			return l.cancelAll(ctx)
		}
		if timerC != nil {
			l.timer.Stop()
		}
	}
}

// received accepts o, received from orders with ok, and returns orders,
// or nil once it is closed (!ok).
func (l *loop) received(orders <-chan *Order, o *Order, ok bool) <-chan *Order {
	if !ok {
		return nil
	}
	l.accept(o)
	return orders
}

// fireTimers ends the waits now due, then takes the dishes other
// goroutines handed a grill: after the timers, so that a grill a wait just
// released is handed over at once, not left idle while the next ready dish
// cooks.
func (l *loop) fireTimers() {
	if l.timers.len() > 0 {
		now := Now()
		for l.timers.len() > 0 && l.timers.min().due <= now {
			l.wakeUp(l.timers.pop().of)
		}
	}
	if l.pending.Load() {
		l.takeHanded()
	}
}

func (l *loop) accept(o *Order) {
	t := l.newTask()
	t.o = o
	t.liveAt = len(l.live)
	l.live = append(l.live, t)
	o.Start = Now()
	o.next = 0
	l.ready.push(t)
}

func (l *loop) takeHanded() {
	l.mu.Lock()
	l.pending.Store(false)
	for i, t := range l.handed {
		t.inQueue, t.onGrill = false, true
		// The grill is ours: its wait starts now.
		t.due = Now() + int64(t.o.Dish.Steps[t.o.next].Wait)
		l.timers.push(&t.dueEntry)
		l.handed[i] = nil
	}
	l.handed = l.handed[:0]
	l.mu.Unlock()
}

// wakeUp ends t's wait step and readies its next step.
func (l *loop) wakeUp(t *task) {
	if t.call != nil {
		l.callTimedOut(t)
		return
	}
	if t.onGrill {
		t.onGrill = false
		l.k.Grills.Release()
	}
	t.o.next++
	l.ready.push(t)
}

// step runs t until it parks on a wait, finishes or fails.
func (l *loop) step(ctx context.Context, t *task) {
	o := t.o
	d := o.Dish
	defer func() {
		if r := recover(); r != nil {
			o.Err = &Failure{Dish: d.Name, Step: o.next, Value: r}
			l.finish(t)
		}
	}()
	for o.next < len(d.Steps) {
		s := &d.Steps[o.next]
		if tr := l.trace; tr != nil && tr.StepStart != nil {
			tr.StepStart(d, o.next)
		}
		switch s.Kind {
		case kitchen.CPU:
			// Inline: the loop does nothing else meanwhile.
			if !cookUnits(ctx, l.k, l.trace, o, s.Units, nil) {
				o.Err = cancelled(ctx)
				l.finish(t)
				return
			}
			o.next++
		case kitchen.Grill:
			if l.k.Grills.AcquireOrQueue(t) {
				t.onGrill = true
				t.due = Now() + int64(s.Wait)
				l.timers.push(&t.dueEntry)
			} else {
				t.inQueue = true
			}
			return
		case kitchen.Rest:
			t.due = Now() + int64(s.Wait)
			l.timers.push(&t.dueEntry)
			return
		case kitchen.Call, kitchen.Read:
			// On the reactor (eventloop_call.go, eventloop_read.go):
			// the dish waits for it.
			l.stepIO(t, s)
			return
		}
	}
	l.finish(t)
}

// finish reports t's order and recycles t.
func (l *loop) finish(t *task) {
	o := t.o
	o.End = Now()
	last := len(l.live) - 1
	l.live[t.liveAt] = l.live[last]
	l.live[t.liveAt].liveAt = t.liveAt
	l.live[last] = nil
	l.live = l.live[:last]
	// Every field but l, which another loop's goroutine may be reading in
	// GrillReady while this loop cancels t (a race the detector caught in
	// Loops' cancellation), and of, which is t.
	t.o, t.due, t.at, t.liveAt, t.onGrill, t.inQueue = nil, 0, 0, 0, false, false
	t.reading, t.call = false, nil
	l.free = append(l.free, t)
	l.done(o)
}

// cancelAll abandons every dish in progress, giving back grills, and
// reports each as cancelled.
func (l *loop) cancelAll(ctx context.Context) error {
	err := cancelled(ctx)
	g := l.k.Grills
	for len(l.live) > 0 {
		t := l.live[len(l.live)-1]
		if t.inQueue && !g.Cancel(t) {
			// A grill was handed to t meanwhile (it is in, or on its way
			// to, l.handed): give it back.
			g.Release()
		}
		if t.onGrill {
			g.Release()
		}
		l.dropIO(t)
		t.o.Err = err
		l.finish(t)
	}
	return ctx.Err()
}
