//go:build linux

package strategies

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/grill"
	"github.com/kitchenbench/kitchenbench/internal/kitchentest"
	"github.com/kitchenbench/kitchenbench/kitchen"
)

// grillChildEnv makes the test binary a grill service (see init): ten
// thousand connections need ten thousand descriptors on each side, more
// than one process may have here.
const grillChildEnv = "KITCHENBENCH_STRATEGIES_GRILL_CHILD"

func init() {
	if os.Getenv(grillChildEnv) == "" {
		return
	}
	grill.RaiseFileLimit()
	n, _ := strconv.Atoi(os.Getenv(grillChildEnv))
	srv, err := grill.NewServer(grill.Options{Grills: n, MaxConns: n + 64})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(2)
	}
	ln, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(2)
	}
	fmt.Println(ln.Addr())
	go func() {
		// The parent closes our stdin when it is done with us.
		bufio.NewReader(os.Stdin).ReadString('\n')
		os.Exit(0)
	}()
	srv.Serve(ln)
	os.Exit(0)
}

// startGrillChild runs a grill service with grills grills in a child
// process and returns its address; it stops when the test ends.
func startGrillChild(t *testing.T, grills int) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), grillChildEnv+"="+strconv.Itoa(grills))
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start(), "start grill child")
	t.Cleanup(func() {
		stdin.Close()
		cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err, "grill child's address")
	addr := strings.TrimSpace(line)
	require.False(t, strings.HasPrefix(addr, "error"), "grill child: %s", addr)
	return addr
}

// netMenu: a call held hold between two CPU steps, a dish with a rest, and
// a dish of CPU alone.
func netMenu(t testing.TB, hold time.Duration) *kitchen.Menu {
	return withSear(kitchentest.Menu(t, "testdata/net.yaml"), hold)
}

func netKitchen(t *testing.T, m *kitchen.Menu, addr, token string) *kitchen.Kitchen {
	t.Helper()
	k, err := kitchen.New(m)
	require.NoError(t, err, "kitchen.New")
	k.Grill = &kitchen.GrillEndpoint{Addr: addr, Token: token}
	return k
}

// tally counts orders by dish and outcome, and checks each is passed to
// done exactly once.
func tally(t *testing.T, got []*Order, n int) map[string]int {
	t.Helper()
	require.Len(t, got, n, "orders passed to done")
	seen := make(map[int64]bool, n)
	out := map[string]int{}
	for _, o := range got {
		require.False(t, seen[o.ID], "order %d passed to done twice", o.ID)
		seen[o.ID] = true
		out[fmt.Sprintf("%s/%v", o.Dish.Name, o.Outcome())]++
	}
	return out
}

// dishes counts the orders of n that are dish name.
func dishes(k *kitchen.Kitchen, n int, name string) int {
	c := 0
	for i := range n {
		if k.Pick(int64(i)).Name == name {
			c++
		}
	}
	return c
}

func TestEventLoopCallsTheGrillService(t *testing.T) {
	const n = 300
	for _, tc := range []struct {
		name  string
		s     Strategy
		token string
		waits kitchen.Waits
	}{
		{"eventloop", EventLoop{}, "", kitchen.PreciseWaits},
		{"eventloop/token", EventLoop{}, "s3cret", kitchen.PreciseWaits},
		{"eventloop/runtime-waits", EventLoop{}, "", kitchen.RuntimeWaits},
		{"loops", Loops{Loops: 3}, "", kitchen.PreciseWaits},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, addr := startGrill(t, grill.Options{Grills: 4, Token: tc.token, RequireToken: tc.token != ""})
			k := netKitchen(t, netMenu(t, 200*time.Microsecond), addr, tc.token)
			k.Waits = tc.waits
			before, sys := kitchentest.OpenFDs(t), ReactorSyscalls()
			got, err := serveAll(t, context.Background(), tc.s, k, n)
			require.NoError(t, err, "Serve")
			steaks := dishes(k, n, "steak")
			assert.Equal(t, map[string]int{"steak/0": steaks, "salad/0": n - steaks}, tally(t, got, n), "orders by dish/outcome (0 served)")
			for _, o := range got {
				require.NoError(t, o.Err, "order %d", o.ID)
			}
			waitClosed(t, srv)
			fdsBack(t, before, "after Serve, the server's side closed")
			d := ReactorSyscalls().Sub(sys)
			assert.GreaterOrEqual(t, d.Write, int64(steaks), "writes: one call frame each at least")
			assert.GreaterOrEqual(t, d.Read, int64(steaks), "reads: one reply each at least")
			assert.Equal(t, d.Socket, d.Connect, "a connect per socket")
			assert.LessOrEqual(t, d.Connect, int64(steaks), "connections: reused, never more than calls")
			assert.Equal(t, d.Socket, d.Close, "every socket closed")
			assert.Positive(t, d.EpollWait, "epoll_wait")
			// A reply is out a moment before the server counts it.
			waitFor(t, "the server to count every call", func() bool { return srv.Stats().Calls >= int64(steaks) })
			st := srv.Stats()
			assert.Equal(t, int64(steaks), st.Calls, "calls the server answered")
			assert.Equal(t, int64(0), st.Faults()-st.Abandoned, "faults other than closed idle connections; %v", st)
		})
	}
}

