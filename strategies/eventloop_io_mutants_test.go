//go:build linux

package strategies

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/kitchenbench/kitchenbench/grill"
	"github.com/kitchenbench/kitchenbench/internal/kitchentest"
	"github.com/kitchenbench/kitchenbench/kitchen"
)

// Tests that pin down the reactor's bookkeeping, each written against a
// mutant that lived through the broader tests in eventloop_io_test.go
// (docs/mutation-testing.md): the connection cap, the syscall counters,
// replies read in several pieces, errors named as they happened, and the
// precise waits' nudges.

// callMenu: a call of reply bytes held hold, then a CPU step; and a dish
// of CPU alone.
func callMenu(reply int, hold time.Duration) *kitchen.Menu {
	return &kitchen.Menu{
		Name: "calls", Grills: 4, Customers: 8, Seed: 5,
		Dishes: []kitchen.Dish{
			{Name: "steak", Weight: 1, Steps: []kitchen.Step{
				{Name: "sear", Kind: kitchen.Call, Wait: hold, Reply: reply},
				{Name: "plate", Kind: kitchen.CPU, Units: 1},
			}},
			{Name: "salad", Weight: 1, Steps: []kitchen.Step{
				{Name: "chop", Kind: kitchen.CPU, Units: 1},
			}},
		},
	}
}

// assertEachFailed checks that got holds n orders of steak, each failed
// with an error that says msg.
func assertEachFailed(t *testing.T, got []*Order, n int, msg string) {
	t.Helper()
	assert.Equal(t, map[string]int{"steak/1": n}, tally(t, got, n), "orders by dish/outcome (1 failed)")
	for _, o := range got {
		assert.ErrorContains(t, o.Err, msg, "order %d", o.ID)
	}
}

// serveLoop serves the given dishes, in this order, on one loop that opens
// at most conns connections, and returns the orders passed to done. done
// runs on the loop's goroutine, which may read the loop's fields there.
func serveLoop(t *testing.T, ctx context.Context, k *kitchen.Kitchen, conns int, dishes []*kitchen.Dish, done func(l *loop, o *Order)) ([]*Order, error) {
	t.Helper()
	in := make(chan *Order, len(dishes))
	for i, d := range dishes {
		o := &Order{}
		o.Reset(int64(i), d, Now())
		in <- o
	}
	close(in)
	var got []*Order
	var l *loop
	l, err := newLoop(k, in, func(o *Order) {
		got = append(got, o)
		if done != nil {
			done(l, o)
		}
	})
	require.NoError(t, err, "newLoop")
	require.NotNil(t, l.io, "a loop on Linux has a reactor")
	l.io.cap = conns
	errc := make(chan error, 1)
	go func() { errc <- l.run(ctx) }()
	err = receive(t, "the loop to return", errc)
	return got, err
}

// repeat is n times d.
func repeat(d *kitchen.Dish, n int) []*kitchen.Dish {
	out := make([]*kitchen.Dish, n)
	for i := range out {
		out[i] = d
	}
	return out
}

func TestResolveGrill(t *testing.T) {
	for _, tc := range []struct {
		addr string
		want unix.Sockaddr
	}{
		{"127.0.0.1:8080", &unix.SockaddrInet4{Port: 8080, Addr: [4]byte{127, 0, 0, 1}}},
		{"[::1]:9", &unix.SockaddrInet6{Port: 9, Addr: [16]byte{15: 1}}},
		{"[::ffff:10.1.2.3]:7", &unix.SockaddrInet4{Port: 7, Addr: [4]byte{10, 1, 2, 3}}},
	} {
		got, err := resolveGrill(tc.addr)
		require.NoError(t, err, tc.addr)
		assert.Equal(t, tc.want, got, tc.addr)
	}
	_, err := resolveGrill("no-port")
	assert.Error(t, err, "an address without a port")
}

