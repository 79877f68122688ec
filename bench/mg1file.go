package bench

import (
	"encoding/json"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/results"
)

// MG1Orders is how many orders PredictMG1 simulates: enough for a stable
// p99 of a menu whose rare dish is 1 in 200.
const MG1Orders = 1_000_000

// PredictMG1 is what an M/G/1 FIFO model (one cook, no overlapping waits)
// predicts for menu, as recorded in f, at rate orders/s with f's
// calibrated work unit: beside an open-loop run's measured figures, it
// says how far a strategy is from the textbook queue. It reports false
// when f does not define the menu, has no calibration, or the menu is not
// one the model describes (CPU steps only, below saturation).
func PredictMG1(f *results.File, menu string, rate float64) (MG1Figures, bool) {
	raw, ok := f.Config.Menus[menu]
	if !ok || f.Machine.NsPerUnit <= 0 {
		return MG1Figures{}, false
	}
	var m kitchen.Menu
	if json.Unmarshal(raw, &m) != nil {
		return MG1Figures{}, false
	}
	q, err := MG1Of(&m, rate, f.Machine.NsPerUnit, false)
	if err != nil {
		return MG1Figures{}, false
	}
	p, err := q.Simulate(MG1Orders, m.Seed)
	if err != nil {
		return MG1Figures{}, false
	}
	return p, true
}
