package render

import (
	"bytes"
	"io"
	"testing"

	"github.com/kitchenbench/kitchenbench/internal/fixture"
	"github.com/kitchenbench/kitchenbench/results"
)

// openFile is a synthetic open-loop run: two samples of one cell with
// per-dish figures, one censored, and a second cell without dish d2.
func openFile() *results.File {
	lat := func(p50, p99 float64, lower ...string) results.Latency {
		return results.Latency{P50: p50, P90: 2 * p50, P99: p99, QueueP50: p50 / 10, Lower: lower}
	}
	s := func(strategy string, cores int, p50 float64, dishes map[string]results.Latency) results.Sample {
		return results.Sample{Menu: "m", Strategy: strategy, Cores: cores, TargetRate: 100,
			DispatchLagP50: 1e3, DispatchLagP99: 5e3, Latency: lat(p50, 10*p50), PerDish: dishes}
	}
	return &results.File{Samples: []results.Sample{
		s("sync", 1, 1e6, map[string]results.Latency{"d1": lat(1e6, 2e6), "d2": lat(3e6, 9e6)}),
		s("sync", 1, 3e6, map[string]results.Latency{"d1": lat(2e6, 4e6), "d2": lat(4e6, 2e7, "p99")}),
		s("pool", 2, 5e5, map[string]results.Latency{"d1": lat(5e5, 1e6)}),
	}}
}

func TestTables(t *testing.T) {
	model := func(menu string, rate float64) (OpenLoopRow, bool) {
		return OpenLoopRow{Strategy: "M/G/1 FIFO model", Utilisation: rate / 200, QueueP50: 1e5, P50: 1e6, P90: 2e6, P99: 4e6}, true
	}
	subjects := []struct {
		name string
		s    Subject
	}{
		{"perdish", PerDishOf(openFile())},
		{"openloop", OpenLoopOf(openFile(), model)},
		{"knees", Knees{
			{Menu: "m", Strategy: "sync", Cores: 2, SLO: "p99=50ms", Rate: 400, Lowest: 100, Highest: 1e4, Bound: 500, Probes: 7},
			{Menu: "m", Strategy: "pool", Cores: 2, SLO: "p99=50ms", Rate: 1e4, Lowest: 100, Highest: 1e4, Bound: 1200, Probes: 6},
			{Menu: "n", Strategy: "pool", Cores: 2, SLO: "p99=1ms", Rate: 0, Lowest: 100, Highest: 1e4, Bound: 50, Probes: 3},
		}},
	}
	for _, sub := range subjects {
		t.Run(sub.name, func(t *testing.T) {
			fixture.GoldenFormats(t, sub.name, Formats, func(w io.Writer, format string) error { return Write(w, format, sub.s) })
		})
	}
}

func TestEmptyOpenLoopWritesNothing(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, FormatText, OpenLoopOf(&results.File{}, nil)); err != nil || b.Len() != 0 {
		t.Errorf("closed loop: Write = %v, %q; want nil, nothing", err, b.String())
	}
}

func TestUnknownFormat(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "yaml", Knees{}); err == nil {
		t.Error("Write(yaml) = nil; want an error naming the formats")
	}
}