// TestEventLoopCallSyscalls checks the reactor's counters against what a
// run of calls must cost: a socket, a setsockopt, a connect, an epoll_ctl,
// a getsockopt (the connect completes later: loopback's non-blocking
// connect says EINPROGRESS) and a close per connection, and one read per
// call, since each reply (5 + 512 bytes, one writev by the
// server) arrives whole and fits the loop's buffer.
func TestEventLoopCallSyscalls(t *testing.T) {
	const n = 40
	srv, addr := startGrill(t, grill.Options{Grills: 4})
	k := netKitchen(t, callMenu(512, 100*time.Microsecond), addr, "")
	sys := ReactorSyscalls()
	got, err := serveAll(t, context.Background(), EventLoop{}, k, n)
	require.NoError(t, err, "Serve")
	steaks := dishes(k, n, "steak")
	require.Positive(t, steaks)
	assert.Equal(t, map[string]int{"steak/0": steaks, "salad/0": n - steaks}, tally(t, got, n), "orders by dish/outcome")
	d := ReactorSyscalls().Sub(sys)
	assert.GreaterOrEqual(t, d.Write, int64(steaks), "writes: a frame per call, and the wakes")
	assert.Equal(t, int64(steaks), d.Read, "reads: one per reply")
	assert.Positive(t, d.Socket, "sockets")
	assert.Equal(t, d.Socket, d.Connect, "a connect per socket")
	assert.Equal(t, d.Socket, d.EpollCtl, "an epoll_ctl per socket")
	assert.Equal(t, d.Socket, d.Close, "a close per socket")
	assert.Equal(t, 2*d.Socket, d.Sockopt, "TCP_NODELAY and SO_ERROR per socket")
	waitClosed(t, srv)
}

// TestEventLoopConnectionCap gives a loop a cap of two connections and six
// calls that the server holds: two connections open, four dishes wait.
func TestEventLoopConnectionCap(t *testing.T) {
	srv, addr := startGrill(t, grill.Options{Grills: 8, MaxHold: time.Hour})
	m := callMenu(64, 30*time.Minute)
	k := netKitchen(t, m, addr, "")
	before := kitchentest.OpenFDs(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var open, connects, waiting int
	// The salad comes after the six steaks: by the time it is done, every
	// steak's call step has started.
	got, err := serveLoop(t, ctx, k, 2, append(repeat(&m.Dishes[0], 6), &m.Dishes[1]), func(l *loop, o *Order) {
		if o.Dish.Name == "salad" {
			open, connects, waiting = l.io.open, int(l.io.r.n.Connect), l.io.waiting.size
			cancel()
		}
	})
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, map[string]int{"steak/2": 6, "salad/0": 1}, tally(t, got, 7), "orders by dish/outcome (2 cancelled)")
	assert.Equal(t, 2, open, "connections open at the cap")
	assert.Equal(t, 2, connects, "connections opened")
	assert.Equal(t, 4, waiting, "dishes waiting for a connection")
	waitClosed(t, srv)
	assert.Equal(t, before, kitchentest.OpenFDs(t), "open file descriptors after the loop")
}

// TestEventLoopConnectionCapAfterFailures: at a cap of two, six calls that
// the server refuses (a wrong token) each fail on a connection of their
// own, a waiting dish taking the place each failure frees; the count of
// connections open never leaves [0, cap].
func TestEventLoopConnectionCapAfterFailures(t *testing.T) {
	srv, addr := startGrill(t, grill.Options{Token: "right", RequireToken: true})
	m := callMenu(64, time.Millisecond)
	k := netKitchen(t, m, addr, "wrong")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var bad []int
	sys := ReactorSyscalls()
	got, err := serveLoop(t, ctx, k, 2, repeat(&m.Dishes[0], 6), func(l *loop, o *Order) {
		if l.io.open < 0 || l.io.open > l.io.cap {
			bad = append(bad, l.io.open)
			cancel() // the loop cannot go on
		}
	})
	require.NoError(t, err, "the loop")
	assert.Empty(t, bad, "connections open outside [0, 2] when an order was done")
	assertEachFailed(t, got, 6, "server refused (unauthorized)")
	d := ReactorSyscalls().Sub(sys)
	assert.Equal(t, int64(6), d.Connect, "a connection per failed call")
	assert.Equal(t, d.Socket, d.Close, "every socket closed")
	waitClosed(t, srv)
}

