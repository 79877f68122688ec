package compare

import (
	"fmt"
	"strings"

	"github.com/kitchenbench/kitchenbench/results"
)

// RegressionList names v's regressed cells with their change,
// comma-separated: "banquet/sync at 1 core (-6.0%), banquet/pool at 2
// cores (-7.5%)".
func (v *Verdict) RegressionList() string {
	cells := make([]string, len(v.Regressions))
	for i, r := range v.Regressions {
		cells[i] = fmt.Sprintf("%s/%s at %s (%+.1f%%)", r.Menu, r.Strategy, results.FormatCores(r.Cores), 100*r.Ratio)
	}
	return strings.Join(cells, ", ")
}

// InconclusiveError is `kitchen check`'s error for a verdict that is not
// Conclusive, nil for one that is: how many cells could not be tested,
// and what would test them. More samples per cell come from where the
// current file came from: a check that measured it afresh takes more
// with its own --count; a file given with --current (given) has to be
// measured again with `kitchen run --count N`, which the check's --count
// does not reach.
func (v *Verdict) InconclusiveError(given bool) error {
	if v.Conclusive() {
		return nil
	}
	more := "run with more samples per cell (--count)"
	if given {
		more = "measure the current file again with more samples per cell (kitchen run --count N)"
	}
	return fmt.Errorf("check inconclusive: %d of %d cells could not be tested (see \"not tested\" above): no regression was found, but none could have been in those cells; %s, on a quieter machine, or against a baseline of the same configuration", len(v.Inconclusive()), v.Cells, more)
}
