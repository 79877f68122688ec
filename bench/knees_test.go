package bench

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

// FindKnees searches a knee per menu and strategy, logs each probe with
// its cell, and keeps the sample measured at each knee. A generous SLO
// on a one-unit dish is met at every rate probed, so the search is short.
func TestFindKneesKeepsAKneeAndASamplePerCell(t *testing.T) {
	m := &kitchen.Menu{Name: "tiny", Customers: 1, Grills: 1, Seed: 1,
		Dishes: []kitchen.Dish{{Name: "d", Weight: 1, Steps: []kitchen.Step{{Name: "c", Kind: kitchen.CPU, Units: 1}}}}}
	slos, err := ParseSLOs("p50=10s")
	require.NoError(t, err)
	var log bytes.Buffer
	f, err := FindKnees(context.Background(), []*kitchen.Menu{m}, []string{"sync", "pool"},
		KneeSearch{SLOs: slos, Cores: 1, Probe: 10 * time.Millisecond, NsPerUnit: 1000}, &log)
	require.NoError(t, err)
	require.Len(t, f.Knees, 2, "a knee per strategy")
	assert.Len(t, f.Samples, 2, "a sample at each knee")
	assert.False(t, f.Partial)
	assert.Equal(t, []int{1}, f.Config.Cores)
	for _, s := range []string{"kitchen: tiny/sync at ", "kitchen: tiny/pool at "} {
		assert.Contains(t, log.String(), s, "probes are logged with their cell")
	}
	assert.Equal(t, strings.Count(log.String(), "\n"), strings.Count(log.String(), "kitchen: "), "one line per probe")
}
