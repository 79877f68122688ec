package cli

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/results"
)

func TestRunWarmupFlag(t *testing.T) {
	tests := []struct {
		arg  string
		want time.Duration
		bad  bool
	}{
		{"auto", bench.AutoWarmup, false},
		{"0", 0, false},
		{"30ms", 30 * time.Millisecond, false},
		{"-1ms", 0, true},
		{"soon", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.arg, func(t *testing.T) {
			o, err := parseRunFlags(&bytes.Buffer{}, []string{"--warmup", tc.arg})
			if tc.bad {
				assert.ErrorContains(t, err, "--warmup")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, o.m.Warmup, "warmup")
		})
	}
}

// dinner-rush's 1,000 customers all order at once; sync serves one at a
// time, so within any short window most orders are still waiting: its
// p99 must be recorded as a lower bound, never as a measured figure.
func TestRunMarksDinnerRushSyncP99AsALowerBound(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.json")
	code, _, errOut := runKitchen(t, "run", "--menus", "dinner-rush", "--strategies", "sync", "--cores", "1",
		"--count", "1", "--duration", "10ms", "--warmup", "5ms", "--out", path)
	require.Equal(t, 0, code, errOut)
	f, err := results.Read(path)
	require.NoError(t, err)
	require.Len(t, f.Samples, 1)
	s := f.Samples[0]
	assert.Contains(t, s.Latency.Lower, "p99", "p99 is a lower bound")
	assert.Contains(t, s.Flags, bench.FlagCensoredP99)
	assert.Equal(t, s.Unfinished, s.Censored, "every unfinished order censored")
	assert.Equal(t, int64(s.Served+s.Censored), s.Hist.Count(), "histogram: served + censored")
	assert.Positive(t, s.Latency.LittleMean)
	assert.Equal(t, 5*time.Millisecond, f.Config.Warmup)
	assert.Contains(t, errOut, "no steady state")
}
