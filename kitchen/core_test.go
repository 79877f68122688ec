package kitchen

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tests written to kill mutants that lived under gremlins (see
// docs/mutation-testing.md): each pins a behaviour at its edge.

func TestValidateAcceptsTheLimits(t *testing.T) {
	tests := []struct {
		name   string
		change func(m *Menu)
		bad    string // "" when the menu is valid
	}{
		{"most grills", func(m *Menu) { m.Grills = MaxGrills }, ""},
		{"negative grills", func(m *Menu) { m.Grills = -1 }, "grills: -1 out of range"},
		{"no grills, no grill step", func(m *Menu) { m.Grills = 0; m.Dishes[0].Steps = m.Dishes[0].Steps[:1] }, ""},
		{"one customer", func(m *Menu) { m.Customers = 1 }, ""},
		{"most customers", func(m *Menu) { m.Customers = MaxCustomers }, ""},
		{"too many customers", func(m *Menu) { m.Customers = MaxCustomers + 1 }, "customers: 1000001 out of range"},
		{"rate 0: closed loop only", func(m *Menu) { m.Rate = 0 }, ""},
		{"highest rate", func(m *Menu) { m.Rate = MaxRate }, ""},
		{"rate too high", func(m *Menu) { m.Rate = MaxRate + 1 }, "rate: 1.0000001e+07 out of range"},
		{"negative rate", func(m *Menu) { m.Rate = -1 }, "rate: -1 out of range"},
		{"NaN rate", func(m *Menu) { m.Rate = math.NaN() }, "rate: NaN out of range"},
		{"no units", func(m *Menu) { m.Dishes[0].Steps[0].Units = 0 }, ""},
		{"most units", func(m *Menu) { m.Dishes[0].Steps[0].Units = MaxUnitsPerStep }, ""},
		{"too many units", func(m *Menu) { m.Dishes[0].Steps[0].Units = MaxUnitsPerStep + 1 }, "units: 1000000001 out of range"},
		{"longest wait", func(m *Menu) { m.Dishes[0].Steps[1].Wait = MaxWait }, ""},
		{"wait too long", func(m *Menu) { m.Dishes[0].Steps[1].Wait = MaxWait + 1 }, "wait: 1h0m0.000000001s out of range"},
		{"call without a hold", func(m *Menu) { m.Dishes[0].Steps[1] = Step{Kind: Call} }, ""},
		{"longest call hold", func(m *Menu) { m.Dishes[0].Steps[1] = Step{Kind: Call, Wait: MaxWait} }, ""},
		{"call hold too long", func(m *Menu) { m.Dishes[0].Steps[1] = Step{Kind: Call, Wait: MaxWait + 1} }, "wait: 1h0m0.000000001s out of range [0s"},
		{"largest reply", func(m *Menu) { m.Dishes[0].Steps[1] = Step{Kind: Call, Reply: MaxReply} }, ""},
		{"reply too large", func(m *Menu) { m.Dishes[0].Steps[1] = Step{Kind: Call, Reply: MaxReply + 1} }, "reply: 67108865 out of range"},
		{"one-byte read", func(m *Menu) { m.Dishes[0].Steps[1] = Step{Kind: Read, Bytes: 1} }, ""},
		{"largest read", func(m *Menu) { m.Dishes[0].Steps[1] = Step{Kind: Read, Bytes: MaxReadBytes} }, ""},
		{"empty read", func(m *Menu) { m.Dishes[0].Steps[1] = Step{Kind: Read} }, "bytes: 0 out of range [1"},
		{"read too large", func(m *Menu) { m.Dishes[0].Steps[1] = Step{Kind: Read, Bytes: MaxReadBytes + 1} }, "bytes: 67108865 out of range"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := validMenu()
			tc.change(m)
			err := m.Validate()
			if tc.bad == "" {
				assert.NoError(t, err, "Validate()")
				return
			}
			require.Error(t, err, "Validate() = nil; want %q", tc.bad)
			assert.Contains(t, err.Error(), tc.bad)
		})
	}
}

func TestStepKindOutOfRange(t *testing.T) {
	tests := []struct {
		k    StepKind
		name string
		ok   bool
	}{
		{0, "StepKind(0)", false},
		{CPU, "cpu", true},
		{Grill, "grill", true},
		{Rest, "rest", true},
		{Call, "call", true},
		{Read, "read", true},
		{Read + 1, "StepKind(6)", false},
		{200, "StepKind(200)", false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.name, tc.k.String(), "StepKind(%d).String()", uint8(tc.k))
		b, err := tc.k.MarshalText()
		if tc.ok {
			assert.NoError(t, err, "StepKind(%d).MarshalText()", uint8(tc.k))
			assert.Equal(t, tc.name, string(b))
		} else {
			assert.ErrorContains(t, err, fmt.Sprintf("unknown step kind %d", uint8(tc.k)))
		}
	}
}

