package render

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/results"
)

// Comparison returns files side by side: their mismatches first, then a
// table per menu.
func Comparison(c *compare.Comparison) Subject { return ComparisonReport(c, nil) }

// ComparisonReport is what `kitchen compare` prints: in text and
// markdown, the mismatches first, then the verdict (package verdict),
// then the tables; in CSV and JSON the Comparison alone.
func ComparisonReport(c *compare.Comparison, verdict Subject) Subject {
	tables := *c
	tables.Mismatches = nil
	return split{
		tables: func(w io.Writer, format string) error {
			if err := Mismatches(w, format, c.Mismatches); err != nil {
				return err
			}
			if err := forPeople(w, format, verdict); err != nil {
				return err
			}
			return comparisonTables(w, format, &tables)
		},
		csv:  func(w io.Writer) error { return comparisonCSV(w, c) },
		json: func(w io.Writer) error { return comparisonJSON(w, c) },
	}
}

// comparisonTables writes files side by side in text or markdown: their
// mismatches, then a table per menu.
func comparisonTables(out io.Writer, format string, c *compare.Comparison) error {
	w := &ErrWriter{W: out}
	List(w, format, "mismatches (read these first)", mismatchLines(c.Mismatches))
	var machines []string
	for i, f := range c.Files {
		role := ""
		if i == 0 {
			role = " (base)"
		}
		machines = append(machines, fmt.Sprintf("%s%s: %s", c.Labels[i], role, machineLine(f)))
	}
	if format == FormatMarkdown {
		for _, m := range machines {
			w.Printf("- %s\n", m)
		}
		w.Printf("\n")
	} else {
		for _, m := range machines {
			w.Printf("%s\n", m)
		}
	}
	var sums []compare.CellSummary
	for _, cc := range c.Cells {
		sums = append(sums, cc.Sums[0])
	}
	for _, menu := range compare.Menus(sums) {
		Heading(w, format, 3, "menu "+menu)
		header := []string{"strategy", "cores"}
		for i, l := range c.Labels {
			header = append(header, l+"\ndishes/s")
			if i > 0 {
				header = append(header, "vs "+c.Labels[0])
			}
		}
		for i, l := range c.Labels {
			header = append(header, l+"\np99")
			if i > 0 {
				header = append(header, "vs "+c.Labels[0])
			}
		}
		for _, l := range c.Labels {
			header = append(header, l+"\n% of bound")
		}
		for _, l := range c.Labels {
			header = append(header, l+"\nspeedup")
		}
		var rows [][]string
		for _, cc := range c.Cells {
			if cc.Menu != menu {
				continue
			}
			row := []string{cc.Strategy, strconv.Itoa(cc.Cores)}
			for i, s := range cc.Sums {
				row = append(row, results.FormatRate(s.Throughput.Center)+" "+ciText(s.Throughput))
				if i > 0 {
					row = append(row, deltaText(cc.Throughput[i]))
				}
			}
			for i, s := range cc.Sums {
				row = append(row, latText(s, "p99"))
				if i > 0 {
					row = append(row, deltaText(cc.P99[i]))
				}
			}
			for _, s := range cc.Sums {
				b := "-"
				if s.Bound > 0 {
					b = fmt.Sprintf("%.0f%%", s.PctOfBound())
				}
				row = append(row, b)
			}
			for _, v := range cc.Speedup {
				row = append(row, results.FormatSpeedup(v))
			}
			rows = append(rows, row)
		}
		if err := writeTable(w, format, 1, header, rows); err != nil {
			return err
		}
		if format == FormatMarkdown {
			w.Printf("\n")
		}
	}
	legend := "dishes/s: median ±95% CI; vs: change from " + c.Labels[0] + ", ~ when not significant (Mann-Whitney U, α=0.05, uncorrected: `kitchen check` is the gate); p99: pooled over all orders, ≥ a censored lower bound, changes not tested; % of bound: the machine-independent figure; speedup: over each file's own sync at 1 core, the shape on its own machine (not machine-independent)"
	if format == FormatMarkdown {
		w.Printf("<sub>%s</sub>\n\n", legend)
	} else {
		w.Printf("%s\n", legend)
	}
	List(w, format, "warnings", comparisonWarnings(c))
	return w.Err
}

func comparisonWarnings(c *compare.Comparison) []string {
	var out []string
	for i, f := range c.Files {
		if f.Partial {
			out = append(out, fmt.Sprintf("partial: %s: its run was interrupted", c.Labels[i]))
		}
	}
	few := 0
	for _, cc := range c.Cells {
		for _, ch := range cc.Throughput[1:] {
			if ch.TooFewSamples() {
				few++
				break
			}
		}
	}
	if few > 0 {
		out = append(out, fmt.Sprintf("few samples: %d of %d cells have too few samples for any change to be significant at α=%v (need >= %d per file)", few, len(c.Cells), compare.Alpha, compare.MinSamplesCompare))
	}
	return out
}

