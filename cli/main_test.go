package cli

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/internal/command"
	"github.com/kitchenbench/kitchenbench/results"
)

// TestMain serves as a grill service child when a run under test starts
// this binary as one (bench.GrillChildMain), and otherwise runs the tests.
func TestMain(m *testing.M) {
	bench.GrillChildMain()
	goleak.VerifyTestMain(m)
}

// kitchen runs the command in-process and returns its exit status and
// output, as the process would.
func runKitchen(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	ctx := context.Background()
	err := run(ctx, &out, &errb, args)
	code = command.Status(ctx, &errb, "kitchen", err)
	return code, out.String(), errb.String()
}

func TestHelp(t *testing.T) {
	code, out, _ := runKitchen(t, "help")
	assert.Equal(t, 0, code)
	for _, cmd := range []string{"run", "menus", "compare", "merge", "check", "knee", "report", "advise"} {
		assert.Contains(t, out, "\t"+cmd+" ", "help lists %s", cmd)
	}
	for _, cmd := range []string{"run", "menus", "compare", "merge", "check", "knee", "report", "advise"} {
		code, _, errOut := runKitchen(t, cmd, "-h")
		assert.Equal(t, 0, code, "%s -h", cmd)
		assert.Contains(t, errOut, "Example:", "%s -h shows an example", cmd)
	}
	code, _, errOut := runKitchen(t, "cook")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `unknown command "cook"`)
}

func TestMenusListsEveryMenuWithBounds(t *testing.T) {
	code, out, _ := runKitchen(t, "menus", "--cores", "4")
	require.Equal(t, 0, code)
	for _, name := range []string{"steak-and-salad", "dinner-rush", "banquet", "big-roast", "lunch-counter"} {
		assert.Contains(t, out, "\n"+name+": ")
	}
	assert.Contains(t, out, "model bound, dishes/s")
	assert.Contains(t, out, "4 cores")
	assert.Contains(t, out, "season(cpu 50) → grill(grill 4ms) → rest(rest 2ms) → plate(cpu 30)")
}

func TestRunWritesAResultFileAndItsBenchmarkTwin(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runKitchen(t, "run", "--menus", "steak-and-salad", "--strategies", "sync,eventloop",
		"--cores", "1", "--count", "2", "--duration", "20ms", "--out", dir)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "menu steak-and-salad")
	assert.Contains(t, errOut, "2/4 samples")
	paths, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	require.Len(t, paths, 1, "one result file")
	f, err := results.Read(paths[0])
	require.NoError(t, err)
	assert.False(t, f.Partial)
	assert.Len(t, f.Samples, 4, "2 strategies × 1 core count × 2 samples")
	assert.Equal(t, []int{0, 0, 1, 1}, []int{f.Samples[0].Iter, f.Samples[1].Iter, f.Samples[2].Iter, f.Samples[3].Iter},
		"samples interleaved: every cell once per round")
	assert.Positive(t, f.Machine.NsPerUnit)
	assert.Empty(t, f.Machine.Hostname, "no hostname unless asked for")
	assert.Contains(t, f.Config.Menus, "steak-and-salad", "the menu's definition is kept")
	txt := strings.TrimSuffix(paths[0], ".json") + ".txt"
	tf, err := results.Read(txt)
	require.NoError(t, err, "the .txt twin reads back")
	assert.Len(t, tf.Samples, 4)
}

func TestRunRefusesToOverwrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.json")
	args := []string{"run", "--menus", "banquet", "--strategies", "sync", "--cores", "1", "--count", "1", "--duration", "5ms", "--out", path}
	code, _, errOut := runKitchen(t, args...)
	require.Equal(t, 0, code, errOut)
	code, _, errOut = runKitchen(t, args...)
	assert.NotEqual(t, 0, code, "second run without --force")
	assert.Contains(t, errOut, "r.json")
	code, _, errOut = runKitchen(t, append(args, "--force")...)
	assert.Equal(t, 0, code, errOut)
}

func TestRunOpenLoopRecordsTheRate(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := runKitchen(t, "run", "--menus", "big-roast", "--strategies", "pool", "--cores", "1",
		"--count", "1", "--duration", "30ms", "--rate", "500/s", "--out", dir)
	require.Equal(t, 0, code, errOut)
	paths, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	require.Len(t, paths, 1)
	f, err := results.Read(paths[0])
	require.NoError(t, err)
	assert.Equal(t, "poisson", f.Config.Arrival)
	assert.Equal(t, 500.0, f.Samples[0].TargetRate)
}

