package bench

import (
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/internal/kitchentest"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/strategies"
)

func TestParseProcStat(t *testing.T) {
	const stat = `cpu  100 20 30 400 50 6 7 8 0 0
cpu0 50 10 15 200 25 3 4 4 0 0
intr 1234
`
	busy, steal, ok := parseProcStat([]byte(stat), 10*time.Millisecond)
	require.True(t, ok)
	assert.Equal(t, time.Duration(100+20+30+6+7)*10*time.Millisecond, busy, "user+nice+system+irq+softirq")
	assert.Equal(t, 80*time.Millisecond, steal)

	for _, bad := range []string{"", "intr 5\n", "cpu 1 2 x 4 5\n", "cpu 1 2 -3 4 5\n"} {
		_, _, ok := parseProcStat([]byte(bad), time.Millisecond)
		assert.False(t, ok, "parseProcStat(%q)", bad)
	}
	// An old kernel without the steal column.
	busy, steal, ok = parseProcStat([]byte("cpu 1 1 1 1 1\n"), time.Second)
	require.True(t, ok)
	assert.Equal(t, 3*time.Second, busy)
	assert.Zero(t, steal)
}

func TestStarved(t *testing.T) {
	w := 100 * time.Millisecond
	tests := []struct {
		name     string
		expected float64
		u        Usage
		want     bool
	}{
		{"got its two cores", 2, Usage{Window: w, CPU: 195 * time.Millisecond, Machine: true, Busy: 200 * time.Millisecond}, false},
		{"a neighbour took one core", 2, Usage{Window: w, CPU: 110 * time.Millisecond, Machine: true, Busy: 200 * time.Millisecond}, true},
		{"steal took it", 2, Usage{Window: w, CPU: 110 * time.Millisecond, Machine: true, Busy: 110 * time.Millisecond, Steal: 80 * time.Millisecond}, true},
		{"idle by its own design: the machine idles too", 2, Usage{Window: w, CPU: 110 * time.Millisecond, Machine: true, Busy: 115 * time.Millisecond}, false},
		{"no machine counters: CPU time alone", 2, Usage{Window: w, CPU: 110 * time.Millisecond}, true},
		{"under half a core expected: not judged", 0.3, Usage{Window: w, CPU: time.Millisecond, Machine: true, Busy: 200 * time.Millisecond}, false},
		{"no CPU time read", 2, Usage{Window: w}, false},
		{"just above the share", 1, Usage{Window: w, CPU: 81 * time.Millisecond, Machine: true, Busy: 200 * time.Millisecond}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Starved(tc.expected, tc.u), "Starved(%v, %+v)", tc.expected, tc.u)
		})
	}
}

// cpuMenu is pure CPU work: every strategy that can use cores keeps them
// busy, so its expected cores are its Capacity's.
func cpuMenu() *kitchen.Menu {
	return &kitchen.Menu{Name: "cpu", Grills: 1, Customers: 64, Seed: 1,
		Dishes: []kitchen.Dish{{Name: "sum", Weight: 1, Steps: []kitchen.Step{{Kind: kitchen.CPU, Units: 100}}}}}
}

func TestExpectedCores(t *testing.T) {
	m := cpuMenu()
	const ns = 1000 // 100 µs a dish
	cores := min(2, runtime.NumCPU())
	pool, _ := strategies.New("pool")
	sync, _ := strategies.New("sync")
	assert.InDelta(t, float64(cores), ExpectedCores(m, pool.Capacity(2), 2, ns, 1e9), 1e-9, "pool at its bound: every core")
	assert.InDelta(t, 1, ExpectedCores(m, sync.Capacity(2), 2, ns, 1e9), 1e-9, "sync: one core")
	assert.InDelta(t, 0.5, ExpectedCores(m, pool.Capacity(2), 2, ns, 5000), 1e-9, "5000 dishes/s × 100 µs")
}

