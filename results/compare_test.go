package results

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// synth returns a file of n samples per cell of 2 menus × 3 strategies ×
// cores 1, 2, drawn with relative noise from rng (seeded, so deterministic).
// factor multiplies the throughput of the named cells ("menu/strategy/cores")
// and divides their latency.
func synth(name string, n int, noise float64, rng *rand.Rand, factor map[string]float64) *File {
	f := &File{Schema: SchemaVersion, Path: name + ".json", Machine: Machine{Name: name, LogicalCPUs: 2, OS: "linux", Arch: "amd64"}}
	for iter := range n {
		for _, menu := range []string{"m1", "m2"} {
			for si, st := range []string{"sync", "pool", "loops"} {
				for _, cores := range []int{1, 2} {
					c := Cell{menu, st, cores}
					dps := 1000 * float64(si+1) * float64(cores)
					if m, ok := factor[cellKey(c)]; ok {
						dps *= m
					}
					d := dps * (1 + noise*rng.NormFloat64())
					p99 := 1e9 / dps * 5 * (1 + noise*rng.NormFloat64())
					f.Samples = append(f.Samples, Sample{
						Menu: menu, Strategy: st, Cores: cores, Iter: iter,
						Orders: int(d), Served: int(d), Elapsed: time.Second, DishesPerSec: d,
						Latency: Latency{P50: p99 / 5, P99: p99},
					})
				}
			}
		}
	}
	return f
}

func TestCompare(t *testing.T) {
	a := testFile("laptop", 6, 1, nil)
	a.Path = "results/laptop.json"
	b := testFile("server", 6, 3, map[string]float64{"dinner-rush/pool/2": 0.5})
	b.Path = "results/server.json"
	b.Config.Cores = []int{1, 2}
	var keep []Sample
	for _, s := range b.Samples { // the server ran no 4-core cells
		if s.Cores != 4 {
			keep = append(keep, s)
		}
	}
	b.Samples = keep

	c, err := Compare([]*File{a, b})
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
		if cc.Cell == (Cell{"dinner-rush", "pool", 2}) {
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
	a := synth("a", 3, 0.01, rng, nil)
	other := synth("b", 3, 0.01, rng, nil)
	for i := range other.Samples {
		other.Samples[i].Menu = "x-" + other.Samples[i].Menu
	}
	noCell := synth("c", 3, 0.01, rng, nil)
	for i := range noCell.Samples {
		noCell.Samples[i].Cores += 10
	}
	for _, tc := range []struct {
		name  string
		files []*File
		want  string
	}{
		{"one file", []*File{a}, "at least two result files, got 1"},
		{"no menu in common", []*File{a, other}, "share no menu; a has m1, m2; b has x-m1, x-m2"},
		{"no cell in common", []*File{a, noCell}, "share menus m1, m2 but no cell (menu, strategy and core count); a has strategies sync, pool, loops at cores 1, 2; c has strategies sync, pool, loops at cores 11, 12"},
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

func TestCompareNeverComparesACensoredP99(t *testing.T) {
	a := testFile("a", 6, 1, nil)
	b := testFile("b", 6, 1, nil)
	c := Cell{"dinner-rush", "sync", 1}
	for i := range b.Samples {
		s := &b.Samples[i]
		if s.Cell() == c {
			s.Censored = 5
			s.CensoredMin = time.Duration(0.9 * s.Latency.Max) // orders waiting from 0.9 × max on
			s.Latency.Lower = []string{"p99", "p999", "max"}
		}
	}
	cmp, err := Compare([]*File{a, b})
	require.NoError(t, err)
	for _, cc := range cmp.Cells {
		p := cc.P99[1]
		assert.Zero(t, p.N1, "%v: p99 is never tested", cc.Cell)
		if cc.Cell == c {
			assert.True(t, cc.Sums[1].IsLower("p99"), "the merged p99 is at or above the smallest censored age")
			assert.True(t, math.IsNaN(p.Ratio), "a censored p99 has no change: %v", p.Ratio)
			assert.Equal(t, "censored: not compared", p.Note)
			assert.Equal(t, "", p.Delta())
		} else {
			assert.Equal(t, "untested", p.Note, "%v", cc.Cell)
			assert.False(t, math.IsNaN(p.Ratio))
		}
	}
	var buf bytes.Buffer
	require.NoError(t, Render(&buf, FormatText, cmp))
	assert.Contains(t, buf.String(), "(censored: not compared)")
	assert.Regexp(t, `≥\d`, buf.String(), "the censored p99 shown as a lower bound")
}
