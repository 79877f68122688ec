package strategies

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// all returns every strategy, with explicit widths where the default
// (GOMAXPROCS) would make a test depend on the machine.
func all() []Strategy {
	return []Strategy{Sync{}, EventLoop{}, Pool{Cooks: 4}, GIL{Cooks: 4, SwitchInterval: 200 * time.Microsecond}, Goroutines{}, Loops{Loops: 3}}
}

// testMenu: quick dishes mixing every step kind, two grills.
func testMenu() *kitchen.Menu {
	return &kitchen.Menu{
		Name: "test", Grills: 2, Customers: 8, Seed: 5,
		Dishes: []kitchen.Dish{
			{Name: "steak", Weight: 2, Steps: []kitchen.Step{
				{Name: "season", Kind: kitchen.CPU, Units: 2},
				{Name: "grill", Kind: kitchen.Grill, Wait: 200 * time.Microsecond},
				{Name: "rest", Kind: kitchen.Rest, Wait: 100 * time.Microsecond},
				{Name: "plate", Kind: kitchen.CPU, Units: 1},
			}},
			{Name: "salad", Weight: 1, Steps: []kitchen.Step{
				{Name: "chop", Kind: kitchen.CPU, Units: 40},
				{Name: "mix", Kind: kitchen.CPU, Units: 1},
			}},
		},
	}
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
	var mu sync.Mutex
	var got []*Order
	err := s.Serve(ctx, k, in, func(o *Order) {
		mu.Lock()
		got = append(got, o)
		mu.Unlock()
	})
	return got, err
}

func TestEveryOrderServedExactlyOnce(t *testing.T) {
	const n = 300
	for _, s := range all() {
		t.Run(s.Name(), func(t *testing.T) {
			k, err := kitchen.New(testMenu())
			require.NoError(t, err)
			k.Probe = &kitchen.Probe{}
			got, err := serveAll(t, context.Background(), s, k, n)
			require.NoError(t, err, "Serve()")
			require.Len(t, got, n, "orders passed to done")

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
	m := testMenu()
	m.Dishes[1].Steps[0].Units = 400
	for _, s := range []Strategy{Sync{}, EventLoop{}, GIL{Cooks: 4, SwitchInterval: 100 * time.Microsecond}} {
		t.Run(s.Name(), func(t *testing.T) {
			k, err := kitchen.New(m)
			require.NoError(t, err)
			k.Probe = &kitchen.Probe{}
			got, err := serveAll(t, context.Background(), s, k, 200)
			require.NoError(t, err)
			require.Len(t, got, 200)
			assert.Greater(t, k.Probe.Steps(), int64(200), "CPU steps observed")
			assert.Equal(t, int64(1), k.Probe.MaxActive(), "CPU steps in progress at once; want 1")
		})
	}
}

func TestGILHandsOverAfterSwitchInterval(t *testing.T) {
	const interval = 2 * time.Millisecond
	g := newGILLock(interval)
	tA, tB := time.NewTimer(time.Hour), time.NewTimer(time.Hour)
	tA.Stop()
	tB.Stop()
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
	for !g.dropRequested() {
		time.Sleep(50 * time.Microsecond)
	}
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
	g := newGILLock(time.Microsecond)
	tm := time.NewTimer(time.Hour)
	tm.Stop()
	require.NoError(t, g.acquire(context.Background(), tm))
	time.Sleep(time.Millisecond)
	assert.False(t, g.dropRequested(), "drop requested with nobody waiting")
	g.release()
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
			k, err := kitchen.New(m)
			require.NoError(t, err)
			var started atomic.Int64
			k.BeforeStep = func(d *kitchen.Dish, step int) {
				if step == 1 {
					started.Add(1)
				}
			}
			ctx, cancel := context.WithCancel(context.Background())
			const n = 20
			in := make(chan *Order, n)
			for i := 0; i < n; i++ {
				o := &Order{}
				o.Reset(int64(i), k.Pick(int64(i)), Now())
				in <- o
			}
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
			// Wait until some dish is waiting, then cancel.
			for started.Load() == 0 {
				time.Sleep(100 * time.Microsecond)
			}
			cancel()
			select {
			case err := <-errc:
				assert.ErrorIs(t, err, context.Canceled, "Serve() after cancel")
			case <-time.After(30 * time.Second):
				t.Fatal("Serve did not return after cancellation")
			}
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, n, len(got)+len(in), "orders done + left in the queue; want every order accounted for")
			for _, o := range got {
				assert.Equal(t, Cancelled, o.Outcome(), "order %d: %v", o.ID, o.Err)
				assert.ErrorIs(t, o.Err, context.Canceled)
			}
			inUse, _ := k.Grills.Stats()
			assert.Equal(t, 0, inUse, "grills still in use after cancellation")
		})
	}
}

func TestPanickingStepFailsOnlyItsOrder(t *testing.T) {
	for _, s := range all() {
		t.Run(s.Name(), func(t *testing.T) {
			k, err := kitchen.New(testMenu())
			require.NoError(t, err)
			k.BeforeStep = func(d *kitchen.Dish, step int) {
				if d.Name == "steak" && step == 2 { // after the grill, before the rest
					panic("dropped the steak")
				}
			}
			got, err := serveAll(t, context.Background(), s, k, 60)
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
