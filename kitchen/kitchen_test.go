package kitchen

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWorkIsDeterministic(t *testing.T) {
	assert.Equal(t, Work(3, 42), Work(3, 42), "Work(3, 42) differs between calls")
	assert.NotEqual(t, Work(3, 42), Work(4, 42), "Work depends on units")
	assert.NotEqual(t, Work(3, 42), Work(3, 44), "Work depends on seed")
	assert.Equal(t, uint64(43), Work(0, 42)|1, "Work(0, seed) is seed|1")
}

func TestCalibrateReportsPositiveCost(t *testing.T) {
	c := Calibrate(3, time.Millisecond)
	assert.Equal(t, 3, c.Rounds)
	assert.Greater(t, c.NsPerUnit, 0.0, "Calibrate().NsPerUnit")
	assert.False(t, math.IsNaN(c.CV) || c.CV < 0, "Calibrate().CV = %v", c.CV)
}

func TestBuiltinMenusAreValid(t *testing.T) {
	names := MenuNames()
	require.Subset(t, names, []string{"steak-and-salad", "dinner-rush", "banquet"})
	for _, m := range Menus() {
		assert.NoError(t, m.Validate(), "menu %s", m.Name)
		_, ok := Lookup(m.Name)
		assert.True(t, ok, "Lookup(%q)", m.Name)
	}
	_, ok := Lookup("no-such-menu")
	assert.False(t, ok)
}

func TestSteakAndSaladIsTheTalksMeal(t *testing.T) {
	m, _ := Lookup("steak-and-salad")
	steak := m.Dish("steak")
	require.NotNil(t, steak)
	var kinds []StepKind
	for _, s := range steak.Steps {
		kinds = append(kinds, s.Kind)
	}
	assert.Equal(t, []StepKind{CPU, Grill, Rest, CPU}, kinds, "steak steps: season, grill, rest, plate")
	salad := m.Dish("salad")
	require.NotNil(t, salad)
	for _, s := range salad.Steps {
		assert.Equal(t, CPU, s.Kind, "salad step %s", s.Name)
	}
}

func validMenu() *Menu {
	return &Menu{
		Name: "t", Grills: 1, Customers: 2, Seed: 1,
		Dishes: []Dish{{Name: "a", Weight: 1, Steps: []Step{
			{Name: "c", Kind: CPU, Units: 1}, {Name: "g", Kind: Grill, Wait: time.Millisecond},
		}}},
	}
}

