package kitchen

import (
	"fmt"
	"sync/atomic"
	"time"
)

// Kitchen is one running kitchen: a validated menu, its dish chooser and
// its grills. Strategies share one Kitchen among all their cooks; every
// method is safe for concurrent use. To watch a run from inside (each step
// as it starts, each slice of CPU work), give its context a Trace.
type Kitchen struct {
	Menu   *Menu
	Grills *Grills
	choose *Chooser

	// Waits says how grill and rest steps are timed; the zero value means
	// PreciseWaits.
	Waits Waits

	// NextArrival, when non-nil, holds when an open loop's next order is
	// due, in nanoseconds on the strategies' clock (0: none due). Between
	// chunks of a CPU step a cook looks at it and, once that time has
	// passed, yields its core to the Go scheduler, so that the load
	// generator, which shares the kitchen's cores, places the order on
	// time: as an operating system preempts a busy thread for one whose
	// timer has fired. Nil for a closed loop.
	NextArrival *atomic.Int64

	// Grill is where call steps go: the grill service's address and token.
	// Set by the harness (package bench) before a run of a menu with call
	// steps; nil otherwise. A strategy given a menu with call steps and no
	// Grill fails those orders with an error saying so.
	Grill *GrillEndpoint

	// Pantry is the file read steps read; set by the harness before a run of
	// a menu with read steps (see CreatePantry), nil otherwise.
	Pantry *Pantry
}

// GrillEndpoint names a grill service (package grill) for call steps.
type GrillEndpoint struct {
	Addr  string // host:port
	Token string // the shared token its hello must carry; "" when none
	// Timeout is how long past its hold a call may take before its order
	// fails (a reply past its deadline); 0 means DefaultCallTimeout.
	Timeout time.Duration
}

// DefaultCallTimeout is GrillEndpoint.Timeout's default: far beyond any
// queueing a benchmark run sees, so it only ends calls to a service that
// stopped answering.
const DefaultCallTimeout = 10 * time.Second

// CallTimeout returns e.Timeout, or DefaultCallTimeout when it is 0.
func (e *GrillEndpoint) CallTimeout() time.Duration {
	if e.Timeout > 0 {
		return e.Timeout
	}
	return DefaultCallTimeout
}

// New returns a kitchen for m, or m's validation errors.
func New(m *Menu) (*Kitchen, error) {
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("menu %q: %w", m.Name, err)
	}
	return &Kitchen{Menu: m, Grills: NewGrills(m.Grills), choose: NewChooser(m)}, nil
}

// Pick returns the dish of order n (0-based), fixed by the menu's seed.
func (k *Kitchen) Pick(n int64) *Dish { return &k.Menu.Dishes[k.choose.Pick(n)] }