func TestBindingEdges(t *testing.T) {
	cpuOnly := &Menu{Name: "c", Customers: 3, Dishes: []Dish{{Name: "d", Weight: 1, Steps: []Step{{Kind: CPU, Units: 1000}}}}}
	// A tie between two terms goes to the earlier of cores, grills and
	// in-progress: 3 cores and 3 customers, 1 ms of CPU each.
	l, terms := Binding(cpuOnly, Capacity{Cores: 3}, 1000)
	assert.Equal(t, LimitCores, l, "a tie between cores and in-progress")
	assert.InDelta(t, 3000.0, terms[LimitCores], 1e-9)
	assert.InDelta(t, 3000.0, terms[LimitInProgress], 1e-9)
	// No grill step and no grills: the grills impose no limit (not 0/0).
	assert.True(t, math.IsInf(terms[LimitGrills], 1), "grills term of a menu without grills = %v; want +Inf", terms[LimitGrills])
	// A capacity of zero cores imposes no limit either.
	l, terms = Binding(cpuOnly, Capacity{}, 1000)
	assert.Equal(t, LimitInProgress, l)
	assert.True(t, math.IsInf(terms[LimitCores], 1), "cores term with Cores 0 = %v; want +Inf", terms[LimitCores])
}

func TestChooserSequenceIsFixed(t *testing.T) {
	// Which dish each order is belongs to a result file's meaning: a
	// different sequence makes new results incomparable with committed
	// ones. These are the picks of the chooser as first released.
	m := &Menu{Seed: 7, Dishes: []Dish{{Name: "a", Weight: 1}, {Name: "b", Weight: 3}, {Name: "c", Weight: 6}}}
	c := NewChooser(m)
	var got []int
	for i := int64(0); i < 24; i++ {
		got = append(got, c.Pick(i))
	}
	assert.Equal(t, chooserGolden, got, "picks of orders 0-23, seed 7, weights 1:3:6")
}

// chooserGolden is the sequence TestChooserSequenceIsFixed expects.
var chooserGolden = []int{2, 2, 1, 0, 2, 2, 2, 1, 1, 1, 2, 0, 2, 2, 2, 1, 1, 1, 2, 2, 1, 1, 2, 1}

func TestWorkDoesUnitItersRoundsPerUnit(t *testing.T) {
	// An independent xorshift64 of unitIters rounds per unit.
	want := func(units int64, seed uint64) uint64 {
		x := seed | 1
		for range units * unitIters {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
		}
		return x
	}
	for _, units := range []int64{0, 1, 3} {
		assert.Equal(t, want(units, 42), Work(units, 42), "Work(%d, 42)", units)
	}
}

// listWaiter records the order in which waiters get a grill.
type listWaiter struct {
	id  int
	got *[]int
}

func (w *listWaiter) GrillReady() { *w.got = append(*w.got, w.id) }

func TestGrillsCancelKeepsTheOthersInOrder(t *testing.T) {
	var got []int
	g := NewGrills(1)
	ws := make([]*listWaiter, 5)
	for i := range ws {
		ws[i] = &listWaiter{id: i, got: &got}
	}
	require.True(t, g.AcquireOrQueue(ws[0]))
	for _, w := range ws[1:] {
		require.False(t, g.AcquireOrQueue(w))
	}
	assert.True(t, g.Cancel(ws[3]), "Cancel of a waiter in the middle of the queue")
	assert.True(t, g.Cancel(ws[4]), "Cancel of the last waiter")
	assert.False(t, g.Cancel(ws[0]), "Cancel of the holder: not queued")
	g.Release() // ws[0]'s grill, to ws[1]
	g.Release() // ws[1]'s, to ws[2]
	assert.Equal(t, []int{1, 2}, got, "waiters handed a grill, in order")
	inUse, _ := g.Stats()
	assert.Equal(t, 1, inUse, "ws[2] holds the grill")
	g.Release()
	inUse, _ = g.Stats()
	assert.Zero(t, inUse)

	// Cancelling the first of two leaves the second queued, not lost.
	got = nil
	require.True(t, g.AcquireOrQueue(ws[0]))
	require.False(t, g.AcquireOrQueue(ws[1]))
	require.False(t, g.AcquireOrQueue(ws[2]))
	g.Release() // to ws[1]; ws[2] waits at head 1
	assert.True(t, g.Cancel(ws[2]))
	require.False(t, g.AcquireOrQueue(ws[3]))
	g.Release() // to ws[3]
	assert.Equal(t, []int{1, 3}, got)
}

