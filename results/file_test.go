package results_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/internal/fixture"
	"github.com/kitchenbench/kitchenbench/internal/problems"
	"github.com/kitchenbench/kitchenbench/results"
)

func TestWriteReadJSONRoundTrip(t *testing.T) {
	dir := t.TempDir()
	f := fixture.File("laptop", 3, 1, nil)
	f.Partial = true
	f.Config.Menus = map[string]json.RawMessage{"dinner-rush": json.RawMessage(`{"name":"dinner-rush"}`)}
	f.Samples[0].PerDish = map[string]results.Latency{"soup": {P50: 10, P99: 20}}
	path := filepath.Join(dir, "run.json")
	require.NoError(t, results.Write(path, f, false))

	got, err := results.Read(path)
	require.NoError(t, err, "Read(%s)", path)
	assert.Equal(t, path, got.Path, "Read().Path")
	assert.True(t, got.Partial, "Read().Partial")
	assert.Equal(t, f.Machine, got.Machine, "Read().Machine")
	assert.JSONEq(t, string(f.Config.Menus["dinner-rush"]), string(got.Config.Menus["dinner-rush"]), "Read().Config.Menus")
	require.Len(t, got.Samples, len(f.Samples), "Read().Samples")
	for i := range f.Samples {
		w, g := f.Samples[i], got.Samples[i]
		wh, err := w.Hist.MarshalJSON()
		require.NoError(t, err)
		gh, err := g.Hist.MarshalJSON()
		require.NoError(t, err)
		require.Equal(t, string(wh), string(gh), "samples[%d].Hist differs after round trip", i)
		w.Hist, g.Hist = nil, nil
		assert.Equal(t, w, g, "samples[%d]", i)
	}

	// One sample per line keeps files short and diffable.
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, len(f.Samples), strings.Count(string(data), "\n    {\"menu\""), "lines holding a sample")
}

func TestWriteRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run.json")
	f := fixture.File("a", 1, 1, nil)
	require.NoError(t, results.Write(path, f, false))

	g := fixture.File("b", 1, 1, nil)
	err := results.Write(path, g, false)
	require.Error(t, err, "Write over an existing file without force")
	assert.Contains(t, err.Error(), path, "error names the path")
	assert.Contains(t, err.Error(), "already exists", "error says why")
	got, err := results.Read(path)
	require.NoError(t, err)
	assert.Equal(t, "a", got.Machine.Name, "existing file was changed by a refused Write")

	require.NoError(t, results.Write(path, g, true), "Write with force")
	got, err = results.Read(path)
	require.NoError(t, err)
	assert.Equal(t, "b", got.Machine.Name, "Write with force did not replace the file")

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "temporary files left behind: %v", entries)
}

func TestWriteRefusesInvalid(t *testing.T) {
	f := fixture.File("a", 1, 1, nil)
	f.Samples[2].Cores = 0
	path := filepath.Join(t.TempDir(), "bad.json")
	err := results.Write(path, f, false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "samples[2].cores", "Write() error")
	_, statErr := os.Stat(path)
	assert.True(t, os.IsNotExist(statErr), "Write of an invalid file left %s behind", path)
}

func TestUniqueNameConcurrent(t *testing.T) {
	dir := t.TempDir()
	const n = 16
	var wg sync.WaitGroup
	names := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			path, err := results.UniqueName(dir, "2026-11-25T120000-test-2cpu", ".json")
			if err == nil {
				f := fixture.File(fmt.Sprint("writer", i), 1, 1, nil)
				err = results.Write(path, f, false) // replaces the empty reservation
			}
			names[i], errs[i] = path, err
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for i := range n {
		require.NoError(t, errs[i], "writer %d", i)
		assert.False(t, seen[names[i]], "name %s handed out twice", names[i])
		seen[names[i]] = true
		f, err := results.Read(names[i])
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprint("writer", i), f.Machine.Name, "%s holds another writer's file", names[i])
	}
	assert.True(t, seen[filepath.Join(dir, "2026-11-25T120000-test-2cpu.json")], "first name unused")
	assert.True(t, seen[filepath.Join(dir, "2026-11-25T120000-test-2cpu-2.json")], "second name unused")
}

