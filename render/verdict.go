package render

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/results"
)

// Verdict returns the outcome of compare.Check: its status, method,
// regressions and what each cell could detect.
func Verdict(v *compare.Verdict) Subject {
	return split{
		tables: func(w io.Writer, format string) error { return verdictTables(w, format, v) },
		csv:    func(w io.Writer) error { return verdictCSV(w, v) },
		json:   func(w io.Writer) error { return verdictJSON(w, v) },
	}
}

func verdictStatus(v *compare.Verdict) string {
	switch {
	case v.Regressed():
		return fmt.Sprintf("FAIL: %d significant regressions beyond %s", len(v.Regressions), results.FormatPercent(v.Threshold))
	case !v.Conclusive():
		return fmt.Sprintf("INCONCLUSIVE: %d of %d cells could not be tested (listed below); no regression found in the rest", len(v.Inconclusive()), v.Cells)
	}
	return fmt.Sprintf("OK: no cell dropped significantly beyond %s", results.FormatPercent(v.Threshold))
}

// methodText states the gate's method and its sensitivity.
func methodText(v *compare.Verdict) string {
	tested := len(v.Tests) - len(v.Inconclusive())
	best, worst := math.Inf(1), 0.0
	for _, t := range v.Tests {
		if t.Tested() {
			best, worst = min(best, t.Detectable), max(worst, t.Detectable)
		}
	}
	s := fmt.Sprintf("%s, one-sided Welch t-test on log values against H0: drop <= %s, Holm's correction over %d cells at α=%v", v.Metric, results.FormatPercent(v.Threshold), tested, compare.Alpha)
	if tested > 0 {
		s += fmt.Sprintf("; the tested cells would have flagged drops of %.1f%% (the most sensitive) to %.1f%% (the least) or more", 100*best, 100*worst)
	}
	return s
}

// verdictTables writes the outcome of Check in text or markdown.
func verdictTables(out io.Writer, format string, v *compare.Verdict) error {
	w := &ErrWriter{W: out}
	status := verdictStatus(v)
	if format == FormatMarkdown {
		w.Printf("### kitchen check: %s\n\n", status)
	} else {
		w.Printf("check: %s\n", status)
	}
	List(w, format, "mismatches (read these first)", mismatchLines(v.Mismatches))
	if format == FormatMarkdown {
		w.Printf("Method: %s.\n\n", methodText(v))
		w.Printf("- baseline %s: %s\n- current %s: %s\n\n", v.Labels[0], machineLine(v.Baseline), v.Labels[1], machineLine(v.Current))
	} else {
		w.Printf("method: %s\n", methodText(v))
		w.Printf("baseline %s: %s\ncurrent  %s: %s\n", v.Labels[0], machineLine(v.Baseline), v.Labels[1], machineLine(v.Current))
	}
	rows := verdictRows(v)
	if len(rows) > 0 {
		if format != FormatMarkdown {
			w.Printf("\n")
		}
		header := []string{"finding", "menu", "strategy", "cores", "metric", v.Labels[0], v.Labels[1], "change", "test"}
		if err := writeTable(w, format, 5, header, rows); err != nil {
			return err
		}
		w.Printf("\n")
	}
	var inc []string
	for _, t := range v.Inconclusive() {
		inc = append(inc, fmt.Sprintf("%s: %s", t.Cell.String(), t.Reason))
	}
	List(w, format, "not tested", inc)
	Heading(w, format, 4, "what each cell could detect")
	if format == FormatMarkdown {
		w.Printf("\n")
	}
	header := []string{"menu", "strategy", "cores", "n", "change", "p (drop > " + results.FormatPercent(v.Threshold) + ")", "detects drops of"}
	var trows [][]string
	for _, t := range v.Tests {
		n := fmt.Sprintf("%d+%d", t.N1, t.N2)
		if !t.Tested() {
			trows = append(trows, []string{t.Menu, t.Strategy, strconv.Itoa(t.Cores), n, results.FormatChange(t.Ratio), "-", "untested"})
			continue
		}
		trows = append(trows, []string{t.Menu, t.Strategy, strconv.Itoa(t.Cores), n, results.FormatChange(t.Ratio), fmt.Sprintf("%.3g", t.P), fmt.Sprintf("≥%.1f%%", 100*t.Detectable)})
	}
	if err := writeTable(w, format, 2, header, trows); err != nil {
		return err
	}
	if format == FormatMarkdown {
		w.Printf("\n")
	}
	List(w, format, "notes", v.Notes)
	return w.Err
}