// synth builds a result file of one menu with sync, eventloop and pool at
// 1 and 2 cores, six 120 ms samples per cell; factor scales the named
// cell's throughput. Without a seed the samples have a fixed ±1% spread;
// with one, a 2% spread (log-normal) drawn from a generator seeded with
// it, so files of different seeds are independent reruns of the same code.
func synth(t *testing.T, dir, name string, cell string, factor float64, seed ...uint64) string {
	t.Helper()
	f := synthFile(cell, factor, 6, seed...)
	path := filepath.Join(dir, name)
	require.NoError(t, results.Write(path, f, false))
	return path
}

func synthFile(cell string, factor float64, count int, seed ...uint64) *results.File {
	spread := func(iter int) float64 { return 1 + []float64{0, 0.01, -0.01, 0.005, -0.005, 0.002}[iter%6] }
	if len(seed) > 0 {
		rng := rand.New(rand.NewPCG(seed[0], 99))
		spread = func(int) float64 { return math.Exp(0.02 * rng.NormFloat64()) }
	}
	f := &results.File{
		Schema: results.SchemaVersion,
		Machine: results.Machine{CPUModel: "Test CPU", LogicalCPUs: 2, OS: "linux", Arch: "amd64",
			Date: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC), NsPerUnit: 1000},
		Config: results.Config{Strategies: []string{"sync", "eventloop", "pool"}, Cores: []int{1, 2}, Count: count,
			Duration: 120 * time.Millisecond, Arrival: "closed"},
	}
	base := map[string]float64{"sync": 100, "eventloop": 3000, "pool": 190}
	for iter := 0; iter < count; iter++ {
		for _, s := range []string{"sync", "eventloop", "pool"} {
			for _, c := range []int{1, 2} {
				dps := base[s]
				if s == "pool" && c == 1 {
					dps = 100
				}
				if cell == s+"/"+strconv.Itoa(c) {
					dps *= factor
				}
				dps *= spread(iter)
				p99 := 1e9 / dps
				f.Samples = append(f.Samples, results.Sample{Menu: "dinner-rush", Strategy: s, Cores: c, Iter: iter,
					Orders: int(dps), Served: int(dps), Elapsed: 120 * time.Millisecond, DishesPerSec: dps, Bound: 3500,
					Latency: results.Latency{P50: p99 / 2, P99: p99}})
			}
		}
	}
	return f
}

