package render

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/kitchenbench/kitchenbench/results"
)

// Knees is the knee table: for each menu, every strategy's highest
// sustainable arrival rate under the SLO, beside sync's and the model
// bound.
type Knees []results.Knee

var _ Subject = Knees(nil)

// VsSync is k's sustainable rate over sync's on the same menu; NaN when
// there is no sync knee or either rate is unknown.
func (ks Knees) VsSync(k results.Knee) float64 {
	for _, s := range ks {
		if s.Menu == k.Menu && s.Strategy == "sync" && s.Rate > 0 {
			r := k.Rate / s.Rate
			if math.IsInf(r, 0) {
				return math.NaN()
			}
			return r
		}
	}
	return math.NaN()
}

// rateText is the knee's rate, or the edge of the search range it fell
// off: "< 100/s" when even the lowest rate missed, "≥ 10k/s" at the top.
func rateText(k results.Knee) string {
	switch {
	case k.Rate == 0:
		return "< " + results.FormatRate(k.Lowest) + "/s"
	case k.Rate >= k.Highest:
		return "≥ " + results.FormatRate(k.Highest) + "/s"
	}
	return results.FormatRate(k.Rate) + "/s"
}

func (ks Knees) tables(w io.Writer, format string) error {
	for i := 0; i < len(ks); {
		j := i
		for j < len(ks) && ks[j].Menu == ks[i].Menu {
			j++
		}
		k := ks[i]
		if err := Heading(w, format, 3, fmt.Sprintf("menu %s, %d cores, SLO %s", k.Menu, k.Cores, k.SLO)); err != nil {
			return err
		}
		t := &Table{Header: []string{"strategy", "sustainable rate", "× sync", "model bound", "probes"}, Left: 1}
		for _, k := range ks[i:j] {
			vs := "-"
			if r := ks.VsSync(k); !math.IsNaN(r) {
				vs = fmt.Sprintf("%.1f×", r)
			}
			t.Rows = append(t.Rows, []string{k.Strategy, rateText(k), vs, results.FormatRate(k.Bound) + "/s", strconv.Itoa(k.Probes)})
		}
		if err := tableBlock(w, format, t); err != nil {
			return err
		}
		i = j
	}
	return nil
}

// ToText writes one ASCII table per menu.
func (ks Knees) ToText(w io.Writer) error { return ks.tables(w, FormatText) }

// ToMarkdown writes one markdown table per menu.
func (ks Knees) ToMarkdown(w io.Writer) error { return ks.tables(w, FormatMarkdown) }

// ToCSV writes one record per knee, rates in orders/s.
func (ks Knees) ToCSV(w io.Writer) error {
	t := &Table{Header: []string{"menu", "strategy", "cores", "slo", "rate", "lowest", "highest", "bound", "probes", "vs_sync"}}
	for _, k := range ks {
		t.Rows = append(t.Rows, []string{k.Menu, k.Strategy, strconv.Itoa(k.Cores), k.SLO, CSVFloat(k.Rate),
			CSVFloat(k.Lowest), CSVFloat(k.Highest), CSVFloat(k.Bound), strconv.Itoa(k.Probes), CSVFloat(ks.VsSync(k))})
	}
	return t.CSV(w)
}

// ToJSON writes the knees with their ratio to sync (null when unknown).
func (ks Knees) ToJSON(w io.Writer) error {
	type knee struct {
		results.Knee
		VsSync *float64 `json:"vs_sync"`
	}
	out := make([]knee, 0, len(ks))
	for _, k := range ks {
		kn := knee{Knee: k}
		if r := ks.VsSync(k); !math.IsNaN(r) {
			kn.VsSync = &r
		}
		out = append(out, kn)
	}
	return JSON(w, out)
}
