//go:build linux

package strategies

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/kitchenbench/kitchenbench/grill"
	"github.com/kitchenbench/kitchenbench/kitchen"
)

// The event loop's real I/O (issue 12), on Linux: a reactor (reactor.go)
// of non-blocking sockets to the grill service, a pool of threads for the
// pantry's reads, and an order desk.
//
// Connections. A loop opens a connection to the grill service when a
// dish reaches a call step and no idle one is left, and keeps it open for
// the next call once the reply is in: one connection per call in flight,
// reused from a stack of idle ones (the most recently used first, whose
// socket is warmest). It opens at most maxLoopConns at once; beyond that,
// or once the system refuses more descriptors (EMFILE, ENFILE) while
// some are open, dishes wait in FIFO order for a connection to come free,
// and a dish's deadline starts when its call is sent. A connection is
// socket(SOCK_NONBLOCK) and connect, registered once with the reactor
// edge-triggered for reading, writing and hang-up; when the kitchen names a
// token it first says hello. An idle connection the server closes (its
// idle timeout) is closed and forgotten. Each call writes its 18-byte frame
// with one write and reads its reply with, usually, one read into a
// buffer the loop shares among all its connections: the payload is
// discarded, so a waiting call costs its connection's small state and the
// kernel's socket, not a buffer.
//
// Deadlines. A call that has no reply within its hold plus the kitchen's
// call timeout (kitchen.GrillEndpoint.CallTimeout) fails
// its order ("no reply within …") and its connection is closed, as is one
// that the server resets, closes or answers with an error. The loop goes
// on with its other dishes.
//
// Reads. A regular file is always "ready" to epoll, which refuses it, so a
// loop hands each read step to a pool of readPoolThreads goroutines that
// pread the pantry (each blocking its thread in the kernel, as a thread
// of asyncio's to_thread does) and post the completed dish back to the loop
// through its wake (the eventfd). Syscalls.HandoffNs adds up, per read,
// the time from the hand-off to the loop's callback less the pread itself.
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

func resolveGrill(addr string) (unix.Sockaddr, error) {
	a, err := net.ResolveTCPAddr("tcp", addr)
	if err != nil {
		return nil, err
	}
	if ip4 := a.IP.To4(); ip4 != nil {
		sa := &unix.SockaddrInet4{Port: a.Port}
		copy(sa.Addr[:], ip4)
		return sa, nil
	}
	sa := &unix.SockaddrInet6{Port: a.Port}
	copy(sa.Addr[:], a.IP.To16())
	return sa, nil
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
		if l.timers.len() > 0 {
			now := Now()
			for l.timers.len() > 0 && l.timers.min().due <= now {
				l.wakeUp(l.timers.pop())
			}
		}
		if l.pending.Load() {
			l.takeHanded()
		}
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

// ---- calls ----

const (
	connConnecting = iota
	connOpen       // connected at once, nothing sent yet
	connHello
	connIdle
	connCall
)

// grillConn is one non-blocking connection to the grill service.
type grillConn struct {
	l      *loop
	fd     int
	state  uint8
	headN  uint8 // bytes of the reply header read so far
	status byte
	t      *task  // the dish whose call this is; nil when idle
	out    []byte // what is being written: the hello or frame
	outOff int
	expect int // the ok payload the reply should carry
	left   int // payload bytes still to read, once the header is in
	msg    []byte
	head   [grill.ReplyHeadLen]byte
	frame  [grill.CallFrameLen]byte
}

var _ fdHandler = (*grillConn)(nil)

// startCall sends t's call on an idle or new connection, or queues t for
// one.
func (l *loop) startCall(t *task) {
	io := l.io
	if l.k.Grill == nil {
		l.ioFailed(t, errNoGrill)
		return
	}
	if io.addrErr != nil {
		l.ioFailed(t, fmt.Errorf("grill %s: %w", io.addrStr, io.addrErr))
		return
	}
	if n := len(io.idle); n > 0 {
		c := io.idle[n-1]
		io.idle[n-1] = nil
		io.idle = io.idle[:n-1]
		c.begin(t)
		return
	}
	if io.open >= io.cap {
		t.call = nil
		io.waiting.push(t)
		return
	}
	c, err := io.dial(l)
	if err != nil {
		if (errors.Is(err, unix.EMFILE) || errors.Is(err, unix.ENFILE)) && io.open > 0 {
			io.cap = io.open
			io.waiting.push(t)
			return
		}
		l.ioFailed(t, fmt.Errorf("grill %s: %w", io.addrStr, err))
		return
	}
	c.begin(t)
}

// dial opens a connection, registered with the reactor, connecting.
func (io *loopIO) dial(l *loop) (*grillConn, error) {
	n := &io.r.n
	family := unix.AF_INET
	if _, ok := io.addr.(*unix.SockaddrInet6); ok {
		family = unix.AF_INET6
	}
	n.Socket++
	fd, err := unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("socket: %w", err)
	}
	n.Sockopt++
	unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
	c := &grillConn{l: l, fd: fd, state: connConnecting}
	if err := io.r.add(fd, c); err != nil {
		unix.Close(fd)
		return nil, err
	}
	io.open++
	n.Connect++
	err = unix.Connect(fd, io.addr)
	if err != nil && err != unix.EINPROGRESS {
		io.closeConn(c)
		return nil, fmt.Errorf("connect: %w", err)
	}
	if err == nil {
		c.state = connOpen // begin goes on from here
	}
	return c, nil
}

