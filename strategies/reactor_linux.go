//go:build linux

package strategies

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// reactor is an event loop's epoll instance: the loop's sockets, an
// eventfd that other goroutines write to wake it, and a timerfd armed to
// the earliest deadline of the loop's timer heap, all registered
// edge-triggered, with a handler per socket called back on readiness.
// Only the loop's goroutine calls its methods, except wake.
//
// Note: the loop does not block in epoll_wait itself. A goroutine in a
// system call keeps Go's processor until the runtime's monitor takes it
// back (20 µs to 10 ms later), and at one core that would hold up the
// load generator and every other goroutine meanwhile. Instead the epoll
// descriptor, itself pollable, sits in the Go runtime's own poller (as a
// socket of net.Conn does): the loop parks in the scheduler until the
// runtime's epoll_wait reports it readable, then harvests its events with
// epoll_wait(timeout 0), which never blocks. This is the nesting libuv and
// Tokio allow for their own epoll descriptors. The timerfd inside it makes
// the runtime's poller return when the loop's earliest timer is due, with
// the precision of the kitchen's precise waits; under kitchen.RuntimeWaits
// the park ends instead on the descriptor's read deadline, a runtime timer.
// Also rejected: locking the loop to its OS thread by default (it costs a
// handover of the processor between threads at every park and wake:
// EventLoop.LockThread), and a helper goroutine parked on the epoll
// descriptor that signals the loop over a channel (two goroutine switches
// per batch). docs/reactor.md has the measurements.
type reactor struct {
	ep      int
	epf     *os.File // ep, registered with the runtime's poller
	rc      syscall.RawConn
	efd     int // eventfd: wake; guarded by wmu, written only by close
	wmu     sync.Mutex
	tfd     int   // timerfd: the timer heap's earliest deadline
	armed   int64 // when tfd fires, on Now's clock; 0: disarmed
	runtime bool  // time parks with the runtime's timers, not tfd
	dlSet   bool  // epf has a read deadline

	pending  atomic.Bool // wake was called since the loop last drained
	sleeping atomic.Bool // the loop is parked or about to be
	wakes    atomic.Int64

	events  []unix.EpollEvent
	harvest func(uintptr) bool // epoll_wait(0) into events; made once, so a poll allocates nothing
	block   bool               // harvest reports false (park) when it found nothing
	nev     int                // events harvest found
	werr    error              // harvest's error
	fds     []regEntry         // by descriptor
	gen     int32
	n       Syscalls
}

// regEntry is a descriptor's handler and the generation it was registered
// under: an event for an earlier registration of the same number (closed
// and reused within one batch of events) is dropped.
type regEntry struct {
	h   fdHandler
	gen int32
}

// fdHandler is called on the loop's goroutine when its descriptor is ready.
type fdHandler interface {
	ready(events uint32)
}

// Syscalls counts the system calls the event loops' reactors made, by
// kind. ReactorSyscalls returns the process's totals.
type Syscalls struct {
	EpollWait   int64 // epoll_wait, each with timeout 0
	EpollCtl    int64 // epoll_ctl
	Read        int64 // read of sockets and of the eventfd
	Write       int64 // write of sockets and of the eventfd (wakes)
	Socket      int64 // socket
	Connect     int64 // connect
	Sockopt     int64 // setsockopt and getsockopt
	Close       int64 // close of sockets
	TimerSet    int64 // timerfd_settime
	Pread       int64 // pread in the read pool's threads
	ReadHandoff int64 // reads the pool completed back to a loop (not a syscall)
	HandoffNs   int64 // their hand-off time, pread excluded (not a syscall)
}

// Total is the number of system calls counted (hand-offs are not).
func (s Syscalls) Total() int64 {
	return s.EpollWait + s.EpollCtl + s.Read + s.Write + s.Socket + s.Connect + s.Sockopt + s.Close + s.TimerSet + s.Pread
}

// Sub returns s less o, kind by kind.
func (s Syscalls) Sub(o Syscalls) Syscalls { return s.plus(o, -1) }

