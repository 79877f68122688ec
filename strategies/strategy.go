package strategies

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

// Strategy serves orders against a kitchen.
type Strategy interface {
	// Name is the strategy's name in tables and benchmark names.
	Name() string
	// Capacity says how many cores the strategy can cook on at once and
	// how many orders it can hold, at the given core count, for
	// kitchen.Bound.
	Capacity(cores int) kitchen.Capacity
	// Serve receives orders until orders is closed and serves each one,
	// passing it to done exactly once, with Err nil (served), a *Failure
	// (a step panicked) or an error wrapping ErrCancelled (ctx ended
	// first). done may be called from several goroutines at once and
	// should not block for long. Serve returns once every order it
	// received has been passed to done and all its goroutines have
	// exited: nil when orders was closed, ctx's error when ctx ended
	// first; orders still in the channel then are the caller's.
	Serve(ctx context.Context, k *kitchen.Kitchen, orders <-chan *Order, done func(*Order)) error
}

// Order is one customer's order. Times are nanoseconds on the monotonic
// clock of Now.
type Order struct {
	ID     int64         // order number, unique within a run
	Dish   *kitchen.Dish // what was ordered
	Arrive int64         // when the order arrived (open loop: when it was due)
	Start  int64         // when a cook or loop first worked on it
	End    int64         // when it was served, failed or cancelled
	Err    error         // nil: served
	Check  uint64        // folds the results of its CPU work

	next int // next step, for strategies that pause a dish mid-recipe
}

// Reset prepares o to be reused as order id for dish d arriving at arrive.
func (o *Order) Reset(id int64, d *kitchen.Dish, arrive int64) {
	*o = Order{ID: id, Dish: d, Arrive: arrive}
}

// Outcome says how an order ended.
type Outcome uint8

const (
	Served Outcome = iota
	Failed
	Cancelled
)

// Outcome reports how o ended.
func (o *Order) Outcome() Outcome {
	switch {
	case o.Err == nil:
		return Served
	case errors.Is(o.Err, ErrCancelled):
		return Cancelled
	default:
		return Failed
	}
}

// ErrCancelled marks orders abandoned because the context ended.
var ErrCancelled = errors.New("order cancelled")

func cancelled(ctx context.Context) error {
	return fmt.Errorf("%w: %w", ErrCancelled, context.Cause(ctx))
}

// Failure is the error of an order whose step panicked.
type Failure struct {
	Dish  string
	Step  int
	Value any // what the step panicked with
}

func (f *Failure) Error() string {
	return fmt.Sprintf("dish %q step %d panicked: %v", f.Dish, f.Step, f.Value)
}

var epoch = time.Now()

// Now returns nanoseconds since the process's epoch, on the monotonic
// clock: the time base of Order's fields.
func Now() int64 { return int64(time.Since(epoch)) }

// Names lists the built-in strategies in their canonical order, then
// those added with Register in the order registered.
func Names() []string {
	return append(slices.Clone(builtin), registered()...)
}

// New returns the strategy called name with its default settings.
func New(name string) (Strategy, error) {
	for _, s := range builtins {
		if s.Name() == name {
			return s, nil
		}
	}
	if f := lookup(name); f != nil {
		return f(), nil
	}
	return nil, fmt.Errorf("unknown strategy %q (want one of %v)", name, Names())
}

// width returns n, or GOMAXPROCS when n <= 0: how many cooks or loops a
// strategy configured with n runs.
func width(n int) int { return widthAt(n, runtime.GOMAXPROCS(0)) }

// widthAt returns n, or cores when n <= 0: width at a given core count,
// for Capacity.
func widthAt(n, cores int) int {
	if n > 0 {
		return n
	}
	return cores
}

// ended reports, without blocking, whether stop (a context's Done
// channel) is closed.
func ended(stop <-chan struct{}) bool {
	select {
	case <-stop:
		return true
	default:
		return false
	}
}

// chunkUnits is how many work units a cook does between looks at its
// context (and, under the GIL, at a drop request): about 16 µs.
const chunkUnits = 16
