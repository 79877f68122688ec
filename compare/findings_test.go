package compare

import (
	"testing"

	"github.com/kitchenbench/kitchenbench/results"
)

func TestRegressionList(t *testing.T) {
	v := &Verdict{Regressions: []Finding{
		{Cell: results.Cell{Menu: "banquet", Strategy: "sync", Cores: 1}, Change: Change{Ratio: -0.06}},
		{Cell: results.Cell{Menu: "banquet", Strategy: "pool", Cores: 2}, Change: Change{Ratio: -0.075}},
	}}
	want := "banquet/sync at 1 core (-6.0%), banquet/pool at 2 cores (-7.5%)"
	if got := v.RegressionList(); got != want {
		t.Errorf("RegressionList() = %q; want %q", got, want)
	}
}
