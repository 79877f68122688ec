package bench

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// A caller that gives the work unit's cost keeps that one figure: the
// file records it and every sample's model bound uses it. (advise used
// to calibrate, then measure with a second calibration of its own, and
// reason from the first.)
func TestMeasureKeepsAGivenCalibration(t *testing.T) {
	banquet, ok := kitchen.Lookup("banquet")
	require.True(t, ok)
	const nsPerUnit = 1234.0
	m := &Matrix{Menus: []*kitchen.Menu{banquet}, Strategies: []string{"sync"}, Cores: []int{1},
		Count: 2, Duration: 5 * time.Millisecond, Warmup: AutoWarmup, NsPerUnit: nsPerUnit}
	var log bytes.Buffer
	f, err := Measure(context.Background(), m, MeasureOptions{Label: "test", Log: &log})
	require.NoError(t, err)
	assert.Nil(t, m.Calibrate, "no recalibration between rounds")
	assert.Equal(t, nsPerUnit, f.Machine.NsPerUnit)
	assert.Equal(t, "test", f.Machine.Label)
	assert.Equal(t, []int{1}, f.Machine.GOMAXPROCS)
	assert.Equal(t, 5*time.Millisecond, f.Config.Warmup, "an automatic warm-up is recorded as its cap, one window")
	assert.Contains(t, f.Config.Menus, "banquet")
	sync, err := strategies.New("sync")
	require.NoError(t, err)
	want := kitchen.Bound(banquet, sync.Capacity(1), nsPerUnit)
	require.Len(t, f.Samples, 2)
	for _, s := range f.Samples {
		assert.Equal(t, nsPerUnit, s.NsPerUnit, "sample %d's bounds use the given cost", s.Iter)
		assert.InDelta(t, want, s.MixBound, want*1e-9, "sample %d's bound for the menu's mix", s.Iter)
	}
	assert.Contains(t, log.String(), "1 menus × 1 strategies × 1 core counts × 2 samples of 5ms, each after a warm-up of up to 5ms, closed loop")
	assert.Contains(t, log.String(), "1 work unit = 1234 ns here")
}
