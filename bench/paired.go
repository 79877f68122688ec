package bench

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// Round is one round of a paired comparison: each strategy's dishes/s
// over the same orders, measured back to back.
type Round struct {
	Base, Other float64
}

// Ratio is Other's dishes/s as a share of Base's.
func (r Round) Ratio() float64 { return r.Other / r.Base }

// Paired serves the same block of orders with base and other in turn,
// rounds times, and returns each round's pair of throughputs.
//
// Separate benchmarks of two strategies seconds apart cannot resolve a
// difference of a percent or two on a shared machine: its speed drifts by
// several percent over seconds (the samples of one cell of
// results/peers-2026-11-25-2cpu.txt spread by ±6%), while over a few tens
// of milliseconds it holds steadier. Paired therefore compares short
// blocks back to back and takes the ratio within each round. On the
// reference machine, banquet served by two equal pools on one core gave
// round ratios with an interquartile range of ±0.3% in 30 ms blocks and
// about ±1.5% in 100 ms blocks. The rounds alternate which strategy goes first
// (ABBA), so a steady drift favours neither; every block serves the same
// orders (the same dishes in the same order), so the two sides of a round
// differ only in the strategy.
func Paired(ctx context.Context, k *kitchen.Kitchen, base, other strategies.Strategy, orders, rounds int) ([]Round, error) {
	if orders <= 0 || rounds <= 0 {
		return nil, fmt.Errorf("bench: Paired needs orders and rounds, got %d and %d", orders, rounds)
	}
	out := make([]Round, 0, rounds)
	for r := range rounds {
		var rd Round
		first, second := &rd.Base, &rd.Other
		a, b := base, other
		if r%2 == 1 {
			first, second = second, first
			a, b = b, a
		}
		var err error
		if *first, err = block(ctx, k, a, orders); err != nil {
			return out, err
		}
		if *second, err = block(ctx, k, b, orders); err != nil {
			return out, err
		}
		out = append(out, rd)
	}
	return out, nil
}

// block serves orders with s and returns its dishes/s. It starts from a
// collected heap, so a collection owed to one strategy's garbage does not
// land in the other's block; a block that allocates enough to need a
// collection of its own still pays for it.
func block(ctx context.Context, k *kitchen.Kitchen, s strategies.Strategy, orders int) (float64, error) {
	runtime.GC()
	res, err := Run(ctx, k, s, Load{Orders: orders})
	if err != nil {
		return 0, err
	}
	if res.Served != orders {
		return 0, fmt.Errorf("bench: %s served %d of %d orders (failed %d): %v",
			s.Name(), res.Served, orders, res.Failed, res.Errors)
	}
	return res.Throughput(), nil
}

// BlockOrders returns how many orders make a block of about d for s,
// timing a warm-up window of d. It is never below four orders per core
// (GOMAXPROCS), so every cook has work; a block with fewer orders than
// the menu has customers serves each order from a customer of its own.
func BlockOrders(ctx context.Context, k *kitchen.Kitchen, s strategies.Strategy, d time.Duration) (int, error) {
	res, err := Run(ctx, k, s, Load{Duration: d})
	if err != nil {
		return 0, err
	}
	return max(4*runtime.GOMAXPROCS(0), int(res.Throughput()*d.Seconds())), nil
}