// TestEventLoopReplyInPieces: a reply larger than a socket's receive
// buffer can be (64 MiB; tcp_rmem allows less) takes several reads, and
// each arrives whole.
func TestEventLoopReplyInPieces(t *testing.T) {
	const n = 2
	_, addr := startGrill(t, grill.Options{Grills: 2, MaxReply: grill.LimitMaxReply})
	m := callMenu(grill.LimitMaxReply, 0)
	k := netKitchen(t, m, addr, "")
	sys := ReactorSyscalls()
	got, err := serveLoop(t, context.Background(), k, maxLoopConns, repeat(&m.Dishes[0], n), nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"steak/0": n}, tally(t, got, n), "orders by dish/outcome")
	for _, o := range got {
		assert.NoError(t, o.Err, "order %d", o.ID)
	}
	d := ReactorSyscalls().Sub(sys)
	assert.Greater(t, d.Read, int64(n), "reads: replies in several pieces")
}

// TestEventLoopServerErrorMessage: an error reply fails its order with
// the server's status and message.
func TestEventLoopServerErrorMessage(t *testing.T) {
	_, addr := startGrill(t, grill.Options{MaxReply: 1024})
	m := callMenu(2048, time.Millisecond)
	k := netKitchen(t, m, addr, "")
	got, err := serveLoop(t, context.Background(), k, maxLoopConns, repeat(&m.Dishes[0], 3), nil)
	require.NoError(t, err)
	assertEachFailed(t, got, 3, "server refused (over a cap): reply of 2048 bytes over the cap of 1024")
}

// TestEventLoopConnectFailsAtOnce: a connect that fails at once (TCP to a
// multicast address is refused with ENETUNREACH) fails its order saying so,
// and closes its socket.
func TestEventLoopConnectFailsAtOnce(t *testing.T) {
	m := callMenu(64, time.Millisecond)
	k := netKitchen(t, m, "224.0.0.1:9", "")
	k.Grill.Timeout = time.Hour // a connection left hanging fails the test by the guard
	before, sys := kitchentest.OpenFDs(t), ReactorSyscalls()
	got, err := serveLoop(t, context.Background(), k, maxLoopConns, repeat(&m.Dishes[0], 3), nil)
	require.NoError(t, err)
	assertEachFailed(t, got, 3, "connect: network is unreachable")
	d := ReactorSyscalls().Sub(sys)
	assert.Equal(t, int64(3), d.Socket, "sockets")
	assert.Equal(t, d.Socket, d.Close, "every socket closed")
	assert.Equal(t, before, kitchentest.OpenFDs(t), "open file descriptors after the loop")
}

// TestEventLoopSocketOnDescriptorZero closes stdin so that the loop's
// connection is descriptor 0, a valid one: it is served and closed like
// any other. (Nothing else in the process opens a descriptor meanwhile:
// the grill server accepts only once the loop has connected.)
func TestEventLoopSocketOnDescriptorZero(t *testing.T) {
	if _, err := unix.FcntlInt(0, unix.F_GETFD, 0); err != nil {
		t.Skipf("descriptor 0 is not open: %v", err)
	}
	srv, addr := startGrill(t, grill.Options{Grills: 1})
	m := callMenu(64, 100*time.Microsecond)
	k := netKitchen(t, m, addr, "")
	k.Grill.Timeout = time.Hour // a call whose events go unheard fails the test by the guard
	in := make(chan *Order, 1)
	o := &Order{}
	o.Reset(0, &m.Dishes[0], Now())
	in <- o
	close(in)
	var got []*Order
	connFD := -2
	l, err := newLoop(k, in, func(o *Order) { got = append(got, o) })
	require.NoError(t, err)
	l.trace = &kitchen.Trace{StepStart: func(d *kitchen.Dish, step int) {
		if step == 1 && len(l.io.idle) == 1 { // on the loop's goroutine, the call done
			connFD = l.io.idle[0].fd
		}
	}}
	saved, err := unix.Dup(0)
	require.NoError(t, err)
	defer func() {
		require.NoError(t, unix.Dup2(saved, 0), "restore stdin")
		unix.Close(saved)
	}()
	require.NoError(t, unix.Close(0))
	sys := ReactorSyscalls()
	errc := make(chan error, 1)
	go func() { errc <- l.run(context.Background()) }()
	require.NoError(t, receive(t, "the loop to return", errc))
	_, fdErr := unix.FcntlInt(0, unix.F_GETFD, 0)
	require.Len(t, got, 1)
	assert.NoError(t, got[0].Err, "the order")
	assert.Equal(t, 0, connFD, "the connection's descriptor")
	assert.ErrorIs(t, fdErr, unix.EBADF, "descriptor 0 closed after the loop")
	d := ReactorSyscalls().Sub(sys)
	assert.Equal(t, int64(1), d.Socket)
	assert.Equal(t, int64(1), d.Close)
	waitClosed(t, srv)
}

