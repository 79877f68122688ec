package strategies

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/kitchenbench/kitchenbench/internal/kitchentest"
	"github.com/kitchenbench/kitchenbench/kitchen"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// all returns every strategy, with explicit widths where the default
// (GOMAXPROCS) would make a test depend on the machine.
func all() []Strategy {
	return []Strategy{Sync{}, EventLoop{}, Pool{Cooks: 4}, GIL{Cooks: 4, SwitchInterval: 200 * time.Microsecond}, Goroutines{}, Loops{Loops: 3}}
}

// testMenu: quick dishes mixing every step kind, two grills.
func testMenu(t testing.TB) *kitchen.Menu { return kitchentest.Menu(t, "testdata/test.yaml") }

// hangGuard bounds every wait in these tests: far beyond what any of them
// needs on a loaded machine, so it never decides a pass, but a broken
// strategy fails the test in seconds instead of hanging the run until go
// test's own ten-minute timeout.
const hangGuard = 60 * time.Second

// waitFor polls cond until it holds, failing the test after hangGuard.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(hangGuard)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after %v for %s", hangGuard, what)
		}
		time.Sleep(50 * time.Microsecond)
	}
}

// receive waits for c to deliver or be closed, failing the test after
// hangGuard.
func receive[T any](t *testing.T, what string, c <-chan T) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(hangGuard):
		t.Fatalf("still waiting after %v for %s", hangGuard, what)
		panic("unreachable")
	}
}

// stoppedTimer returns a timer for the GIL's acquire and yield.
func stoppedTimer() *time.Timer {
	tm := time.NewTimer(time.Hour)
	tm.Stop()
	return tm
}

// serveAll feeds n orders to s (all queued up front) and collects them.
func serveAll(t *testing.T, ctx context.Context, s Strategy, k *kitchen.Kitchen, n int) ([]*Order, error) {
	t.Helper()
	in := make(chan *Order, n)
	for i := 0; i < n; i++ {
		o := &Order{}
		o.Reset(int64(i), k.Pick(int64(i)), Now())
		in <- o
	}
	close(in)
	return startServe(t, ctx, s, k, in)()
}

// startServe runs s.Serve on in in the background. wait waits for it to
// return and returns its error and the orders passed to done.
func startServe(t *testing.T, ctx context.Context, s Strategy, k *kitchen.Kitchen, in <-chan *Order) (wait func() ([]*Order, error)) {
	t.Helper()
	var mu sync.Mutex
	var got []*Order
	errc := make(chan error, 1)
	go func() {
		errc <- s.Serve(ctx, k, in, func(o *Order) {
			mu.Lock()
			got = append(got, o)
			mu.Unlock()
		})
	}()
	return func() ([]*Order, error) {
		t.Helper()
		err := receive(t, s.Name()+".Serve to return", errc)
		mu.Lock()
		defer mu.Unlock()
		return got, err
	}
}

func TestEveryOrderServedExactlyOnce(t *testing.T) {
	const n = 300
	for _, s := range all() {
		t.Run(s.Name(), func(t *testing.T) {
			k := kitchentest.New(t, testMenu(t))
			var work kitchentest.WorkCounter
			got, err := serveAll(t, kitchen.WithTrace(context.Background(), work.Trace()), s, k, n)
			require.NoError(t, err, "Serve()")
			require.Len(t, got, n, "orders passed to done")
			assert.Positive(t, work.Slices(), "slices of CPU work the context's trace saw")

			seen := make(map[int64]int)
			perDish := map[string]int{}
			for _, o := range got {
				seen[o.ID]++
				assert.NoError(t, o.Err, "order %d", o.ID)
				assert.Equal(t, Served, o.Outcome())
				assert.LessOrEqual(t, o.Arrive, o.Start, "order %d started before it arrived", o.ID)
				assert.LessOrEqual(t, o.Start, o.End, "order %d ended before it started", o.ID)
				perDish[o.Dish.Name]++
			}
			for id := int64(0); id < n; id++ {
				assert.Equal(t, 1, seen[id], "order %d passed to done %d times; want 1", id, seen[id])
			}
			want := map[string]int{}
			for i := int64(0); i < n; i++ {
				want[k.Pick(i).Name]++
			}
			assert.Equal(t, want, perDish, "dishes served per dish")

			inUse, maxUse := k.Grills.Stats()
			assert.Equal(t, 0, inUse, "grills still in use after Serve")
			assert.LessOrEqual(t, maxUse, 2, "grills in use at once; kitchen has 2")
			assert.GreaterOrEqual(t, maxUse, 1, "grills were used")
		})
	}
}

