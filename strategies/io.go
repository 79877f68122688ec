package strategies

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kitchenbench/kitchenbench/grill"
	"github.com/kitchenbench/kitchenbench/kitchen"
)

// Real I/O in the blocking styles: call steps go to the grill service
// (kitchen.Kitchen.Grill) over TCP with package grill's blocking client,
// read steps pread the pantry file (kitchen.Kitchen.Pantry).
//
//   - sync, pool and gil: each cook dials one connection the first time it
//     needs one and keeps it for the rest of the run, as a thread of a
//     blocking server keeps its socket; gil's cook drops the lock for the
//     call and for the read, as CPython does around blocking I/O.
//   - goroutines: a dish takes a connection from a pool of idle ones shared
//     by the run (dialing a new one when none is idle) and puts it back
//     after the call, so there are as many connections as calls in flight
//     at the peak; the pool keeps at most Goroutines.IdleConns idle and
//     closes the rest. The goroutine blocks on net.Conn, which parks it on
//     Go's netpoller.
//
// A failed call (service down, connection reset, a reply later than its
// hold plus kitchen.GrillEndpoint's timeout) fails that order with an
// *IOError and closes the connection; the next call dials again. A read
// that comes back short fails its order the same way.

// DefaultIdleConns is Goroutines.IdleConns's default: the grill service's
// default connection cap, so a run below it never closes a connection it
// will want again.
const DefaultIdleConns = grill.DefaultMaxConns

// IOError is the error of an order whose call or read step failed.
type IOError struct {
	Dish string
	Step int
	Kind kitchen.StepKind // kitchen.Call or kitchen.Read
	Err  error
}

func (e *IOError) Error() string {
	return fmt.Sprintf("dish %q step %d (%s): %v", e.Dish, e.Step, e.Kind, e.Err)
}

func (e *IOError) Unwrap() error { return e.Err }

// errNoGrill and errNoPantry fail orders of a kitchen set up without the
// endpoint its menu needs.
var (
	errNoGrill  = errors.New("no grill service: the kitchen has call steps but no Grill endpoint")
	errNoPantry = errors.New("no pantry: the kitchen has read steps but no Pantry")
)

// needsReactor is the error of eventloop and loops for menus with call or
// read steps until their reactor serves them.
func needsReactor(k *kitchen.Kitchen, name string) error {
	if k.Menu.HasIO() {
		return fmt.Errorf("strategies: %s: call steps need the reactor (menu %q has call or read steps)", name, k.Menu.Name)
	}
	return nil
}

// cookIO is a blocking cook's I/O state.
type cookIO struct {
	conn  *grill.Conn // its own connection (sync, pool, gil); nil until the first call
	conns *connPool   // goroutines: the run's shared idle connections; nil otherwise
	buf   []byte      // read buffer, grown to the largest read so far
	bufs  *sync.Pool  // goroutines: the run's read buffers (*[]byte), as a cook lives one order; nil otherwise

	// A cancelled context ends the call in progress: the watch, registered
	// once per context (context.AfterFunc), gives inCall a past deadline.
	inCall  atomic.Pointer[grill.Conn] // the connection of the call in progress; nil between calls
	watched context.Context            // the context the watch is on
	unwatch func() bool                // stops the watch
}

// watch makes sure a cancellation of ctx ends the cook's calls.
func (c *cook) watch(ctx context.Context) {
	if c.io.watched == ctx || ctx.Done() == nil {
		return
	}
	if c.io.unwatch != nil {
		c.io.unwatch()
	}
	in := &c.io.inCall
	c.io.watched = ctx
	c.io.unwatch = context.AfterFunc(ctx, func() {
		if conn := in.Load(); conn != nil {
			conn.SetDeadline(time.Unix(1, 0)) // a past deadline wakes the read
		}
	})
}