func (s *Syscalls) add(o *Syscalls) { *s = s.plus(*o, 1) }

// plus returns s + k·o, kind by kind: the one place that lists the kinds.
func (s Syscalls) plus(o Syscalls, k int64) Syscalls {
	return Syscalls{
		s.EpollWait + k*o.EpollWait, s.EpollCtl + k*o.EpollCtl, s.Read + k*o.Read, s.Write + k*o.Write,
		s.Socket + k*o.Socket, s.Connect + k*o.Connect, s.Sockopt + k*o.Sockopt, s.Close + k*o.Close,
		s.TimerSet + k*o.TimerSet, s.Pread + k*o.Pread, s.ReadHandoff + k*o.ReadHandoff, s.HandoffNs + k*o.HandoffNs,
	}
}

// totals gathers each reactor's counts when it closes.
var totals struct {
	mu sync.Mutex // guards s
	s  Syscalls
}

// ReactorSyscalls returns the system calls made by every event loop
// (eventloop and loops) that has returned from Serve in this process, by
// kind. Take it before and after a run and divide the difference by the
// dishes served for syscalls per dish.
func ReactorSyscalls() Syscalls {
	totals.mu.Lock()
	defer totals.mu.Unlock()
	return totals.s
}

// reactorEvents is how many events one harvest takes at most.
const reactorEvents = 256

func newReactor(runtimeTimers bool) (r *reactor, err error) {
	r = &reactor{ep: -1, efd: -1, tfd: -1, runtime: runtimeTimers}
	defer func() {
		if err != nil {
			r.close()
		}
	}()
	if r.ep, err = unix.EpollCreate1(unix.EPOLL_CLOEXEC); err != nil {
		return nil, os.NewSyscallError("epoll_create1", err)
	}
	if r.efd, err = unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC); err != nil {
		return nil, os.NewSyscallError("eventfd", err)
	}
	if r.tfd, err = unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC); err != nil {
		return nil, os.NewSyscallError("timerfd_create", err)
	}
	for _, fd := range []int{r.efd, r.tfd} {
		ev := unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLET, Fd: int32(fd)}
		if err = unix.EpollCtl(r.ep, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
			return nil, os.NewSyscallError("epoll_ctl", err)
		}
	}
	if err = unix.SetNonblock(r.ep, true); err != nil {
		return nil, os.NewSyscallError("fcntl", err)
	}
	// A non-blocking descriptor joins the runtime's poller.
	r.epf = os.NewFile(uintptr(r.ep), "epoll")
	if r.rc, err = r.epf.SyscallConn(); err != nil {
		return nil, fmt.Errorf("epoll: %w", err)
	}
	r.events = make([]unix.EpollEvent, reactorEvents)
	r.harvest = func(uintptr) bool {
		r.n.EpollWait++
		r.nev, r.werr = unix.EpollWait(r.ep, r.events, 0)
		if r.werr == unix.EINTR {
			r.nev, r.werr = 0, nil
		}
		return r.nev > 0 || r.werr != nil || !r.block
	}
	return r, nil
}

// close closes every descriptor the reactor owns (not its sockets: their
// owners close them) and adds its counts to ReactorSyscalls.
func (r *reactor) close() {
	if r.epf != nil {
		r.epf.Close()
		r.epf = nil
	} else if r.ep >= 0 {
		unix.Close(r.ep)
	}
	r.ep = -1
	// A wake may still come (a context's AfterFunc that had started, a
	// grill handed over by another loop): it must not write to a closed
	// descriptor, whose number may be reused by then.
	r.wmu.Lock()
	if r.efd >= 0 {
		unix.Close(r.efd)
		r.efd = -1
	}
	r.wmu.Unlock()
	if r.tfd >= 0 {
		unix.Close(r.tfd)
		r.tfd = -1
	}
	r.n.Write += r.wakes.Swap(0)
	totals.mu.Lock()
	totals.s.add(&r.n)
	totals.mu.Unlock()
	r.n = Syscalls{}
}

