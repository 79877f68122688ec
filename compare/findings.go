package compare

import (
	"fmt"
	"strings"
)

// RegressionList names v's regressed cells with their change,
// comma-separated: "banquet/sync at 1 core (-6.0%), banquet/pool at 2
// cores (-7.5%)".
func (v *Verdict) RegressionList() string {
	cells := make([]string, len(v.Regressions))
	for i, r := range v.Regressions {
		cores := "1 core"
		if r.Cores != 1 {
			cores = fmt.Sprintf("%d cores", r.Cores)
		}
		cells[i] = fmt.Sprintf("%s/%s at %s (%+.1f%%)", r.Menu, r.Strategy, cores, 100*r.Ratio)
	}
	return strings.Join(cells, ", ")
}
