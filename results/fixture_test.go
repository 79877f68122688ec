package results

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// jitter is a fixed spread of relative noise, in the order samples are
// taken: the fixtures never depend on a clock or a random seed.
var jitter = []float64{0.00, +0.012, -0.009, +0.004, -0.015, +0.007, -0.003}

// testFile returns a deterministic result file: two menus, three strategies,
// cores 1, 2 and 4 on a 2-CPU machine, count samples per cell. scale
// multiplies every throughput (a faster or slower machine); slow names cells
// ("menu/strategy/cores") whose throughput is multiplied further.
func testFile(name string, count int, scale float64, slow map[string]float64) *File {
	f := &File{
		Schema: SchemaVersion,
		Machine: Machine{
			Name: name, CPUModel: "Test CPU 3000", LogicalCPUs: 2, OS: "linux", Arch: "amd64",
			GoVersion: "go1.26.0", GOMAXPROCS: []int{1, 2, 4}, NsPerUnit: 10, Commit: "abc1234",
			Date: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC),
		},
		Config: Config{
			Strategies: []string{"sync", "pool", "eventloop"}, Cores: []int{1, 2, 4},
			Count: count, Duration: time.Second, Arrival: "closed",
		},
	}
	// base dishes/s per strategy at 1 core, and how each scales with cores.
	base := map[string]float64{"sync": 1000, "pool": 950, "eventloop": 4000}
	scaling := map[string]map[int]float64{
		"sync":      {1: 1, 2: 1, 4: 1},
		"pool":      {1: 1, 2: 1.9, 4: 1.95},
		"eventloop": {1: 1, 2: 1.02, 4: 1.01},
	}
	menuScale := map[string]float64{"dinner-rush": 1, "banquet": 0.25}
	k := 0
	for iter := 0; iter < count; iter++ { // round-robin, as the runner interleaves
		for _, menu := range []string{"dinner-rush", "banquet"} {
			for _, st := range f.Config.Strategies {
				for _, cores := range f.Config.Cores {
					cell := Cell{menu, st, cores}
					dps := base[st] * scaling[st][cores] * menuScale[menu] * scale * (1 + jitter[k%len(jitter)])
					if m, ok := slow[cellKey(cell)]; ok {
						dps *= m
					}
					k++
					served := int(dps) // one second per sample
					lat := 1e9 / dps * float64(cores)
					h := NewHistogram()
					for i := 1; i <= 200; i++ {
						h.Record(int64(lat * float64(i) / 100))
					}
					failed := 0
					if menu == "banquet" && st == "eventloop" && cores == 4 && iter == 0 {
						failed = 3
					}
					f.Samples = append(f.Samples, Sample{
						Menu: menu, Strategy: st, Cores: cores, Iter: iter,
						Orders: served + failed, Served: served, Failed: failed,
						Elapsed:      time.Second,
						DishesPerSec: float64(served),
						Bound:        base[st] * scaling[st][cores] * menuScale[menu] * scale * 1.1,
						Latency:      h.Latency(),
						Hist:         h,
					})
				}
			}
		}
	}
	return f
}

func cellKey(c Cell) string {
	return c.Menu + "/" + c.Strategy + "/" + strconv.Itoa(c.Cores)
}

// golden compares got with testdata/name.golden, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file: run go test ./results -update")
	// assert.Equal prints a unified diff of the two texts.
	assert.Equal(t, string(want), string(got), "%s differs from the output (run go test ./results -update if the change is intended)", path)
}
