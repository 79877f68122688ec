//go:build linux

package strategies

import (
	"context"
	"os"
	"runtime"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// monoOffset converts Now's clock to CLOCK_MONOTONIC, which Go's own
// monotonic clock reads: mono = Now() + monoOffset. It errs late by the
// few nanoseconds between the two readings, so a timer armed through it
// never fires before the runtime timer it backs.
var monoOffset = func() int64 {
	before := Now()
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		panic("strategies: clock_gettime(CLOCK_MONOTONIC): " + err.Error())
	}
	return ts.Nano() - before
}()

func monoTimespec(t int64) unix.Timespec { return unix.NsecToTimespec(t + monoOffset) }

// nudge is a timerfd in the Go runtime's own netpoller. Armed to a time,
// it makes the runtime's epoll_wait return then, so an idle processor
// runs its due timers at once rather than at the next whole millisecond
// (the runtime passes epoll_wait a timeout in milliseconds, rounding
// sub-millisecond waits up to one). Nobody reads it: its only job is to
// wake the poller, whose next look at the timer heap finds the runtime
// timer it backs due. A busy processor looks at its timers whenever a
// goroutine parks or yields, and needs no nudge.
type nudge struct {
	f  *os.File // keeps fd registered with the runtime's poller
	fd int
}

func newNudge() (*nudge, error) {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return nil, os.NewSyscallError("timerfd_create", err)
	}
	// A non-blocking descriptor joins the runtime's poller (edge-triggered):
	// every expiry wakes it, read or not.
	return &nudge{f: os.NewFile(uintptr(fd), "timerfd"), fd: fd}, nil
}

// at arms n to fire at t (Now's clock), replacing any earlier arming.
func (n *nudge) at(t int64) {
	spec := unix.ItimerSpec{Value: monoTimespec(t)}
	// EINVAL is the only failure for a valid descriptor, and a time in the
	// past is valid (it fires at once): nothing to handle.
	_ = unix.TimerfdSettime(n.fd, unix.TFD_TIMER_ABSTIME, &spec, nil)
}

func (n *nudge) close() error { return n.f.Close() }

// threadSleeper blocks its cook's OS thread in clock_nanosleep until a
// deadline, as a blocking read blocks until its data arrives; the Go
// runtime treats it as any blocking system call (after a while another
// thread takes over the processor). A cancelled context interrupts the
// sleep with a signal to that thread (SIGURG, which the runtime already
// uses to preempt goroutines and tolerates unasked), so cancellation ends
// a wait within microseconds, not at its end.
//
// Only the cook's goroutine calls sleepUntil and watch; interrupt runs on
// the goroutine context.AfterFunc starts.
type threadSleeper struct {
	tid   atomic.Int32    // the thread in clock_nanosleep (or about to be); 0: none
	done  <-chan struct{} // Done of the context being watched; nil: none
	stop  func() bool     // stops watching it
	fired chan struct{}   // closed when interrupt has returned
}

// watch arranges for ctx's end to interrupt the cook's sleeps. A cook
// watches one context at a time: the first sleep under a context with
// another Done channel replaces the old watch, so serving allocates only
// when the context changes (once per Serve). Contexts are told apart by
// their Done channels, which end together, and which compare safely
// whatever the context's type.
func (s *threadSleeper) watch(ctx context.Context) {
	if s.done == ctx.Done() {
		return
	}
	s.unwatch()
	s.done = ctx.Done()
	s.fired = make(chan struct{})
	s.stop = context.AfterFunc(ctx, s.interrupt)
}

// unwatch stops watching, waiting for an interrupt under way to return,
// so no goroutine outlives the cook's Serve.
func (s *threadSleeper) unwatch() {
	if s.done == nil {
		return
	}
	if !s.stop() {
		<-s.fired
	}
	s.done, s.stop, s.fired = nil, nil, nil
}

var pid = os.Getpid()

// interrupt signals the sleeping thread until it has left its sleep. A
// signal sent between the sleeper's look at ctx and its system call is
// lost; the next one, a moment later, finds it asleep.
func (s *threadSleeper) interrupt() {
	defer close(s.fired)
	for tid := s.tid.Load(); tid != 0; tid = s.tid.Load() {
		_ = unix.Tgkill(pid, int(tid), unix.SIGURG)
		time.Sleep(100 * time.Microsecond)
	}
}

// sleepUntil blocks the calling thread until Now() >= due, and returns
// true; or returns false once ctx has ended.
//
// Each sleep first sets the thread's timer slack to 1 ns: the kernel
// otherwise lets a sleep of a normal thread end up to 50 µs late, to batch
// wake-ups, and a blocking read that models I/O has no such slack. The
// setting stays with the thread, whose later timed waits (the runtime's
// own epoll_wait among them) it makes no less precise.
func (s *threadSleeper) sleepUntil(ctx context.Context, due int64) bool {
	ts := monoTimespec(due)
	_ = unix.Prctl(unix.PR_SET_TIMERSLACK, 1, 0, 0, 0)
	if ctx.Done() == nil {
		for unix.ClockNanosleep(unix.CLOCK_MONOTONIC, unix.TIMER_ABSTIME, &ts, nil) == unix.EINTR {
		}
		return true
	}
	s.watch(ctx)
	// Stay on this thread, so the signal finds the sleep it is meant for.
	runtime.LockOSThread()
	s.tid.Store(int32(unix.Gettid()))
	ok := true
	for {
		if ctx.Err() != nil {
			ok = false
			break
		}
		if unix.ClockNanosleep(unix.CLOCK_MONOTONIC, unix.TIMER_ABSTIME, &ts, nil) != unix.EINTR {
			break
		}
	}
	s.tid.Store(0)
	runtime.UnlockOSThread()
	return ok
}
