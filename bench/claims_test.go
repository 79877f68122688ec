package bench

import (
	"context"
	"math"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

func TestClaimHolds(t *testing.T) {
	atLeast := Claim{Min: 2}
	atMost := Claim{Max: 1.2}
	tests := []struct {
		c     Claim
		ratio float64
		want  bool
	}{
		{atLeast, 2, true}, {atLeast, 1.99, false}, {atLeast, math.NaN(), false},
		{atMost, 1.2, true}, {atMost, 1.21, false}, {atMost, 0.5, true},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.c.holds(tc.ratio), "%+v.holds(%v)", tc.c, tc.ratio)
	}
}

func TestClaimsNameRealMenusAndStrategies(t *testing.T) {
	require.NotEmpty(t, Claims)
	for _, c := range Claims {
		m, ok := kitchen.Lookup(c.Menu)
		require.True(t, ok, "claim %s: menu", c)
		for _, s := range []string{c.Num, c.Den} {
			_, err := strategies.New(s)
			assert.NoError(t, err, "claim %s", c)
		}
		if c.open() {
			assert.NotNil(t, m.Dish(c.Dish), "claim %s: dish", c)
			assert.Positive(t, m.Rate, "claim %s: an open-loop claim needs the menu's rate", c)
		}
		assert.True(t, c.Min > 0 || c.Max > 0, "claim %s has a threshold", c)
	}
	assert.Equal(t, "dinner-rush@1: eventloop ≥ 20 × sync (dishes/s)", Claims[0].String())
}

func TestClaimsNeedingMoreCoresAreSkipped(t *testing.T) {
	c := Claim{Menu: "banquet", Cores: runtime.NumCPU() + 1, Num: "pool", Den: "sync", Metric: "dishes/s", Min: 1}
	res, err := CheckClaims(context.Background(), []Claim{c}, ClaimOptions{})
	require.NoError(t, err)
	require.Len(t, res, 1)
	assert.Contains(t, res[0].Skipped, "CPUs")
	assert.False(t, res[0].Pass)
}

func TestMedianRatioPairsRounds(t *testing.T) {
	assert.Equal(t, 2.0, medianRatio([]float64{2, 40, 6}, []float64{1, 10, 3}))
	assert.True(t, math.IsNaN(medianRatio(nil, nil)))
	assert.Equal(t, 2.5, median([]float64{4, 1, 2, 3}))
}