func TestSingleThreadedStrategiesNeverCookTwoStepsAtOnce(t *testing.T) {
	// A CPU-heavy menu with many cooks and loops available: only pool,
	// goroutines and loops may cook in parallel.
	m := testMenu(t)
	m.Dishes[1].Steps[0].Units = 400
	for _, s := range []Strategy{Sync{}, EventLoop{}, GIL{Cooks: 4, SwitchInterval: 100 * time.Microsecond}} {
		t.Run(s.Name(), func(t *testing.T) {
			k := kitchentest.New(t, m)
			var work kitchentest.WorkCounter
			got, err := serveAll(t, kitchen.WithTrace(context.Background(), work.Trace()), s, k, 200)
			require.NoError(t, err)
			require.Len(t, got, 200)
			assert.Greater(t, work.Slices(), int64(200), "slices of CPU work observed")
			assert.Equal(t, int64(1), work.MaxActive(), "slices of CPU work in progress at once; want 1")
		})
	}
}

func TestGILHandsOverAfterSwitchInterval(t *testing.T) {
	const interval = 2 * time.Millisecond
	g := newGILLock(interval)
	tA, tB := stoppedTimer(), stoppedTimer()
	ctx := context.Background()
	require.NoError(t, g.acquire(ctx, tA)) // cook A holds the lock
	held := time.Now()

	bGot := make(chan struct{})
	go func() {
		g.acquire(ctx, tB) // cook B waits for it
		close(bGot)
		g.release()
	}()
	// A computes, checking for a drop request as cookUnits does. B's
	// timer can only fire after a full interval.
	waitFor(t, "the waiting cook to request a drop", g.dropRequested)
	assert.GreaterOrEqual(t, time.Since(held), interval, "drop requested before a switch interval")
	select {
	case <-bGot:
		t.Fatal("B got the lock while A still held it")
	default:
	}
	// A yields: B must take the lock before A gets it back.
	require.NoError(t, g.yield(ctx, tA))
	select {
	case <-bGot:
	default:
		t.Fatal("yield returned before the waiting cook took the lock")
	}
	assert.Equal(t, int64(1), g.forced.Load(), "forced hand-overs")
	g.release()
}

func TestGILWithoutWaitersNeverRequestsDrop(t *testing.T) {
	// A lone holder is never asked to drop the lock: a drop request comes
	// only from a cook that waited a switch interval in acquire, and it is
	// withdrawn as soon as a waiter takes the lock. So drive a real waiter
	// through the wait loop (A holds, B waits until it asks for a drop),
	// let B take the lock, and check that B, now holding it with nobody
	// waiting, is not asked to drop it.
	g := newGILLock(100 * time.Microsecond)
	ctx := context.Background()
	require.NoError(t, g.acquire(ctx, stoppedTimer())) // cook A
	assert.False(t, g.dropRequested(), "drop requested of A before anyone waited")

	bGot := make(chan struct{})
	bRelease := make(chan struct{})
	bDone := make(chan error, 1)
	go func() { // cook B
		err := g.acquire(ctx, stoppedTimer())
		close(bGot)
		<-bRelease
		g.release()
		bDone <- err
	}()
	waitFor(t, "the waiting cook B to request a drop", g.dropRequested)
	g.release() // A hands the lock over
	receive(t, "B to take the lock", bGot)
	g.mu.Lock()
	waiters := g.waiters
	g.mu.Unlock()
	require.Zero(t, waiters, "cooks waiting while B holds the lock")
	assert.False(t, g.dropRequested(), "drop requested of B, who holds the lock with nobody waiting")
	close(bRelease)
	require.NoError(t, receive(t, "B to release the lock", bDone))

	// A lone cook taking a free lock never reaches the wait loop.
	require.NoError(t, g.acquire(ctx, stoppedTimer()))
	assert.False(t, g.dropRequested(), "drop requested of a lone holder")
	g.release()
}