// TestReadDoneCountsHandoffTime: a read's hand-off time is the time from
// its hand-off to the loop's callback less the pread.
func TestReadDoneCountsHandoffTime(t *testing.T) {
	k := pantryKitchen(t)
	l, err := newLoop(k, nil, func(*Order) {})
	require.NoError(t, err)
	defer l.close()
	o := &Order{}
	o.Reset(0, &k.Menu.Dishes[0], Now())
	l.accept(o)
	tk := l.ready.pop()
	tk.o.next = 1
	tk.reading = true
	const ago, took = int64(5 * time.Millisecond), int64(2 * time.Millisecond)
	before := Now()
	l.readDone(&readDone{t: tk, check: 7, handed: before - ago, pread: took})
	after := Now()
	n := l.io.r.n
	assert.Equal(t, int64(1), n.ReadHandoff, "hand-offs")
	assert.GreaterOrEqual(t, n.HandoffNs, ago-took, "hand-off time: at least the wait less the pread")
	assert.LessOrEqual(t, n.HandoffNs, ago-took+(after-before), "hand-off time: at most the wait less the pread, and the call")
	assert.Equal(t, uint64(7), o.Check, "the read's check folded into the order")
	assert.Equal(t, 2, o.next, "the next step")
	assert.Same(t, tk, l.ready.pop(), "the dish is ready again")
}

// TestGILNudgesItsWaiters: a cook waiting for the GIL with precise waits
// puts its switch interval's end in the wakeups heap, which arms the
// nudge to it.
func TestGILNudgesItsWaiters(t *testing.T) {
	start := Now()
	var e wakeEntry
	w := handGILToWaiter(t, func(g *gilLock) error {
		return g.acquireWith(context.Background(), stoppedTimer(), &e)
	})
	w.mu.Lock()
	armed, in := w.armed, w.h.has(&e)
	w.mu.Unlock()
	assert.False(t, in, "the waiter left the heap once it had the lock")
	assert.GreaterOrEqual(t, armed, start+int64(gilWaiterInterval), "the nudge armed to the end of the waiter's interval")
}

// TestGILNudgeNeedsAnEntry: acquire, with no place in a wakeups heap,
// waits on its runtime timer alone even when the lock has wakeups.
func TestGILNudgeNeedsAnEntry(t *testing.T) {
	w := handGILToWaiter(t, func(g *gilLock) error {
		return g.acquire(context.Background(), stoppedTimer())
	})
	w.mu.Lock()
	defer w.mu.Unlock()
	assert.Zero(t, w.armed, "the nudge never armed")
	assert.Zero(t, w.h.len(), "waiters in the wakeups heap")
}

// gilWaiterInterval is handGILToWaiter's switch interval: no waiter times
// out.
const gilWaiterInterval = time.Hour