func TestBaseName(t *testing.T) {
	for _, tc := range []struct {
		m    results.Machine
		want string
	}{
		{results.Machine{CPUModel: "AMD EPYC 7763 64-Core Processor", LogicalCPUs: 2, Date: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}, "2026-11-25T120000-amd-epyc-7763-64-core-2cpu"},
		{results.Machine{CPUModel: "Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz", LogicalCPUs: 8, Date: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}, "2026-01-02T030405-intel-core-i7-8650u-8cpu"},
		{results.Machine{Date: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}, "2026-01-02T030405"},
	} {
		assert.Equal(t, tc.want, results.BaseName(tc.m), "BaseName(%+v)", tc.m)
	}
}

func TestBenchfmtRoundTrip(t *testing.T) {
	f := fixture.File("laptop", 2, 1, nil)
	var buf bytes.Buffer
	require.NoError(t, results.WriteBenchfmt(&buf, f))
	text := buf.String()
	for _, want := range []string{"goos: linux\n", "goarch: amd64\n", "cpu: Test CPU 3000\n", "machine: laptop\n", "commit: abc1234\n", "ns-per-unit: 10\n",
		"BenchmarkKitchen/menu=dinner-rush/strategy=pool-2 ", " dishes/s ", " p50-ns ", " p99-ns ", " p999-ns", " failed-orders\n"} {
		assert.Contains(t, text, want, "WriteBenchfmt() output")
	}

	got, err := results.Parse("run.txt", buf.Bytes())
	require.NoError(t, err, "Parse(WriteBenchfmt())")
	assert.Equal(t, "laptop", got.Machine.Name, "Machine.Name")
	assert.Equal(t, "Test CPU 3000", got.Machine.CPUModel, "Machine.CPUModel")
	assert.Equal(t, 2, got.Machine.LogicalCPUs, "Machine.LogicalCPUs")
	assert.Equal(t, 10.0, got.Machine.NsPerUnit, "Machine.NsPerUnit")
	assert.Equal(t, []int{1, 2, 4}, got.Config.Cores, "Config.Cores")
	assert.Equal(t, []string{"sync", "pool", "eventloop"}, got.Config.Strategies, "Config.Strategies")
	assert.Equal(t, 2, got.Config.Count, "Config.Count")
	require.Len(t, got.Samples, len(f.Samples))
	for i, w := range f.Samples {
		g := got.Samples[i]
		assert.Equal(t, w.Cell(), g.Cell(), "samples[%d].Cell()", i)
		assert.Equal(t, w.Iter, g.Iter, "samples[%d].Iter", i)
		assert.Equal(t, w.Served, g.Served, "samples[%d].Served", i)
		assert.Equal(t, w.Failed, g.Failed, "samples[%d].Failed", i)
		assert.InEpsilon(t, w.DishesPerSec, g.DishesPerSec, 1e-3, "samples[%d].DishesPerSec", i)
		assert.InEpsilon(t, w.Latency.P99, g.Latency.P99, 1e-3, "samples[%d].Latency.P99", i)
		assert.InEpsilon(t, w.Latency.P999, g.Latency.P999, 1e-3, "samples[%d].Latency.P999", i)
	}

	// Write picks the format from the extension.
	path := filepath.Join(t.TempDir(), "run.txt")
	require.NoError(t, results.Write(path, f, false))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, text, string(data), "Write(.txt) differs from WriteBenchfmt")
}

