package abtest

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/kitchenbench/kitchenbench/render"
	"github.com/kitchenbench/kitchenbench/results"
)

var _ render.Subject = (*Verdict)(nil)

func pctText(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return "?"
	}
	return fmt.Sprintf("%+.1f%%", 100*f)
}

func detectText(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) || f >= 1 {
		return "none"
	}
	return fmt.Sprintf("-%.1f%%", 100*f)
}

var header = []string{"cell", "rounds", "old", "new", "change", "interval", "p(regression)", "detects", "verdict"}

func rows(v *Verdict) [][]string {
	out := make([][]string, 0, len(v.Cells))
	for _, c := range v.Cells {
		out = append(out, []string{c.Cell.String(), strconv.Itoa(c.Rounds),
			results.FormatRate(c.Old) + "/s", results.FormatRate(c.New) + "/s", pctText(c.Change),
			pctText(c.Low) + " … " + pctText(c.High), fmt.Sprintf("%.3g", c.PRegression), detectText(c.Detectable),
			string(c.Outcome)})
	}
	return out
}

func summary(v *Verdict) string {
	o := v.Options
	return fmt.Sprintf("A/B in interleaved rounds: %d cell(s), %d regression(s), %d inconclusive; threshold %g%%, α = %g (Holm across cells), %.0f%% power for 'detects'",
		len(v.Cells), len(v.Regressions()), len(v.Inconclusive()), 100*o.Threshold, o.Alpha, 100*o.Power)
}

// ToText writes v as a plain-text table with a summary line.
func (v *Verdict) ToText(w io.Writer) error { return v.table(w, render.FormatText, "") }

// ToMarkdown writes v as a markdown table, for a pull request comment or a
// CI job summary.
func (v *Verdict) ToMarkdown(w io.Writer) error { return v.table(w, render.FormatMarkdown, "**") }

func (v *Verdict) table(w io.Writer, format, bold string) error {
	if _, err := fmt.Fprintf(w, "%s%s%s\n\n", bold, summary(v), bold); err != nil {
		return err
	}
	t := &render.Table{Header: header, Rows: rows(v), Left: 1}
	if err := t.Write(w, format); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%schange: geometric mean of new/old within each round; interval: %.0f%% confidence; detects: the smallest regression caught with %.0f%% power at these rounds and this noise.%s\n",
		bold, 100*(1-2*v.Options.Alpha), 100*v.Options.Power, bold)
	return err
}

// ToCSV writes one row per cell, figures unformatted.
func (v *Verdict) ToCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }
	if err := cw.Write([]string{"menu", "strategy", "cores", "rounds", "old_dishes_per_sec", "new_dishes_per_sec", "change", "low", "high", "p_regression", "p_pass", "detectable", "verdict"}); err != nil {
		return err
	}
	for _, c := range v.Cells {
		if err := cw.Write([]string{c.Cell.Menu, c.Cell.Strategy, strconv.Itoa(c.Cell.Cores), strconv.Itoa(c.Rounds),
			f(c.Old), f(c.New), f(c.Change), f(c.Low), f(c.High), f(c.PRegression), f(c.PPass), f(c.Detectable), string(c.Outcome)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// jsonFloat writes NaN and ±Inf as null.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	if math.IsInf(float64(f), 0) || math.IsNaN(float64(f)) {
		return []byte("null"), nil
	}
	return json.Marshal(float64(f))
}

type jsonCell struct {
	Menu        string    `json:"menu"`
	Strategy    string    `json:"strategy"`
	Cores       int       `json:"cores"`
	Rounds      int       `json:"rounds"`
	Old         jsonFloat `json:"old_dishes_per_sec"`
	New         jsonFloat `json:"new_dishes_per_sec"`
	Change      jsonFloat `json:"change"`
	Low         jsonFloat `json:"low"`
	High        jsonFloat `json:"high"`
	PRegression jsonFloat `json:"p_regression"`
	PPass       jsonFloat `json:"p_pass"`
	Detectable  jsonFloat `json:"detectable"`
	Verdict     Outcome   `json:"verdict"`
}

type jsonVerdict struct {
	Threshold float64    `json:"threshold"`
	Alpha     float64    `json:"alpha"`
	Power     float64    `json:"power"`
	Cells     []jsonCell `json:"cells"`
}

// ToJSON writes v as one JSON object.
func (v *Verdict) ToJSON(w io.Writer) error {
	out := jsonVerdict{Threshold: v.Options.Threshold, Alpha: v.Options.Alpha, Power: v.Options.Power, Cells: []jsonCell{}}
	for _, c := range v.Cells {
		out.Cells = append(out.Cells, jsonCell{Menu: c.Cell.Menu, Strategy: c.Cell.Strategy, Cores: c.Cell.Cores,
			Rounds: c.Rounds, Old: jsonFloat(c.Old), New: jsonFloat(c.New), Change: jsonFloat(c.Change),
			Low: jsonFloat(c.Low), High: jsonFloat(c.High), PRegression: jsonFloat(c.PRegression),
			PPass: jsonFloat(c.PPass), Detectable: jsonFloat(c.Detectable), Verdict: c.Outcome})
	}
	return render.JSON(w, out)
}