// waitClosed polls srv until it has closed every connection: its side of
// them is in this process too.
func waitClosed(t *testing.T, srv *grill.Server) {
	t.Helper()
	waitFor(t, "the server to close its connections", func() bool { return srv.Stats().Active == 0 })
}

// fdsBack waits until this process has no more open descriptors than
// before. A closed net.Conn's descriptor is released when the last
// goroutine using it lets go, which can come a moment after Close returns
// and after the server counts the connection gone; and a server that an
// earlier subtest closed may still be letting go of its own while before
// is counted, so the count can also end below it. A leaked descriptor
// never comes back: the wait fails after hangGuard.
func fdsBack(t *testing.T, before int, what string) {
	t.Helper()
	waitFor(t, fmt.Sprintf("%s: open file descriptors back to %d (%d when the wait began)", what, before, kitchentest.OpenFDs(t)),
		func() bool { return kitchentest.OpenFDs(t) <= before })
}

// waitHolding polls srv until it holds n calls.
func waitHolding(t *testing.T, srv *grill.Server, n int64) {
	t.Helper()
	waitFor(t, fmt.Sprintf("the server to hold %d calls", n), func() bool { return srv.Stats().Holding == n })
}

// TestEventLoopCallFaults checks that a call failing in each way fails
// its order alone, with a message saying what happened, that the loop
// serves the others, that every order is passed to done once and that no
// descriptor is left open.
func TestEventLoopCallFaults(t *testing.T) {
	const n = 60
	const long = 30 * time.Minute // a hold no test waits for
	for _, tc := range []struct {
		name    string
		setup   func(t *testing.T) (*kitchen.Kitchen, *grill.Server)
		want    string // in every failed call's error
		outcome Outcome
	}{
		{"service down", func(t *testing.T) (*kitchen.Kitchen, *grill.Server) {
			srv, err := grill.NewServer(grill.Options{})
			require.NoError(t, err)
			ln, err := srv.Listen("127.0.0.1:0")
			require.NoError(t, err)
			addr := ln.Addr().String()
			ln.Close() // nobody listens there now
			srv.Close()
			return netKitchen(t, netMenu(t, time.Millisecond), addr, ""), nil
		}, "connect: connection refused", Failed},
		{"reset mid-call", func(t *testing.T) (*kitchen.Kitchen, *grill.Server) {
			srv, addr := startGrill(t, grill.Options{Grills: n, MaxHold: time.Hour})
			k := netKitchen(t, netMenu(t, long), addr, "")
			go func() {
				waitHolding(t, srv, int64(dishes(k, n, "steak")))
				srv.Close() // every call in flight is cut
			}()
			return k, srv
		}, "the grill service closed the connection mid-call", Failed},
		{"reply past its deadline", func(t *testing.T) (*kitchen.Kitchen, *grill.Server) {
			// One grill, holds of 20 ms each: the calls queued behind
			// the first are answered long after their hold plus 1 ms.
			srv, addr := startGrill(t, grill.Options{Grills: 1})
			k := netKitchen(t, netMenu(t, 20*time.Millisecond), addr, "")
			k.Grill.Timeout = time.Millisecond
			return k, srv
		}, "no reply within 21ms (hold 20ms + call timeout 1ms)", Failed},
		{"wrong token", func(t *testing.T) (*kitchen.Kitchen, *grill.Server) {
			srv, addr := startGrill(t, grill.Options{Token: "right", RequireToken: true})
			return netKitchen(t, netMenu(t, time.Millisecond), addr, "wrong"), srv
		}, "server refused (unauthorized)", Failed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			unset := kitchentest.OpenFDs(t)
			k, srv := tc.setup(t)
			before := kitchentest.OpenFDs(t)
			got, err := serveAll(t, context.Background(), EventLoop{}, k, n)
			require.NoError(t, err, "Serve")
			by := tally(t, got, n)
			steaks := dishes(k, n, "steak")
			assert.Equal(t, n-steaks, by["salad/0"], "salads served: the loop goes on")
			failed := 0
			for _, o := range got {
				if o.Dish.Name != "steak" || o.Err == nil {
					continue
				}
				failed++
				assert.Contains(t, o.Err.Error(), tc.want, "order %d's error", o.ID)
				assert.Contains(t, o.Err.Error(), `dish "steak" step 1 (call)`, "order %d's error names its step", o.ID)
			}
			if tc.name != "reply past its deadline" {
				assert.Equal(t, steaks, failed, "steaks failed; %v", by)
			} else {
				assert.Positive(t, failed, "steaks failed; %v", by)
				t.Logf("deadline: %d of %d calls failed, the rest answered first; %v", failed, steaks, by)
			}
			t.Logf("an error: %v", firstErr(got))
			if tc.name == "reset mid-call" {
				before = unset // the server is closed, all its descriptors with it
			}
			if srv != nil {
				waitClosed(t, srv)
			}
			fdsBack(t, before, "after Serve, the server's side closed")
		})
	}
}

