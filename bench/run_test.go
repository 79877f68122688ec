package bench

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// TestMain serves as a grill service child when a Rig starts this test
// binary as one (GrillChildMain), and otherwise runs the tests.
func TestMain(m *testing.M) {
	GrillChildMain()
	goleak.VerifyTestMain(m)
}

func quickMenu() *kitchen.Menu {
	return &kitchen.Menu{
		Name: "quick", Grills: 2, Customers: 5, Seed: 9,
		Dishes: []kitchen.Dish{
			{Name: "steak", Weight: 1, Steps: []kitchen.Step{
				{Kind: kitchen.CPU, Units: 1}, {Kind: kitchen.Grill, Wait: 100 * time.Microsecond},
				{Kind: kitchen.Rest, Wait: 50 * time.Microsecond}, {Kind: kitchen.CPU, Units: 1}}},
			{Name: "salad", Weight: 1, Steps: []kitchen.Step{{Kind: kitchen.CPU, Units: 5}}},
		},
	}
}

func TestRunServesExactlyTheOrdersAsked(t *testing.T) {
	for _, name := range strategies.Names() {
		t.Run(name, func(t *testing.T) {
			k, err := kitchen.New(quickMenu())
			require.NoError(t, err)
			s, err := strategies.New(name)
			require.NoError(t, err)
			res, err := Run(context.Background(), k, s, Load{Orders: 123})
			require.NoError(t, err)
			assert.Equal(t, 123, res.Submitted)
			assert.Equal(t, 123, res.Served)
			assert.Zero(t, res.Failed+res.Cancelled)
			require.Len(t, res.Records, 123)
			perDish := map[int32]int{}
			for _, r := range res.Records {
				perDish[r.Dish]++
				assert.GreaterOrEqual(t, r.Latency, r.Queue, "latency includes queueing")
				assert.GreaterOrEqual(t, r.Queue, int64(0))
			}
			want := map[int32]int{}
			for i := int64(0); i < 123; i++ {
				d := int32(0)
				if k.Pick(i).Name != k.Menu.Dishes[0].Name {
					d = 1
				}
				want[d]++
			}
			assert.Equal(t, want, perDish, "orders per dish follow the menu's seed")
			assert.Positive(t, res.Throughput())
			lat := res.Latencies(-1)
			assert.Equal(t, 123, lat.N)
			assert.LessOrEqual(t, lat.P50, lat.P99)
			assert.LessOrEqual(t, lat.P99, lat.Max)
		})
	}
}

func TestRunFewerOrdersThanCustomers(t *testing.T) {
	k, err := kitchen.New(quickMenu())
	require.NoError(t, err)
	res, err := Run(context.Background(), k, strategies.Pool{Cooks: 3}, Load{Orders: 1})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Served)
	assert.Equal(t, 1, res.Submitted)
}

func TestRunForADuration(t *testing.T) {
	k, err := kitchen.New(quickMenu())
	require.NoError(t, err)
	m := quickMenu()
	m.Dishes[1].Steps = append(m.Dishes[1].Steps, kitchen.Step{Kind: kitchen.Rest, Wait: time.Hour})
	k2, err := kitchen.New(m)
	require.NoError(t, err)
	for _, kk := range []*kitchen.Kitchen{k, k2} {
		res, err := Run(context.Background(), kk, strategies.EventLoop{}, Load{Duration: 50 * time.Millisecond, Customers: 50})
		require.NoError(t, err, "a window that closes is a normal end")
		assert.Positive(t, res.Served)
		assert.Zero(t, res.Cancelled)
		assert.Equal(t, res.Submitted, res.Served+res.Unfinished, "conservation")
		assert.GreaterOrEqual(t, res.Elapsed, 50*time.Millisecond, "orders are placed for the whole window")
	}
	// With dishes that rest an hour, the window still closes on time and
	// those dishes are unfinished, not waited for.
	res, err := Run(context.Background(), k2, strategies.Sync{}, Load{Duration: 10 * time.Millisecond})
	require.NoError(t, err)
	assert.Positive(t, res.Unfinished, "the salad resting an hour is unfinished")
}

func TestRunCancelledKeepsConservation(t *testing.T) {
	m := quickMenu()
	m.Dishes[0].Steps[2].Wait = time.Minute // steaks rest a minute
	for _, s := range allStrategies(t) {
		t.Run(s.Name(), func(t *testing.T) {
			k, err := kitchen.New(m)
			require.NoError(t, err)
			ctx, cancel := cancelAtStep(2) // once a steak is about to rest
			res, err := Run(ctx, k, s, Load{Orders: 1000})
			cancel()
			require.ErrorIs(t, err, context.Canceled)
			assert.Equal(t, res.Submitted, res.Served+res.Failed+res.Cancelled, "conservation")
			assert.Positive(t, res.Cancelled)
			assert.Less(t, res.Submitted, 1000)
		})
	}
}

// cancelAtStep returns a context that a kitchen.Trace cancels as any dish
// reaches step.
func cancelAtStep(step int) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	return kitchen.WithTrace(ctx, &kitchen.Trace{StepStart: func(_ *kitchen.Dish, s int) {
		if s == step {
			cancel()
		}
	}}), cancel
}

func TestRunCountsFailures(t *testing.T) {
	k, err := kitchen.New(quickMenu())
	require.NoError(t, err)
	ctx := kitchen.WithTrace(context.Background(), &kitchen.Trace{StepStart: func(d *kitchen.Dish, step int) {
		if d.Name == "salad" {
			panic("no lettuce")
		}
	}})
	res, err := Run(ctx, k, strategies.Loops{Loops: 2}, Load{Orders: 100})
	require.NoError(t, err)
	assert.Equal(t, 100, res.Served+res.Failed)
	assert.Positive(t, res.Failed)
	assert.Equal(t, []string{`dish "salad" step 0 panicked: no lettuce`}, res.Errors)
	assert.Equal(t, res.Served, res.Latencies(-1).N, "latency covers served orders only")
}

func TestRunRejectsEmptyLoad(t *testing.T) {
	k, err := kitchen.New(quickMenu())
	require.NoError(t, err)
	_, err = Run(context.Background(), k, strategies.Sync{}, Load{})
	assert.ErrorContains(t, err, "Load needs Orders or Duration")
}

func TestPercentile(t *testing.T) {
	data := make([]int64, 100)
	for i := range data {
		data[i] = int64(i + 1)
	}
	tests := []struct {
		p    float64
		want int64
	}{{50, 50}, {99, 99}, {99.9, 100}, {100, 100}, {1, 1}, {0.1, 1}}
	for _, tc := range tests {
		assert.Equal(t, tc.want, Percentile(data, tc.p), "Percentile(1..100, %v)", tc.p)
	}
	assert.Equal(t, int64(0), Percentile(nil, 50))
}