// verdictRows lists the findings: regressions, then unconfirmed changes,
// then improvements.
func verdictRows(v *compare.Verdict) [][]string {
	var rows [][]string
	add := func(kind string, fs []compare.Finding) {
		for _, f := range fs {
			rows = append(rows, []string{kind, f.Menu, f.Strategy, strconv.Itoa(f.Cores), f.Metric,
				compare.MetricText(f.Metric, f.Old), compare.MetricText(f.Metric, f.New), results.FormatChange(f.Ratio), fmt.Sprintf("p=%.3g n=%d+%d", f.P, f.N1, f.N2)})
		}
	}
	add("REGRESSION", v.Regressions)
	add("unconfirmed", v.Unconfirmed)
	add("improvement", v.Improvements)
	return rows
}

func verdictCSV(w io.Writer, v *compare.Verdict) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"finding", "menu", "strategy", "cores", "metric", "old", "new", "change", "p", "n1", "n2", "detectable_drop", "reason"})
	kind := map[results.Cell]string{}
	for _, k := range []struct {
		name string
		fs   []compare.Finding
	}{{"regression", v.Regressions}, {"unconfirmed", v.Unconfirmed}, {"improvement", v.Improvements}} {
		for _, f := range k.fs {
			kind[f.Cell] = k.name
		}
	}
	for _, t := range v.Tests {
		k := kind[t.Cell]
		if k == "" {
			k = "unchanged"
			if !t.Tested() {
				k = "untested"
			}
		}
		p := t.P
		for _, f := range v.Improvements {
			if f.Cell == t.Cell {
				p = f.P
			}
		}
		cw.Write([]string{k, t.Menu, t.Strategy, strconv.Itoa(t.Cores), v.Metric, csvFloat(t.Old), csvFloat(t.New),
			csvFloat(t.Ratio), csvFloat(p), strconv.Itoa(t.N1), strconv.Itoa(t.N2), csvFloat(t.Detectable), t.Reason})
	}
	cw.Flush()
	return cw.Error()
}

func verdictJSON(w io.Writer, v *compare.Verdict) error {
	type findingJSON struct {
		Menu     string `json:"menu"`
		Strategy string `json:"strategy"`
		Cores    int    `json:"cores"`
		Metric   string `json:"metric"`
		jsonChange
	}
	conv := func(fs []compare.Finding) []findingJSON {
		out := []findingJSON{}
		for _, f := range fs {
			out = append(out, findingJSON{f.Menu, f.Strategy, f.Cores, f.Metric, toJSONChange(f.Change)})
		}
		return out
	}
	type testJSON struct {
		Menu       string    `json:"menu"`
		Strategy   string    `json:"strategy"`
		Cores      int       `json:"cores"`
		N1         int       `json:"n1"`
		N2         int       `json:"n2"`
		Old        jsonFloat `json:"old"`
		New        jsonFloat `json:"new"`
		Ratio      jsonFloat `json:"ratio"`
		P          jsonFloat `json:"p"`
		Detectable jsonFloat `json:"detectable_drop"`
		Reason     string    `json:"reason,omitempty"`
	}
	tests := []testJSON{}
	for _, t := range v.Tests {
		tests = append(tests, testJSON{t.Menu, t.Strategy, t.Cores, t.N1, t.N2, jsonFloat(t.Old), jsonFloat(t.New), jsonFloat(t.Ratio), jsonFloat(t.P), jsonFloat(t.Detectable), t.Reason})
	}
	notes := v.Notes
	if notes == nil {
		notes = []string{}
	}
	return JSON(w, struct {
		Regressed    bool           `json:"regressed"`
		Conclusive   bool           `json:"conclusive"`
		Status       string         `json:"status"`
		Baseline     string         `json:"baseline"`
		Current      string         `json:"current"`
		Metric       string         `json:"metric"`
		Threshold    float64        `json:"threshold"`
		Alpha        float64        `json:"alpha"`
		Cells        int            `json:"cells"`
		Mismatches   []jsonMismatch `json:"mismatches"`
		Regressions  []findingJSON  `json:"regressions"`
		Unconfirmed  []findingJSON  `json:"unconfirmed"`
		Improvements []findingJSON  `json:"improvements"`
		Tests        []testJSON     `json:"tests"`
		Notes        []string       `json:"notes"`
	}{v.Regressed(), v.Conclusive(), verdictStatus(v), v.Labels[0], v.Labels[1], v.Metric, v.Threshold, compare.Alpha, v.Cells,
		toJSONMismatches(v.Mismatches), conv(v.Regressions), conv(v.Unconfirmed), conv(v.Improvements), tests, notes})
}
