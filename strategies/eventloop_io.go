//go:build linux

package strategies

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/kitchenbench/kitchenbench/grill"
	"github.com/kitchenbench/kitchenbench/kitchen"
)

// The event loop's real I/O (issue 12), on Linux: a reactor
// (reactor_linux.go) of non-blocking sockets to the grill service
// (eventloop_call.go), a pool of threads for the pantry's reads
// (eventloop_read.go), and an order desk. This file holds what ties them
// to the loop: its reactor turn (runReactor) and the order desk.
//
// Orders. Orders come on a Go channel, which epoll cannot watch: a
// goroutine per loop (the order desk) receives them one at a time and hands
// each to the loop through the same wake, taking the next once the loop
// has taken it, so loops that share a channel share its orders.

const (
	maxLoopConns    = 16384 // connections one loop keeps open at most
	readPoolThreads = 4     // threads of a loop's read pool
)

// loopIO is a loop's reactor and what hangs on it. Only the loop's
// goroutine touches its fields, except those guarded by mu.
type loopIO struct {
	r *reactor

	mu      sync.Mutex // guards inbox, hasOrder, closed, reads
	inbox   *Order
	has     bool       // inbox holds an order
	closed  bool       // the order channel is closed
	reads   []readDone // reads the pool completed
	spare   []readDone // the loop's: reads' other buffer, so taking them allocates nothing
	taken   chan struct{}
	stop    chan struct{}
	deskRun sync.WaitGroup

	// grill connections
	addr    unix.Sockaddr // nil: see addrErr
	addrErr error
	addrStr string
	timeout time.Duration // past a call's hold
	hello   []byte        // the hello frame; nil when the kitchen has no token
	open    int           // connections open
	cap     int           // at most open
	idle    []*grillConn
	waiting taskQueue // dishes waiting for a connection
	scratch []byte

	pool *readPool // nil until the first read
}

func (l *loop) openIO() error {
	r, err := newReactor(!l.k.Waits.Precise())
	if err != nil {
		return err
	}
	io := &loopIO{r: r, taken: make(chan struct{}, 1), stop: make(chan struct{}), cap: maxLoopConns}
	if g := l.k.Grill; g != nil {
		io.addrStr = g.Addr
		io.timeout = g.CallTimeout()
		io.addr, io.addrErr = resolveGrill(g.Addr)
		if g.Token != "" {
			io.hello = grill.AppendHello(nil, g.Token)
		}
		io.scratch = make([]byte, max(l.k.Menu.MaxReply(), grill.MaxMessage, 24)+grill.ReplyHeadLen)
	}
	l.io = io
	return nil
}

// closeIO closes the loop's connections, stops its read pool and closes
// its reactor.
func (l *loop) closeIO() {
	io := l.io
	if io == nil {
		return
	}
	for _, c := range io.idle {
		io.closeConn(c)
	}
	io.idle = nil
	if io.pool != nil {
		io.pool.close(&io.r.n)
	}
	io.r.close()
	l.io = nil
}

// wakeIO wakes the loop through its reactor; false when it has none.
func (l *loop) wakeIO() bool {
	if l.io == nil {
		return false
	}
	l.io.r.wake()
	return true
}

// desk is the order desk: it hands the loop one order at a time.
func (io *loopIO) desk(orders <-chan *Order) {
	defer io.deskRun.Done()
	for {
		select {
		case o, ok := <-orders:
			io.mu.Lock()
			io.inbox, io.has, io.closed = o, ok, !ok
			io.mu.Unlock()
			io.r.wake()
			if !ok {
				return
			}
		case <-io.stop:
			return
		}
		select {
		case <-io.taken:
		case <-io.stop:
			return
		}
	}
}

// runReactor is run for a loop with a reactor: the same turns, but it
// parks in the reactor and learns of orders, hand-overs, completed reads,
// socket readiness and its timers from it.
func (l *loop) runReactor(ctx context.Context) error {
	if l.lockThread {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
	}
	io := l.io
	r := io.r
	io.deskRun.Add(1)
	go io.desk(l.orders)
	stopWatch := context.AfterFunc(ctx, r.wake)
	deskOpen := true
	// stopDesk stops the order desk and takes the order it may hold,
	// which is then ours to report.
	stopDesk := func() {
		if deskOpen {
			deskOpen = false
			close(io.stop)
			io.deskRun.Wait()
			if io.has {
				l.accept(io.inbox)
				io.has, io.inbox = false, nil
			}
		}
	}
	defer func() {
		stopWatch()
		stopDesk()
		l.close()
	}()
	open := true // the order channel may have more
	for {
		if ctx.Err() != nil {
			stopDesk()
			return l.cancelAll(ctx)
		}
		if r.woken() {
			r.drained()
			io.mu.Lock()
			o, has, closed := io.inbox, io.has, io.closed
			io.inbox, io.has = nil, false
			reads := io.reads
			io.reads = io.spare[:0]
			io.mu.Unlock()
			if has {
				l.accept(o)
				select {
				case io.taken <- struct{}{}:
				default:
				}
			}
			if closed {
				open = false
			}
			for i := range reads {
				l.readDone(&reads[i])
			}
			clear(reads)
			io.spare = reads
		}
		l.fireTimers()
		// One batch: the dishes ready now, as asyncio runs the callbacks
		// ready at the start of its turn; then a look at the sockets if
		// more dishes are ready (otherwise the park below looks first).
		if n := l.ready.size; n > 0 {
			for range n {
				l.step(ctx, l.ready.pop())
			}
			if l.ready.size > 0 {
				if err := r.poll(false); err != nil {
					return l.fatal(stopDesk, err)
				}
			}
			continue
		}
		if !open && len(l.live) == 0 {
			return nil
		}
		var due int64
		if l.timers.len() > 0 {
			due = l.timers.min().due
		}
		r.arm(due)
		if err := r.poll(true); err != nil {
			return l.fatal(stopDesk, err)
		}
	}
}

// fatal ends a loop whose reactor failed: every dish in progress fails
// with err; orders still in the channel are the caller's.
func (l *loop) fatal(stopDesk func(), err error) error {
	err = fmt.Errorf("strategies: eventloop: %w", err)
	stopDesk()
	for len(l.live) > 0 {
		t := l.live[len(l.live)-1]
		l.dropIO(t)
		t.o.Err = err
		l.finish(t)
	}
	return err
}

// stepIO starts a call or read step of t and reports whether it did: the
// dish then waits for its completion.
func (l *loop) stepIO(t *task, s *kitchen.Step) bool {
	switch s.Kind {
	case kitchen.Call:
		l.startCall(t)
		return true
	case kitchen.Read:
		l.startRead(t, s)
		return true
	}
	return false
}

// haveReactor says that event loops serve call and read steps here.
const haveReactor = true

// ioFailed fails t's order with an *IOError naming its step.
func (l *loop) ioFailed(t *task, err error) {
	o := t.o
	o.Err = &IOError{Dish: o.Dish.Name, Step: o.next, Kind: o.Dish.Steps[o.next].Kind, Err: err}
	l.finish(t)
}

// dropIO forgets t's call or read as its dish is abandoned.
func (l *loop) dropIO(t *task) {
	if c := t.call; c != nil {
		t.call, c.t = nil, nil
		l.io.closeConn(c)
	}
	t.reading = false
}
