package render_test

import (
	"fmt"
	"os"

	"github.com/kitchenbench/kitchenbench/render"
	"github.com/kitchenbench/kitchenbench/results"
)

func ExampleRun() {
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
	if err := render.Write(os.Stdout, render.FormatText, render.Run(f)); err != nil {
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
	// each cell: median dishes/s ±95% CI, * best in its column; speedup over sync at 1 core (this machine's shape), % of the model bound (for the mix of dishes served; beside it, where that mix differs by over 5%, % of the bound for the menu's own mix); p50 and p99 latency, ≥ a censored lower bound with Little's-law mean beside; cpu-ns per dish; ! sample flags
}
