package results_test

import (
	"fmt"
	"os"
	"time"

	"github.com/kitchenbench/kitchenbench/results"
)

func ExampleHistogram() {
	// One histogram per cook, merged at the end.
	cooks := []*results.Histogram{results.NewHistogram(), results.NewHistogram()}
	for i := int64(1); i <= 1000; i++ {
		cooks[i%2].Record(i * int64(time.Microsecond))
	}
	var all results.Histogram
	for _, h := range cooks {
		all.Merge(h)
	}
	l := all.Latency()
	fmt.Println(all.Count(), results.FormatNs(l.P50), results.FormatNs(l.P99), results.FormatNs(l.Max))
	// Output: 1000 500µs 990µs 1.00ms
}

func ExampleSummarize() {
	var samples []results.Sample
	for i, dps := range []float64{980, 1010, 1000, 995, 1020, 990} {
		samples = append(samples, results.Sample{Menu: "dinner-rush", Strategy: "sync", Cores: 1, Iter: i, DishesPerSec: dps})
	}
	for _, s := range results.Summarize(samples) {
		e := s.Throughput
		fmt.Printf("%s/%s/%d: median %v dishes/s, 95%% CI [%v, %v], n=%d\n", s.Menu, s.Strategy, s.Cores, e.Center, e.Lo, e.Hi, e.N)
	}
	// Output: dinner-rush/sync/1: median 997.5 dishes/s, 95% CI [980, 1020], n=6
}

func ExampleCheck() {
	mk := func(name string, poolDPS float64) *results.File {
		f := &results.File{Schema: results.SchemaVersion, Path: name + ".json"}
		for i, jitter := range []float64{0, 3, -2, 5, -4, 1, -1, 2} {
			for _, st := range []string{"sync", "pool"} {
				dps := 1000 + jitter
				if st == "pool" {
					dps = poolDPS + jitter
				}
				f.Samples = append(f.Samples, results.Sample{Menu: "lunch", Strategy: st, Cores: 2, Iter: i, DishesPerSec: dps})
			}
		}
		return f
	}
	v, err := results.Check(mk("baseline", 2000), mk("current", 1600), 0.05)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("regressed:", v.Regressed())
	for _, r := range v.Regressions {
		fmt.Println(r.Cell, r.Metric, r.Delta())
	}
	// Output:
	// regressed: true
	// {lunch pool 2} dishes/s -20.00%
}

func ExampleRender() {
	f := &results.File{Schema: results.SchemaVersion, Machine: results.Machine{Name: "example", LogicalCPUs: 2, OS: "linux", Arch: "amd64"}}
	for i := range 6 {
		for _, st := range []string{"sync", "pool"} {
			for _, cores := range []int{1, 2} {
				dps := 1000.0
				if st == "pool" {
					dps *= float64(cores) * 0.9
				}
				f.Samples = append(f.Samples, results.Sample{Menu: "lunch", Strategy: st, Cores: cores, Iter: i,
					DishesPerSec: dps + float64(i), Latency: results.Latency{P50: 1e6, P99: 4e6}})
			}
		}
	}
	if err := results.Render(os.Stdout, results.FormatText, f); err != nil {
		fmt.Println(err)
	}
	// Output:
	// machine: example (2 logical CPUs, linux/amd64)
	//
	// menu lunch
	// +----------+-----------------------+-----------------------+
	// | strategy |                1 core |               2 cores |
	// +----------+-----------------------+-----------------------+
	// | sync     |           1.00k ±0% * |             1.00k ±0% |
	// |          |                 1.00× |                 1.00× |
	// |          | p50 1.00ms p99 4.00ms | p50 1.00ms p99 4.00ms |
	// +----------+-----------------------+-----------------------+
	// | pool     |               903 ±0% |           1.80k ±0% * |
	// |          |                 0.90× |                 1.80× |
	// |          | p50 1.00ms p99 4.00ms | p50 1.00ms p99 4.00ms |
	// +----------+-----------------------+-----------------------+
	// each cell: median dishes/s ±95% CI, * best in its column; speedup over sync at 1 core (this machine's shape), % of the model bound; p50 and p99 latency, ≥ a censored lower bound with Little's-law mean beside; cpu-ns per dish; ! sample flags
}
