package compare

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/internal/fixture"
	"github.com/kitchenbench/kitchenbench/results"
)

func TestCompare(t *testing.T) {
	a := fixture.File("laptop", 6, 1, nil)
	a.Path = "results/laptop.json"
	b := fixture.File("server", 6, 3, map[string]float64{"dinner-rush/pool/2": 0.5})
	b.Path = "results/server.json"
	b.Config.Cores = []int{1, 2}
	var keep []results.Sample
	for _, s := range b.Samples { // the server ran no 4-core cells
		if s.Cores != 4 {
			keep = append(keep, s)
		}
	}
	b.Samples = keep

	c, err := Compare([]*results.File{a, b})
	require.NoError(t, err)
	assert.Equal(t, []string{"laptop", "server"}, c.Labels, "Labels")
	require.Len(t, c.Cells, 12, "common cells: 2 menus × 3 strategies × cores 1, 2")
	for _, cc := range c.Cells {
		assert.NotEqual(t, 4, cc.Cores, "cell %v is not in both files", cc.Cell)
		require.Len(t, cc.Sums, 2)
		require.Len(t, cc.Throughput, 2)
		assert.Equal(t, Change{}, cc.Throughput[0], "change of the base file from itself")
		tp := cc.Throughput[1]
		assert.Equal(t, 6, tp.N1, "N1")
		assert.Equal(t, 6, tp.N2, "N2")
		assert.True(t, tp.Significant(), "%v: 3× faster machine: p=%v", cc.Cell, tp.P)
		assert.Regexp(t, `^\+\d+\.\d\d%$`, tp.Delta(), "Delta()")
		if cc.Cell == (results.Cell{Menu: "dinner-rush", Strategy: "pool", Cores: 2}) {
			assert.InDelta(t, 0.5, tp.Ratio, 0.05, "Ratio of the slowed cell")
			// Normalized shape shows the slowed cell despite the faster machine.
			assert.InDelta(t, cc.Speedup[0]/2, cc.Speedup[1], 0.05, "normalized speedup of the slowed cell")
		} else {
			assert.InDelta(t, 2.0, tp.Ratio, 0.05, "Ratio of %v", cc.Cell)
			assert.InDelta(t, cc.Speedup[0], cc.Speedup[1], 0.05, "normalized speedups of %v", cc.Cell)
		}
	}
	assert.Len(t, c.Curves[0], 6, "laptop curves")
	assert.Equal(t, []int{1, 2}, c.Curves[1][0].Cores, "server curve cores")
}

func TestCompareIncomparable(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	a := fixture.Synth("a", 3, 0.01, rng, nil)
	other := fixture.Synth("b", 3, 0.01, rng, nil)
	for i := range other.Samples {
		other.Samples[i].Menu = "x-" + other.Samples[i].Menu
	}
	noCell := fixture.Synth("c", 3, 0.01, rng, nil)
	for i := range noCell.Samples {
		noCell.Samples[i].Cores += 10
	}
	for _, tc := range []struct {
		name  string
		files []*results.File
		want  string
	}{
		{"one file", []*results.File{a}, "at least two result files, got 1"},
		{"no menu in common", []*results.File{a, other}, "share no menu; a has m1, m2; b has x-m1, x-m2"},
		{"no cell in common", []*results.File{a, noCell}, "share menus m1, m2 but no cell (menu, strategy and core count); a has strategies sync, pool, loops at cores 1, 2; c has strategies sync, pool, loops at cores 11, 12"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Compare(tc.files)
			require.Error(t, err, "Compare() = %v; want an error", c)
			assert.True(t, errors.Is(err, ErrIncomparable), "Compare() error %v does not wrap ErrIncomparable", err)
			assert.Contains(t, err.Error(), tc.want, "Compare() error")
			_, err = Check(tc.files[0], tc.files[len(tc.files)-1], 0.05)
			if len(tc.files) > 1 {
				assert.ErrorIs(t, err, ErrIncomparable, "Check() error")
			}
		})
	}
}