// TestGILHandsOverUnderLoad runs the GIL strategy with one cook stuck in a
// CPU step of a billion work units (minutes of computing) and checks that
// the other cook still gets the lock, again and again, while the first
// keeps computing: the first must honour each drop request within a switch
// interval and a chunk of work. A GIL that never yields serves no soup
// until the stew is done, and the hang guard fails the test.
func TestGILHandsOverUnderLoad(t *testing.T) {
	m := &kitchen.Menu{Name: "stew-and-soups", Customers: 1, Seed: 1, Dishes: []kitchen.Dish{
		{Name: "stew", Weight: 1, Steps: []kitchen.Step{{Name: "braise", Kind: kitchen.CPU, Units: kitchen.MaxUnitsPerStep}}},
		{Name: "soup", Weight: 1, Steps: []kitchen.Step{{Name: "ladle", Kind: kitchen.CPU, Units: 1}}},
	}}
	k := kitchentest.New(t, m)
	stew, soup := m.Dish("stew"), m.Dish("soup")

	var work kitchentest.WorkCounter
	trace := work.Trace()
	stewStarted := make(chan struct{})
	trace.StepStart = func(d *kitchen.Dish, step int) {
		if d == stew {
			close(stewStarted)
		}
	}
	ctx, cancel := context.WithCancel(kitchen.WithTrace(context.Background(), trace))
	defer cancel()
	in := make(chan *Order) // unbuffered: each soup is handed to a cook once the previous one is done
	served := make(chan *Order, 1)
	errc := make(chan error, 1)
	go func() {
		errc <- GIL{Cooks: 2, SwitchInterval: 200 * time.Microsecond}.Serve(ctx, k, in, func(o *Order) { served <- o })
	}()
	send := func(o *Order) {
		select {
		case in <- o:
		case <-time.After(hangGuard):
			t.Fatalf("still waiting after %v to hand order %d to a cook", hangGuard, o.ID)
		}
	}
	first := &Order{}
	first.Reset(0, stew, Now())
	send(first)
	receive(t, "the stew to start", stewStarted)

	// One soup at a time, so each needs the lock afresh: the stew's cook
	// is computing and holds it, and must hand it over every time.
	const soups = 20
	for i := int64(1); i <= soups; i++ {
		o := &Order{}
		o.Reset(i, soup, Now())
		send(o)
		got := receive(t, fmt.Sprintf("soup %d to be served while the stew cooks (a GIL that never yields?)", i), served)
		require.Same(t, o, got, "served order %d; want soup %d (the stew finished first?)", got.ID, i)
		require.NoError(t, got.Err, "soup %d", i)
		// The stew's cook gets the lock back and computes on: wait for
		// one more chunk of stew before the next soup.
		before := work.Slices()
		waitFor(t, "the stew to compute again after a soup", func() bool { return work.Slices() > before })
	}
	select {
	case o := <-served:
		t.Fatalf("order %d served; the stew should still be cooking", o.ID)
	default:
	}
	cancel()
	o := receive(t, "the stew to be cancelled", served)
	assert.Same(t, first, o)
	assert.Equal(t, Cancelled, o.Outcome(), "stew: %v", o.Err)
	assert.ErrorIs(t, receive(t, "Serve to return", errc), context.Canceled)
	assert.Equal(t, int64(1), work.MaxActive(), "slices of CPU work in progress at once under the GIL")
}

