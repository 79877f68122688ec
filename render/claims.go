package render

import (
	"fmt"
	"io"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/results"
)

// Claims is the outcome of `kitchen check --claims` (bench.CheckClaims):
// a table of each claim with its measured ratio, threshold, result and
// takeaway; in JSON the results as bench measured them.
type Claims []bench.ClaimResult

var _ Subject = Claims(nil)

func (c Claims) ToText(w io.Writer) error     { return c.table().Text(w) }
func (c Claims) ToMarkdown(w io.Writer) error { return c.table().Markdown(w) }
func (c Claims) ToCSV(w io.Writer) error      { return c.table().CSV(w) }
func (c Claims) ToJSON(w io.Writer) error     { return JSON(w, []bench.ClaimResult(c)) }

// table is the claims' table: a claim starved or skipped says so in its
// result, with the rounds measured again.
func (c Claims) table() *Table {
	t := &Table{Header: []string{"claim", "measured", "threshold", "result", "takeaway"}, Left: 5}
	for _, r := range c {
		verdict := r.Verdict()
		switch {
		case r.Skipped != "":
			verdict = "skipped: " + r.Skipped
		case r.Starved:
			verdict = "starved: inconclusive (the process did not get its cores)"
		}
		if r.Retaken > 0 && r.Skipped == "" {
			verdict += fmt.Sprintf(" [%d starved rounds measured again]", r.Retaken)
		}
		th := fmt.Sprintf("≥ %g×", r.Min)
		switch {
		case r.Min > 0 && r.Max > 0:
			th = fmt.Sprintf("%g×–%g×", r.Min, r.Max)
		case r.Max > 0:
			th = fmt.Sprintf("≤ %g×", r.Max)
		}
		measured := "-"
		if r.Skipped == "" {
			measured = fmt.Sprintf("%.2f× (%s vs %s, %d rounds)", r.Ratio, claimFigure(r.Claim, r.NumValue), claimFigure(r.Claim, r.DenValue), r.Rounds)
		}
		t.Rows = append(t.Rows, []string{r.Claim.String(), measured, th, verdict, r.Talk})
	}
	return t
}

// claimFigure shows a claim's measured value in its metric's unit.
func claimFigure(c bench.Claim, v float64) string {
	if c.Metric == "dishes/s" {
		return results.FormatRate(v) + " dishes/s"
	}
	return results.FormatNs(v)
}
