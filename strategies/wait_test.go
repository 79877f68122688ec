package strategies

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/internal/kitchentest"
	"github.com/kitchenbench/kitchenbench/kitchen"
)

// waitModes are both ways of timing waits.
var waitModes = []kitchen.Waits{kitchen.PreciseWaits, kitchen.RuntimeWaits}

func TestWaitsNeverEndEarly(t *testing.T) {
	// Every strategy, both kinds of wait, two grills for eight customers
	// (so grills are handed over): each dish is served, and no sooner than
	// its waits allow.
	for _, waits := range waitModes {
		for _, s := range all() {
			t.Run(string(waits)+"/"+s.Name(), func(t *testing.T) {
				k := kitchentest.New(t, testMenu(t))
				k.Waits = waits
				got, err := serveAll(t, context.Background(), s, k, 60)
				require.NoError(t, err)
				require.Len(t, got, 60)
				for _, o := range got {
					require.NoError(t, o.Err, "order %d", o.ID)
					c := o.Dish.Cost()
					assert.GreaterOrEqual(t, o.End-o.Start, int64(c.Grill+c.Rest),
						"order %d (%s) served before its waits were over", o.ID, o.Dish.Name)
				}
				inUse, maxUse := k.Grills.Stats()
				assert.Equal(t, 0, inUse, "grills still in use")
				assert.LessOrEqual(t, maxUse, 2, "grills in use at once; kitchen has 2")
				assert.GreaterOrEqual(t, maxUse, 1, "grills were used")
			})
		}
	}
}

func TestCancellationEndsEveryKindOfWait(t *testing.T) {
	// One customer's dish rests an hour; cancelling must end the wait of
	// each style (a thread in clock_nanosleep, a loop's or a goroutine's
	// timer), for both kinds of wait.
	m := &kitchen.Menu{Name: "nap", Customers: 1, Seed: 1, Dishes: []kitchen.Dish{
		{Name: "nap", Weight: 1, Steps: []kitchen.Step{{Kind: kitchen.Rest, Wait: time.Hour}}},
	}}
	for _, waits := range waitModes {
		for _, s := range all() {
			t.Run(string(waits)+"/"+s.Name(), func(t *testing.T) {
				k := kitchentest.New(t, m)
				k.Waits = waits
				resting := make(chan struct{})
				var once sync.Once
				ctx, cancel := context.WithCancel(withStepStart(func(*kitchen.Dish, int) { once.Do(func() { close(resting) }) }))
				defer cancel()
				in := make(chan *Order, 1)
				o := &Order{}
				o.Reset(0, k.Pick(0), Now())
				in <- o
				errc := make(chan error, 1)
				go func() { errc <- s.Serve(ctx, k, in, func(*Order) {}) }()
				<-resting
				cancel()
				select {
				case err := <-errc:
					assert.ErrorIs(t, err, context.Canceled)
				case <-time.After(time.Minute):
					t.Fatal("Serve did not return after cancellation")
				}
				assert.Equal(t, Cancelled, o.Outcome(), "order: %v", o.Err)
			})
		}
	}
}

func TestWakeupsArmTheEarliestDeadline(t *testing.T) {
	w, err := newWakeups()
	require.NoError(t, err)
	defer w.close()
	far := Now() + int64(time.Hour)
	var a, b, c wakeEntry
	w.add(&b, far+20)
	assert.Equal(t, far+20, w.armed, "armed after the first add")
	w.add(&c, far+30)
	assert.Equal(t, far+20, w.armed, "a later deadline leaves the arming alone")
	w.add(&a, far+10)
	assert.Equal(t, far+10, w.armed, "an earlier deadline re-arms")
	w.remove(&c)
	assert.Equal(t, far+10, w.armed, "removing a later waiter leaves the arming alone")
	w.remove(&a)
	assert.Equal(t, far+20, w.armed, "removing the earliest re-arms for the next")
	w.remove(&a) // twice: a no-op
	w.remove(&b)
	assert.Zero(t, w.h.len(), "waiters left")
	assert.False(t, w.h.has(&a) || w.h.has(&b) || w.h.has(&c), "entries still in the heap")
}

func TestWakeupsHeapOrder(t *testing.T) {
	w, err := newWakeups()
	require.NoError(t, err)
	defer w.close()
	base := Now() + int64(time.Hour)
	es := make([]wakeEntry, 50)
	for i := range es {
		w.add(&es[i], base+int64((i*37)%50))
	}
	for i := 0; i < len(es); i += 3 { // remove some from the middle
		w.remove(&es[i])
	}
	var last int64
	for w.h.len() > 0 {
		e := w.h.min()
		assert.GreaterOrEqual(t, e.due, last, "heap gave deadlines out of order")
		last = e.due
		w.remove(e)
	}
}

func TestAlarm(t *testing.T) {
	precise, err := NewAlarm(20 * time.Microsecond)
	require.NoError(t, err)
	for name, a := range map[string]*Alarm{"precise": precise, "runtime": RuntimeAlarm()} {
		t.Run(name, func(t *testing.T) {
			defer func() { require.NoError(t, a.Close()) }()
			ctx := context.Background()
			for _, d := range []time.Duration{-time.Millisecond, 0, 10 * time.Microsecond, 300 * time.Microsecond} {
				due := Now() + int64(d)
				require.NoError(t, a.SleepUntil(ctx, due))
				assert.GreaterOrEqual(t, Now(), due, "SleepUntil(now%+v) returned early", d)
			}
			cctx, cancel := context.WithCancel(ctx)
			time.AfterFunc(time.Millisecond, cancel)
			err := a.SleepUntil(cctx, Now()+int64(time.Hour))
			assert.ErrorIs(t, err, context.Canceled, "SleepUntil after cancel")
		})
	}
}

func TestThreadSleeper(t *testing.T) {
	var s threadSleeper
	ctx := context.Background()
	due := Now() + int64(200*time.Microsecond)
	assert.True(t, s.sleepUntil(ctx, due), "sleep with a context that never ends")
	assert.GreaterOrEqual(t, Now(), due, "woke early")
	assert.True(t, s.sleepUntil(ctx, Now()-1), "sleep until the past")

	cctx, cancel := context.WithCancel(ctx)
	assert.True(t, s.sleepUntil(cctx, Now()+int64(100*time.Microsecond)), "short sleep, context alive")
	time.AfterFunc(time.Millisecond, cancel)
	assert.False(t, s.sleepUntil(cctx, Now()+int64(time.Hour)), "an hour's sleep, cancelled")
	assert.False(t, s.sleepUntil(cctx, Now()+int64(time.Hour)), "sleep under an ended context")
	s.unwatch() // waits for the interrupter: goleak checks nothing is left
	s.unwatch()
}
