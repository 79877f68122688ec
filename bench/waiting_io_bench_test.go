package bench

import (
	"context"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/kitchenbench/kitchenbench/grill"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// BenchmarkWaitingDishesIO is BenchmarkWaitingDishes on sockets (issue
// 12): 10,000 dishes each wait in a call to a grill service child with
// 10,000 grills, held for half an hour, and the heap and goroutine stacks in
// use then, less what was in use before Serve started, are divided by the
// number of dishes waiting. The event loop holds a connection's state and
// a task per dish; goroutines hold a goroutine, its stack, a net.Conn and
// its buffers. The kernel's socket buffers, the same for both, are not
// counted. The child needs 10,000 descriptors, and so does this process
// (the rig raises the soft limit to the hard one).
//
//	go test -run '^$' -bench WaitingDishesIO -benchtime 1x -count 3 ./bench
func BenchmarkWaitingDishesIO(b *testing.B) {
	const n = 10_000
	m := &kitchen.Menu{
		Name: "waiting-io", Grills: n, Customers: n, Seed: 1,
		Dishes: []kitchen.Dish{{Name: "brisket", Weight: 1, Steps: []kitchen.Step{
			{Name: "smoke", Kind: kitchen.Call, Wait: 30 * time.Minute, Reply: 64},
		}}},
	}
	ctx := context.Background()
	rig, err := StartIO(ctx, []*kitchen.Menu{m}, IOOptions{GrillArgs: []string{
		"--max-conns", strconv.Itoa(2*n + 64), "--max-hold", "1h",
	}})
	if err != nil {
		b.Fatal(err)
	}
	defer rig.Close()
	if rig.FileLimit != 0 && rig.FileLimit < 2*n+256 {
		// goroutines may hold a connection beside an idle one
		b.Logf("open-file limit %d", rig.FileLimit)
	}
	for _, s := range []strategies.Strategy{strategies.EventLoop{}, strategies.Goroutines{}} {
		b.Run("dishes="+strconv.Itoa(n)+"/strategy="+s.Name(), func(b *testing.B) {
			var heap, stacks float64
			for range b.N {
				heap, stacks = waitingIOBytes(b, rig, m, s, n)
			}
			b.ReportMetric((heap+stacks)/n, "B/waiting-dish")
			b.ReportMetric(stacks/n, "stack-B/waiting-dish")
		})
	}
}

// waitingIOBytes serves n orders whose call is held for half an hour and
// measures the heap and stack bytes in use once the service holds all n.
func waitingIOBytes(b *testing.B, rig *Rig, m *kitchen.Menu, s strategies.Strategy, n int) (heap, stacks float64) {
	b.Helper()
	k, err := kitchen.New(m)
	if err != nil {
		b.Fatal(err)
	}
	if err := rig.Equip(k); err != nil {
		b.Fatal(err)
	}
	ctl, err := grill.Dial(context.Background(), k.Grill.Addr, grill.DialOptions{Token: k.Grill.Token})
	if err != nil {
		b.Fatal(err)
	}
	defer ctl.Close()
	orders := make(chan *strategies.Order, n)
	pool := make([]strategies.Order, n)
	for i := range pool {
		pool[i].Reset(int64(i), k.Pick(int64(i)), strategies.Now())
		orders <- &pool[i]
	}
	st0, err := ctl.Stats()
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	before := memInUse()
	served := make(chan struct{})
	failed := 0
	go func() {
		defer close(served)
		s.Serve(ctx, k, orders, func(o *strategies.Order) {
			if o.Outcome() == strategies.Failed {
				failed++
			}
		})
	}()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		st, err := ctl.Stats()
		if err != nil {
			b.Fatal(err)
		}
		if st.Holding == int64(n) {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("the grill service holds %d calls of %d after 2 minutes; %v", st.Holding, n, st)
		}
		time.Sleep(5 * time.Millisecond)
	}
	// Every call is held; give the last few callers a moment to park.
	time.Sleep(20 * time.Millisecond)
	after := memInUse()
	cancel()
	<-served
	if failed > 0 {
		b.Fatalf("%d calls failed", failed)
	}
	runtime.KeepAlive(pool)
	// Let the service see the connections go before the next strategy.
	for {
		st, err := ctl.Stats()
		if err != nil || st.Active <= st0.Active || time.Now().After(deadline) {
			break
		}

		time.Sleep(5 * time.Millisecond)
	}
	return after[0] - before[0], after[1] - before[1]
}