// handGILToWaiter takes a GIL with precise waits, has a second cook wait
// for it with acquire, hands it over, and returns the lock's wakeups once
// the waiter has had the lock and released it.
func handGILToWaiter(t *testing.T, acquire func(*gilLock) error) *wakeups {
	t.Helper()
	g := newGILLock(gilWaiterInterval)
	w, err := newWakeups()
	require.NoError(t, err)
	t.Cleanup(func() { w.close() })
	g.wakes = w
	require.NoError(t, g.acquire(context.Background(), stoppedTimer()))
	var wg sync.WaitGroup
	wg.Go(func() {
		assert.NoError(t, acquire(g))
		g.release()
	})
	waitFor(t, "the waiter to wait", func() bool {
		g.mu.Lock()
		defer g.mu.Unlock()
		return g.waiters == 1
	})
	g.release()
	wg.Wait()
	return w
}

// TestCookSleepsOnItsWakeups: a goroutine's cook with precise waits sleeps
// on its runtime timer backed by the shared wakeups (arming its nudge), not
// on a thread sleep.
func TestCookSleepsOnItsWakeups(t *testing.T) {
	k := kitchentest.New(t, testMenu(t))
	k.Waits = kitchen.PreciseWaits
	w, err := newWakeups()
	require.NoError(t, err)
	defer w.close()
	c := newCook(k, nil)
	c.wakes = w
	const d = time.Millisecond
	start := Now()
	require.True(t, c.sleep(context.Background(), d), "sleep")
	w.mu.Lock()
	defer w.mu.Unlock()
	assert.GreaterOrEqual(t, w.armed, start+int64(d), "the nudge armed to the sleep's end")
	assert.False(t, w.h.has(&c.entry), "the cook left the heap once awake")
}

// TestLoopNudgeOnlyWithoutReactor: with precise waits, a loop parks on its
// reactor's timerfd when it has one, and opens a nudge of its own only
// when it has none.
func TestLoopNudgeOnlyWithoutReactor(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    *kitchen.Menu
	}{
		{"timers", testMenu(t)},
		{"calls", callMenu(64, time.Millisecond)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := kitchentest.New(t, tc.m)
			k.Grill = &kitchen.GrillEndpoint{Addr: "127.0.0.1:1"} // never dialled
			k.Waits = kitchen.PreciseWaits
			l, err := newLoop(k, nil, func(*Order) {})
			require.NoError(t, err)
			defer l.close()
			if tc.m.HasIO() {
				assert.NotNil(t, l.io, "the reactor of a kitchen with I/O")
			}
			assert.Equal(t, l.io == nil, l.nudge != nil, "a nudge exactly when there is no reactor (reactor %v)", l.io != nil)
		})
	}
}

// TestEventLoopWaitingDishesTakeFreedPlaces: at a cap of two, two calls
// held and four dishes waiting, the server closes. Each failure frees a
// place that a waiting dish takes at once (to fail in its turn, connection
// refused), so every dish is done.
func TestEventLoopWaitingDishesTakeFreedPlaces(t *testing.T) {
	srv, addr := startGrill(t, grill.Options{Grills: 8, MaxHold: time.Hour})
	m := callMenu(64, 30*time.Minute)
	k := netKitchen(t, m, addr, "")
	started := make(chan struct{})
	go func() {
		<-started
		waitHolding(t, srv, 2)
		srv.Close()
	}()
	sys := ReactorSyscalls()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var waiting int
	var bad []int
	got, err := serveLoop(t, ctx, k, 2, append(repeat(&m.Dishes[0], 6), &m.Dishes[1]), func(l *loop, o *Order) {
		if o.Dish.Name == "salad" { // every steak's call has started
			waiting = l.io.waiting.size
			close(started)
		}
		if l.io.open < 0 || l.io.open > l.io.cap {
			bad = append(bad, l.io.open)
			cancel() // the loop cannot go on
		}
	})
	require.NoError(t, err, "the loop")
	assert.Empty(t, bad, "connections open outside [0, 2] when an order was done")
	assert.Equal(t, 4, waiting, "dishes waiting for a connection once all had started")
	assert.Equal(t, map[string]int{"steak/1": 6, "salad/0": 1}, tally(t, got, 7), "orders by dish/outcome (1 failed)")
	refused := 0
	for _, o := range got {
		if o.Err != nil && strings.Contains(o.Err.Error(), "connect: connection refused") {
			refused++
		}
	}
	assert.Equal(t, 4, refused, "dishes that took a freed place and found the service gone")
	d := ReactorSyscalls().Sub(sys)
	assert.Equal(t, int64(6), d.Connect, "connections opened")
	assert.Equal(t, d.Socket, d.Close, "every socket closed")
}

