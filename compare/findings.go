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
