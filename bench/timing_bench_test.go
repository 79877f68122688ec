package bench

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// BenchmarkTiming measures how late waits end (issue 16): each dish is one
// grill step of 300 µs, 1 ms or 7.5 ms, 8 customers, a grill for each,
// so nothing queues for a grill, and the cores stay mostly idle, so that
// the figure is a wait's lateness rather than queueing for a core (64
// goroutines ending 300 µs waits ask for more than a core's worth of
// scheduling and bookkeeping). A dish's service time (served minus
// started) less the requested wait is the overshoot of that wait: the OS
// timer's lateness, the Go scheduler's, and for the event loop the turns it
// spends on other dishes before it resumes this one. Reported as p50 and
// p99 per strategy, with precise waits (the default) and with the
// runtime's timers alone:
//
//	go test -run '^$' -bench Timing -cpu 1,2 -count 5 ./bench | tee t.txt
//	benchstat -col /waits t.txt
//
// The timer heap's own cost is BenchmarkEventLoop's.
func BenchmarkTiming(b *testing.B) {
	for _, waits := range []kitchen.Waits{kitchen.PreciseWaits, kitchen.RuntimeWaits} {
		for _, wait := range []time.Duration{300 * time.Microsecond, time.Millisecond, 7500 * time.Microsecond} {
			k, err := kitchen.New(&kitchen.Menu{
				Name: "timing", Grills: 8, Customers: 8, Seed: 1,
				Dishes: []kitchen.Dish{{Name: "wait", Weight: 1, Steps: []kitchen.Step{
					{Name: "grill", Kind: kitchen.Grill, Wait: wait},
				}}},
			})
			if err != nil {
				b.Fatal(err)
			}
			k.Waits = waits
			for _, s := range allStrategies(b) {
				b.Run("waits="+string(waits)+"/wait="+waitName(wait)+"/strategy="+s.Name(), func(b *testing.B) {
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
}

// waitName spells d for a benchmark name in ASCII: 300us, 1ms, 7.5ms.
func waitName(d time.Duration) string {
	if d < time.Millisecond {
		return strconv.FormatInt(d.Microseconds(), 10) + "us"
	}
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', -1, 64) + "ms"
}