func comparisonCSV(w io.Writer, c *compare.Comparison) error {
	cw := csv.NewWriter(w)
	header := append([]string{"file"}, csvCellHeader...)
	header = append(header, "dishes_change", "dishes_p", "p99_change", "p99_note", "differs")
	cw.Write(header)
	for _, cc := range c.Cells {
		for i, s := range cc.Sums {
			sp := map[results.Cell]float64{cc.Cell: cc.Speedup[i]}
			row := append([]string{c.Labels[i]}, csvCell(s, sp)...)
			if i == 0 {
				row = append(row, "", "", "", "", "")
			} else {
				row = append(row, csvFloat(cc.Throughput[i].Ratio), csvFloat(cc.Throughput[i].P), csvFloat(cc.P99[i].Ratio), cc.P99[i].Note, cc.Differs[i])
			}
			cw.Write(row)
		}
	}
	cw.Flush()
	return cw.Error()
}

type jsonChange struct {
	Old         jsonFloat `json:"old"`
	New         jsonFloat `json:"new"`
	Ratio       jsonFloat `json:"ratio"` // new/old - 1
	P           jsonFloat `json:"p"`
	N1          int       `json:"n1"`
	N2          int       `json:"n2"`
	Significant bool      `json:"significant"`
	Delta       string    `json:"delta"` // as benchstat prints it: "~" or "-20.00%"
	Warnings    []string  `json:"warnings,omitempty"`
	Note        string    `json:"note,omitempty"` // why the change was not tested
}

func toJSONChange(c compare.Change) jsonChange {
	return jsonChange{jsonFloat(c.Old), jsonFloat(c.New), jsonFloat(c.Ratio), jsonFloat(c.P), c.N1, c.N2, c.Significant(), c.Delta(), c.Warnings, c.Note}
}

type jsonMismatch struct {
	What   string `json:"what"`
	Menu   string `json:"menu,omitempty"`
	Severe bool   `json:"severe"`
	Text   string `json:"text"`
}

func toJSONMismatches(ms []results.Mismatch) []jsonMismatch {
	out := []jsonMismatch{}
	for _, m := range ms {
		out = append(out, jsonMismatch{m.What, m.Menu, m.Severe, m.Text})
	}
	return out
}

func comparisonJSON(w io.Writer, c *compare.Comparison) error {
	type fileJSON struct {
		Label   string          `json:"label"`
		Path    string          `json:"path,omitempty"`
		Partial bool            `json:"partial"`
		Machine results.Machine `json:"machine"`
		Curves  []struct {
			Menu     string      `json:"menu"`
			Strategy string      `json:"strategy"`
			Cores    []int       `json:"cores"`
			Speedup  []jsonFloat `json:"speedup"`
		} `json:"curves"`
	}
	type perFile struct {
		jsonCell
		Throughput *jsonChange `json:"dishes_per_sec_change,omitempty"`
		P99        *jsonChange `json:"p99_change,omitempty"`
	}
	type cellJSON struct {
		Menu     string    `json:"menu"`
		Strategy string    `json:"strategy"`
		Cores    int       `json:"cores"`
		Files    []perFile `json:"files"`
		Differs  []string  `json:"differs"` // per file: why its definition differs from the first's
	}
	out := struct {
		Mismatches []jsonMismatch `json:"mismatches"`
		Files      []fileJSON     `json:"files"`
		Cells      []cellJSON     `json:"cells"`
		Warnings   []string       `json:"warnings"`
	}{Mismatches: toJSONMismatches(c.Mismatches), Warnings: comparisonWarnings(c)}
	for i, f := range c.Files {
		fj := fileJSON{Label: c.Labels[i], Path: f.Path, Partial: f.Partial, Machine: f.Machine}
		for _, cv := range c.Curves[i] {
			sp := make([]jsonFloat, len(cv.Speedup))
			for k, v := range cv.Speedup {
				sp[k] = jsonFloat(v)
			}
			fj.Curves = append(fj.Curves, struct {
				Menu     string      `json:"menu"`
				Strategy string      `json:"strategy"`
				Cores    []int       `json:"cores"`
				Speedup  []jsonFloat `json:"speedup"`
			}{cv.Menu, cv.Strategy, cv.Cores, sp})
		}
		out.Files = append(out.Files, fj)
	}
	for _, cc := range c.Cells {
		cj := cellJSON{Menu: cc.Menu, Strategy: cc.Strategy, Cores: cc.Cores, Differs: cc.Differs}
		for i, s := range cc.Sums {
			pf := perFile{jsonCell: toJSONCell(s, map[results.Cell]float64{cc.Cell: cc.Speedup[i]})}
			if i > 0 {
				t, p := toJSONChange(cc.Throughput[i]), toJSONChange(cc.P99[i])
				pf.Throughput, pf.P99 = &t, &p
			}
			cj.Files = append(cj.Files, pf)
		}
		out.Cells = append(out.Cells, cj)
	}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	return JSON(w, out)
}

// verdictStatus is the one-line outcome of v.
