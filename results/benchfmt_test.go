package results_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/internal/fixture"
	"github.com/kitchenbench/kitchenbench/results"
)

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