func (io *loopIO) closeConn(c *grillConn) {
	if c.fd < 0 {
		return
	}
	io.r.closeFD(c.fd)
	c.fd = -1
	io.open--
}

// begin makes c carry t's call.
func (c *grillConn) begin(t *task) {
	l := c.l
	s := &t.o.Dish.Steps[t.o.next]
	t.call, c.t = c, t
	t.due = Now() + int64(s.Wait+l.io.timeout)
	l.timers.push(t)
	grill.AppendCall(c.frame[:0], s.Wait, s.Reply)
	c.headN, c.left, c.msg = 0, 0, nil
	switch c.state {
	case connConnecting, connHello:
		// The frame follows the connection and the hello.
	case connOpen:
		c.connected()
	default:
		c.state = connCall
		c.send(c.frame[:])
	}
}

// connected goes on from a completed connect.
func (c *grillConn) connected() {
	if hello := c.l.io.hello; hello != nil {
		c.state = connHello
		c.headN, c.left, c.msg = 0, 0, nil
		c.send(hello)
		return
	}
	c.state = connCall
	c.send(c.frame[:])
}

// send writes p, the rest when the socket can take it.
func (c *grillConn) send(p []byte) {
	c.out, c.outOff = p, 0
	c.flush()
}

func (c *grillConn) flush() {
	for c.outOff < len(c.out) {
		c.l.io.r.n.Write++
		n, err := unix.Write(c.fd, c.out[c.outOff:])
		if err == unix.EAGAIN {
			return
		}
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			c.fail(fmt.Errorf("write: %w", err))
			return
		}
		c.outOff += n
	}
}

// ready is the reactor's callback.
func (c *grillConn) ready(ev uint32) {
	if c.fd < 0 {
		return
	}
	switch c.state {
	case connConnecting:
		if ev&(unix.EPOLLOUT|unix.EPOLLERR|unix.EPOLLHUP) == 0 {
			return
		}
		c.l.io.r.n.Sockopt++
		errno, err := unix.GetsockoptInt(c.fd, unix.SOL_SOCKET, unix.SO_ERROR)
		if err == nil && errno != 0 {
			err = unix.Errno(errno)
		}
		if err != nil {
			c.fail(fmt.Errorf("connect: %w", err))
			return
		}
		c.connected()
	case connIdle:
		if ev&(unix.EPOLLIN|unix.EPOLLRDHUP|unix.EPOLLHUP|unix.EPOLLERR) != 0 {
			// The server closed it (its idle timeout) or broke the
			// protocol: forget it.
			io := c.l.io
			for i, d := range io.idle {
				if d == c {
					io.idle = append(io.idle[:i], io.idle[i+1:]...)
					break
				}
			}
			io.closeConn(c)
		}
	default:
		if ev&unix.EPOLLOUT != 0 && c.outOff < len(c.out) {
			c.flush()
		}
		if c.fd >= 0 && ev&(unix.EPOLLIN|unix.EPOLLRDHUP|unix.EPOLLHUP|unix.EPOLLERR) != 0 {
			c.receive()
		}
	}
}