// TestReactorArmCountsTimerSets: arming the timerfd to the time it is
// already armed to makes no system call, and a reactor on the runtime's
// timers never sets its timerfd.
func TestReactorArmCountsTimerSets(t *testing.T) {
	for _, tc := range []struct {
		runtime bool
		want    int64
	}{{false, 3}, {true, 0}} {
		r, err := newReactor(tc.runtime)
		require.NoError(t, err)
		due := Now() + int64(time.Millisecond)
		r.arm(due)
		r.arm(due)
		r.arm(due + 1)
		r.arm(0)
		r.arm(0)
		assert.Equal(t, tc.want, r.n.TimerSet, "timerfd_settime calls (runtime timers %v)", tc.runtime)
		assert.Zero(t, r.armed, "disarmed")
		// Armed, a park ends once the time has come.
		r.arm(Now() + int64(time.Millisecond))
		require.NoError(t, r.poll(true), "a park ended by the deadline")
		assert.GreaterOrEqual(t, Now(), r.armed, "the park ended once due (runtime timers %v)", tc.runtime)
		r.close()
	}
}

// recorder is an fdHandler that records its events, and runs then when
// first called.
type recorder struct {
	events []uint32
	then   func()
}

func (h *recorder) ready(ev uint32) {
	h.events = append(h.events, ev)
	if h.then != nil {
		h.then()
		h.then = nil
	}
}

// TestReactorDropsEventsOfAClosedDescriptor: a handler that closes
// another descriptor, whose event is in the same batch, and registers a
// new one under the same number must not see the old descriptor's event
// handed to the new handler.
func TestReactorDropsEventsOfAClosedDescriptor(t *testing.T) {
	r, err := newReactor(false)
	require.NoError(t, err)
	defer r.close()
	var a, b, c [2]int
	require.NoError(t, unix.Pipe2(a[:], unix.O_NONBLOCK|unix.O_CLOEXEC))
	require.NoError(t, unix.Pipe2(b[:], unix.O_NONBLOCK|unix.O_CLOEXEC))
	defer unix.Close(a[0])
	defer unix.Close(a[1])
	defer unix.Close(b[1])
	ha, hb, hc := &recorder{}, &recorder{}, &recorder{}
	require.NoError(t, r.add(a[0], ha))
	require.NoError(t, r.add(b[0], hb))
	// Take the pipes' first (writable: none for a read end) events.
	require.NoError(t, r.poll(false))
	ha.events, hb.events = nil, nil
	ha.then = func() {
		r.closeFD(b[0])
		require.NoError(t, unix.Pipe2(c[:], unix.O_NONBLOCK|unix.O_CLOEXEC))
		require.Equal(t, b[0], c[0], "the new pipe takes the closed descriptor's number")
		require.NoError(t, r.add(c[0], hc))
	}
	_, err = unix.Write(a[1], []byte{1})
	require.NoError(t, err)
	_, err = unix.Write(b[1], []byte{1})
	require.NoError(t, err)
	require.NoError(t, r.poll(false))
	defer unix.Close(c[0])
	defer unix.Close(c[1])
	assert.Len(t, ha.events, 1, "a's events")
	assert.NotZero(t, ha.events[0]&unix.EPOLLIN, "a readable")
	assert.Empty(t, hb.events, "b's events after b was closed")
	assert.Empty(t, hc.events, "c's events: b's event is not c's")
	assert.Equal(t, int64(3), r.n.EpollCtl, "epoll_ctl: a, b, c")
	assert.Equal(t, int64(1), r.n.Close, "closes: b")
}

