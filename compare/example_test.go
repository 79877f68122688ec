package compare_test

import (
	"fmt"

	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/results"
)

func ExampleSummarize() {
	var samples []results.Sample
	for i, dps := range []float64{980, 1010, 1000, 995, 1020, 990} {
		samples = append(samples, results.Sample{Menu: "dinner-rush", Strategy: "sync", Cores: 1, Iter: i, DishesPerSec: dps})
	}
	for _, s := range compare.Summarize(samples) {
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
	v, err := compare.Check(mk("baseline", 2000), mk("current", 1600), 0.05)
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
	// lunch/pool/2 dishes/s -20.00%
}
