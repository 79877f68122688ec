package cli

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/results"
)

func TestPerDishShowsCensoredPercentilesAsLowerBounds(t *testing.T) {
	f := &results.File{Samples: []results.Sample{
		{Menu: "m", Strategy: "sync", Cores: 1, PerDish: map[string]results.Latency{
			"steak": {P50: 2e6, P99: 121e6, Lower: []string{"p99"}},
			"salad": {P50: 1e6, P99: 3e6},
		}},
		{Menu: "m", Strategy: "sync", Cores: 1, Iter: 1, PerDish: map[string]results.Latency{
			"steak": {P50: 2e6, P99: 90e6},
			"salad": {P50: 1e6, P99: 3e6},
		}},
	}}
	var buf bytes.Buffer
	require.NoError(t, renderPerDish(&buf, f))
	assert.Contains(t, buf.String(), "1.00ms / 3.00ms", "salad: measured")
	assert.Contains(t, buf.String(), "2.00ms / ≥106ms", "steak: its p99 is censored in one sample")
}