func TestReadGoTestOutput(t *testing.T) {
	f, err := results.Read("testdata/gotest.txt")
	require.NoError(t, err)
	assert.Equal(t, "AMD EPYC 7763 64-Core Processor", f.Machine.CPUModel, "Machine.CPUModel")
	assert.Equal(t, "linux", f.Machine.OS, "Machine.OS")
	want := []results.Sample{
		{Menu: "dinner-rush", Strategy: "sync", Cores: 1, Iter: 0, Orders: 100, Served: 100, Elapsed: time.Second, DishesPerSec: 100, Latency: results.Latency{P50: 1e6, P99: 5e6}},
		{Menu: "dinner-rush", Strategy: "sync", Cores: 1, Iter: 1, Orders: 100, Served: 100, Elapsed: 1100 * time.Millisecond, DishesPerSec: 1 / 0.011, Latency: results.Latency{P50: 1.2e6, P99: 6e6}},
		{Menu: "dinner-rush", Strategy: "pool", Cores: 2, Iter: 0, Orders: 400, Served: 400, Elapsed: time.Second, DishesPerSec: 400, Latency: results.Latency{P50: 9e5, P99: 3e6}},
		{Menu: "dinner-rush", Strategy: "pool", Cores: 2, Iter: 1, Orders: 412, Served: 410, Failed: 2, Elapsed: 1004500 * time.Microsecond, DishesPerSec: 410, Latency: results.Latency{P50: 8.8e5, P99: 2.9e6}},
	}
	require.Len(t, f.Samples, len(want), "Read(gotest.txt).Samples")
	for i := range want {
		g := f.Samples[i]
		assert.InEpsilon(t, want[i].DishesPerSec, g.DishesPerSec, 1e-9, "samples[%d].DishesPerSec", i)
		assert.InDelta(t, want[i].Latency.P50, g.Latency.P50, 1e-3, "samples[%d].Latency.P50", i)
		assert.InDelta(t, want[i].Latency.P99, g.Latency.P99, 1e-3, "samples[%d].Latency.P99", i)
		assert.InDelta(t, float64(want[i].Elapsed), float64(g.Elapsed), 1e3, "samples[%d].Elapsed", i)
		g.DishesPerSec, g.Latency, g.Elapsed = want[i].DishesPerSec, want[i].Latency, want[i].Elapsed
		assert.Equal(t, want[i], g, "samples[%d]", i)
	}
}

func TestBenchfmtKeepsTheSamplesDefinition(t *testing.T) {
	f := fixture.File("laptop", 2, 1, nil)
	f.Config.Duration = 120 * time.Millisecond
	f.Config.Warmup = 120 * time.Millisecond
	f.Config.Arrival = "poisson"
	f.Config.Rate = 600
	f.Config.Customers = 64
	var buf bytes.Buffer
	require.NoError(t, results.WriteBenchfmt(&buf, f))
	for _, want := range []string{"sample-duration: 120ms\n", "warmup: 120ms\n", "arrivals: poisson\n", "rate: 600\n", "customers: 64\n"} {
		assert.Contains(t, buf.String(), want)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "run.txt")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	back, err := results.Read(path)
	require.NoError(t, err)
	assert.Equal(t, 120*time.Millisecond, back.Config.Duration)
	assert.Equal(t, 120*time.Millisecond, back.Config.Warmup)
	assert.Equal(t, "poisson", back.Config.Arrival)
	assert.Equal(t, 600.0, back.Config.Rate)
	assert.Equal(t, 64, back.Config.Customers)
}

func TestGoTestBenchOutputIsNotATimedWindow(t *testing.T) {
	// testdata/gotest.txt is plain go test -bench output: b.N orders run to
	// completion, no sample window. Against a kitchen run it is a severe
	// mismatch, named first, and its cells are not tested.
	gt, err := results.Read(filepath.Join("testdata", "gotest.txt"))
	require.NoError(t, err)
	assert.Zero(t, gt.Config.Duration, "no sample duration in go test output")
	run := &results.File{Schema: results.SchemaVersion, Path: "run.json", Config: results.Config{Duration: 120 * time.Millisecond}, Samples: gt.Samples}
	ms := results.Mismatches([]*results.File{run, gt})
	require.NotEmpty(t, ms)
	assert.True(t, ms[0].Severe)
	assert.Contains(t, ms[0].Text, "measurement: gotest holds go test -bench results (b.N orders run to completion, no sample window) but run timed windows of 120ms")
}