// receive reads what the socket has of the reply.
func (c *grillConn) receive() {
	io := c.l.io
	expect := c.expect
	if c.state == connHello {
		expect = 24
	} else if c.t != nil {
		expect = c.t.o.Dish.Steps[c.t.o.next].Reply
	}
	for {
		want := c.left
		if c.headN < grill.ReplyHeadLen {
			want = grill.ReplyHeadLen - int(c.headN) + expect
		}
		if want == 0 {
			want = 1 // a reply already whole: only a hang-up can follow
		}
		buf := io.scratch[:min(want, len(io.scratch))]
		io.r.n.Read++
		n, err := unix.Read(c.fd, buf)
		if err == unix.EAGAIN {
			return
		}
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			c.fail(fmt.Errorf("read: %w", err))
			return
		}
		if n == 0 {
			c.fail(errors.New("the grill service closed the connection mid-call"))
			return
		}
		p := buf[:n]
		if c.headN < grill.ReplyHeadLen {
			k := copy(c.head[c.headN:], p)
			c.headN += uint8(k)
			p = p[k:]
			if c.headN < grill.ReplyHeadLen {
				continue
			}
			status, payload, err := grill.ParseReplyHeader(c.head[:], max(expect, grill.MaxMessage))
			if err != nil {
				c.fail(err)
				return
			}
			if status == grill.StatusOK && payload != expect {
				c.fail(fmt.Errorf("grill: reply of %d bytes, asked %d", payload, expect))
				return
			}
			c.status, c.left = status, payload
		}
		if len(p) > c.left {
			c.fail(fmt.Errorf("grill: %d bytes past the end of a reply", len(p)-c.left))
			return
		}
		if c.status != grill.StatusOK {
			c.msg = append(c.msg, p...)
		}
		c.left -= len(p)
		if c.left == 0 {
			c.replied()
			return
		}
	}
}

// replied goes on from a whole reply.
func (c *grillConn) replied() {
	if c.status != grill.StatusOK {
		c.fail(&grill.ServerError{Status: c.status, Message: string(c.msg)})
		return
	}
	l := c.l
	if c.state == connHello {
		if c.t == nil {
			c.state = connIdle
			l.io.release(c)
			return
		}
		c.state = connCall
		c.headN = 0
		c.send(c.frame[:])
		return
	}
	t := c.t
	c.t, t.call = nil, nil
	l.timers.remove(t)
	t.o.next++
	l.ready.push(t)
	c.state = connIdle
	l.io.release(c)
}

// release gives c to the longest-waiting dish, or keeps it idle.
func (io *loopIO) release(c *grillConn) {
	if t := io.waiting.pop(); t != nil {
		c.begin(t)
		return
	}
	io.idle = append(io.idle, c)
}

// fail closes c and fails the dish it carried.
func (c *grillConn) fail(err error) {
	l := c.l
	io := l.io
	t := c.t
	io.closeConn(c)
	c.t = nil
	if t != nil {
		t.call = nil
		if t.heapAt >= 0 {
			l.timers.remove(t)
		}
		l.ioFailed(t, fmt.Errorf("call to grill %s: %w", io.addrStr, err))
	}
	// A connection came free: a waiting dish may open one.
	for io.waiting.size > 0 && io.open < io.cap {
		l.startCall(io.waiting.pop())
	}
}

// callTimedOut fails t, whose call has had no reply by its deadline.
func (l *loop) callTimedOut(t *task) {
	c := t.call
	s := &t.o.Dish.Steps[t.o.next]
	to := l.io.timeout
	c.fail(fmt.Errorf("no reply within %v (hold %v + call timeout %v)", s.Wait+to, s.Wait, to))
}