func TestCheckGate(t *testing.T) {
	dir := t.TempDir()
	base := synth(t, dir, "base.json", "", 1, 1)
	rerun := synth(t, dir, "rerun.json", "", 1, 2) // same code, measured again: not byte-identical
	slow := synth(t, dir, "slow.json", "pool/2", 0.8, 3)
	few := filepath.Join(dir, "few.json")
	require.NoError(t, results.Write(few, synthFile("", 1, 1, 4), false))
	empty := filepath.Join(dir, "empty.json")
	require.NoError(t, os.WriteFile(empty, nil, 0o644))
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"schema": 1, "samples": [`), 0o644))
	long := filepath.Join(dir, "long.json")
	lf := synthFile("", 1, 6, 5)
	lf.Config.Duration = 300 * time.Millisecond
	require.NoError(t, results.Write(long, lf, false))

	tests := []struct {
		name    string
		current string
		code    int
		want    []string
	}{
		{"same code, rerun", rerun, 0, []string{"check: OK: no cell dropped significantly beyond 5%", "the tested cells would have flagged drops of"}},
		{"one cell 20% slower", slow, 1, []string{"REGRESSION", "1 regression(s) beyond 5%: dinner-rush/pool at 2 cores (-"}},
		{"one sample per cell", few, 2, []string{"INCONCLUSIVE", "too few usable samples (6 and 1; need >= 2 per file)", "check inconclusive: 6 of 6 cells could not be tested", "measure the current file again with more samples per cell (kitchen run --count N)"}},
		{"300ms against 120ms samples", long, 2, []string{"DIFFERENT DEFINITION: sample duration: base 120ms, long 300ms", "defined differently: sample duration"}},
		{"missing file", filepath.Join(dir, "nope.json"), 2, []string{"nope.json"}},
		{"empty file", empty, 2, []string{"empty.json"}},
		{"malformed file", bad, 2, []string{"bad.json"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runKitchen(t, "check", "--baseline", base, "--current", tc.current)
			assert.Equal(t, tc.code, code, "exit status; stdout:\n%s\nstderr:\n%s", out, errOut)
			for _, w := range tc.want {
				assert.Contains(t, out+errOut, w)
			}
			assert.NotContains(t, out+errOut, "panic:")
		})
	}
	code, out, _ := runKitchen(t, "check", "--baseline", base, "--current", slow)
	require.Equal(t, 1, code)
	assert.Regexp(t, `REGRESSION +\| dinner-rush \| pool +\| 2 `, out, "the regressed cell is named")
	assert.Equal(t, 1, strings.Count(out, "REGRESSION"), "only that cell")
	code, _, errOut := runKitchen(t, "check", "--baseline", base, "--current", rerun, "--threshold", "five")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `--threshold "five"`)
}

func TestCompareNamesMismatchesFirst(t *testing.T) {
	dir := t.TempDir()
	short := synth(t, dir, "short.json", "", 1, 1)
	lf := synthFile("", 1, 6, 2)
	lf.Config.Duration = 300 * time.Millisecond
	lf.Machine.GoVersion = "go1.27"
	long := filepath.Join(dir, "long.json")
	require.NoError(t, results.Write(long, lf, false))
	code, out, errOut := runKitchen(t, "compare", short, long)
	require.Equal(t, 0, code, errOut)
	first := strings.SplitN(out, "\n", 3)
	require.Len(t, first, 3)
	assert.Equal(t, "mismatches (read these first):", first[0])
	assert.Contains(t, first[1], "DIFFERENT DEFINITION: sample duration: short 120ms, long 300ms")
	assert.Contains(t, out, "not compared: different sample duration", "the cells are shown but not tested")
	// The verdict compares strategies within each file (p-values are fine
	// there); the comparison's tables must carry none.
	_, tables, ok := strings.Cut(out, "\nmenu dinner-rush")
	require.True(t, ok, "the comparison's table follows the verdict")
	assert.NotContains(t, tables, "p=0.", "no p-value for cells defined differently")
	assert.Less(t, strings.Index(out, "mismatches (read these first)"), strings.Index(out, "Verdict"), "mismatches before the verdict")
}

func TestCompareShowsMachinesAndNormalizedSpeedups(t *testing.T) {
	dir := t.TempDir()
	a := synth(t, dir, "a.json", "", 1)
	b := synth(t, dir, "b.json", "pool/2", 0.8)
	code, out, errOut := runKitchen(t, "compare", "--format", "markdown", a, b)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Test CPU")
	assert.Contains(t, out, "1.90×", "pool's speedup at 2 cores over sync at 1 in the first file")
	assert.Contains(t, out, "1.52×", "and in the second (0.8 × 1.9)")
}

func TestCompareReadsGoTestBenchOutput(t *testing.T) {
	dir := t.TempDir()
	bench := `goos: linux
goarch: amd64
pkg: github.com/kitchenbench/kitchenbench/bench
cpu: Test CPU
BenchmarkKitchen/menu=banquet/strategy=sync         	     100	   2000000 ns/op	       500.0 dishes/s	  80000000 p50-ns	 120000000 p99-ns
BenchmarkKitchen/menu=banquet/strategy=sync-2       	     100	   2000000 ns/op	       500.0 dishes/s	  80000000 p50-ns	 120000000 p99-ns
BenchmarkKitchen/menu=banquet/strategy=pool         	     100	   2000000 ns/op	       500.0 dishes/s	  80000000 p50-ns	 120000000 p99-ns
BenchmarkKitchen/menu=banquet/strategy=pool-2       	     200	   1000000 ns/op	      1000 dishes/s	  40000000 p50-ns	  60000000 p99-ns
PASS
ok  	github.com/kitchenbench/kitchenbench/bench	3.1s
`
	old := filepath.Join(dir, "old.txt")
	require.NoError(t, os.WriteFile(old, []byte(bench), 0o644))
	newer := filepath.Join(dir, "new.txt")
	require.NoError(t, os.WriteFile(newer, []byte(strings.ReplaceAll(bench, "1000 dishes/s", "1100 dishes/s")), 0o644))
	code, out, errOut := runKitchen(t, "compare", old, newer)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "banquet")
	assert.Contains(t, out, "2.00×", "pool at 2 cores: twice sync at 1")
}

func TestAdviseFromResults(t *testing.T) {
	dir := t.TempDir()
	path := synth(t, dir, "r.json", "", 1)
	code, out, errOut := runKitchen(t, "advise", "--results", path, "--cores", "2", "dinner-rush")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Recommendation: eventloop.")
	assert.Regexp(t, `eventloop +\| ← recommended`, out)
	assert.Contains(t, out, "(30.0× sync)")
	code, out, errOut = runKitchen(t, "advise", "--results", path, "--cores", "2", "--slo", "p99=1ns", "dinner-rush")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "No recommendation")
	code, _, errOut = runKitchen(t, "advise")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "advise needs a MENU or a dish")
}

func TestAdviseMeasuresADescribedDish(t *testing.T) {
	// One customer: nothing to overlap, every strategy serves the same, so
	// the simplest wins.
	code, out, errOut := runKitchen(t, "advise", "--cpu", "200us", "--rest", "1ms", "--customers", "1", "--count", "1", "--duration", "30ms")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "menu your-dish")
	assert.Contains(t, out, "Recommendation: ")
}

func TestMergeRecomputesFromHistograms(t *testing.T) {
	// Two files of one cell: the first's orders took 1..100 µs, the
	// second's 101..200 µs. The merged p99 is the nearest-rank p99 of
	// 1..200 µs, the 198th; neither file's own p99 is near it.
	dir := t.TempDir()
	var paths []string
	for i, name := range []string{"a.json", "b.json"} {
		f := synthFile("", 1, 2, uint64(i+1))
		var keep []results.Sample
		for _, s := range f.Samples {
			if s.Strategy == "sync" && s.Cores == 1 {
				h := results.NewHistogram()
				for v := 1; v <= 50; v++ { // two samples of 50 orders each
					h.Record(int64((100*i + 50*s.Iter + v) * 1000))
				}
				s.Hist = h
				s.Latency = h.Latency()
				keep = append(keep, s)
			}
		}
		f.Samples = keep
		p := filepath.Join(dir, name)
		require.NoError(t, results.Write(p, f, false))
		paths = append(paths, p)
	}
	out := filepath.Join(dir, "merged.json")
	code, stdout, errOut := runKitchen(t, append([]string{"merge", "--out", out}, paths...)...)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, stdout, "menu dinner-rush")
	m, err := results.Read(out)
	require.NoError(t, err)
	require.Len(t, m.Samples, 4, "2 + 2 samples")
	sums := compare.Summarize(m.Samples)
	require.Len(t, sums, 1)
	assert.InEpsilon(t, 198_000.0, sums[0].P99, 0.001, "p99 of the merged file: the 198th of 200")
	assert.InEpsilon(t, 100_000.0, sums[0].P50, 0.001, "p50 of the merged file: the 100th of 200")
	assert.Equal(t, 200_000.0, sums[0].Max, "max of the merged file")
	code, _, errOut = runKitchen(t, "merge", "--out", filepath.Join(dir, "one.json"), paths[0])
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "at least two")

	// Samples defined differently are refused, named.
	lf := synthFile("", 1, 2, 9)
	lf.Config.Duration = 300 * time.Millisecond
	long := filepath.Join(dir, "long.json")
	require.NoError(t, results.Write(long, lf, false))
	code, _, errOut = runKitchen(t, "merge", "--out", filepath.Join(dir, "m2.json"), paths[0], long)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "sample duration: a 120ms, long 300ms")
	// Another Go version merges, named.
	var gopaths []string
	for _, v := range []string{"go1.26", "go1.99"} {
		gf := synthFile("", 1, 2, 10)
		gf.Machine.GoVersion = v
		p := filepath.Join(dir, v+".json")
		require.NoError(t, results.Write(p, gf, false))
		gopaths = append(gopaths, p)
	}
	code, _, errOut = runKitchen(t, "merge", "--out", filepath.Join(dir, "m3.json"), gopaths[0], gopaths[1])
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "kitchen: merge: Go version: go1.26 go1.26, go1.99 go1.99")
}

func TestRunPerDishLatency(t *testing.T) {
	code, out, errOut := runKitchen(t, "run", "--menus", "steak-and-salad", "--strategies", "sync", "--cores", "1",
		"--count", "1", "--duration", "30ms", "--per-dish", "--out", "-")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "menu steak-and-salad: latency by dish")
	assert.Contains(t, out, "steak")
	assert.Contains(t, out, "salad")
}
