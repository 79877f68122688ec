package bench

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// BenchmarkTiming measures how late waits end (issue 6, item 4): each
// dish is one grill or rest step of 1 ms, 64 customers, a grill for each,
// so nothing queues for a grill. A dish's service time (served minus
// started) less the requested wait is the overshoot of that wait: the OS
// timer's lateness, the Go scheduler's, and for the event loop the turns it
// spends on other dishes before it resumes this one. Reported as p50 and
// p99 per strategy:
//
//	go test -run '^$' -bench Timing -cpu 1,2 -count 5 ./bench | tee t.txt
//	benchstat -col /strategy t.txt
//
// Note: Go's timers on Linux wait in epoll with millisecond resolution when
// the process is otherwise idle, so overshoots of up to ~1 ms are the
// platform's, shared by every strategy.
func BenchmarkTiming(b *testing.B) {
	const wait = time.Millisecond
	for _, kind := range []kitchen.StepKind{kitchen.Grill, kitchen.Rest} {
		k, err := kitchen.New(&kitchen.Menu{
			Name: "timing", Grills: 64, Customers: 64, Seed: 1,
			Dishes: []kitchen.Dish{{Name: "wait", Weight: 1, Steps: []kitchen.Step{
				{Name: kind.String(), Kind: kind, Wait: wait},
			}}},
		})
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range allStrategies(b) {
			b.Run("step="+kind.String()+"/strategy="+s.Name(), func(b *testing.B) {
				res, err := Run(context.Background(), k, s, Load{Orders: b.N})
				if err != nil {
					b.Fatal(err)
				}
				over := make([]int64, 0, len(res.Records))
				for _, r := range res.Records {
					if r.Outcome == strategies.Served {
						over = append(over, r.Latency-r.Queue-int64(wait))
					}
				}
				slices.Sort(over)
				b.ReportMetric(float64(Percentile(over, 50)), "overshoot-p50-ns")
				b.ReportMetric(float64(Percentile(over, 99)), "overshoot-p99-ns")
			})
		}
	}
}