func TestCancellationStopsEveryStrategy(t *testing.T) {
	// Every dish rests a minute: only cancellation can end the run soon.
	m := &kitchen.Menu{Name: "slow", Grills: 3, Customers: 1, Seed: 1, Dishes: []kitchen.Dish{
		{Name: "grilled", Weight: 1, Steps: []kitchen.Step{
			{Kind: kitchen.CPU, Units: 1}, {Kind: kitchen.Grill, Wait: time.Minute}}},
		{Name: "rested", Weight: 1, Steps: []kitchen.Step{
			{Kind: kitchen.CPU, Units: 1}, {Kind: kitchen.Rest, Wait: time.Minute}}},
	}}
	for _, s := range all() {
		t.Run(s.Name(), func(t *testing.T) {
			k := kitchentest.New(t, m)
			var started atomic.Int64
			ctx, cancel := context.WithCancel(withStepStart(func(d *kitchen.Dish, step int) {
				if step == 1 {
					started.Add(1)
				}
			}))
			const n = 20
			in := make(chan *Order, n)
			for i := 0; i < n; i++ {
				o := &Order{}
				o.Reset(int64(i), k.Pick(int64(i)), Now())
				in <- o
			}
			wait := startServe(t, ctx, s, k, in)
			// Wait until some dish is waiting, then cancel.
			waitFor(t, "a dish to reach its wait", func() bool { return started.Load() > 0 })
			cancel()
			got, err := wait()
			assert.ErrorIs(t, err, context.Canceled, "Serve() after cancel")
			// Every order exactly once: passed to done once, or left in
			// the queue untouched; never both, never twice, never lost.
			seen := make(map[int64]int, n)
			for _, o := range got {
				seen[o.ID]++
				assert.Equal(t, Cancelled, o.Outcome(), "order %d: %v", o.ID, o.Err)
				assert.ErrorIs(t, o.Err, context.Canceled)
			}
			left := len(in)
			for range left {
				seen[(<-in).ID]++
			}
			assert.Equal(t, n, len(got)+left, "orders done + left in the queue")
			for id := int64(0); id < n; id++ {
				assert.Equal(t, 1, seen[id], "order %d passed to done or left in the queue %d times; want 1", id, seen[id])
			}
			assert.NotEmpty(t, got, "orders passed to done: the cancelled dishes in progress")
			inUse, _ := k.Grills.Stats()
			assert.Equal(t, 0, inUse, "grills still in use after cancellation")
		})
	}
}

func TestPanickingStepFailsOnlyItsOrder(t *testing.T) {
	for _, s := range all() {
		t.Run(s.Name(), func(t *testing.T) {
			k := kitchentest.New(t, testMenu(t))
			ctx := withStepStart(func(d *kitchen.Dish, step int) {
				if d.Name == "steak" && step == 2 { // after the grill, before the rest
					panic("dropped the steak")
				}
			})
			got, err := serveAll(t, ctx, s, k, 60)
			require.NoError(t, err)
			require.Len(t, got, 60)
			for _, o := range got {
				if o.Dish.Name == "steak" {
					var f *Failure
					require.True(t, errors.As(o.Err, &f), "steak order %d: err = %v; want *Failure", o.ID, o.Err)
					assert.Equal(t, Failed, o.Outcome())
					assert.Equal(t, "dropped the steak", f.Value)
					assert.Equal(t, 2, f.Step)
				} else {
					assert.NoError(t, o.Err, "salad order %d", o.ID)
				}
			}
			inUse, _ := k.Grills.Stats()
			assert.Equal(t, 0, inUse, "a failed order kept a grill")
		})
	}
}

func TestNewKnowsEveryName(t *testing.T) {
	for _, name := range Names() {
		s, err := New(name)
		require.NoError(t, err)
		assert.Equal(t, name, s.Name())
	}
	_, err := New("threads")
	assert.ErrorContains(t, err, `unknown strategy "threads"`)
}

func TestCapacity(t *testing.T) {
	tests := []struct {
		s     Strategy
		cores int
		want  kitchen.Capacity
	}{
		{Sync{}, 8, kitchen.Capacity{Cores: 1, Cooks: 1}},
		{EventLoop{}, 8, kitchen.Capacity{Cores: 1}},
		{Pool{}, 8, kitchen.Capacity{Cores: 8, Cooks: 8}},
		{Pool{Cooks: 16}, 4, kitchen.Capacity{Cores: 4, Cooks: 16}},
		{GIL{}, 8, kitchen.Capacity{Cores: 1, Cooks: 8}},
		{Goroutines{}, 8, kitchen.Capacity{Cores: 8}},
		{Loops{}, 8, kitchen.Capacity{Cores: 8}},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.s.Capacity(tc.cores), "%s.Capacity(%d)", tc.s.Name(), tc.cores)
	}
}