// ---- reads ----

// readDone is a read the pool completed.
type readDone struct {
	t      *task
	err    error
	check  uint64 // folds the bytes read into the order's Check
	handed int64  // when the loop handed it to the pool
	pread  int64  // how long the pread took
}

// readReq is a read for the pool.
type readReq struct {
	t      *task
	off, n int64 // n: bytes asked of the file, bytes rounded up for O_DIRECT
	bytes  int64
	handed int64
}

// readPool is a loop's threads for pantry reads.
type readPool struct {
	p      *kitchen.Pantry
	io     *loopIO
	mu     sync.Mutex // guards q, head and closed
	cond   sync.Cond
	q      []readReq // FIFO from q[head]
	head   int
	closed bool
	wg     sync.WaitGroup
	preads atomic.Int64
}

func (l *loop) startRead(t *task, s *kitchen.Step) {
	io := l.io
	p := l.k.Pantry
	if p == nil {
		l.ioFailed(t, errNoPantry)
		return
	}
	if io.pool == nil {
		io.pool = newReadPool(p, io, readPoolThreads)
	}
	o := t.o
	t.reading = true
	io.pool.submit(readReq{t: t, off: p.Offset(o.ID, o.next, s.Bytes), n: p.ReadLen(s.Bytes), bytes: s.Bytes, handed: Now()})
}

func (l *loop) readDone(d *readDone) {
	t := d.t
	if !t.reading {
		return // abandoned meanwhile
	}
	t.reading = false
	n := &l.io.r.n
	n.ReadHandoff++
	n.HandoffNs += Now() - d.handed - d.pread
	if d.err != nil {
		l.ioFailed(t, d.err)
		return
	}
	t.o.Check ^= d.check
	t.o.next++
	l.ready.push(t)
}

func newReadPool(p *kitchen.Pantry, io *loopIO, n int) *readPool {
	rp := &readPool{p: p, io: io}
	rp.cond.L = &rp.mu
	rp.wg.Add(n)
	for range n {
		go rp.work()
	}
	return rp
}

func (rp *readPool) submit(r readReq) {
	rp.mu.Lock()
	rp.q = append(rp.q, r)
	rp.mu.Unlock()
	rp.cond.Signal()
}

func (rp *readPool) work() {
	defer rp.wg.Done()
	var buf []byte
	for {
		rp.mu.Lock()
		for rp.head == len(rp.q) && !rp.closed {
			rp.cond.Wait()
		}
		if rp.closed {
			rp.mu.Unlock()
			return
		}
		r := rp.q[rp.head]
		rp.q[rp.head] = readReq{}
		if rp.head++; rp.head == len(rp.q) {
			rp.q, rp.head = rp.q[:0], 0
		}
		rp.mu.Unlock()
		if int64(len(buf)) < r.n {
			buf = rp.p.Buffer(r.n)
		}
		start := Now()
		rp.preads.Add(1)
		got, err := pread(rp.p, buf[:r.n], r.off)
		d := readDone{t: r.t, handed: r.handed, pread: Now() - start}
		if err == nil && int64(got) < r.bytes {
			err = fmt.Errorf("short read: %d of %d bytes at offset %d", got, r.bytes, r.off)
		}
		if err != nil {
			d.err = fmt.Errorf("pantry %s: %w", rp.p.File.Name(), err)
		} else {
			d.check = uint64(buf[0]) | uint64(buf[r.bytes-1])<<8
		}
		io := rp.io
		io.mu.Lock()
		io.reads = append(io.reads, d)
		io.mu.Unlock()
		io.r.wake()
	}
}

// close stops the pool's threads once their reads are done and counts
// their preads into n.
func (rp *readPool) close(n *Syscalls) {
	rp.mu.Lock()
	rp.closed = true
	rp.mu.Unlock()
	rp.cond.Broadcast()
	rp.wg.Wait()
	n.Pread += rp.preads.Load()
}
