package bench

import (
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// realClock is the open loop's clock: it sleeps with an alarm, precise
// (with a timerfd and a last spin) or, for kitchen.RuntimeWaits, on a
// runtime timer alone (up to a millisecond late).
type realClock struct {
	*strategies.Alarm
	precise bool
}

// dispatchSpin is the last stretch before each arrival that the open
// loop's driver spins rather than sleeps, yielding at each turn: it absorbs
// the wake-up latency of a timer (tens of microseconds on a busy machine),
// so orders are placed within a few microseconds of their due time. It
// costs a core dispatchSpin × rate of its time (2% at 600 orders/s), so
// the driver does not spin when arrivals are under 20 × dispatchSpin
// apart on average.
const dispatchSpin = 30 * time.Microsecond

// newRealClock returns the clock of an open loop at rate orders/s whose
// kitchen times its waits as waits says.
func newRealClock(waits kitchen.Waits, rate float64) (realClock, error) {
	if !waits.Precise() {
		return realClock{Alarm: strategies.RuntimeAlarm()}, nil
	}
	spin := dispatchSpin
	if time.Duration(float64(time.Second)/rate) < 20*spin {
		spin = 0 // gaps too short to spend a part of each spinning
	}
	a, err := strategies.NewAlarm(spin)
	if err != nil {
		return realClock{}, fmt.Errorf("bench: open loop: %w", err)
	}
	return realClock{Alarm: a, precise: true}, nil
}

func (realClock) Now() int64 { return strategies.Now() }

// withNextArrival returns a copy of k whose cooks yield their core once
// the order the driver waits for is due (see kitchen.Kitchen.NextArrival),
// and the variable the driver keeps that time in: at one core the driver
// and the kitchen share the processor, and a cook in a long CPU step would
// otherwise hold it until the runtime preempts it, 10 ms on.
func withNextArrival(k *kitchen.Kitchen) (*kitchen.Kitchen, *atomic.Int64) {
	next := new(atomic.Int64)
	kk := *k
	kk.NextArrival = next
	return &kk, next
}

// dispatchLags returns the p50 and p99 of lags (ns), sorting it.
func dispatchLags(lags []int64) (p50, p99 time.Duration) {
	slices.Sort(lags)
	return time.Duration(Percentile(lags, 50)), time.Duration(Percentile(lags, 99))
}
