package grill

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Server is the grill service. Create it with NewServer, run it with
// Serve, stop it with Close; Stats may be called from any goroutine.
type Server struct {
	opt   Options
	h     *holder
	zeros []byte // every call's payload: MaxReply zero bytes, only read
	info  []byte // the ok reply to a hello
	token []byte // hashToken(opt.Token)
	c     counters

	mu      sync.Mutex // guards lns, conns
	lns     []net.Listener
	conns   map[net.Conn]struct{}
	closing atomic.Bool
	wg      sync.WaitGroup // one per connection goroutine
}

// NewServer checks opt, as Validate does but naming the Options fields,
// and starts the hold loop; Close stops it.
func NewServer(opt Options) (*Server, error) {
	opt = opt.withDefaults()
	if err := opt.check(func(field string) string { return "Options." + field }, "grill: "); err != nil {
		return nil, err
	}
	h, err := newHolder(opt.Grills)
	if err != nil {
		return nil, err
	}
	s := &Server{opt: opt, h: h, zeros: make([]byte, opt.MaxReply), conns: map[net.Conn]struct{}{}, token: hashToken([]byte(opt.Token))}
	info := Info{Grills: opt.Grills, MaxReply: opt.MaxReply, MaxHold: opt.MaxHold, MaxFrame: opt.MaxFrame, MaxConns: opt.MaxConns}
	s.info = binary.BigEndian.AppendUint32(nil, 1+infoLen)
	s.info = info.append(append(s.info, StatusOK))
	return s, nil
}

// Options returns the server's options with their defaults filled in.
func (s *Server) Options() Options { return s.opt }

// Listen listens on addr (127.0.0.1:0 when empty) after checking that a
// token is set if addr reaches beyond loopback.
func (s *Server) Listen(addr string) (net.Listener, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if err := s.checkAddr(addr); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("grill: %w", err)
	}
	if err := s.checkAddr(ln.Addr().String()); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}

// checkAddr refuses an address beyond loopback without a token.
func (s *Server) checkAddr(addr string) error {
	if s.opt.Token != "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("grill: listen address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("grill: listening on %s reaches beyond loopback: set a token (--token or %s)", addr, TokenEnv)
}

// TokenEnv is the environment variable `kitchen grill-server` and Start
// read the token from.
const TokenEnv = "KITCHEN_GRILL_TOKEN"

// Serve accepts connections on ln until Close, serving each on its own
// goroutine. It returns nil after Close.
func (s *Server) Serve(ln net.Listener) error {
	if err := s.checkAddr(ln.Addr().String()); err != nil {
		return err
	}
	s.mu.Lock()
	if s.closing.Load() {
		s.mu.Unlock()
		return errors.New("grill: Serve after Close")
	}
	s.lns = append(s.lns, ln)
	s.mu.Unlock()
	backoff := 5 * time.Millisecond
	for {
		c, err := ln.Accept()
		if err != nil {
			if s.closing.Load() || errors.Is(err, net.ErrClosed) {
				return nil
			}
			// Out of file descriptors and the like: wait, as net/http does.
			s.c.accErr.Add(1)
			time.Sleep(backoff)
			backoff = min(2*backoff, time.Second)
			continue
		}
		backoff = 5 * time.Millisecond
		s.c.accepted.Add(1)
		if !s.track(c) {
			s.c.refused.Add(1)
			c.SetWriteDeadline(time.Now().Add(time.Second))
			c.Write(appendError(nil, StatusBusy, fmt.Sprintf("%d connections open, the cap", s.opt.MaxConns)))
			c.Close()
			continue
		}
		go s.serveConn(c)
	}
}

// track registers c, unless MaxConns are open or the server is closing.
func (s *Server) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing.Load() || len(s.conns) >= s.opt.MaxConns {
		return false
	}
	s.conns[c] = struct{}{}
	s.c.active.Add(1)
	s.wg.Add(1)
	return true
}

func (s *Server) untrack(c net.Conn) {
	c.Close()
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.c.active.Add(-1)
	s.wg.Done()
}

// Close stops accepting, closes every connection (calls in progress are
// dropped) and stops the hold loop. It returns once all is stopped.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closing.Swap(true) {
		s.mu.Unlock()
		s.wg.Wait()
		return nil
	}
	for _, ln := range s.lns {
		ln.Close()
	}
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	s.h.close()
	return nil
}

