package cli

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/results"
)

// writeHistory writes 8 result files, one per commit, with 3% noise from a
// fixed seed; when drop is set, banquet/pool/2 is 20% slower from the 5th
// commit on.
func writeHistory(t *testing.T, drop bool) string {
	t.Helper()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range 8 {
		f := &results.File{Machine: results.Machine{CPUModel: "Test CPU", LogicalCPUs: 2, OS: "linux", Arch: "amd64",
			Commit: fmt.Sprintf("commit%02d", i+1), Date: time.Date(2026, 11, 1+i, 0, 0, 0, 0, time.UTC)}}
		for _, c := range []results.Cell{{Menu: "banquet", Strategy: "sync", Cores: 1}, {Menu: "banquet", Strategy: "pool", Cores: 2}} {
			for it := range 5 {
				v := 1000 * (1 + 0.03*rng.NormFloat64())
				if drop && c.Strategy == "pool" && i >= 4 {
					v *= 0.8
				}
				f.Samples = append(f.Samples, results.Sample{Menu: c.Menu, Strategy: c.Strategy, Cores: c.Cores, Iter: it,
					Orders: int(v / 5), Served: int(v / 5), Elapsed: 200 * time.Millisecond, DishesPerSec: v})
			}
		}
		require.NoError(t, results.Write(filepath.Join(dir, fmt.Sprintf("r%d.json", i)), f, false))
	}
	return dir
}

func TestHistory(t *testing.T) {
	tests := []struct {
		name     string
		drop     bool
		args     []string
		wantCode int
		want     []string
	}{
		{"drop found", true, []string{"--format", "csv"}, 0, []string{"banquet,pool,2,commit05,"}},
		{"drop fails with --fail", true, []string{"--fail"}, 1, []string{"1 change point(s) in 2 series from 8 files", "banquet/pool/2", "commit05"}},
		{"unchanged", false, []string{"--fail"}, 0, []string{"0 change point(s) in 2 series from 8 files"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeHistory(t, tc.drop)
			// the directory first, flags after it: flags go anywhere
			code, out, errOut := runKitchen(t, append([]string{"history", dir}, tc.args...)...)
			assert.Equal(t, tc.wantCode, code, errOut)
			for _, w := range tc.want {
				assert.Contains(t, out, w)
			}
			assert.Equal(t, tc.drop, strings.Contains(out, "pool"), "only the changed cell is named:\n%s", out)
		})
	}
	code, _, errOut := runKitchen(t, "history")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "needs a DIR")
	code, _, errOut = runKitchen(t, "history", t.TempDir())
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "no result files")
}

func TestHistoryHelp(t *testing.T) {
	code, out, _ := runKitchen(t, "help")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "\thistory ")
	code, _, errOut := runKitchen(t, "history", "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, errOut, "Example:")
}