func firstErr(got []*Order) error {
	for _, o := range got {
		if o.Err != nil {
			return o.Err
		}
	}
	return errors.New("none")
}

// TestEventLoopCancelsCallsInFlight cancels a loop while its calls are
// held and checks that each order is reported cancelled once and its
// connection closed.
func TestEventLoopCancelsCallsInFlight(t *testing.T) {
	const n = 50
	for _, s := range []Strategy{EventLoop{}, Loops{Loops: 2}} {
		t.Run(s.Name(), func(t *testing.T) {
			srv, addr := startGrill(t, grill.Options{Grills: n, MaxHold: time.Hour})
			k := netKitchen(t, netMenu(t, 30*time.Minute), addr, "")
			steaks := int64(dishes(k, n, "steak"))
			before := kitchentest.OpenFDs(t)
			ctx, cancel := context.WithCancel(context.Background())
			go func() {
				waitHolding(t, srv, steaks)
				cancel()
			}()
			got, err := serveAll(t, ctx, s, k, n)
			require.ErrorIs(t, err, context.Canceled, "Serve")
			by := tally(t, got, n)
			assert.Equal(t, int(steaks), by["steak/2"], "steaks cancelled; %v", by)
			waitClosed(t, srv)
			fdsBack(t, before, "after Serve, the server's side closed")
		})
	}
}

// TestEventLoopTenThousandCallsInFlight makes 10,000 calls at once from
// one loop to a grill service with 10,000 grills in a child process, and
// checks that all complete and that every descriptor is closed after. It
// raises the soft RLIMIT_NOFILE to the hard limit (Go does so at start
// too).
func TestEventLoopTenThousandCallsInFlight(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 connections: not in -short")
	}
	const n = 10_000
	limit, err := grill.RaiseFileLimit()
	require.NoError(t, err)
	if limit < n+256 {
		t.Skipf("open-file limit %d is too low for %d connections", limit, n)
	}
	addr := startGrillChild(t, n)
	m := &kitchen.Menu{Name: "ten-thousand", Grills: n, Customers: n, Seed: 1,
		Dishes: []kitchen.Dish{{Name: "brisket", Weight: 1, Steps: []kitchen.Step{
			{Name: "smoke", Kind: kitchen.Call, Wait: 2 * time.Second, Reply: 64},
		}}}}
	k := netKitchen(t, m, addr, "")
	before, sys := kitchentest.OpenFDs(t), ReactorSyscalls()
	got, err := serveAll(t, context.Background(), EventLoop{}, k, n)
	require.NoError(t, err, "Serve")
	assert.Equal(t, map[string]int{"brisket/0": n}, tally(t, got, n), "orders by dish/outcome")
	assert.Equal(t, before, kitchentest.OpenFDs(t), "open file descriptors after Serve")
	d := ReactorSyscalls().Sub(sys)
	t.Logf("syscalls: %+v, %.1f per dish", d, float64(d.Total())/n)
	// 2 s holds: the loop opened a connection per call unless some
	// replies came before the last calls were sent.
	t.Logf("connections opened: %d for %d calls", d.Connect, n)
}

