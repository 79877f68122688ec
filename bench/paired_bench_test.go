package bench

import (
	"context"
	"testing"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/stats"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// pairedBlock is the length of one block of a paired round: short enough
// that the machine's speed holds steady across a round (see Paired), long
// enough to serve a few dishes per core.
const pairedBlock = 30 * time.Millisecond

// benchPaired runs b.N paired rounds (see Paired) of base and other, one
// op a round of four blocks, and reports as unit the median over the
// rounds of other's dishes/s ÷ base's.
func benchPaired(b *testing.B, k *kitchen.Kitchen, base, other strategies.Strategy, unit string) {
	b.Helper()
	benchPairedBlock(b, k, base, other, unit, pairedBlock)
}

// benchPairedBlock is benchPaired with blocks of about block.
func benchPairedBlock(b *testing.B, k *kitchen.Kitchen, base, other strategies.Strategy, unit string, block time.Duration) {
	b.Helper()
	ctx := context.Background()
	orders, err := BlockOrders(ctx, k, base, block)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer() // Paired collects the heap before every block
	rounds, err := Paired(ctx, k, base, other, orders, b.N)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	ratios := make([]float64, len(rounds))
	for i, r := range rounds {
		ratios[i] = r.Ratio()
	}
	b.ReportMetric(stats.Median(ratios), unit)
}

// BenchmarkOverheadShare measures each strategy's dishes/s as a share of
// sync's on dishes of one 1 µs CPU step (issue 6, item 1: at least 0.97 on
// one core, where the physical limit is 1), in paired rounds of about
// 30 ms blocks, so the share is a ratio within each round rather than
// between two benchmarks seconds apart. The row strategy=sync pits sync
// against itself: what the method reads when there is no difference.
//
//	go test -run '^$' -bench OverheadShare -cpu 1 -count 10 ./bench | tee share.txt
//	benchstat -col /strategy share.txt
func BenchmarkOverheadShare(b *testing.B) {
	k, err := kitchen.New(overheadMenu(1, 1))
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range allStrategies(b) {
		b.Run("units=1/steps=1/strategy="+s.Name(), func(b *testing.B) {
			benchPaired(b, k, strategies.Sync{}, s, "share-of-sync")
		})
	}
}

// BenchmarkPairedNet measures the event loop's dishes/s as a share of
// goroutines' on dinner-rush-net (issue 12: eventloop ≥ 0.9× goroutines at
// one core), in paired rounds of blocks of about a second, against a grill
// service child. Each block is a run of its own and opens its thousand
// connections anew, which a block of a second keeps to a small part.
//
//	go test -run '^$' -bench PairedNet -cpu 1 -count 6 ./bench
func BenchmarkPairedNet(b *testing.B) {
	k := ioKitchen(b, "dinner-rush-net")
	b.Run("menu=dinner-rush-net/strategy=eventloop", func(b *testing.B) {
		benchPairedBlock(b, k, strategies.Goroutines{}, strategies.EventLoop{}, "share-of-goroutines", time.Second)
	})
}
