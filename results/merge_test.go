package results

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMerge(t *testing.T) {
	a := testFile("laptop", 2, 1, nil)
	b := testFile("laptop", 3, 1, nil)
	b.Partial = true
	m, err := Merge(a, b)
	require.NoError(t, err)
	assert.Len(t, m.Samples, len(a.Samples)+len(b.Samples), "Merge().Samples")
	assert.True(t, m.Partial, "Merge().Partial")
	assert.Equal(t, 5, m.Config.Count, "Merge().Config.Count")
	assert.Equal(t, []int{1, 2, 4}, m.Config.Cores, "Merge().Config.Cores")
	iters := map[Cell][]int{}
	for _, s := range m.Samples {
		iters[s.Cell()] = append(iters[s.Cell()], s.Iter)
	}
	assert.Equal(t, []int{0, 1, 2, 3, 4}, iters[Cell{"banquet", "pool", 2}], "Iter renumbered per cell")
	require.NoError(t, m.Validate(), "Merge() result validates")

	// Percentiles come from the merged histograms of both files.
	c := Cell{"dinner-rush", "sync", 1}
	var h Histogram
	for _, f := range []*File{a, b} {
		for _, s := range f.Samples {
			if s.Cell() == c {
				h.Merge(s.Hist)
			}
		}
	}
	got, ok := Find(Summarize(m.Samples), c)
	require.True(t, ok)
	assert.Equal(t, h.Quantile(99), got.P99, "P99 of merged file")
	assert.Equal(t, 5, got.Throughput.N, "Throughput.N of merged file")

	// Different machines do not merge.
	other := testFile("server", 1, 1, nil)
	other.Machine.LogicalCPUs = 64
	other.Path = "server.json"
	_, err = Merge(a, other)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "but server.json on Test CPU 3000, 64 CPUs", "Merge() error")
	_, err = Merge()
	assert.Error(t, err, "Merge()")
}