// TestIOStepsWithoutTheirService: a call step with no grill endpoint and
// a read step with no pantry fail their orders with an *IOError that
// says so, in every strategy; the other dishes are served.
func TestIOStepsWithoutTheirService(t *testing.T) {
	const n = 30
	for _, tc := range []struct {
		name string
		m    *kitchen.Menu
		dish string
		want error
	}{
		{"no grill", callMenu(64, time.Millisecond), "steak", errNoGrill},
		{"no pantry", pantryMenu(t), "stock", errNoPantry},
	} {
		for _, s := range []Strategy{Sync{}, Pool{Cooks: 2}, GIL{Cooks: 2}, Goroutines{}, EventLoop{}, Loops{Loops: 2}} {
			t.Run(tc.name+"/"+s.Name(), func(t *testing.T) {
				k := kitchentest.New(t, tc.m)
				got, err := serveAll(t, context.Background(), s, k, n)
				require.NoError(t, err, "Serve")
				io := dishes(k, n, tc.dish)
				require.Positive(t, io)
				assert.Equal(t, map[string]int{tc.dish + "/1": io, "salad/0": n - io}, tally(t, got, n), "orders by dish/outcome (1 failed)")
				for _, o := range got {
					if o.Err == nil {
						continue
					}
					var ioErr *IOError
					require.ErrorAs(t, o.Err, &ioErr, "order %d", o.ID)
					assert.ErrorIs(t, o.Err, tc.want, "order %d", o.ID)
					assert.Equal(t, tc.dish, ioErr.Dish, "order %d's dish", o.ID)
				}
			})
		}
	}
}

// TestConnPoolKeepsAtMostMax: the goroutines' pool of idle connections
// keeps at most max, the warmest first, and closes what it cannot keep.
func TestConnPoolKeepsAtMostMax(t *testing.T) {
	_, addr := startGrill(t, grill.Options{Grills: 2})
	assert.Equal(t, DefaultIdleConns, newConnPool(0).max, "the default")
	dial := func() *grill.Conn {
		c, err := grill.Dial(context.Background(), addr, grill.DialOptions{})
		require.NoError(t, err)
		return c
	}
	p := newConnPool(1)
	c1, c2 := dial(), dial()
	p.put(c1)
	p.put(c2) // the pool is full: closed
	assert.Error(t, c2.Call(0, 8), "a call on the connection the pool closed")
	assert.Same(t, c1, p.get(), "the connection kept")
	assert.Nil(t, p.get(), "none left")
	require.NoError(t, c1.Call(0, 8), "a call on the kept connection")
	p.put(c1)
	p.close()
	assert.Error(t, c1.Call(0, 8), "a call on a connection the pool closed")
	c3 := dial()
	p.put(c3) // the pool is closed: closed
	assert.Error(t, c3.Call(0, 8), "a call on a connection put after close")
	assert.Nil(t, p.get(), "a closed pool keeps none")
}

// transfer retries a call interrupted by a signal, counting each system
// call, and reports a socket that would block as -1, never as bytes moved
// (which would make the reply's framing count bytes never read).
func TestTransferRetriesEINTRAndReportsEAGAIN(t *testing.T) {
	c := &grillConn{fd: 7}
	var count int64
	errs := []error{unix.EINTR, unix.EINTR, nil}
	n := c.transfer("read", func(fd int, p []byte) (int, error) {
		assert.Equal(t, 7, fd, "the connection's descriptor")
		err := errs[0]
		errs = errs[1:]
		if err != nil {
			return -1, err
		}
		return len(p), nil
	}, make([]byte, 5), &count)
	assert.Equal(t, 5, n, "bytes moved once the call went through")
	assert.Equal(t, int64(3), count, "system calls made, the interrupted ones included")

	count = 0
	n = c.transfer("write", func(int, []byte) (int, error) { return -1, unix.EAGAIN }, make([]byte, 5), &count)
	assert.Equal(t, -1, n, "a socket that would block moved nothing")
	assert.Equal(t, int64(1), count)
}
