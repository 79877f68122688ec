package report

import (
	"time"

	"github.com/kitchenbench/kitchenbench/results"
)

// testMachine is one machine of the in-memory test files.
type testMachine struct {
	name   string
	cpu    string
	cpus   int
	cores  map[string][]int // by menu
	lambda float64          // one-core throughput multiplier
}

var testMachines = []testMachine{
	{"laptop", "Test CPU 1000 @ 2.0GHz", 4, map[string][]int{"banquet": {1, 2, 4}, "dinner-rush": {1, 2}}, 1},
	{"server", "Test Xeon 9000", 16, map[string][]int{"banquet": {1, 2, 4, 8, 16}, "dinner-rush": {1, 2, 4}}, 1.3},
}

// testStrategies: per menu, each strategy's USL parameters (λ, σ, κ),
// latency at one core (ns) and whether cells carry a model bound.
var testStrategies = map[string][]struct {
	name               string
	lambda, sigma, kap float64
	p50                float64
	bound              bool
}{
	"banquet": {
		{"sync", 100, 0.95, 0, 40e6, true},
		{"pool", 95, 0.05, 0.002, 42e6, true},
		{"goroutines", 98, 0.02, 0.0005, 41e6, true},
		{"gil", 90, 0.9, 0.01, 45e6, false},
	},
	"dinner-rush": {
		{"sync", 50, 0.9, 0, 900e6, true},
		{"eventloop", 900, 0.95, 0, 25e6, true},
		{"loops", 880, 0.1, 0.001, 24e6, true},
	},
}

// testFiles builds one result file per machine, six samples per cell (enough for a 95% interval),
// throughput on the strategy's USL curve times a fixed jitter of ±2%.
func testFiles(machines ...testMachine) []*results.File {
	jitter := []float64{1, 1.01, 0.99, 1.02, 0.98, 1.005}
	var files []*results.File
	for mi, m := range machines {
		f := &results.File{
			Schema: results.SchemaVersion,
			Machine: results.Machine{
				Name: m.name, CPUModel: m.cpu, LogicalCPUs: m.cpus, OS: "linux", Arch: "amd64",
				GoVersion: "go1.26.0", NsPerUnit: 12.5 + float64(mi), Commit: "abc123" + m.name,
				Date: time.Date(2026, 5, 1+mi, 12, 0, 0, 0, time.UTC),
			},
		}
		for _, menu := range []string{"banquet", "dinner-rush"} {
			for _, st := range testStrategies[menu] {
				for _, n := range m.cores[menu] {
					x := m.lambda * st.lambda * float64(n) / (1 + st.sigma*float64(n-1) + st.kap*float64(n*(n-1)))
					for it, j := range jitter {
						s := results.Sample{
							Menu: menu, Strategy: st.name, Cores: n, Iter: it,
							Orders: 100, Served: 100,
							Elapsed:      time.Second,
							DishesPerSec: x * j,
							Latency: results.Latency{
								P50: st.p50 * j, P90: 2 * st.p50, P99: 3 * st.p50 * j, P999: 5 * st.p50 * j, Max: 8 * st.p50,
							},
						}
						if st.bound {
							s.Bound = m.lambda * st.lambda * float64(n) * 1.1
						}
						f.Samples = append(f.Samples, s)
					}
				}
			}
		}
		files = append(files, f)
	}
	return files
}