// Stats returns the counters now.
func (s *Server) Stats() Stats {
	st := Stats{
		Accepted: s.c.accepted.Load(), Refused: s.c.refused.Load(), Active: s.c.active.Load(),
		Calls: s.c.calls.Load(), Hellos: s.c.hellos.Load(), StatsAsked: s.c.stats.Load(),
		Holding: s.h.stats.holding.Load(), Waiting: s.h.stats.waiting.Load(), PeakHolding: s.h.stats.peak.Load(),
		Garbage: s.c.garbage.Load(), Oversized: s.c.oversized.Load(), BadVersion: s.c.badVersion.Load(),
		OverCap: s.c.overCap.Load(), Unauthorized: s.c.unauthorized.Load(), Idle: s.c.idle.Load(),
		SlowRead: s.c.slowRead.Load(), Truncated: s.c.truncated.Load(), Pipelined: s.c.pipelined.Load(),
		Abandoned: s.c.abandoned.Load(), SlowWrite: s.c.slowWrite.Load(), Reset: s.c.reset.Load(),
		AcceptErrors: s.c.accErr.Load(),
	}
	u, sys := CPUTime()
	st.CPU = u + sys
	return st
}

// hashToken hashes a token so that comparing two takes the same time
// whatever their lengths.
func hashToken(t []byte) []byte {
	h := sha256.Sum256(t)
	return h[:]
}

// aLongTimeAgo is a deadline in the past, to wake a blocked Read.
var aLongTimeAgo = time.Unix(1, 0)

// conn is one connection's state, used only by its goroutine (and, for
// the duration of a hold, by the hold's end function).
type conn struct {
	s       *Server
	c       net.Conn
	rc      syscall.RawConn
	authed  bool
	hdr     [4]byte
	body    [64]byte // request frames up to 64 bytes; larger ones are allocated
	head    [ReplyHeadLen]byte
	carry   byte // the next frame's first byte, read during a hold
	carried bool // carry holds a byte
}

func (s *Server) serveConn(nc net.Conn) {
	defer s.untrack(nc)
	c := &conn{s: s, c: nc, authed: s.opt.Token == ""}
	if sc, ok := nc.(syscall.Conn); ok {
		c.rc, _ = sc.SyscallConn()
	}
	for c.serveOne() {
	}
}

// serveOne reads and answers one request; false ends the connection.
func (c *conn) serveOne() bool {
	s := c.s
	c.c.SetReadDeadline(time.Now().Add(s.opt.ReadTimeout))
	hdr := c.hdr[:]
	if c.carried {
		c.hdr[0], c.carried, hdr = c.carry, false, c.hdr[1:]
	}
	if n, err := io.ReadFull(c.c, hdr); err != nil {
		c.readFault(n+len(c.hdr)-len(hdr), err)
		return false
	}
	l := binary.BigEndian.Uint32(c.hdr[:])
	if l > uint32(s.opt.MaxFrame) {
		return c.fault(&s.c.oversized, StatusOverCap, fmt.Sprintf("frame of %d bytes over the cap of %d", l, s.opt.MaxFrame))
	}
	if l < 2 {
		return c.fault(&s.c.garbage, StatusMalformed, fmt.Sprintf("frame of %d bytes, shorter than a header", l))
	}
	b := c.body[:]
	if int(l) > len(b) {
		b = make([]byte, l)
	}
	b = b[:l]
	if n, err := io.ReadFull(c.c, b); err != nil {
		c.readFault(4+n, err)
		return false
	}
	arrival := monoNow()
	if b[0] != Version {
		return c.fault(&s.c.badVersion, StatusVersion, fmt.Sprintf("protocol version %d; this server speaks %d", b[0], Version))
	}
	switch b[1] {
	case OpHello:
		if s.opt.Token != "" && subtle.ConstantTimeCompare(hashToken(b[2:]), s.token) != 1 {
			return c.fault(&s.c.unauthorized, StatusUnauthorized, "wrong token")
		}
		c.authed = true
		s.c.hellos.Add(1)
		return c.write(s.info)
	case OpCall:
		if !c.authed {
			return c.fault(&s.c.unauthorized, StatusUnauthorized, "this server needs a token: send a hello with it first")
		}
		if l != 14 {
			return c.fault(&s.c.garbage, StatusMalformed, fmt.Sprintf("call frame of %d bytes, want 14", l))
		}
		hold := binary.BigEndian.Uint64(b[2:])
		reply := binary.BigEndian.Uint32(b[10:])
		if hold > uint64(s.opt.MaxHold) {
			return c.fault(&s.c.overCap, StatusOverCap, fmt.Sprintf("hold %v over the cap of %v", time.Duration(min(hold, 1<<63-1)), s.opt.MaxHold))
		}
		if reply > uint32(s.opt.MaxReply) {
			return c.fault(&s.c.overCap, StatusOverCap, fmt.Sprintf("reply of %d bytes over the cap of %d", reply, s.opt.MaxReply))
		}
		return c.call(int64(hold), int(reply), arrival)
	case OpStats:
		if !c.authed {
			return c.fault(&s.c.unauthorized, StatusUnauthorized, "this server needs a token: send a hello with it first")
		}
		st := s.Stats()
		p := st.appendText(make([]byte, 5, 512))
		binary.BigEndian.PutUint32(p, uint32(len(p)-4))
		p[4] = StatusOK
		s.c.stats.Add(1)
		return c.write(p)
	}
	return c.fault(&s.c.garbage, StatusMalformed, fmt.Sprintf("unknown op %d", b[1]))
}

