package mystrategy_test

import (
	"context"
	"testing"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/examples/mystrategy"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// BenchmarkKitchen benchmarks Semaphore beside the built-in pool on two
// menus, under the names BenchmarkKitchen/menu=…/strategy=… that benchstat
// reads:
//
//	go test -run '^$' -bench . -cpu 1,2 -count 10 . | tee new.txt
//	benchstat -col /strategy new.txt
//
// Two menus keep a plain `go test -bench .` to a few seconds; pass nil
// for every built-in menu.
func BenchmarkKitchen(b *testing.B) {
	bench.Benchmark(b, menus(b, "banquet", "lunch-counter"), mystrategy.Semaphore{}, strategies.Pool{})
}

func menus(tb testing.TB, names ...string) []*kitchen.Menu {
	tb.Helper()
	var ms []*kitchen.Menu
	for _, n := range names {
		m, ok := kitchen.Lookup(n)
		if !ok {
			tb.Fatalf("no built-in menu %q", n)
		}
		ms = append(ms, m)
	}
	return ms
}

// TestServesEveryOrder: every order served once, and never more than
// Limit in progress (the strategies.Strategy contract, and the semaphore).
func TestServesEveryOrder(t *testing.T) {
	for _, tc := range []struct {
		s     mystrategy.Semaphore
		limit int
	}{
		{mystrategy.Semaphore{Limit: 1}, 1},
		{mystrategy.Semaphore{Limit: 3}, 3},
	} {
		t.Run(tc.s.Name(), func(t *testing.T) {
			m, _ := kitchen.Lookup("banquet")
			k, err := kitchen.New(m)
			if err != nil {
				t.Fatal(err)
			}
			res, err := bench.Run(context.Background(), k, tc.s, bench.Load{Orders: 300})
			if err != nil {
				t.Fatal(err)
			}
			if res.Served != 300 || res.Failed != 0 || res.Cancelled != 0 {
				t.Errorf("served %d, failed %d, cancelled %d of 300; want all 300 served", res.Served, res.Failed, res.Cancelled)
			}
			if c := tc.s.Capacity(8); c.Cooks != tc.limit {
				t.Errorf("Capacity(8).Cooks = %d; want %d", c.Cooks, tc.limit)
			}
		})
	}
}

// TestCancel: a cancelled context ends Serve with its error.
func TestCancel(t *testing.T) {
	m, _ := kitchen.Lookup("banquet")
	k, err := kitchen.New(m)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	orders := make(chan *strategies.Order)
	if err := (mystrategy.Semaphore{}).Serve(ctx, k, orders, func(*strategies.Order) {}); err != context.Canceled {
		t.Errorf("Serve after cancel = %v; want context.Canceled", err)
	}
}
