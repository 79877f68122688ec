package compare

import (
	"testing"

	"github.com/stretchr/testify/assert"

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

func TestInconclusiveError(t *testing.T) {
	tested := CellTest{Cell: results.Cell{Menu: "banquet", Strategy: "sync", Cores: 1}}
	untested := CellTest{Cell: results.Cell{Menu: "banquet", Strategy: "pool", Cores: 2}, Reason: "too few usable samples"}
	const head = `check inconclusive: 1 of 2 cells could not be tested (see "not tested" above): no regression was found, but none could have been in those cells; `
	const tail = ", on a quieter machine, or against a baseline of the same configuration"
	for _, tc := range []struct {
		name  string
		v     *Verdict
		given bool
		want  string // "" for no error
	}{
		{"conclusive", &Verdict{Cells: 1, Tests: []CellTest{tested}}, true, ""},
		{"measured afresh", &Verdict{Cells: 2, Tests: []CellTest{tested, untested}}, false,
			head + "run with more samples per cell (--count)" + tail},
		{"given with --current", &Verdict{Cells: 2, Tests: []CellTest{tested, untested}}, true,
			head + "measure the current file again with more samples per cell (kitchen run --count N)" + tail},
		{"no common cell", &Verdict{}, true,
			`check inconclusive: 0 of 0 cells could not be tested (see "not tested" above): no regression was found, but none could have been in those cells; measure the current file again with more samples per cell (kitchen run --count N)` + tail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.v.InconclusiveError(tc.given)
			if tc.want == "" {
				assert.NoError(t, err, "InconclusiveError(%v)", tc.given)
				return
			}
			assert.EqualError(t, err, tc.want, "InconclusiveError(%v)", tc.given)
			if tc.given {
				assert.NotContains(t, err.Error(), "(--count)", "check's --count does not reach a given file")
			}
		})
	}
}
