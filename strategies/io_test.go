package strategies

import (
	"context"
	"net"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/grill"
	"github.com/kitchenbench/kitchenbench/internal/kitchentest"
	"github.com/kitchenbench/kitchenbench/kitchen"
)

// blocking returns the strategies whose cooks do I/O in this package's
// blocking styles (io.go).
func blocking() []Strategy {
	return []Strategy{Sync{}, Pool{Cooks: 4}, GIL{Cooks: 4, SwitchInterval: 200 * time.Microsecond}, Goroutines{IdleConns: 2}}
}

// ioMenu: CPU steps, calls (the sear held hold) and reads.
func ioMenu(t testing.TB, hold time.Duration) *kitchen.Menu {
	return withSear(kitchentest.Menu(t, "testdata/io.yaml"), hold)
}

// withSear sets the hold of m's steps named sear, its calls to the grill
// service, and returns m.
func withSear(m *kitchen.Menu, hold time.Duration) *kitchen.Menu {
	for i := range m.Dishes {
		for j := range m.Dishes[i].Steps {
			if st := &m.Dishes[i].Steps[j]; st.Name == "sear" {
				st.Wait = hold
			}
		}
	}
	return m
}

// startGrill serves a grill service on 127.0.0.1 in this process until
// the test ends, when it waits for Serve to return.
func startGrill(t *testing.T, opt grill.Options) (*grill.Server, string) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the grill service is Linux-only")
	}
	p, err := grill.ServeInProcess(opt, "127.0.0.1:0")
	require.NoError(t, err, "grill.ServeInProcess")
	t.Cleanup(func() { p.Stop() })
	return p.Server, p.Addr
}

// ioKitchen returns a kitchen for m with a pantry and the grill at addr.
func ioKitchen(t *testing.T, m *kitchen.Menu, addr string) *kitchen.Kitchen {
	t.Helper()
	k := kitchentest.New(t, m)
	p, err := kitchen.CreatePantry(kitchen.PantryOptions{Dir: t.TempDir(), Size: 1 << 20, Seed: m.Seed})
	require.NoError(t, err, "CreatePantry")
	t.Cleanup(func() { p.Close() })
	k.Pantry = p
	k.Grill = &kitchen.GrillEndpoint{Addr: addr}
	return k
}

func TestBlockingStylesCallAndRead(t *testing.T) {
	const n = 200
	for _, s := range blocking() {
		t.Run(s.Name(), func(t *testing.T) {
			srv, addr := startGrill(t, grill.Options{Grills: 4})
			k := ioKitchen(t, ioMenu(t, 100*time.Microsecond), addr)
			before := kitchentest.OpenFDs(t)
			got, err := serveAll(t, context.Background(), s, k, n)
			require.NoError(t, err, "Serve()")
			require.Len(t, got, n, "orders passed to done")
			calls := 0
			for _, o := range got {
				require.NoError(t, o.Err, "order %d", o.ID)
				for _, st := range o.Dish.Steps {
					if st.Kind == kitchen.Call {
						calls++
					}
				}
			}
			// The server's ends of the connections close as it sees ours
			// go; then its counters are final.
			waitFor(t, "the server to close every connection", func() bool { return srv.Stats().Active == 0 })
			st := srv.Stats()
			assert.Equal(t, int64(calls), st.Calls, "calls the server answered")
			assert.Zero(t, st.Faults(), "server faults: %v", st)
			assert.Equal(t, before, kitchentest.OpenFDs(t), "fds after the run = before")
		})
	}
}

func TestBlockingReadsAreTheSeedsBytes(t *testing.T) {
	m := &kitchen.Menu{Name: "reads", Customers: 2, Seed: 3, Dishes: []kitchen.Dish{
		{Name: "d", Weight: 1, Steps: []kitchen.Step{{Name: "r", Kind: kitchen.Read, Bytes: 4096}}},
	}}
	var checks []map[int64]uint64
	for _, s := range blocking() {
		k := ioKitchen(t, m, "")
		got, err := serveAll(t, context.Background(), s, k, 50)
		require.NoError(t, err, "%s.Serve()", s.Name())
		c := map[int64]uint64{}
		for _, o := range got {
			require.NoError(t, o.Err, "%s order %d", s.Name(), o.ID)
			c[o.ID] = o.Check
		}
		checks = append(checks, c)
	}
	for i := 1; i < len(checks); i++ {
		assert.Equal(t, checks[0], checks[i], "%s read other bytes than sync", blocking()[i].Name())
	}
}

