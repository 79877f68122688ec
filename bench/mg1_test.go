package bench

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

func TestMG1AgreesWithQueueingTheory(t *testing.T) {
	// M/D/1 and a two-point mix: the share of orders finding the server
	// idle is 1-ρ and the mean wait is Pollaczek-Khinchine's.
	tests := []struct {
		name string
		q    MG1
	}{
		{"M/D/1 ρ=0.5", MG1{Rate: 5000, Service: []time.Duration{100 * time.Microsecond}, Weights: []float64{1}}},
		{"big-roast mix ρ=0.18", MG1{Rate: 600, Service: []time.Duration{100 * time.Microsecond, 40100 * time.Microsecond}, Weights: []float64{199, 1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := tc.q.Simulate(400_000, 1)
			require.NoError(t, err)
			rho := tc.q.Utilisation()
			assert.InDelta(t, 1-rho, f.IdleShare, 0.01, "share of orders finding the server idle")
			want := tc.q.MeanWait() * 1e9
			assert.InEpsilon(t, want, f.MeanWait, 0.05, "mean wait (ns); Pollaczek-Khinchine says %v", want)
		})
	}
}

func TestMG1OfBigRoast(t *testing.T) {
	m, ok := kitchen.Lookup("big-roast")
	require.True(t, ok)
	q, err := MG1Of(m, 600, 1, false) // 1 ns per unit: a canapé is 100 ns
	require.NoError(t, err)
	assert.InDelta(t, 600*(199*100+40_100)/200*1e-9, q.Utilisation(), 1e-12, "ρ")
	f, err := q.Simulate(200_000, 7)
	require.NoError(t, err)
	assert.Zero(t, f.QueueP50, "queue p50: most orders find the loop idle")
	assert.Equal(t, 100.0, f.P50, "latency p50: a canapé's service")
	again, err := q.Simulate(200_000, 7)
	require.NoError(t, err)
	assert.Equal(t, f, again, "same seed, same figures")
}

func TestMG1OfRefusesWhatIsNoMG1(t *testing.T) {
	m, ok := kitchen.Lookup("dinner-rush")
	require.True(t, ok)
	_, err := MG1Of(m, 100, 1000, false)
	assert.ErrorContains(t, err, "waits")
	q, err := MG1Of(m, 100, 1000, true) // one blocking cook holds its waits
	require.NoError(t, err)
	assert.Greater(t, q.Utilisation(), 0.5)

	for _, bad := range []MG1{
		{Rate: 0, Service: []time.Duration{1}, Weights: []float64{1}},
		{Rate: math.Inf(1), Service: []time.Duration{1}, Weights: []float64{1}},
		{Rate: 1, Service: []time.Duration{1}, Weights: []float64{0}},
		{Rate: 1, Service: []time.Duration{1, 2}, Weights: []float64{1}},
	} {
		_, err := bad.Simulate(10, 1)
		assert.Error(t, err, "Simulate(%+v)", bad)
	}
}
