//go:build linux

package strategies

import (
	"errors"
	"fmt"
	"net"

	"golang.org/x/sys/unix"

	"github.com/kitchenbench/kitchenbench/grill"
)

// The event loop's calls to the grill service, on Linux: each connection
// is a small state machine (grillConn) driven by the reactor's readiness
// callbacks and the loop's timers.
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

// resolveGrill returns the socket address of the grill service at addr.
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
	l.timers.push(&t.dueEntry)
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
		n := c.transfer("write", unix.Write, c.out[c.outOff:], &c.l.io.r.n.Write)
		if n < 0 {
			return
		}
		c.outOff += n
	}
}

// transfer makes one non-blocking read or write (call, named op) of p,
// again after EINTR, counting each system call in *count. It returns the
// bytes moved, or -1 when the socket would block (EAGAIN) or failed (c
// has failed then).
func (c *grillConn) transfer(op string, call func(int, []byte) (int, error), p []byte, count *int64) int {
	for {
		*count++
		n, err := call(c.fd, p)
		switch {
		case err == nil:
			return n
		case err == unix.EINTR:
			continue
		case err != unix.EAGAIN:
			c.fail(fmt.Errorf("%s: %w", op, err))
		}
		return -1
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
		n := c.transfer("read", unix.Read, buf, &io.r.n.Read)
		if n < 0 {
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
	l.timers.remove(&t.dueEntry)
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
		l.timers.remove(&t.dueEntry)
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