func TestDueHeapPopsInDueOrder(t *testing.T) {
	// Dues chosen so that the two children of a node often differ, in
	// both orders, and with ties: a heap that follows the larger child
	// down, or compares the wrong pair, pops out of order.
	tests := []struct {
		name string
		dues []int64
	}{
		{"ascending", []int64{1, 2, 3, 4, 5, 6, 7, 8}},
		{"descending", []int64{8, 7, 6, 5, 4, 3, 2, 1}},
		{"right child smaller", []int64{1, 9, 2, 10, 11, 3, 4, 12, 13, 14, 15, 5, 6, 7, 8}},
		{"ties", []int64{5, 3, 5, 3, 1, 1, 5}},
		{"pseudo-random", func() []int64 {
			d := make([]int64, 200)
			x := uint64(7)
			for i := range d {
				x ^= x << 13
				x ^= x >> 7
				x ^= x << 17
				d[i] = int64(x % 50)
			}
			return d
		}()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var h dueHeap[*task]
			for _, d := range tc.dues {
				h.push(dueTask(d))
				checkDueHeap(t, &h)
			}
			want := slices.Clone(tc.dues)
			slices.Sort(want)
			var got []int64
			for h.len() > 0 {
				require.Equal(t, h.min(), h.h[0])
				e := h.pop()
				assert.False(t, h.has(e), "a popped entry is still on the heap")
				assert.Same(t, e, &e.of.dueEntry, "a popped entry's task")
				checkDueHeap(t, &h)
				got = append(got, e.due)
			}
			assert.Equal(t, want, got, "dues in pop order")
		})
	}
	t.Run("interleaved", func(t *testing.T) {
		// Pops between pushes, as the loop does: each pop is the least due
		// still on the heap.
		var h dueHeap[*task]
		var on []int64
		for i, d := range []int64{40, 10, 30, 20, 5, 50, 15, 25, 35, 1, 45, 2} {
			h.push(dueTask(d))
			on = append(on, d)
			if i%3 == 2 {
				lo := slices.Min(on)
				assert.Equal(t, lo, h.pop().due, "pop after %v", on)
				on = slices.Delete(on, slices.Index(on, lo), slices.Index(on, lo)+1)
			}
		}
	})
}

func TestDueHeapRemove(t *testing.T) {
	// Remove from the front, the middle and the end, then entries that
	// are not there (popped, removed, never pushed): each leaves the heap
	// whole, and the rest pop in due order.
	var h dueHeap[*task]
	ts := make([]*dueEntry[*task], 20)
	for i := range ts {
		ts[i] = dueTask(int64((i * 7) % 20))
		h.push(ts[i])
	}
	for _, i := range []int{0, 10, 19, 3} {
		require.True(t, h.remove(ts[i]), "remove(due %d) of an entry on the heap", ts[i].due)
		require.False(t, h.has(ts[i]), "has(due %d) after remove", ts[i].due)
		checkDueHeap(t, &h)
	}
	popped := h.pop()
	for _, e := range []*dueEntry[*task]{ts[10], popped, dueTask(99)} {
		assert.False(t, h.remove(e), "remove(due %d) of an entry not on the heap", e.due)
		checkDueHeap(t, &h)
	}
	assert.Equal(t, 15, h.len(), "entries left")
	last := popped.due
	for h.len() > 0 {
		e := h.pop()
		assert.GreaterOrEqual(t, e.due, last, "pop order")
		last = e.due
	}
}

// dueTask returns a task's entry due at due, as the loop's timers hold it.
func dueTask(due int64) *dueEntry[*task] {
	tk := &task{}
	tk.due, tk.of = due, tk
	return &tk.dueEntry
}

// checkDueHeap checks the heap property and that each entry knows its
// index.
func checkDueHeap[T any](t *testing.T, h *dueHeap[T]) {
	t.Helper()
	for i, e := range h.h {
		require.Equal(t, i, e.at, "entry at %d has at %d", i, e.at)
		require.True(t, h.has(e), "has(entry at %d)", i)
		if i > 0 {
			p := (i - 1) / 2
			require.LessOrEqual(t, h.h[p].due, e.due, "parent %d (due %d) after child %d (due %d)", p, h.h[p].due, i, e.due)
		}
	}
}

