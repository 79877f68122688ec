package report_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/kitchenbench/kitchenbench/report"
	"github.com/kitchenbench/kitchenbench/results"
)

func ExampleCharts() {
	f := &results.File{Machine: results.Machine{Name: "laptop", LogicalCPUs: 4}}
	for _, n := range []int{1, 2, 4} {
		f.Samples = append(f.Samples, results.Sample{
			Menu: "banquet", Strategy: "pool", Cores: n,
			DishesPerSec: 100 * float64(n) / (1 + 0.05*float64(n-1)),
			Bound:        100 * float64(n),
			Latency:      results.Latency{P50: 40e6, P99: 120e6, P999: 200e6},
		})
	}
	dir, err := os.MkdirTemp("", "charts")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	paths, err := report.Charts(dir, []*results.File{f}, "svg")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range paths {
		fmt.Println(filepath.Base(p))
	}
	// Output:
	// banquet-throughput.svg
	// banquet-latency.svg
	// banquet-bound.svg
}