// add registers fd, edge-triggered for reading, writing and the peer's
// hang-up, with h as its handler.
func (r *reactor) add(fd int, h fdHandler) error {
	r.gen++
	ev := unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLOUT | unix.EPOLLRDHUP | unix.EPOLLET, Fd: int32(fd), Pad: r.gen}
	r.n.EpollCtl++
	if err := unix.EpollCtl(r.ep, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
		return os.NewSyscallError("epoll_ctl", err)
	}
	for fd >= len(r.fds) {
		r.fds = append(r.fds, make([]regEntry, max(64, len(r.fds)))...)
	}
	r.fds[fd] = regEntry{h: h, gen: r.gen}
	return nil
}

// closeFD forgets fd's handler and closes it, which takes it out of the
// epoll set.
func (r *reactor) closeFD(fd int) {
	if fd < len(r.fds) {
		r.fds[fd] = regEntry{}
	}
	r.n.Close++
	unix.Close(fd)
}

// wake makes the loop's next park return at once, or ends the park it is
// in. Any goroutine may call it; it writes the eventfd only when the loop
// is parked and nobody has woken it since it last drained.
func (r *reactor) wake() {
	if r.pending.Swap(true) {
		return
	}
	if r.sleeping.Load() {
		r.wakes.Add(1)
		var one = [8]byte{1}
		r.wmu.Lock()
		if r.efd >= 0 {
			unix.Write(r.efd, one[:])
		}
		r.wmu.Unlock()
	}
}

// drained tells the reactor that the loop is about to look at everything
// woken for: later wakes are new.
func (r *reactor) drained() { r.pending.Store(false) }

// woken reports whether wake was called since drained.
func (r *reactor) woken() bool { return r.pending.Load() }

// arm sets the timerfd to fire at due (Now's clock); 0 disarms it.
func (r *reactor) arm(due int64) {
	if due == r.armed {
		return
	}
	r.armed = due
	if r.runtime {
		return // poll sets a read deadline instead
	}
	var spec unix.ItimerSpec
	if due != 0 {
		spec.Value = monoTimespec(due)
	}
	r.n.TimerSet++
	_ = unix.TimerfdSettime(r.tfd, unix.TFD_TIMER_ABSTIME, &spec, nil)
}

// poll harvests ready events and calls their handlers. With block set and
// nothing ready, nor woken, it parks the goroutine in the Go scheduler
// until an event, a wake or the armed deadline.
func (r *reactor) poll(block bool) error {
	if block {
		r.sleeping.Store(true)
		// Dekker's check against wake: one of us sees the other.
		if r.pending.Load() {
			block = false
		}
	}
	if block && r.runtime {
		var dl time.Time
		if r.armed != 0 {
			dl = time.Now().Add(time.Duration(r.armed - Now()))
		}
		if !dl.IsZero() || r.dlSet {
			r.epf.SetReadDeadline(dl)
			r.dlSet = !dl.IsZero()
		}
	}
	r.block = block
	err := r.rc.Read(r.harvest)
	n, werr := r.nev, r.werr
	r.nev, r.werr = 0, nil
	r.sleeping.Store(false)
	if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
		return fmt.Errorf("epoll: %w", err)
	}
	if werr != nil {
		return os.NewSyscallError("epoll_wait", werr)
	}
	for i := range n {
		ev := &r.events[i]
		fd := int(ev.Fd)
		switch fd {
		case r.efd, r.tfd:
			// Nothing to read. Edge-triggered, every write of the eventfd
			// is an event of its own whatever its count (which would take
			// 2^64 wakes to fill), and the woken flag says what it was
			// for; each arming of the timerfd resets its count, and the
			// loop looks at its timer heap every turn. A read each would
			// add a system call to every wake.
		default:
			if fd < len(r.fds) && r.fds[fd].h != nil && r.fds[fd].gen == ev.Pad {
				r.fds[fd].h.ready(ev.Events)
			}
		}
	}
	return nil
}