// TestReactorWake checks the wake protocol: a wake before a park makes
// it return at once, and a wake during a park ends it.
func TestReactorWake(t *testing.T) {
	r, err := newReactor(false)
	require.NoError(t, err)
	defer r.close()
	r.wake()
	require.NoError(t, r.poll(true), "poll after a wake: returns at once")
	assert.True(t, r.woken())
	r.drained()
	var wg sync.WaitGroup
	wg.Go(func() {
		deadline := time.Now().Add(hangGuard)
		for !r.sleeping.Load() {
			if time.Now().After(deadline) { // on this goroutine: no t.Fatal
				t.Errorf("the reactor did not park within %v", hangGuard)
				break
			}
			time.Sleep(100 * time.Microsecond)
		}
		r.wake()
	})
	require.NoError(t, r.poll(true), "poll ended by a wake")
	wg.Wait()
	assert.True(t, r.woken())
	r.arm(Now() + int64(time.Millisecond))
	r.drained()
	require.NoError(t, r.poll(true), "poll ended by the timer")
	assert.GreaterOrEqual(t, Now(), r.armed, "the park ended once the timer was due")
}

// pantryMenu: two reads between CPU steps, and a dish of CPU alone.
func pantryMenu(t testing.TB) *kitchen.Menu { return kitchentest.Menu(t, "testdata/pantry.yaml") }

func pantryKitchen(t *testing.T) *kitchen.Kitchen {
	t.Helper()
	p, err := kitchen.CreatePantry(kitchen.PantryOptions{Dir: t.TempDir(), Size: 1 << 20, Seed: 4})
	require.NoError(t, err, "CreatePantry")
	t.Cleanup(func() { p.Close() })
	k := kitchentest.New(t, pantryMenu(t))
	k.Pantry = p
	return k
}

// TestEventLoopReadsThePantry checks that the loops' read pool reads the
// same bytes as a blocking cook for every order (each order's Check folds
// what it read), counts a pread and a hand-off per read, and leaves no
// descriptor open.
func TestEventLoopReadsThePantry(t *testing.T) {
	const n = 200
	k := pantryKitchen(t)
	want := map[int64]uint64{}
	got, err := serveAll(t, context.Background(), Sync{}, k, n)
	require.NoError(t, err)
	for _, o := range got {
		require.NoError(t, o.Err, "sync: order %d", o.ID)
		want[o.ID] = o.Check
	}
	stocks := dishes(k, n, "stock")
	for _, s := range []Strategy{EventLoop{}, Loops{Loops: 2}} {
		t.Run(s.Name(), func(t *testing.T) {
			before, sys := kitchentest.OpenFDs(t), ReactorSyscalls()
			got, err := serveAll(t, context.Background(), s, k, n)
			require.NoError(t, err, "Serve")
			assert.Equal(t, map[string]int{"stock/0": stocks, "salad/0": n - stocks}, tally(t, got, n), "orders by dish/outcome")
			for _, o := range got {
				assert.Equal(t, want[o.ID], o.Check, "order %d's Check: the bytes sync read", o.ID)
			}
			d := ReactorSyscalls().Sub(sys)
			assert.Equal(t, int64(2*stocks), d.Pread, "preads: one per read step")
			assert.Equal(t, int64(2*stocks), d.ReadHandoff, "reads handed back to the loop")
			assert.Positive(t, d.HandoffNs, "hand-off time")
			assert.Equal(t, before, kitchentest.OpenFDs(t), "open file descriptors after Serve")
		})
	}
}

// TestEventLoopReadFails checks that a failed read fails its order alone,
// saying why, and that the loop goes on.
func TestEventLoopReadFails(t *testing.T) {
	const n = 40
	k := pantryKitchen(t)
	require.NoError(t, os.Truncate(k.Pantry.File.Name(), 0), "truncate the pantry")
	got, err := serveAll(t, context.Background(), EventLoop{}, k, n)
	require.NoError(t, err, "Serve")
	stocks := dishes(k, n, "stock")
	assert.Equal(t, map[string]int{"stock/1": stocks, "salad/0": n - stocks}, tally(t, got, n), "orders by dish/outcome (1 failed)")
	for _, o := range got {
		if o.Err != nil {
			assert.Contains(t, o.Err.Error(), `dish "stock" step 1 (read): pantry`, "order %d", o.ID)
			assert.Contains(t, o.Err.Error(), "short read: 0 of 4096 bytes", "order %d", o.ID)
		}
	}
	t.Logf("an error: %v", firstErr(got))
}