func TestValidateNamesEveryProblem(t *testing.T) {
	tests := []struct {
		name   string
		change func(m *Menu)
		want   []string
	}{
		{"no name", func(m *Menu) { m.Name = "" }, []string{"name: missing"}},
		{"no dishes", func(m *Menu) { m.Dishes = nil }, []string{"dishes: empty"}},
		{"zero customers", func(m *Menu) { m.Customers = 0 }, []string{"customers: 0 out of range"}},
		{"too many grills", func(m *Menu) { m.Grills = MaxGrills + 1 }, []string{"grills: 1000001 out of range"}},
		{"grill step without grills", func(m *Menu) { m.Grills = 0 }, []string{"grills: 0, but a dish has a grill or call step"}},
		{"dish without steps", func(m *Menu) { m.Dishes[0].Steps = nil }, []string{"dishes[0].steps: empty"}},
		{"duplicate dish", func(m *Menu) { m.Dishes = append(m.Dishes, m.Dishes[0]) }, []string{`dishes[1].name: duplicate dish "a"`}},
		{"zero weights", func(m *Menu) { m.Dishes[0].Weight = 0 }, []string{"weights sum to 0"}},
		{"negative weight", func(m *Menu) { m.Dishes[0].Weight = -1 }, []string{"dishes[0].weight: -1 out of range"}},
		{"negative units", func(m *Menu) { m.Dishes[0].Steps[0].Units = -5 }, []string{"dishes[0].steps[0].units: -5 out of range"}},
		{"absurd units", func(m *Menu) { m.Dishes[0].Steps[0].Units = 2e9 }, []string{"dishes[0].steps[0].units: 2000000000 out of range"}},
		{"zero wait", func(m *Menu) { m.Dishes[0].Steps[1].Wait = 0 }, []string{"dishes[0].steps[1].wait: 0s out of range"}},
		{"absurd wait", func(m *Menu) { m.Dishes[0].Steps[1].Wait = 2 * time.Hour }, []string{"dishes[0].steps[1].wait: 2h0m0s out of range"}},
		{"unknown kind", func(m *Menu) { m.Dishes[0].Steps[0].Kind = 9 }, []string{"dishes[0].steps[0].kind: unknown step kind"}},
		{"two problems at once", func(m *Menu) { m.Name = ""; m.Customers = -1 },
			[]string{"name: missing", "customers: -1 out of range"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := validMenu()
			tc.change(m)
			err := m.Validate()
			require.Error(t, err, "Validate() = nil; want an error")
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
	assert.NoError(t, validMenu().Validate())
}

func TestStepKindText(t *testing.T) {
	for _, k := range []StepKind{CPU, Grill, Rest} {
		b, err := k.MarshalText()
		require.NoError(t, err)
		var got StepKind
		require.NoError(t, got.UnmarshalText(b))
		assert.Equal(t, k, got)
	}
	var k StepKind
	assert.ErrorContains(t, k.UnmarshalText([]byte("fry")), `unknown step kind "fry"`)
}

func TestChooserFollowsWeights(t *testing.T) {
	m := &Menu{Seed: 7, Dishes: []Dish{{Name: "a", Weight: 1}, {Name: "b", Weight: 3}, {Name: "never", Weight: 0}, {Name: "c", Weight: 6}}}
	c := NewChooser(m)
	const n = 100_000
	counts := make([]int, len(m.Dishes))
	for i := int64(0); i < n; i++ {
		counts[c.Pick(i)]++
	}
	assert.Zero(t, counts[2], "a dish of weight 0 is never ordered")
	for i, want := range []float64{0.1, 0.3, 0, 0.6} {
		assert.InDelta(t, want, float64(counts[i])/n, 0.01, "share of dish %s", m.Dishes[i].Name)
	}
	// Fixed seed: the same orders pick the same dishes.
	c2 := NewChooser(m)
	for i := int64(0); i < 100; i++ {
		assert.Equal(t, c.Pick(i), c2.Pick(i))
	}
}

func TestBound(t *testing.T) {
	// One dish: 1000 units at 1000 ns/unit = 1 ms CPU, 4 ms grill, 5 ms rest.
	m := &Menu{Name: "b", Grills: 2, Customers: 100, Dishes: []Dish{{Name: "d", Weight: 1, Steps: []Step{
		{Kind: CPU, Units: 1000}, {Kind: Grill, Wait: 4 * time.Millisecond}, {Kind: Rest, Wait: 5 * time.Millisecond},
	}}}}
	tests := []struct {
		name string
		c    Capacity
		want float64
	}{
		{"sync: 1/(cpu+grill+rest)", Capacity{Cores: 1, Cooks: 1}, 100},
		{"pool of 4 on 4 cores: cooks/(cycle)", Capacity{Cores: 4, Cooks: 4}, 400},
		{"event loop: grills bind, 2/4ms", Capacity{Cores: 1}, 500},
		{"pool of 8 on 2 cores: grills bind", Capacity{Cores: 2, Cooks: 8}, 500},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.InDelta(t, tc.want, Bound(m, tc.c, 1000), 1e-9, "Bound(%+v)", tc.c)
		})
	}
	// CPU-bound: 2 cores, 1 ms per dish: 2000/s; 3 customers, 1 ms cycle: 3000/s.
	cpu := &Menu{Name: "c", Customers: 3, Dishes: []Dish{{Name: "d", Weight: 1, Steps: []Step{{Kind: CPU, Units: 1000}}}}}
	assert.InDelta(t, 2000.0, Bound(cpu, Capacity{Cores: 2}, 1000), 1e-9)
	assert.InDelta(t, 3000.0, Bound(cpu, Capacity{Cores: 8}, 1000), 1e-9, "customers bind")
	// More cooks than customers: only the 3 customers' orders can be in
	// progress, min(16, 3) = 3, so 3000/s, not 16000/s capped by 8 cores.
	l, terms := Binding(cpu, Capacity{Cores: 8, Cooks: 16}, 1000)
	assert.Equal(t, LimitInProgress, l, "Binding() with 16 cooks for 3 customers")
	assert.InDelta(t, 3000.0, terms[LimitInProgress], 1e-9, "in-progress term: min(cooks, customers) / cycle")
	assert.InDelta(t, 3000.0, Bound(cpu, Capacity{Cores: 8, Cooks: 16}, 1000), 1e-9, "customers bind, not cooks")
	// Fewer cooks than customers: the cooks bind.
	assert.InDelta(t, 2000.0, Bound(cpu, Capacity{Cores: 8, Cooks: 2}, 1000), 1e-9, "cooks bind, not customers")
	// Weighted mean: dishes of 1 ms and 3 ms CPU, weights 1:1 -> 2 ms mean.
	mix := &Menu{Name: "m", Customers: 10, Dishes: []Dish{
		{Name: "x", Weight: 1, Steps: []Step{{Kind: CPU, Units: 1000}}},
		{Name: "y", Weight: 1, Steps: []Step{{Kind: CPU, Units: 3000}}},
	}}
	assert.InDelta(t, 500.0, Bound(mix, Capacity{Cores: 1, Cooks: 1}, 1000), 1e-9)
}

func TestMeanCostWeighsDishes(t *testing.T) {
	// Weights 1:3, so an unweighted mean (2000 units, 2 ms, 4 ms) differs
	// from the weighted one in every field.
	light := Dish{Name: "light", Steps: []Step{{Kind: CPU, Units: 1000}, {Kind: Grill, Wait: 4 * time.Millisecond}}}
	heavy := Dish{Name: "heavy", Steps: []Step{{Kind: CPU, Units: 3000}, {Kind: Rest, Wait: 8 * time.Millisecond}}}
	tests := []struct {
		name         string
		wLight, wHvy float64
		want         Cost
	}{
		{"1:3", 1, 3, Cost{CPUUnits: 2500, Grill: time.Millisecond, Rest: 6 * time.Millisecond}},
		{"3:1", 3, 1, Cost{CPUUnits: 1500, Grill: 3 * time.Millisecond, Rest: 2 * time.Millisecond}},
		{"2:6, same shares as 1:3", 2, 6, Cost{CPUUnits: 2500, Grill: time.Millisecond, Rest: 6 * time.Millisecond}},
		{"weight 0 never counts", 0, 5, Cost{CPUUnits: 3000, Rest: 8 * time.Millisecond}},
		{"no weight at all", 0, 0, Cost{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, h := light, heavy
			l.Weight, h.Weight = tc.wLight, tc.wHvy
			m := &Menu{Name: "w", Dishes: []Dish{l, h}}
			assert.Equal(t, tc.want, m.MeanCost(), "MeanCost()")
		})
	}
}

type countWaiter struct{ ready int }

func (w *countWaiter) GrillReady() { w.ready++ }

func TestGrillsHandOverInOrder(t *testing.T) {
	g := NewGrills(1)
	a, b, c := &countWaiter{}, &countWaiter{}, &countWaiter{}
	require.True(t, g.AcquireOrQueue(a), "first grill is free")
	require.False(t, g.AcquireOrQueue(b), "second must queue")
	require.False(t, g.AcquireOrQueue(c), "third must queue")
	g.Release()
	assert.Equal(t, 1, b.ready, "b queued first and gets the grill")
	assert.Equal(t, 0, c.ready)
	assert.True(t, g.Cancel(c), "c was still queued")
	assert.False(t, g.Cancel(c), "c is no longer queued")
	g.Release() // b's grill
	inUse, maxUse := g.Stats()
	assert.Equal(t, 0, inUse)
	assert.Equal(t, 1, maxUse, "never more than one grill in use")
	assert.Equal(t, 0, c.ready, "cancelled waiter is never handed a grill")
	assert.PanicsWithValue(t, "kitchen: Grills.Release without a grill in use", g.Release)
}

func TestGrillsQueueNeverGrowsWithoutBound(t *testing.T) {
	g := NewGrills(1)
	require.True(t, g.AcquireOrQueue(&countWaiter{}))
	// A queue that never empties: one in, one out, many times.
	for i := 0; i < 10_000; i++ {
		g.AcquireOrQueue(&countWaiter{})
		g.Release()
	}
	assert.Less(t, cap(g.waiters), 1024, "waiter slice capacity after 10k hand-overs")
}
