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
	assert.Equal(t, "skipped", res[0].Verdict())
}

// fakeRounds serves the claims' rounds from a script: per strategy, the
// dishes/s of each call in turn, and which calls were starved.
type fakeRounds struct {
	tput    map[string][]float64
	starved map[string][]bool
	calls   map[string]int
}

func (f *fakeRounds) sample(_ context.Context, _ *kitchen.Kitchen, s strategies.Strategy, _ *group, _ int) (claimSample, error) {
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	n := f.calls[s.Name()]
	f.calls[s.Name()]++
	cs := claimSample{tput: f.tput[s.Name()][n]}
	if st := f.starved[s.Name()]; n < len(st) {
		cs.starved = st[n]
	}
	return cs, nil
}

func TestClaimVerdicts(t *testing.T) {
	claim := Claim{Menu: "banquet", Cores: 1, Num: "pool", Den: "sync", Metric: "dishes/s", Min: 1.8}
	tests := []struct {
		name    string
		f       fakeRounds
		verdict string
		ratio   float64
		calls   int // samples taken per strategy
		retaken int
	}{
		{"holds in most rounds", fakeRounds{tput: map[string][]float64{"pool": {200, 100, 200}, "sync": {100, 100, 100}}}, "pass", 2, 3, 0},
		// The median of all three rounds decides: no second try that only
		// counts when the first failed.
		{"fails in most rounds: no retry", fakeRounds{tput: map[string][]float64{"pool": {100, 200, 100, 200, 200, 200}, "sync": {100, 100, 100, 100, 100, 100}}}, "FAIL", 1, 3, 0},
		{"a starved round is measured again", fakeRounds{
			tput:    map[string][]float64{"pool": {110, 200, 200, 200}, "sync": {100, 100, 100, 100}},
			starved: map[string][]bool{"pool": {true}}}, "pass", 2, 4, 1},
		{"starved throughout: inconclusive, not failed", fakeRounds{
			tput:    map[string][]float64{"pool": {100, 100, 100, 100, 100, 100, 100, 100, 100}, "sync": {100, 100, 100, 100, 100, 100, 100, 100, 100}},
			starved: map[string][]bool{"pool": {true, true, true, true, true, true, true, true, true}}}, "starved", 1, 9, 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := CheckClaims(context.Background(), []Claim{claim}, ClaimOptions{Rounds: 3, sample: tc.f.sample})
			require.NoError(t, err)
			require.Len(t, res, 1)
			r := res[0]
			assert.Equal(t, tc.verdict, r.Verdict(), "Verdict()")
			assert.Equal(t, tc.ratio, r.Ratio, "Ratio")
			assert.Equal(t, tc.calls, tc.f.calls["pool"], "pool samples taken")
			assert.Equal(t, tc.calls, tc.f.calls["sync"], "sync samples taken (whole rounds again)")
			assert.Equal(t, tc.retaken, r.Retaken, "Retaken")
			assert.Equal(t, 3, r.Rounds, "the verdict rests on every round asked for")
			assert.Equal(t, tc.verdict == "pass", r.Pass, "Pass")
		})
	}
}

func TestMedianRatioPairsRounds(t *testing.T) {
	assert.Equal(t, 2.0, medianRatio([]float64{2, 40, 6}, []float64{1, 10, 3}))
	assert.True(t, math.IsNaN(medianRatio(nil, nil)))
	assert.Equal(t, 2.5, median([]float64{4, 1, 2, 3}))
}

// Stopped between groups, CheckClaims returns the error with what it
// measured: claims of finished groups keep their verdicts, the rest are
// skipped, saying they were not measured. Progress numbers the groups.
func TestCheckClaimsStoppedKeepsWhatWasMeasured(t *testing.T) {
	first := Claim{Menu: "banquet", Cores: 1, Num: "pool", Den: "sync", Metric: "dishes/s", Min: 1.8}
	second := Claim{Menu: "steak-and-salad", Cores: 1, Num: "pool", Den: "sync", Metric: "dishes/s", Min: 1.8}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var progress []string
	f := fakeRounds{tput: map[string][]float64{"pool": {200, 200, 200}, "sync": {100, 100, 100}}}
	sample := func(ctx context.Context, k *kitchen.Kitchen, s strategies.Strategy, g *group, round int) (claimSample, error) {
		if g.menu == second.Menu {
			cancel() // an interrupt, once the first group is done
			return claimSample{}, ctx.Err()
		}
		return f.sample(ctx, k, s, g, round)
	}
	res, err := CheckClaims(ctx, []Claim{first, second}, ClaimOptions{Rounds: 3, sample: sample,
		Progress: func(msg string) { progress = append(progress, msg) }})
	require.ErrorIs(t, err, context.Canceled)
	require.Len(t, res, 2)
	assert.Equal(t, "pass", res[0].Verdict(), "the group measured before the stop")
	assert.Equal(t, "skipped", res[1].Verdict())
	assert.Equal(t, "not measured: the check was stopped first", res[1].Skipped)
	require.Len(t, progress, 2)
	assert.Equal(t, "[1/2] banquet at 1 cores: pool, sync", progress[0])
	assert.Regexp(t, `^\[2/2\] steak-and-salad at 1 cores: pool, sync \(about \d+s left\)$`, progress[1])
}
