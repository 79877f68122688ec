//go:build linux

package strategies

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

// The event loop's pantry reads, on Linux.
//
// Reads. A regular file is always "ready" to epoll, which refuses it, so a
// loop hands each read step to a pool of readPoolThreads goroutines that
// pread the pantry (each blocking its thread in the kernel, as a thread
// of asyncio's to_thread does) and post the completed dish back to the loop
// through its wake (the eventfd). Syscalls.HandoffNs adds up, per read,
// the time from the hand-off to the loop's callback less the pread itself.

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
