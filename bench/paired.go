package bench

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// Round is one round of a paired comparison: the dishes/s of base and of
// other over the same block of orders, each the geometric mean of its two
// blocks in the round's ABBA order.
type Round struct {
	Base, Other float64
}

// Ratio is Other's dishes/s as a share of Base's.
func (r Round) Ratio() float64 { return r.Other / r.Base }

// Paired serves the same block of orders with base and other in ABBA
// order (base, other, other, base), rounds times, and returns each round's
// throughputs. On an error it returns the rounds completed so far.
//
// Separate benchmarks of two strategies seconds apart cannot resolve a
// difference of a percent or two on a shared machine: its speed drifts by
// several percent over seconds (one cell of
// docs/measurements/2026-11-25-peers-2cpu.txt spreads by up to ±12%), while over a
// few tens of milliseconds it holds steadier. Paired therefore compares
// short blocks back to back and takes the ratio within each round. On the
// reference machine, banquet served by two equal pools on one core gave
// block-to-block ratios with an interquartile range of ±0.3% in 30 ms
// blocks and about ±1.5% in 100 ms blocks.
//
// Within a round each strategy goes first once and last once, so a steady
// drift favours neither, and each follows itself once and the other once,
// so an effect of what ran just before cancels too. Every block serves
// the same orders (the same dishes in the same order), so the two sides
// of a round differ only in the strategy. A block of fewer orders than the
// menu has customers is a batch: all its orders are placed at once, and
// its time includes filling and emptying the kitchen.
func Paired(ctx context.Context, k *kitchen.Kitchen, base, other strategies.Strategy, orders, rounds int) ([]Round, error) {
	if orders <= 0 || rounds <= 0 {
		return nil, fmt.Errorf("bench: Paired: orders (%d) and rounds (%d) must be positive", orders, rounds)
	}
	return pairedRounds(func(s strategies.Strategy) (float64, error) {
		return block(ctx, k, s, orders)
	}, base, other, rounds)
}

// pairedRounds runs rounds ABBA rounds of measure.
func pairedRounds(measure func(strategies.Strategy) (float64, error), base, other strategies.Strategy, rounds int) ([]Round, error) {
	out := make([]Round, 0, rounds)
	for r := range rounds {
		var tp [4]float64
		for i, s := range [4]strategies.Strategy{base, other, other, base} {
			v, err := measure(s)
			if err != nil {
				return out, fmt.Errorf("bench: Paired: round %d, block %d (%s): %w", r+1, i+1, s.Name(), err)
			}
			tp[i] = v
		}
		out = append(out, Round{Base: math.Sqrt(tp[0] * tp[3]), Other: math.Sqrt(tp[1] * tp[2])})
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
		return 0, fmt.Errorf("served %d of %d orders (failed %d): %v",
			res.Served, orders, res.Failed, res.Errors)
	}
	return res.Throughput(), nil
}

// BlockOrders returns how many orders make a block of about d for s,
// timing a warm-up window of d. It is never below four orders per core
// (GOMAXPROCS), so every cook has work.
func BlockOrders(ctx context.Context, k *kitchen.Kitchen, s strategies.Strategy, d time.Duration) (int, error) {
	res, err := Run(ctx, k, s, Load{Duration: d})
	if err != nil {
		return 0, err
	}
	return max(4*runtime.GOMAXPROCS(0), int(res.Throughput()*d.Seconds())), nil
}