func TestTaskQueueKeepsOrderAcrossGrowth(t *testing.T) {
	// Grow the ring when its head is not at 0 (and the live part wraps
	// round the end), as in a loop that has popped before it fills up.
	for _, tc := range []struct {
		name             string
		presize, advance int
	}{
		{"empty ring, head at 0", 0, 0},
		{"default ring, head at 5", 0, 5},
		{"default ring, head at 15", 0, 15},
		{"presized to 4, head at 3", 4, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := taskQueue{buf: make([]*task, tc.presize)}
			next, want := int64(0), int64(0)
			push := func() { q.push(dueTask(next).of); next++ }
			pop := func() {
				tk := q.pop()
				require.NotNil(t, tk, "pop() = nil; want task %d", want)
				require.Equal(t, want, tk.due, "pop() = task %d; want %d", tk.due, want)
				want++
			}
			for range tc.advance {
				push()
				pop()
			}
			// Fill past capacity twice over: at least two growths.
			n := 4*max(len(q.buf), 16) + 3
			for range n {
				push()
			}
			for range n {
				pop()
			}
			assert.Nil(t, q.pop(), "pop() of an empty queue")
			assert.Zero(t, q.size)
		})
	}
}

func TestCheckFoldsEveryWorkUnit(t *testing.T) {
	// An order's Check folds its CPU work: each CPU step's units, done in
	// chunks of chunkUnits, each chunk seeded with the order's ID plus the
	// fold so far. Every strategy must do exactly that work: a unit more
	// or less, or a step cut short, changes Check.
	m := testMenu(t)
	m.Dishes = append(m.Dishes, kitchen.Dish{Name: "odd", Weight: 1, Steps: []kitchen.Step{
		{Name: "none", Kind: kitchen.CPU, Units: 0},
		{Name: "one-chunk", Kind: kitchen.CPU, Units: chunkUnits},
		{Name: "chunks-and-some", Kind: kitchen.CPU, Units: 2*chunkUnits + 3},
	}})
	want := func(o *Order) uint64 {
		var check uint64
		for _, s := range o.Dish.Steps {
			if s.Kind != kitchen.CPU {
				continue
			}
			for left := s.Units; left > 0; left -= min(left, chunkUnits) {
				check ^= kitchen.Work(min(left, chunkUnits), uint64(o.ID)+check)
			}
		}
		return check
	}
	for _, s := range all() {
		t.Run(s.Name(), func(t *testing.T) {
			k := kitchentest.New(t, m)
			got, err := serveAll(t, context.Background(), s, k, 60)
			require.NoError(t, err)
			require.Len(t, got, 60)
			dishes := map[string]bool{}
			for _, o := range got {
				assert.Equal(t, want(o), o.Check, "order %d (%s): Check", o.ID, o.Dish.Name)
				dishes[o.Dish.Name] = true
			}
			assert.Len(t, dishes, 3, "dishes served")
		})
	}
}

func TestStrategiesHoldAsManyOrdersAsTheirWidth(t *testing.T) {
	// Each order's first step waits at a barrier until width orders have
	// reached it: only a strategy running width cooks (or loops) at once
	// gets there; one running fewer hangs until the hang guard fails it.
	m := &kitchen.Menu{Name: "barrier", Customers: 1, Seed: 1, Dishes: []kitchen.Dish{
		{Name: "d", Weight: 1, Steps: []kitchen.Step{{Kind: kitchen.CPU, Units: 1}}},
	}}
	procs := runtime.GOMAXPROCS(0)
	tests := []struct {
		s     Strategy
		width int
	}{
		{Pool{Cooks: 4}, 4},
		{Pool{}, procs},
		{GIL{Cooks: 3}, 3},
		{GIL{}, procs},
		{Loops{Loops: 3}, 3},
		{Loops{}, procs},
		{Goroutines{}, 5},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s/%d", tc.s.Name(), tc.width), func(t *testing.T) {
			k := kitchentest.New(t, m)
			var mu sync.Mutex
			arrived := 0
			all := make(chan struct{})
			ctx := withStepStart(func(*kitchen.Dish, int) {
				mu.Lock()
				arrived++
				if arrived == tc.width {
					close(all)
				}
				mu.Unlock()
				select {
				case <-all:
				case <-time.After(hangGuard):
				}
			})
			got, err := serveAll(t, ctx, tc.s, k, tc.width)
			require.NoError(t, err)
			require.Len(t, got, tc.width)
			select {
			case <-all:
			default:
				t.Fatalf("only %d of %d orders were in progress at once", arrived, tc.width)
			}
		})
	}
}

