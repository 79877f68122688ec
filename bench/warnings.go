package bench

import (
	"fmt"
	"slices"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/results"
)

// Warnings tells, after a run, what a reader of its tables must know
// before trusting a figure, one line per cell: samples whose process was
// starved of its cores, samples above their model bound, cells whose
// closed loop cannot reach a steady state within the window (Little's law)
// and cells that served a much lighter mix than their menu's.
func Warnings(menus []*kitchen.Menu, samples []results.Sample) []string {
	var out []string
	for _, c := range FindStarved(menus, samples) {
		out = append(out, fmt.Sprintf("warning: %s (other processes or steal took the rest; kept and marked \"starved\")", c))
	}
	return append(out, flagged(samples)...)
}

// flagged returns a line for each cell with samples over their bound, with
// no steady state, or with a starved mix, in the order of their first
// sample.
func flagged(samples []results.Sample) []string {
	type acc struct {
		n, over, mix, steady int
		worst                float64 // highest share of the bound
		little               []float64
		window               time.Duration
	}
	var order []results.Cell
	cells := map[results.Cell]*acc{}
	for i := range samples {
		s := &samples[i]
		a := cells[s.Cell()]
		if a == nil {
			a = &acc{}
			cells[s.Cell()] = a
			order = append(order, s.Cell())
		}
		a.n++
		if slices.Contains(s.Flags, FlagOverBound) {
			a.over++
			a.worst = max(a.worst, s.DishesPerSec/s.Bound)
		}
		if slices.Contains(s.Flags, FlagMixStarvation) {
			a.mix++
		}
		if slices.Contains(s.Flags, FlagNoSteadyState) {
			a.steady++
			a.little = append(a.little, s.Latency.LittleMean)
			a.window = s.Elapsed
		}
	}
	var out []string
	for _, c := range order {
		a := cells[c]
		name := fmt.Sprintf("%s/%s at %d %s", c.Menu, c.Strategy, c.Cores, plural(c.Cores, "core", "cores"))
		if a.steady > 0 {
			slices.Sort(a.little)
			out = append(out, fmt.Sprintf("%s: no steady state within its window (%v + warm-up): Little's law puts the mean latency at %v; its latency percentiles are lower bounds (shown ≥)",
				name, a.window.Round(time.Millisecond), time.Duration(a.little[len(a.little)/2]).Round(time.Millisecond)))
		}
		if a.over > 0 {
			out = append(out, fmt.Sprintf("%s: %d of %d samples above their model bound (up to %.0f%%): flagged \"over-bound\"; the bound is a model and the calibration drifts",
				name, a.over, a.n, 100*a.worst))
		}
		if a.mix > 0 {
			out = append(out, fmt.Sprintf("%s: %d of %d samples left the menu's slow dishes queued (the orders started were a much lighter mix than the menu's): flagged \"mix-starvation\"",
				name, a.mix, a.n))
		}
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// AllFailed returns an error when samples served not a single order but
// some failed: a run that measured nothing but its failures (a grill
// service unreachable, every call timing out), which must not pass.
func AllFailed(samples []results.Sample) error {
	served, failed := 0, 0
	for _, s := range samples {
		served += s.Served
		failed += s.Failed
	}
	if served == 0 && failed > 0 {
		return fmt.Errorf("every order failed (%d failures)", failed)
	}
	return nil
}