// call makes call step s of o. It returns nil when served, an *IOError
// when the call failed, or ErrCancelled's wrap when ctx ended first.
func (c *cook) call(ctx context.Context, o *Order, s *kitchen.Step) error {
	ep := c.k.Grill
	if ep == nil {
		return &IOError{Dish: o.Dish.Name, Step: o.next, Kind: kitchen.Call, Err: errNoGrill}
	}
	conn := c.io.conn
	if c.io.conns != nil {
		conn = c.io.conns.get()
	}
	if conn == nil {
		var err error
		if conn, err = grill.Dial(ctx, ep.Addr, grill.DialOptions{Token: ep.Token}); err != nil {
			if ctx.Err() != nil {
				return cancelled(ctx)
			}
			return &IOError{Dish: o.Dish.Name, Step: o.next, Kind: kitchen.Call, Err: err}
		}
	}
	conn.SetDeadline(time.Now().Add(s.Wait + ep.CallTimeout()))
	c.watch(ctx)
	c.io.inCall.Store(conn)
	err := ctx.Err() // cancelled before the watch could see conn
	if err == nil {
		err = conn.Call(s.Wait, s.Reply)
	}
	c.io.inCall.Store(nil)
	if err != nil {
		conn.Close()
		if c.io.conns == nil {
			c.io.conn = nil
		}
		if ctx.Err() != nil {
			return cancelled(ctx)
		}
		return &IOError{Dish: o.Dish.Name, Step: o.next, Kind: kitchen.Call, Err: err}
	}
	if c.io.conns != nil {
		c.io.conns.put(conn)
	} else {
		c.io.conn = conn
	}
	return nil
}

// read makes read step s of o: a pread of s.Bytes at the pantry's offset
// for o's step.
func (c *cook) read(o *Order, s *kitchen.Step) error {
	p := c.k.Pantry
	if p == nil {
		return &IOError{Dish: o.Dish.Name, Step: o.next, Kind: kitchen.Read, Err: errNoPantry}
	}
	n := p.ReadLen(s.Bytes)
	if c.io.bufs != nil && c.io.buf == nil {
		if b, ok := c.io.bufs.Get().(*[]byte); ok {
			c.io.buf = *b
		}
		defer func() {
			b := c.io.buf
			c.io.buf = nil
			c.io.bufs.Put(&b)
		}()
	}
	if int64(cap(c.io.buf)) < n {
		c.io.buf = p.Buffer(n)
	}
	off := p.Offset(o.ID, o.next, s.Bytes)
	got, err := pread(p, c.io.buf[:n], off)
	if err == nil && int64(got) < s.Bytes {
		err = fmt.Errorf("short read: %d of %d bytes at offset %d", got, s.Bytes, off)
	}
	if err != nil {
		return &IOError{Dish: o.Dish.Name, Step: o.next, Kind: kitchen.Read, Err: fmt.Errorf("pantry %s: %w", p.File.Name(), err)}
	}
	o.Check ^= uint64(c.io.buf[0]) | uint64(c.io.buf[s.Bytes-1])<<8
	return nil
}

// closeIO closes the cook's own connection and stops its watch.
func (c *cook) closeIO() {
	if c.io.unwatch != nil {
		c.io.unwatch()
		c.io.unwatch, c.io.watched = nil, nil
	}
	if c.io.conn != nil {
		c.io.conn.Close()
		c.io.conn = nil
	}
}

// connPool holds the idle connections of a goroutines run. Safe for
// concurrent use.
type connPool struct {
	mu     sync.Mutex    // guards idle and closed
	idle   []*grill.Conn // LIFO: the warmest connection first
	max    int           // most idle connections kept
	closed bool
}

func newConnPool(max int) *connPool {
	if max <= 0 {
		max = DefaultIdleConns
	}
	return &connPool{max: max}
}

// get returns an idle connection, or nil when none is idle.
func (p *connPool) get() *grill.Conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle[n-1] = nil
		p.idle = p.idle[:n-1]
		return c
	}
	return nil
}

// put keeps c for the next call, or closes it when the pool is full or
// closed.
func (p *connPool) put(c *grill.Conn) {
	p.mu.Lock()
	if !p.closed && len(p.idle) < p.max {
		p.idle = append(p.idle, c)
		c = nil
	}
	p.mu.Unlock()
	if c != nil {
		c.Close()
	}
}

// close closes every idle connection; later puts close theirs.
func (p *connPool) close() {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	for _, c := range idle {
		c.Close()
	}
}
