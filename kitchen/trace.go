package kitchen

import "context"

// Trace is a set of hooks called as a strategy cooks, for tests and tools
// that watch a run from inside, as net/http/httptrace's ClientTrace is for
// an HTTP request. A run's context carries it (WithTrace); every strategy
// in package strategies reads it once when it starts serving, not at each
// step, and calls each non-nil hook on the goroutine doing the work. A
// strategy that cooks on several goroutines calls the hooks concurrently.
// Any field may be nil; with no Trace a strategy pays one pointer test per
// step and per slice of CPU work.
type Trace struct {
	// StepStart is called just before step (an index into dish.Steps)
	// starts. A panic in it fails the order as a panic in the step would,
	// and a StepStart that blocks stalls its cook: tests use both to
	// inject faults and stalls.
	StepStart func(dish *Dish, step int)

	// WorkStart and WorkDone bracket each slice of a CPU step's work. A
	// strategy does a CPU step in slices so that its cook can look at its
	// context between them, and, under a global lock, hand the lock over.
	WorkStart, WorkDone func()
}

type traceKey struct{}

// WithTrace returns a copy of ctx that carries t, replacing any Trace ctx
// already carries.
func WithTrace(ctx context.Context, t *Trace) context.Context {
	return context.WithValue(ctx, traceKey{}, t)
}

// ContextTrace returns the Trace ctx carries, or nil.
func ContextTrace(ctx context.Context) *Trace {
	t, _ := ctx.Value(traceKey{}).(*Trace)
	return t
}