// call holds a call on a grill, then replies. While it is held the
// connection's goroutine reads, so that a client that leaves frees its
// grill at once; the hold's end writes the reply from the loop's thread
// and wakes that read with a past deadline.
func (c *conn) call(d int64, reply int, arrival int64) bool {
	s := c.s
	binary.BigEndian.PutUint32(c.head[:], uint32(1+reply))
	c.head[4] = StatusOK
	payload := s.zeros[:reply]
	var (
		written int  // bytes the loop wrote; read after done
		ended   bool // the hold ran to its end; read after done
		done    = make(chan struct{})
	)
	x := &hold{d: d, arrival: arrival}
	x.end = func(ok bool) {
		// Wake the read first: once the reply is out, the client may send
		// its next request, which that read must not take.
		c.c.SetReadDeadline(aLongTimeAgo)
		if ok && c.rc != nil {
			written = writeNow(c.rc, c.head[:], payload)
			if written == len(c.head)+len(payload) {
				s.c.calls.Add(1) // before done: Close waits for it
			}
		}
		ended = ok
		close(done)
	}
	c.c.SetReadDeadline(time.Time{}) // before start: end's past deadline must win
	s.h.start(x)
	var one [1]byte
	n, err := c.c.Read(one[:])
	if n > 0 || !errors.Is(err, os.ErrDeadlineExceeded) {
		s.h.cancel(x)
	}
	<-done
	switch {
	case !ended && s.closing.Load():
		return false
	case n > 0 && !ended:
		s.c.pipelined.Add(1)
		return false
	case !ended:
		s.c.abandoned.Add(1)
		return false
	case n > 0:
		// The read passed its deadline check before the hold ended and
		// took the first byte of the next request, sent once the client
		// had the reply: keep it for the next frame.
		c.carry, c.carried = one[0], true
	}
	if rest := len(c.head) + reply - written; rest > 0 {
		if s.closing.Load() {
			return false
		}
		var bufs net.Buffers
		if written < len(c.head) {
			bufs = net.Buffers{c.head[written:], payload}
		} else {
			bufs = net.Buffers{payload[written-len(c.head):]}
		}
		c.c.SetWriteDeadline(time.Now().Add(s.opt.WriteTimeout))
		if _, err := bufs.WriteTo(c.c); err != nil {
			c.writeFault(err)
			return false
		}
		s.c.calls.Add(1)
	}
	return n > 0 || err == nil || errors.Is(err, os.ErrDeadlineExceeded)
}

// write sends a whole reply within WriteTimeout.
func (c *conn) write(p []byte) bool {
	c.c.SetWriteDeadline(time.Now().Add(c.s.opt.WriteTimeout))
	if _, err := c.c.Write(p); err != nil {
		c.writeFault(err)
		return false
	}
	return true
}

// fault counts a bad request, answers it with an error reply and ends the
// connection.
func (c *conn) fault(n *atomic.Int64, status byte, msg string) bool {
	n.Add(1)
	c.c.SetWriteDeadline(time.Now().Add(c.s.opt.WriteTimeout))
	c.c.Write(appendError(nil, status, msg))
	return false
}

// readFault counts a failed read of a frame of which got bytes arrived.
func (c *conn) readFault(got int, err error) {
	s := c.s
	switch {
	case s.closing.Load():
	case got == 0 && errors.Is(err, io.EOF):
		// a clean close between requests
	case errors.Is(err, os.ErrDeadlineExceeded) && got == 0:
		s.c.idle.Add(1)
	case errors.Is(err, os.ErrDeadlineExceeded):
		s.c.slowRead.Add(1)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		s.c.truncated.Add(1)
	default:
		s.c.reset.Add(1)
	}
}

func (c *conn) writeFault(err error) {
	s := c.s
	switch {
	case s.closing.Load():
	case errors.Is(err, os.ErrDeadlineExceeded):
		s.c.slowWrite.Add(1)
	default:
		s.c.reset.Add(1)
	}
}
