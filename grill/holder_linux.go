package grill

import (
	"encoding/binary"
	"fmt"
	"runtime"

	"golang.org/x/sys/unix"
)

// holder runs the hold loop: one goroutine locked to its OS thread, waiting
// in epoll on a timerfd armed at the earliest deadline (absolute
// CLOCK_MONOTONIC) and on an eventfd that connections signal when they
// post a hold or a cancellation. See the package doc for why.
type holder struct {
	in    inbox
	stats holdStats
	q     holdQueue // owned by the loop goroutine
	epfd  int
	tfd   int // timerfd
	efd   int // eventfd
	done  chan struct{}
}

func newHolder(grills int) (*holder, error) {
	h := &holder{q: holdQueue{grills: grills}, epfd: -1, tfd: -1, efd: -1, done: make(chan struct{})}
	var err error
	if h.epfd, err = unix.EpollCreate1(unix.EPOLL_CLOEXEC); err != nil {
		return nil, fmt.Errorf("grill: hold loop: epoll_create1: %w", err)
	}
	if h.tfd, err = unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC); err != nil {
		h.closeFDs()
		return nil, fmt.Errorf("grill: hold loop: timerfd_create: %w", err)
	}
	if h.efd, err = unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC); err != nil {
		h.closeFDs()
		return nil, fmt.Errorf("grill: hold loop: eventfd: %w", err)
	}
	for _, fd := range []int{h.tfd, h.efd} {
		ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(fd)}
		if err := unix.EpollCtl(h.epfd, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
			h.closeFDs()
			return nil, fmt.Errorf("grill: hold loop: epoll_ctl: %w", err)
		}
	}
	go h.loop()
	return h, nil
}

func (h *holder) closeFDs() {
	for _, fd := range []int{h.efd, h.tfd, h.epfd} {
		if fd >= 0 {
			unix.Close(fd)
		}
	}
}

// start posts x; x.end runs once on the loop's thread.
func (h *holder) start(x *hold) { h.post(inboxMsg{h: x}) }

// cancel posts a cancellation of x (a no-op if x has ended).
func (h *holder) cancel(x *hold) { h.post(inboxMsg{h: x, cancel: true}) }

func (h *holder) post(m inboxMsg) {
	if h.in.post(m) {
		h.signal()
	}
}

func (h *holder) signal() {
	var one [8]byte
	binary.NativeEndian.PutUint64(one[:], 1) // eventfd counts in host byte order
	unix.Write(h.efd, one[:])
}

// close ends every pending hold with end(false) and stops the loop.
func (h *holder) close() {
	h.in.mu.Lock()
	h.in.closed = true
	h.in.mu.Unlock()
	h.signal()
	<-h.done
}

func monoNow() int64 {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return ts.Nano()
}

func (h *holder) loop() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	unix.Prctl(unix.PR_SET_TIMERSLACK, 1, 0, 0, 0)
	defer unix.Prctl(unix.PR_SET_TIMERSLACK, 0, 0, 0, 0) // back to the default before the thread is unlocked
	defer close(h.done)
	defer h.closeFDs()
	var (
		evs   [2]unix.EpollEvent
		buf   [8]byte
		spare []inboxMsg
		armed int64 // deadline the timerfd is armed at; 0: disarmed
	)
	for {
		n, err := unix.EpollWait(h.epfd, evs[:], -1)
		if err != nil && err != unix.EINTR {
			panic(fmt.Sprintf("grill: hold loop: epoll_wait: %v", err))
		}
		for _, ev := range evs[:max(n, 0)] {
			unix.Read(int(ev.Fd), buf[:])
			if int(ev.Fd) == h.tfd {
				armed = 0
			}
		}
		h.q.expire(monoNow())
		msgs, closed := h.in.take(spare)
		now := monoNow()
		for i, m := range msgs {
			if m.cancel {
				h.q.drop(m.h, now)
			} else {
				h.q.admit(m.h)
			}
			msgs[i] = inboxMsg{}
		}
		spare = msgs
		if closed {
			h.q.dropAll()
			h.stats.publish(&h.q)
			return
		}
		h.q.expire(monoNow())
		h.stats.publish(&h.q)
		if len(h.q.heap) > 0 {
			if d := h.q.heap[0].deadline; d != armed {
				spec := unix.ItimerSpec{Value: unix.NsecToTimespec(d)}
				if err := unix.TimerfdSettime(h.tfd, unix.TFD_TIMER_ABSTIME, &spec, nil); err != nil {
					panic(fmt.Sprintf("grill: hold loop: timerfd_settime: %v", err))
				}
				armed = d
			}
		} else if armed != 0 {
			unix.TimerfdSettime(h.tfd, 0, &unix.ItimerSpec{}, nil)
			armed = 0
		}
	}
}
