package abtest

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/kitchenbench/kitchenbench/internal/fixture"
	"github.com/kitchenbench/kitchenbench/render"
	"github.com/kitchenbench/kitchenbench/results"
)

var (
	banquet = results.Cell{Menu: "banquet", Strategy: "sync", Cores: 1}
	pool    = results.Cell{Menu: "banquet", Strategy: "pool", Cores: 2}
	rush    = results.Cell{Menu: "dinner-rush", Strategy: "eventloop", Cores: 1}
	cells   = []results.Cell{banquet, pool, rush}
)

// rounds makes n A/B rounds in which each measurement has noise cv and
// the new build's speed in a cell is factor(cell) times the old's. A
// round's drift (the machine slower or faster for a while) multiplies
// both builds alike.
func rounds(rng *rand.Rand, n int, cv float64, factor func(results.Cell) float64) []Round {
	var rs []Round
	for range n {
		drift := 1 + 0.2*rng.NormFloat64()
		r := Round{Old: map[results.Cell]float64{}, New: map[results.Cell]float64{}}
		for i, c := range cells {
			base := 1000 * float64(i+1) * drift
			r.Old[c] = base * (1 + cv*rng.NormFloat64())
			r.New[c] = base * factor(c) * (1 + cv*rng.NormFloat64())
		}
		rs = append(rs, r)
	}
	return rs
}

func same(results.Cell) float64 { return 1 }

func TestGate(t *testing.T) {
	tests := []struct {
		name   string
		n      int
		cv     float64
		factor func(results.Cell) float64
		want   map[results.Cell]Outcome
	}{
		{"unchanged passes", 8, 0.02, same, map[results.Cell]Outcome{banquet: Pass, pool: Pass, rush: Pass}},
		{"25% slower work unit in one cell", 8, 0.02, func(c results.Cell) float64 {
			if c == banquet {
				return 0.8 // 25% more time per dish: 20% fewer dishes/s
			}
			return 1
		}, map[results.Cell]Outcome{banquet: Regression, pool: Pass, rush: Pass}},
		{"too noisy for 4 rounds", 4, 0.3, same, map[results.Cell]Outcome{banquet: Inconclusive, pool: Inconclusive, rush: Inconclusive}},
		{"two rounds are too few", 2, 0.001, same, map[results.Cell]Outcome{banquet: Inconclusive, pool: Inconclusive, rush: Inconclusive}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Gate(rounds(rand.New(rand.NewPCG(1, 2)), tc.n, tc.cv, tc.factor), Options{})
			if len(v.Cells) != len(tc.want) {
				t.Fatalf("%d cells; want %d", len(v.Cells), len(tc.want))
			}
			for _, c := range v.Cells {
				if c.Outcome != tc.want[c.Cell] {
					t.Errorf("%s: %s (change %+.3f, p(regression) %.3g, p(pass) %.3g); want %s",
						c.Cell.String(), c.Outcome, c.Change, c.PRegression, c.PPass, tc.want[c.Cell])
				}
				if c.Rounds != tc.n {
					t.Errorf("%s: %d rounds; want %d", c.Cell.String(), c.Rounds, tc.n)
				}
			}
		})
	}
}

// TestRoundDriftCancels: a machine twice as fast in some rounds is no
// regression, because each ratio is taken within a round.
func TestRoundDriftCancels(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	rs := rounds(rng, 8, 0.01, same)
	for i := range rs {
		if i%2 == 1 {
			for c := range rs[i].Old {
				rs[i].Old[c] *= 2
				rs[i].New[c] *= 2
			}
		}
	}
	for _, c := range Gate(rs, Options{}).Cells {
		if c.Outcome != Pass {
			t.Errorf("%s: %s; want pass", c.Cell.String(), c.Outcome)
		}
	}
}

// TestFalseAlarmRate: over unchanged gates of three cells, Holm keeps
// the share of gates with any regression below α; at a true regression
// exactly as large as the threshold, a cell fails at most α of the time.
func TestFalseAlarmRate(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 300
	}
	rng := rand.New(rand.NewPCG(5, 6))
	atThreshold := func(c results.Cell) float64 {
		if c == banquet {
			return 0.95
		}
		return 1
	}
	var unchanged, edge int
	for range n {
		if len(Gate(rounds(rng, 8, 0.05, same), Options{}).Regressions()) > 0 {
			unchanged++
		}
		for _, c := range Gate(rounds(rng, 8, 0.05, atThreshold), Options{}).Regressions() {
			if c.Cell == banquet {
				edge++
			}
		}
	}
	limit := 0.05 + 3*math.Sqrt(0.05*0.95/float64(n))
	t.Logf("gates with a false alarm: %d of %d unchanged; cells failed at exactly the threshold: %d of %d", unchanged, n, edge, n)
	if r := float64(unchanged) / float64(n); r > limit {
		t.Errorf("false alarms in %.3f of unchanged gates; want at most %.3f", r, limit)
	}
	if r := float64(edge) / float64(n); r > limit {
		t.Errorf("a change of exactly the threshold failed %.3f of the time; want at most %.3f", r, limit)
	}
}

// TestDetectableHasItsPower: a true regression as large as a cell's
// stated Detectable is caught about Power of the time.
func TestDetectableHasItsPower(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const cv = 0.05
	d := Gate(rounds(rng, 8, cv, same), Options{}).Cells[0].Detectable
	if !(d > 0.05 && d < 1) {
		t.Fatalf("Detectable = %v; want a regression beyond the 5%% threshold", d)
	}
	n := 1000
	if testing.Short() {
		n = 200
	}
	caught := 0
	for range n {
		v := Gate(rounds(rng, 8, cv, func(c results.Cell) float64 {
			if c == banquet {
				return 1 - d
			}
			return 1
		}), Options{})
		for _, c := range v.Regressions() {
			if c.Cell == banquet {
				caught++
			}
		}
	}
	// Detectable is computed from one gate's noise estimate and at Holm's
	// strictest level, so the measured power scatters around 80%.
	power := float64(caught) / float64(n)
	t.Logf("Detectable %.3f caught in %d of %d gates (%.0f%%)", d, caught, n, 100*power)
	if power < 0.6 || power > 0.98 {
		t.Errorf("power at the stated detectable regression %.2f; want about 0.8", power)
	}
}

func TestRenderGolden(t *testing.T) {
	v := Gate(rounds(rand.New(rand.NewPCG(1, 2)), 8, 0.02, func(c results.Cell) float64 {
		if c == banquet {
			return 0.8
		}
		return 1
	}), Options{})
	fixture.GoldenFormats(t, "gate", render.Formats, func(w io.Writer, format string) error { return render.Write(w, format, v) })
	if err := render.Write(&bytes.Buffer{}, "yaml", v); err == nil {
		t.Error(`Render("yaml") = nil; want an error`)
	}
}

func ExampleGate() {
	old := map[results.Cell]float64{banquet: 500}
	var rs []Round
	for _, r := range []float64{0.80, 0.79, 0.81, 0.80, 0.78, 0.82} {
		rs = append(rs, Round{Old: old, New: map[results.Cell]float64{banquet: 500 * r}})
	}
	for _, c := range Gate(rs, Options{}).Cells {
		fmt.Printf("%s: %s, %+.0f%%\n", c.Cell.String(), c.Outcome, 100*c.Change)
	}
	// Output: banquet/sync/1: regression, -20%
}