func TestWaitsLastAtLeastTheirWait(t *testing.T) {
	// A grill or rest step may overrun (the machine is busy) but never end
	// early: an order takes at least the sum of its waits.
	for _, s := range all() {
		t.Run(s.Name(), func(t *testing.T) {
			k := kitchentest.New(t, testMenu(t))
			got, err := serveAll(t, context.Background(), s, k, 40)
			require.NoError(t, err)
			require.Len(t, got, 40)
			for _, o := range got {
				var waits time.Duration
				for _, st := range o.Dish.Steps {
					waits += st.Wait
				}
				assert.GreaterOrEqual(t, time.Duration(o.End-o.Start), waits, "order %d (%s): End-Start", o.ID, o.Dish.Name)
			}
		})
	}
	// One grill serialises grill steps, including those handed from one
	// dish to the next: n orders take at least n grill waits in all.
	const n, wait = 12, time.Millisecond
	oneGrill := &kitchen.Menu{Name: "one-grill", Grills: 1, Customers: 1, Seed: 1, Dishes: []kitchen.Dish{
		{Name: "sear", Weight: 1, Steps: []kitchen.Step{{Kind: kitchen.Grill, Wait: wait}}},
	}}
	for _, s := range all() {
		t.Run("one grill/"+s.Name(), func(t *testing.T) {
			k := kitchentest.New(t, oneGrill)
			got, err := serveAll(t, context.Background(), s, k, n)
			require.NoError(t, err)
			require.Len(t, got, n)
			first, last := got[0].Start, got[0].End
			for _, o := range got {
				first, last = min(first, o.Start), max(last, o.End)
			}
			assert.GreaterOrEqual(t, time.Duration(last-first), n*wait, "%d grill steps of %v on one grill, first start to last end", n, wait)
		})
	}
}

func TestDefaultSwitchIntervalIsCPythons(t *testing.T) {
	// sys.getswitchinterval() in CPython 3.x: 0.005 s.
	assert.Equal(t, 5*time.Millisecond, DefaultSwitchInterval)
}

func TestEventLoopGrowsPastItsPresizedTables(t *testing.T) {
	// An unbuffered order channel makes room for 16 dishes up front; 200
	// dishes resting at once must grow every table (tasks, live, timers,
	// free list) without losing one.
	m := &kitchen.Menu{Name: "rests", Customers: 1, Seed: 1, Dishes: []kitchen.Dish{
		{Name: "d", Weight: 1, Steps: []kitchen.Step{{Kind: kitchen.CPU, Units: 1}, {Kind: kitchen.Rest, Wait: 20 * time.Millisecond}}},
	}}
	k := kitchentest.New(t, m)
	const n = 200
	in := make(chan *Order)
	done := make(chan *Order, n)
	errc := make(chan error, 1)
	go func() { errc <- EventLoop{}.Serve(context.Background(), k, in, func(o *Order) { done <- o }) }()
	for i := range int64(n) {
		o := &Order{}
		o.Reset(i, k.Pick(i), Now())
		select {
		case in <- o:
		case <-time.After(hangGuard):
			t.Fatalf("still waiting after %v to hand over order %d", hangGuard, i)
		}
	}
	close(in)
	require.NoError(t, receive(t, "Serve to return", errc))
	require.Len(t, done, n)
	seen := map[int64]bool{}
	for range n {
		o := <-done
		assert.NoError(t, o.Err)
		seen[o.ID] = true
	}
	assert.Len(t, seen, n, "distinct orders served")
}

