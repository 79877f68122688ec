package kitchen

import "fmt"

// Waits says how strategies time a kitchen's grill and rest steps.
type Waits string

const (
	// PreciseWaits ends each wait when it is due, as the kernel ends a
	// blocking read when its data is ready: a blocking cook sleeps its
	// thread in the kernel, a goroutine or an event loop is woken by a
	// timerfd. The zero value of Waits means PreciseWaits.
	PreciseWaits Waits = "precise"
	// RuntimeWaits uses Go's runtime timers alone, as before precise waits
	// existed: an idle process then wakes through epoll_wait, whose timeout
	// is whole milliseconds, so a wait ends up to a millisecond late.
	RuntimeWaits Waits = "runtime"
)

// Precise reports whether w is PreciseWaits or the zero value.
func (w Waits) Precise() bool { return w != RuntimeWaits }

// ParseWaits accepts "precise" or "runtime".
func ParseWaits(s string) (Waits, error) {
	switch w := Waits(s); w {
	case PreciseWaits, RuntimeWaits:
		return w, nil
	}
	return "", fmt.Errorf("unknown waits %q (want precise or runtime)", s)
}
