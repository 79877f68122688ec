package results_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/internal/fixture"
	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/stats"
)

func TestMerge(t *testing.T) {
	a := fixture.File("laptop", 2, 1, nil)
	b := fixture.File("laptop", 3, 1, nil)
	b.Partial = true
	m, err := results.Merge(a, b)
	require.NoError(t, err)
	assert.Len(t, m.Samples, len(a.Samples)+len(b.Samples), "Merge().Samples")
	assert.True(t, m.Partial, "Merge().Partial")
	assert.Equal(t, 5, m.Config.Count, "Merge().Config.Count")
	assert.Equal(t, []int{1, 2, 4}, m.Config.Cores, "Merge().Config.Cores")
	iters := map[results.Cell][]int{}
	for _, s := range m.Samples {
		iters[s.Cell()] = append(iters[s.Cell()], s.Iter)
	}
	assert.Equal(t, []int{0, 1, 2, 3, 4}, iters[results.Cell{"banquet", "pool", 2}], "Iter renumbered per cell")
	require.NoError(t, m.Validate(), "Merge() result validates")

	// Percentiles come from every order of both files: the fixture
	// records lat×i/100 for i in 1..200 per sample, lat = 1e9/dishes/s
	// (× cores). The expected p99 is the nearest-rank value of all those
	// latencies, computed here without any histogram.
	c := results.Cell{"dinner-rush", "sync", 1}
	var all []float64
	for _, f := range []*results.File{a, b} {
		for _, s := range f.Samples {
			if s.Cell() == c {
				lat := 1e9 / s.DishesPerSec * float64(s.Cores)
				for i := 1; i <= 200; i++ {
					all = append(all, float64(int64(lat*float64(i)/100)))
				}
			}
		}
	}
	slices.Sort(all)
	want := all[stats.Rank(99, int64(len(all)))-1]
	got, ok := compare.Find(compare.Summarize(m.Samples), c)
	require.True(t, ok)
	assert.InEpsilon(t, want, got.P99, 0.001, "P99 of merged file: nearest rank of all %d latencies, within the histogram's 0.1%%", len(all))
	assert.Equal(t, all[len(all)-1], got.Max, "Max of merged file: the exact largest latency")
	assert.Equal(t, 5, got.Throughput.N, "Throughput.N of merged file")

	// Different machines do not merge.
	other := fixture.File("server", 1, 1, nil)
	other.Machine.LogicalCPUs = 64
	other.Path = "server.json"
	_, err = results.Merge(a, other)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "but server.json on Test CPU 3000, 64 CPUs", "Merge() error")
	_, err = results.Merge()
	assert.Error(t, err, "Merge()")
}

func TestMergeKeepsKneesAndMenusOfLaterFiles(t *testing.T) {
	a := fixture.File("laptop", 2, 1, nil)
	a.Config.Menus = map[string]json.RawMessage{"dinner-rush": json.RawMessage(`{"name":"dinner-rush"}`)}
	b := fixture.File("laptop", 2, 1, nil)
	b.Config.Menus = map[string]json.RawMessage{"dinner-rush": json.RawMessage(`{ "name": "dinner-rush" }`), "banquet": json.RawMessage(`{"name":"banquet"}`)}
	b.Knees = []results.Knee{{Menu: "banquet", Strategy: "pool", Cores: 2, SLO: "p99=50ms", Rate: 800, Probes: 7}}
	m, err := results.Merge(a, b)
	require.NoError(t, err)
	assert.Equal(t, b.Knees, m.Knees, "knees of the second file")
	assert.Contains(t, m.Config.Menus, "banquet", "menu defined only in the second file")
	assert.JSONEq(t, `{"name":"dinner-rush"}`, string(m.Config.Menus["dinner-rush"]))
}

func TestMergeRefusesDifferentDefinitions(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(f *results.File)
		want   string
	}{
		{"duration", func(f *results.File) { f.Config.Duration = 300 * time.Millisecond }, "sample duration: #1 1s, #2 300ms"},
		{"arrivals", func(f *results.File) { f.Config.Arrival = "poisson" }, "arrivals: #1 closed, #2 poisson"},
		{"menu", func(f *results.File) {
			f.Config.Menus = map[string]json.RawMessage{"banquet": json.RawMessage(`{"b":2}`)}
		}, "menu banquet is defined differently"},
		{"go test -bench", func(f *results.File) { f.Config.Duration = 0 }, "go test -bench results"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := fixture.File("", 2, 1, nil), fixture.File("", 2, 1, nil)
			a.Config.Menus = map[string]json.RawMessage{"banquet": json.RawMessage(`{"b":1}`)}
			b.Config.Menus = map[string]json.RawMessage{"banquet": json.RawMessage(`{"b":1}`)}
			tc.change(b)
			_, err := results.Merge(a, b)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