func TestGILYieldWithNobodyWaitingReturns(t *testing.T) {
	// A cook asks for the lock, then gives up (its context ends) before the
	// holder yields: the holder must not wait for a taker that is gone.
	g := newGILLock(100 * time.Microsecond)
	require.NoError(t, g.acquire(context.Background(), stoppedTimer()))
	ctx, cancel := context.WithCancel(context.Background())
	bDone := make(chan error, 1)
	go func() { bDone <- g.acquire(ctx, stoppedTimer()) }()
	waitFor(t, "the waiting cook to request a drop", g.dropRequested)
	cancel()
	assert.ErrorIs(t, receive(t, "the waiting cook to give up", bDone), context.Canceled)
	yielded := make(chan error, 1)
	go func() { yielded <- g.yield(context.Background(), stoppedTimer()) }()
	require.NoError(t, receive(t, "yield with nobody waiting to return", yielded))
	g.mu.Lock()
	locked := g.locked
	g.mu.Unlock()
	assert.True(t, locked, "the yielding cook holds the lock again")
	g.release()
}

func TestEventLoopTakesNewOrdersWhileDishesAreReady(t *testing.T) {
	// Five dishes rest 1 ms while a sixth stalls the loop for 20 ms in a
	// CPU step: when it ends, all five are due at once. The loop must
	// still take the next waiting order in that turn, before the five
	// run on, rather than drain every ready dish first: one new order per
	// turn keeps a burst of wake-ups from starving arrivals (and the
	// reverse). Times are lower bounds only: a 20 ms stall always outlasts
	// a 1 ms rest.
	m := &kitchen.Menu{Name: "burst", Customers: 1, Seed: 1, Dishes: []kitchen.Dish{
		{Name: "rest", Weight: 1, Steps: []kitchen.Step{{Kind: kitchen.Rest, Wait: time.Millisecond}, {Kind: kitchen.CPU, Units: 1}}},
		{Name: "stall", Weight: 1, Steps: []kitchen.Step{{Kind: kitchen.CPU, Units: 1}}},
		{Name: "marker", Weight: 1, Steps: []kitchen.Step{{Kind: kitchen.CPU, Units: 1}}},
	}}
	for _, buffered := range []bool{true, false} {
		t.Run(fmt.Sprintf("buffered=%v", buffered), func(t *testing.T) {
			k := kitchentest.New(t, m)
			var mu sync.Mutex
			var events []string
			ctx := withStepStart(func(d *kitchen.Dish, step int) {
				if d.Name == "stall" {
					time.Sleep(20 * time.Millisecond)
				}
				mu.Lock()
				events = append(events, fmt.Sprintf("%s/%d", d.Name, step))
				mu.Unlock()
			})
			var orders []*Order
			add := func(dish string, n int) {
				for range n {
					o := &Order{}
					o.Reset(int64(len(orders)), m.Dish(dish), Now())
					orders = append(orders, o)
				}
			}
			add("rest", 5)
			add("stall", 1)
			add("marker", 1)
			in := make(chan *Order, len(orders))
			if !buffered {
				in = make(chan *Order)
			}
			go func() {
				for _, o := range orders {
					in <- o
				}
				close(in)
			}()
			errc := make(chan error, 1)
			go func() { errc <- EventLoop{}.Serve(ctx, k, in, func(*Order) {}) }()
			require.NoError(t, receive(t, "Serve to return", errc))
			mu.Lock()
			defer mu.Unlock()
			stall := slices.Index(events, "stall/0")
			require.GreaterOrEqual(t, stall, 5, "events %v", events)
			require.Equal(t, 5, countPrefix(events[:stall], "rest/0"), "all rests began before the stall: %v", events)
			require.Greater(t, len(events), stall+1, "events %v", events)
			assert.Equal(t, "marker/0", events[stall+1], "first step after the stall, with five dishes due; events %v", events)
		})
	}
}

// withStepStart returns a context whose kitchen.Trace calls f as each step
// starts.
func withStepStart(f func(d *kitchen.Dish, step int)) context.Context {
	return kitchen.WithTrace(context.Background(), &kitchen.Trace{StepStart: f})
}

func countPrefix(xs []string, s string) int {
	n := 0
	for _, x := range xs {
		if x == s {
			n++
		}
	}
	return n
}