func TestGrillsCompactOnlyALongDeadPrefix(t *testing.T) {
	// A queue that never empties: n waiters always queued, one handed a
	// grill and one more queued, many times. Order must hold, the slice
	// must stay small, and compaction must happen only once the consumed
	// prefix is over 64 entries and over half the slice (amortised O(1)).
	// 10 queued: the 64 binds; 68 queued: the half binds, and is reached
	// exactly (69 dead of 138).
	for _, queued := range []int{10, 68} {
		t.Run(fmt.Sprintf("queued=%d", queued), func(t *testing.T) {
			var got []int
			g := NewGrills(1)
			require.True(t, g.AcquireOrQueue(&listWaiter{id: -1, got: &got}))
			next := 0
			for range queued {
				require.False(t, g.AcquireOrQueue(&listWaiter{id: next, got: &got}))
				next++
			}
			compactions := 0
			for i := range 5000 {
				head, n := g.head, len(g.waiters)
				g.Release()
				if g.head == 0 && len(g.waiters) > 0 {
					compactions++
					require.Greater(t, head+1, 64, "release %d compacted a dead prefix of %d", i, head+1)
					require.Greater(t, 2*(head+1), n, "release %d compacted %d dead of %d", i, head+1, n)
				}
				require.True(t, g.head <= 64 || 2*g.head <= len(g.waiters), "release %d: dead prefix %d of %d left", i, g.head, len(g.waiters))
				require.False(t, g.AcquireOrQueue(&listWaiter{id: next, got: &got}))
				next++
			}
			assert.Positive(t, compactions, "compactions")
			assert.Less(t, cap(g.waiters), 1024, "waiter slice capacity after 5000 hand-overs")
			for i, id := range got {
				require.Equal(t, i, id, "hand-over %d went to waiter %d", i, id)
			}
		})
	}
}

func TestMarshalMenuWritesOneStepPerLine(t *testing.T) {
	m := &Menu{Name: "two", Grills: 1, Customers: 2, Seed: 3, Dishes: []Dish{
		{Name: "a", Weight: 1, Steps: []Step{{Name: "chop", Kind: CPU, Units: 5}, {Name: "sear", Kind: Grill, Wait: 2 * time.Millisecond}}},
		{Name: "b", Weight: 2, Steps: []Step{{Name: "wait", Kind: Rest, Wait: time.Millisecond}}},
	}}
	data, err := MarshalMenu(m)
	require.NoError(t, err)
	want := `name: two
grills: 1
customers: 2
seed: 3
dishes:
  - name: a
    weight: 1
    steps:
      - {name: chop, cpu: 5}
      - {name: sear, grill: 2ms}
  - name: b
    weight: 2
    steps:
      - {name: wait, rest: 1ms}
`
	assert.Equal(t, want, string(data), "MarshalMenu()")
}

func TestCalibrateZeroRoundsMeansFifteen(t *testing.T) {
	c := Calibrate(0, time.Microsecond)
	assert.Equal(t, 15, c.Rounds, "Calibrate(0, 1µs).Rounds")
	assert.Positive(t, c.NsPerUnit)
}

func TestSummarize(t *testing.T) {
	tests := []struct {
		name string
		per  []float64
		want Calibration
	}{
		{"one round", []float64{7}, Calibration{NsPerUnit: 7, Median: 7, Rounds: 1}},
		{"odd count", []float64{5, 1, 4, 2, 3}, Calibration{NsPerUnit: 1, Median: 3, CV: math.Sqrt(2.5) / 3, Rounds: 5}},
		{"even count", []float64{4, 1, 3, 2}, Calibration{NsPerUnit: 1, Median: 2.5, CV: math.Sqrt(5.0/3) / 2.5, Rounds: 4}},
		{"ten rounds: 20th percentile is the 2nd", []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1},
			Calibration{NsPerUnit: 2, Median: 5.5, CV: math.Sqrt(82.5/9) / 5.5, Rounds: 10}},
		{"eleven rounds: 20th percentile is the 3rd", []float64{11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1},
			Calibration{NsPerUnit: 3, Median: 6, CV: math.Sqrt(11) / 6, Rounds: 11}},
		{"zero mean: no CV", []float64{0, 0}, Calibration{Rounds: 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := summarize(tc.per)
			assert.Equal(t, tc.want.Rounds, got.Rounds, "Rounds")
			assert.InDelta(t, tc.want.NsPerUnit, got.NsPerUnit, 1e-12, "NsPerUnit")
			assert.InDelta(t, tc.want.Median, got.Median, 1e-12, "Median")
			assert.InDelta(t, tc.want.CV, got.CV, 1e-12, "CV")
		})
	}
}

func TestCalibrateCostPerUnitIsAShareOfItsRounds(t *testing.T) {
	// A unit cannot cost more than the whole calibration took: each round
	// divides its time by its units (at least one).
	start := time.Now()
	c := Calibrate(3, time.Millisecond)
	took := time.Since(start)
	assert.LessOrEqual(t, c.NsPerUnit, float64(took), "NsPerUnit against the %v Calibrate took", took)
	assert.LessOrEqual(t, c.Median, float64(took), "Median against the %v Calibrate took", took)
}