// TestCallFaultsFailOrders: a service that is down, connections reset
// mid-call and replies past their deadline each fail their orders with a
// clear error; the rest of the run goes on and every order is accounted for.
func TestCallFaultsFailOrders(t *testing.T) {
	t.Run("service down", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := ln.Addr().String()
		ln.Close()
		for _, s := range blocking() {
			k := ioKitchen(t, ioMenu(t, 0), addr)
			before := kitchentest.OpenFDs(t)
			got, err := serveAll(t, context.Background(), s, k, 30)
			require.NoError(t, err, "%s.Serve()", s.Name())
			require.Len(t, got, 30, "%s: orders passed to done", s.Name())
			for _, o := range got {
				require.Error(t, o.Err, "%s order %d", s.Name(), o.ID)
				assert.Equal(t, Failed, o.Outcome(), "%s order %d", s.Name(), o.ID)
				assert.Contains(t, o.Err.Error(), "(call): grill: dial "+addr, "%s order %d", s.Name(), o.ID)
				assert.Contains(t, o.Err.Error(), "connection refused", "%s order %d", s.Name(), o.ID)
			}
			assert.Equal(t, before, kitchentest.OpenFDs(t), "%s: fds after = before", s.Name())
		}
	})

	t.Run("reset mid-call", func(t *testing.T) {
		for _, s := range blocking() {
			srv, addr := startGrill(t, grill.Options{Grills: 64, MaxHold: time.Hour})
			m := ioMenu(t, time.Hour)
			m.Dishes[1].Weight = 0 // every order holds an hour
			k := ioKitchen(t, m, addr)
			type result struct {
				got []*Order
				err error
			}
			res := make(chan result, 1)
			go func() {
				got, err := serveAll(t, context.Background(), s, k, 20)
				res <- result{got, err}
			}()
			waitFor(t, "a call to be held", func() bool { return srv.Stats().Holding > 0 })
			srv.Close() // resets every connection, then nothing listens
			r := <-res
			require.NoError(t, r.err, "%s.Serve()", s.Name())
			require.Len(t, r.got, 20, "%s: orders passed to done", s.Name())
			for _, o := range r.got {
				require.Error(t, o.Err, "%s order %d", s.Name(), o.ID)
				var ioErr *IOError
				require.ErrorAs(t, o.Err, &ioErr, "%s order %d", s.Name(), o.ID)
				assert.Equal(t, kitchen.Call, ioErr.Kind)
				assert.Equal(t, 1, ioErr.Step)
				assert.Contains(t, o.Err.Error(), `dish "sear" step 1 (call): grill: `)
			}
		}
	})

	t.Run("reply past its deadline", func(t *testing.T) {
		// One grill holding 1 s, and both cooks start their call together
		// (a barrier in StepStart): the second call waits behind the first
		// and cannot be answered before about 2 s after it was sent, past
		// its 1 s hold plus a 150 ms timeout, unless this machine stalls a
		// cook for over 800 ms between the barrier and its send. The first
		// is answered at 1 s and fails only on a machine 150 ms late.
		srv, addr := startGrill(t, grill.Options{Grills: 1})
		m := &kitchen.Menu{Name: "slow", Grills: 1, Customers: 2, Seed: 1, Dishes: []kitchen.Dish{
			{Name: "d", Weight: 1, Steps: []kitchen.Step{{Name: "c", Kind: kitchen.Call, Wait: time.Second}}},
		}}
		k := ioKitchen(t, m, addr)
		k.Grill.Timeout = 150 * time.Millisecond
		var arrived atomic.Int32
		both := make(chan struct{})
		ctx := withStepStart(func(*kitchen.Dish, int) {
			if arrived.Add(1) == 2 {
				close(both)
			}
			select { // on a cook's goroutine: no t.Fatal here
			case <-both:
			case <-time.After(hangGuard):
				t.Errorf("still waiting after %v for the other cook to reach its call", hangGuard)
			}
		})
		got, err := serveAll(t, ctx, Pool{Cooks: 2}, k, 2)
		require.NoError(t, err)
		require.Len(t, got, 2)
		failed := 0
		for _, o := range got {
			if o.Err != nil {
				failed++
				assert.Contains(t, o.Err.Error(), "i/o timeout")
				assert.Contains(t, o.Err.Error(), `dish "d" step 0 (call): grill: call to `+addr)
			}
		}
		assert.GreaterOrEqual(t, failed, 1, "orders failed: at least the second in the grill's queue")
		// The server accounts for both calls: answered, or abandoned when
		// it saw the client leave first. Which of the two a late call
		// ends as depends on how late this machine runs, so only the sum
		// is certain.
		waitFor(t, "the server to account for both calls", func() bool {
			st := srv.Stats()
			return st.Calls+st.Abandoned >= 2
		})
	})
}

func TestCancelEndsCallsAtOnce(t *testing.T) {
	for _, s := range blocking() {
		t.Run(s.Name(), func(t *testing.T) {
			srv, addr := startGrill(t, grill.Options{Grills: 64, MaxHold: time.Hour})
			m := ioMenu(t, time.Hour)
			m.Dishes[1].Weight = 0
			k := ioKitchen(t, m, addr)
			ctx, cancel := context.WithCancel(context.Background())
			res := make(chan []*Order, 1)
			go func() {
				got, _ := serveAll(t, ctx, s, k, 8)
				res <- got
			}()
			waitFor(t, "a call to be held", func() bool { return srv.Stats().Holding > 0 })
			cancel()
			got := <-res
			require.NotEmpty(t, got)
			for _, o := range got {
				assert.Equal(t, Cancelled, o.Outcome(), "order %d: %v", o.ID, o.Err)
			}
		})
	}
}

func TestIOWithoutEndpointsFailsOrders(t *testing.T) {
	k := kitchentest.New(t, ioMenu(t, 0))
	got, err := serveAll(t, context.Background(), Sync{}, k, 10)
	require.NoError(t, err)
	for _, o := range got {
		require.Error(t, o.Err)
		assert.Regexp(t, `no (grill service|pantry)`, o.Err.Error())
	}
}
