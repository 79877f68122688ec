//go:build linux

package strategies

import (
	"context"
	"strconv"
	"testing"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

// BenchmarkReadHandoff measures what the event loop pays to hand a read
// step to its pool of threads, as asyncio's to_thread does: the time from
// the hand-off to the loop's callback for the completed read, less the
// pread itself, per read (handoff-ns/read). Orders come one at a time, so
// no read queues behind another. The pantry is a small file in the page
// cache, written once.
//
//	go test -run '^$' -bench ReadHandoff -cpu 1,2 ./strategies
func BenchmarkReadHandoff(b *testing.B) {
	for _, size := range []int64{4 << 10, 64 << 10} {
		b.Run("bytes="+strconv.FormatInt(size, 10), func(b *testing.B) {
			p, err := kitchen.CreatePantry(kitchen.PantryOptions{Dir: b.TempDir(), Size: 4 << 20, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			defer p.Close()
			k, err := kitchen.New(&kitchen.Menu{Name: "pantry", Grills: 1, Customers: 1, Seed: 1,
				Dishes: []kitchen.Dish{{Name: "stock", Weight: 1, Steps: []kitchen.Step{
					{Name: "fetch", Kind: kitchen.Read, Bytes: size},
				}}}})
			if err != nil {
				b.Fatal(err)
			}
			k.Pantry = p
			orders := make(chan *Order)
			next := make(chan struct{}, 1)
			var o Order
			failed := 0
			sys := ReactorSyscalls()
			b.ResetTimer()
			go func() {
				for i := range b.N {
					o.Reset(int64(i), k.Pick(int64(i)), Now())
					orders <- &o
					<-next
				}
				close(orders)
			}()
			err = EventLoop{}.Serve(context.Background(), k, orders, func(o *Order) {
				if o.Err != nil {
					failed++
				}
				next <- struct{}{}
			})
			b.StopTimer()
			if err != nil || failed > 0 {
				b.Fatalf("Serve: %v; %d reads failed", err, failed)
			}
			d := ReactorSyscalls().Sub(sys)
			b.ReportMetric(float64(d.HandoffNs)/float64(d.ReadHandoff), "handoff-ns/read")
			b.ReportMetric(float64(d.Total())/float64(b.N), "syscalls/read")
			if testing.Verbose() {
				b.Logf("%d reads: %+v", b.N, d)
			}
		})
	}
}