func TestJudgeFlags(t *testing.T) {
	k := kitchentest.New(t, cpuMenu())
	busy := Usage{Window: 100 * time.Millisecond, CPU: 100 * time.Millisecond, Machine: true, Busy: 100 * time.Millisecond}
	starved := Usage{Window: 100 * time.Millisecond, CPU: 30 * time.Millisecond, Machine: true, Busy: 100 * time.Millisecond}
	base := results.Sample{Menu: "cpu", Strategy: "sync", Cores: 1, Served: 900, Orders: 901, Elapsed: 100 * time.Millisecond,
		DishesPerSec: 9000, Bound: 10000, MixBound: 10000, NsPerUnit: 1000}
	tests := []struct {
		name string
		edit func(s *results.Sample)
		w    Window
		want []string
	}{
		{"clean", func(*results.Sample) {}, Window{Usage: busy}, nil},
		{"over its bound", func(s *results.Sample) { s.DishesPerSec = 10100 }, Window{Usage: busy}, []string{FlagOverBound}},
		{"at its bound exactly", func(s *results.Sample) { s.DishesPerSec = 10000 }, Window{Usage: busy}, nil},
		{"started a lighter mix", func(*results.Sample) {}, Window{Usage: busy, StartedBound: 13000, MixShort: true}, []string{FlagMixStarvation}},
		{"started a lighter mix by chance", func(*results.Sample) {}, Window{Usage: busy, StartedBound: 13000}, nil},
		{"served a lighter mix, started the menu's", func(s *results.Sample) { s.Bound = 30000 }, Window{Usage: busy, StartedBound: 10100}, nil},
		{"censored p99", func(s *results.Sample) { s.Latency.Lower = []string{"p99", "p999", "max"} }, Window{Usage: busy}, []string{FlagCensoredP99}},
		{"Little beyond the window", func(s *results.Sample) { s.Latency.LittleMean = float64(150 * time.Millisecond) }, Window{Usage: busy}, []string{FlagNoSteadyState}},
		{"Little within warm-up + window", func(s *results.Sample) { s.Latency.LittleMean = float64(150 * time.Millisecond) }, Window{Usage: busy, Warmup: 60 * time.Millisecond}, nil},
		{"starved", func(*results.Sample) {}, Window{Usage: starved}, []string{FlagStarved}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := base
			tc.edit(&s)
			Judge(k, &s, tc.w)
			assert.Equal(t, tc.want, s.Flags, "Flags")
			assert.Equal(t, tc.name == "starved", s.Starved, "Starved")
		})
	}
}

func TestParseSchedstat(t *testing.T) {
	w, ok := parseSchedstat([]byte("763755 1022238 2\n"))
	require.True(t, ok)
	assert.Equal(t, 1022238*time.Nanosecond, w)
	for _, bad := range []string{"", "5", "1 x 2", "1 -5 2"} {
		_, ok := parseSchedstat([]byte(bad))
		assert.False(t, ok, "parseSchedstat(%q)", bad)
	}
}

func TestDelayed(t *testing.T) {
	w := 100 * time.Millisecond
	tests := []struct {
		name string
		u    Usage
		want bool
	}{
		{"quiet", Usage{Window: w, Waited: true, Wait: time.Millisecond}, false},
		{"waited a tenth of the window", Usage{Window: w, Waited: true, Wait: 10 * time.Millisecond}, true},
		{"threads waited longer than the window in all", Usage{Window: w, Waited: true, Wait: 150 * time.Millisecond}, true},
		{"wait unknown", Usage{Window: w, Wait: time.Second}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Delayed(tc.u), "Delayed(%+v)", tc.u)
		})
	}
	// An open-loop sample that needs little CPU is judged by its waits.
	k := kitchentest.New(t, cpuMenu())
	s := results.Sample{Menu: "cpu", Strategy: "pool", Cores: 2, Served: 100, Orders: 100, Elapsed: w,
		DishesPerSec: 1000, Bound: 1000, MixBound: 1000, TargetRate: 1000, NsPerUnit: 1000}
	Judge(k, &s, Window{Usage: Usage{Window: w, CPU: 10 * time.Millisecond, Waited: true, Wait: 40 * time.Millisecond}})
	assert.True(t, s.Starved, "open loop, 0.1 core needed, threads waited 40% of the window")
}

func TestMixShort(t *testing.T) {
	tests := []struct {
		name            string
		weights, counts []float64
		want            bool
	}{
		{"as weighted", []float64{1, 1}, []float64{50, 50}, false},
		{"a rare dish absent from a few orders: chance", []float64{19, 1}, []float64{40, 0}, false}, // P = 0.95^40 = 0.13
		{"a rare dish absent from many orders", []float64{19, 1}, []float64{400, 0}, true},          // P = 0.95^400 ≈ 1e-9
		{"half the weight, a tenth of the orders", []float64{1, 1}, []float64{180, 20}, true},
		{"nothing started", []float64{1, 1}, []float64{0, 0}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, mixShort(tc.weights, tc.counts), "mixShort(%v, %v)", tc.weights, tc.counts)
		})
	}
	assert.InDelta(t, 0.95*0.95, binomCDF(0, 2, 0.05), 1e-12)
	assert.InDelta(t, 1-0.05*0.05, binomCDF(1, 2, 0.05), 1e-12)
}
