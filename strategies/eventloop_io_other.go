//go:build !linux

package strategies

import (
	"context"
	"errors"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

// loopIO is the event loop's reactor, which exists on Linux only: off
// Linux a loop keeps its runtime timers and fails call and read steps.
type loopIO struct{}

type grillConn struct{}

func (l *loop) openIO() error                    { return nil }
func (l *loop) closeIO()                         {}
func (l *loop) wakeIO() bool                     { return false }
func (l *loop) runReactor(context.Context) error { panic("strategies: no reactor off Linux") }
func (l *loop) dropIO(*task)                     {}
func (l *loop) callTimedOut(*task)               {}

// haveReactor says that event loops refuse menus with call or read steps
// here (needsReactor).
const haveReactor = false

// stepIO fails t: calls and reads need the Linux reactor.
func (l *loop) stepIO(t *task, s *kitchen.Step) bool {
	o := t.o
	o.Err = &IOError{Dish: o.Dish.Name, Step: o.next, Kind: s.Kind, Err: errors.New("the event loop's real I/O (epoll) needs Linux")}
	l.finish(t)
	return true
}
