//go:build !linux

package strategies

import (
	"context"
	"time"
)

// nudge does nothing off Linux: runtime timers alone time the waits.
type nudge struct{}

func newNudge() (*nudge, error) { return &nudge{}, nil }
func (*nudge) at(int64)         {}
func (*nudge) close() error     { return nil }

// threadSleeper sleeps with a runtime timer off Linux.
type threadSleeper struct{ t *time.Timer }

func (s *threadSleeper) watch(context.Context) {}
func (s *threadSleeper) unwatch()              {}

func (s *threadSleeper) sleepUntil(ctx context.Context, due int64) bool {
	d := time.Duration(due - Now())
	if d <= 0 {
		return true
	}
	if s.t == nil {
		s.t = time.NewTimer(d)
	} else {
		s.t.Reset(d)
	}
	return awaitTimer(ctx, s.t)
}