// TestReadBad reads each file in testdata/bad and checks the error names
// the file and the problem.
func TestReadBad(t *testing.T) {
	cases := map[string]string{
		"empty.json":                 "empty file",
		"blank.json":                 "empty file",
		"truncated.json":             "truncated JSON",
		"not-json.json":              ":3:15: invalid JSON at byte",
		"top-level-array.json":       "holds a JSON array; want an object",
		"schema-2.json":              "schema: version 2 is not supported",
		"no-schema.json":             "schema: missing",
		"nan.json":                   "samples[0].dishes_per_sec: cannot use string",
		"inf.json":                   "samples[0].latency.p99_ns: cannot use number 1e999 as float64 (out of range; NaN and ±Inf are not allowed)",
		"negative-dishes.json":       "samples[0].dishes_per_sec: -100 is negative",
		"missing-menu.json":          "samples[0].menu: missing",
		"zero-cores.json":            "samples[0].cores: 0; want >= 1",
		"cores-string.json":          "samples[0].cores: cannot use string",
		"unit-mismatch.json":         "samples[0].dishes_per_sec: 0.1 disagrees with served/elapsed = 100/s: wrong unit?",
		"conservation.json":          "served 150 + failed 0 + cancelled 0 exceed the 100 orders",
		"no-samples.json":            "samples: no samples",
		"bad-histogram.json":         "samples[0]: histogram buckets[2]: index 4 not above previous index 5",
		"benchfmt-malformed.txt":     ":4: parsing measurement",
		"benchfmt-missing-units.txt": ":4: missing units",
		"benchfmt-no-kitchen.txt":    "no BenchmarkKitchen/menu=…/strategy=… results",
		"benchfmt-unknown-unit.txt":  ":4: benchmark Kitchen/menu=dinner-rush/strategy=sync-1: unit p50-ms: latencies must be in nanoseconds (p50-ns)",
		"benchfmt-no-menu.txt":       ":4: benchmark Kitchen/strategy=sync-1: want a name of the form BenchmarkKitchen/menu=M/strategy=S",
		"prose.txt":                  "no BenchmarkKitchen",
		"garbage.bin":                "binary data",
	}
	entries, err := os.ReadDir("testdata/bad")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(entries), 12, "bad corpus size")
	for _, e := range entries {
		_, ok := cases[e.Name()]
		assert.True(t, ok, "testdata/bad/%s has no expected error in TestReadBad", e.Name())
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", "bad", name)
			f, err := results.Read(path)
			require.Error(t, err, "Read(%s) = %v; want an error", path, f)
			msg := err.Error()
			assert.True(t, strings.HasPrefix(msg, path), "Read(%s) error %q does not start with the file name", path, msg)
			assert.Contains(t, msg, want, "Read(%s) error", path)
			assert.NotContains(t, msg, "\n\t", "error looks like a trace")
		})
	}
}

func TestReadMissingFile(t *testing.T) {
	_, err := results.Read("testdata/no-such-file.json")
	require.Error(t, err)
	assert.ErrorIs(t, err, os.ErrNotExist, "Read(missing) error")
	assert.Contains(t, err.Error(), "testdata/no-such-file.json", "Read(missing) error names the file")
}

func TestReadReportsSeveralProblems(t *testing.T) {
	f := fixture.File("x", 1, 1, nil)
	f.Samples[0].Menu = ""
	f.Samples[3].Cores = -1
	f.Samples[5].DishesPerSec = -2
	data, err := json.Marshal(f)
	require.NoError(t, err)
	_, err = results.Parse("multi.json", data)
	require.Error(t, err)
	for _, want := range []string{"multi.json: samples[0].menu", "multi.json: samples[3].cores", "multi.json: samples[5].dishes_per_sec"} {
		assert.Contains(t, err.Error(), want, "Parse() error")
	}
}

func TestReadForwardCompatible(t *testing.T) {
	// Fields this version does not know, anywhere, are ignored; only the
	// schema version decides what can be read.
	in := `{"schema":1,"future":{"x":1},"machine":{"os":"linux","arch":"amd64","logical_cpus":2,"date":"2026-11-25T12:00:00Z","gpu":"none"},
"samples":[{"menu":"m","strategy":"sync","cores":1,"orders":1,"served":1,"elapsed_ns":1000000000,"dishes_per_sec":1,"latency":{"p50_ns":1,"p99_ns":2},"mood":"good"}],
"later":[1,2,3]}`
	f, err := results.Parse("future.json", []byte(in))
	require.NoError(t, err, "Parse() of a file with unknown fields")
	require.Len(t, f.Samples, 1)
	assert.Equal(t, results.Cell{"m", "sync", 1}, f.Samples[0].Cell(), "Samples[0].Cell()")
}

func TestValidateCapsTheNumberOfProblems(t *testing.T) {
	f := fixture.File("a", 1, 1, nil)
	f.Machine.GOMAXPROCS = make([]int, problems.Max+10) // every one 0: a problem each
	err := f.Validate()
	require.Error(t, err, "Validate() with %d bad core counts", len(f.Machine.GOMAXPROCS))
	lines := strings.Split(err.Error(), "\n")
	require.Len(t, lines, problems.Max+1, "Validate() = %v", err)
	assert.Equal(t, "<result file>: machine.gomaxprocs[0]: 0; want >= 1", lines[0], "first problem")
	assert.Equal(t, "<result file>: and 10 more problems", lines[problems.Max], "last line")
}
