package render

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/results"
)

// Run returns a run's tables: one per menu, strategies by core counts,
// with the machine above and warnings below.
//
// In text and markdown, figures are for people: dishes/s as 1.23k with the
// 95% confidence interval's half-width (±2%, ±∞ with fewer than
// compare.MinSamplesCI samples), durations as 1.2ms, speedups as 1.95×,
// and warnings listed under the tables. CSV and JSON carry raw numbers
// (dishes/s, ns), as do those of Comparison and Verdict.
func Run(f *results.File) Subject {
	sums := compare.Summarize(f.Samples)
	return split{
		tables: func(w io.Writer, format string) error { return runTables(w, format, f, sums) },
		csv:    func(w io.Writer) error { return runCSV(w, f, sums) },
		json:   func(w io.Writer) error { return runJSON(w, f, sums) },
	}
}

// runTables writes a run's tables in text or markdown: one per menu.
func runTables(out io.Writer, format string, f *results.File, sums []compare.CellSummary) error {
	w := &ErrWriter{W: out}
	sp := compare.Speedups(sums)
	cores := coresOf(sums)
	if format == FormatMarkdown {
		w.Printf("Measured on %s.\n\n", strings.ReplaceAll(machineLine(f), "*", `\*`))
	} else {
		w.Printf("machine: %s\n", machineLine(f))
	}
	for _, menu := range compare.Menus(sums) {
		Heading(w, format, 3, "menu "+menu)
		header := []string{"strategy"}
		for _, c := range cores {
			header = append(header, coreHeader(c, f.Machine.LogicalCPUs))
		}
		best := map[int]string{}
		for _, c := range cores {
			top := -1.0
			for _, s := range sums {
				if s.Menu == menu && s.Cores == c && s.Throughput.Center > top {
					top, best[c] = s.Throughput.Center, s.Strategy
				}
			}
		}
		var rows [][]string
		for _, st := range strategiesOf(sums, menu) {
			row := []string{st}
			for _, c := range cores {
				s, ok := compare.Find(sums, results.Cell{Menu: menu, Strategy: st, Cores: c})
				if !ok {
					row = append(row, "-")
					continue
				}
				line1 := results.FormatRate(s.Throughput.Center) + " " + ciText(s.Throughput)
				if best[c] == st {
					line1 += " *"
				}
				line2 := "-"
				if v, ok := sp[s.Cell]; ok {
					line2 = results.FormatSpeedup(v)
				}
				if s.Bound > 0 {
					line2 += fmt.Sprintf(" %.0f%% of bound", s.PctOfBound())
					if s.PctOfBound() > 100 || s.Flags["over-bound"] > 0 {
						line2 += " (over!)"
					}
					if s.MixBound > 0 && math.Abs(s.Bound/s.MixBound-1) > 0.05 {
						line2 += fmt.Sprintf(", %.0f%% of the menu mix's bound", 100*s.Throughput.Center/s.MixBound)
					}
				}
				line3 := fmt.Sprintf("p50 %s p99 %s", latText(s, "p50"), latText(s, "p99"))
				if len(s.Lower) > 0 && s.LittleMean > 0 {
					line3 += ", Little " + results.FormatNs(s.LittleMean)
				}
				lines := []string{line1, line2, line3}
				if s.CPUPerDish > 0 {
					lines = append(lines, "cpu "+results.FormatNs(s.CPUPerDish)+"/dish")
				}
				if fl := s.FlagNames(); len(fl) > 0 {
					lines = append(lines, "! "+strings.Join(fl, ", "))
				}
				row = append(row, strings.Join(lines, "\n"))
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
	legend := "each cell: median dishes/s ±95% CI, * best in its column; speedup over sync at 1 core (this machine's shape), % of the model bound (for the mix of dishes served; beside it, where that mix differs by over 5%, % of the bound for the menu's own mix); p50 and p99 latency, ≥ a censored lower bound with Little's-law mean beside; cpu-ns per dish; ! sample flags"
	if format == FormatMarkdown {
		w.Printf("<sub>%s</sub>\n\n", legend)
	} else {
		w.Printf("%s\n", legend)
	}
	List(w, format, "warnings", runWarnings(f, sums))
	return w.Err
}

// latText formats percentile q of s: "≥121ms" when it is a censored
// lower bound.
func latText(s compare.CellSummary, q string) string {
	v := results.FormatNs(s.Percentile(q))
	if s.IsLower(q) {
		return "≥" + v
	}
	return v
}

// jsonFloat is a float64 that encodes NaN and ±Inf (unknown) as null.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, round10(float64(f)), 'g', -1, 64), nil
}

// round10 rounds v to 10 significant figures: more than any measurement
// holds, and it keeps CSV and JSON output identical across platforms whose
// floating point differs in the last bits (fused multiply-add on arm64).
func round10(v float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 10, 64), 64)
	if err != nil {
		return v
	}
	return r
}

type jsonEstimate struct {
	Center jsonFloat `json:"center"`
	Lo     jsonFloat `json:"lo"` // null without a finite interval
	Hi     jsonFloat `json:"hi"`
	N      int       `json:"n"`
}

func toJSONEstimate(e compare.Estimate) jsonEstimate {
	return jsonEstimate{jsonFloat(e.Center), jsonFloat(e.Lo), jsonFloat(e.Hi), e.N}
}

type jsonCell struct {
	Menu         string       `json:"menu"`
	Strategy     string       `json:"strategy"`
	Cores        int          `json:"cores"`
	DishesPerSec jsonEstimate `json:"dishes_per_sec"`
	Speedup      jsonFloat    `json:"speedup"` // over sync at 1 core; null without one
	Bound        jsonFloat    `json:"bound_dishes_per_sec"`
	PctOfBound   jsonFloat    `json:"pct_of_bound"`
	P50          jsonFloat    `json:"p50_ns"`
	P90          jsonFloat    `json:"p90_ns"`
	P99          jsonFloat    `json:"p99_ns"`
	P999         jsonFloat    `json:"p999_ns"`
	Max          jsonFloat    `json:"max_ns"`
	CV           jsonFloat    `json:"cv"`
	Orders       int          `json:"orders"`
	Served       int          `json:"served"`
	Failed       int          `json:"failed"`
	Cancelled    int          `json:"cancelled"`
	Behind       bool         `json:"behind"`
	// LowerBound names the percentiles above that are censored lower
	// bounds ("p99"): the true value may be higher.
	LowerBound    []string       `json:"lower_bound"`
	LittleMean    jsonFloat      `json:"little_mean_ns"`
	MixBound      jsonFloat      `json:"menu_mix_bound_dishes_per_sec"`
	CPUPerDish    jsonFloat      `json:"cpu_ns_per_dish"`
	CoresReceived jsonFloat      `json:"cores_received"`
	Censored      int            `json:"censored"`
	Flags         map[string]int `json:"flags"` // samples per flag
}

func toJSONCell(s compare.CellSummary, sp map[results.Cell]float64) jsonCell {
	speed, ok := sp[s.Cell]
	if !ok {
		speed = math.NaN()
	}
	return jsonCell{
		Menu: s.Menu, Strategy: s.Strategy, Cores: s.Cores,
		DishesPerSec: toJSONEstimate(s.Throughput), Speedup: jsonFloat(speed),
		Bound: jsonFloat(s.Bound), PctOfBound: jsonFloat(s.PctOfBound()),
		P50: jsonFloat(s.P50), P90: jsonFloat(s.P90), P99: jsonFloat(s.P99), P999: jsonFloat(s.P999), Max: jsonFloat(s.Max),
		CV: jsonFloat(s.CV), Orders: s.Orders, Served: s.Served, Failed: s.Failed, Cancelled: s.Cancelled, Behind: s.Behind,
		LowerBound: nonNil(s.Lower), LittleMean: unknownIfZero(s.LittleMean), MixBound: unknownIfZero(s.MixBound),
		CPUPerDish: unknownIfZero(s.CPUPerDish), CoresReceived: unknownIfZero(s.CoresReceived), Censored: s.Censored,
		Flags: flagsOrEmpty(s.Flags),
	}
}

func nonNil(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

func flagsOrEmpty(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}

// unknownIfZero turns 0 (not measured) into NaN, which JSON and CSV write
// as unknown.
func unknownIfZero(v float64) jsonFloat {
	if v == 0 {
		return jsonFloat(math.NaN())
	}
	return jsonFloat(v)
}

func runJSON(w io.Writer, f *results.File, sums []compare.CellSummary) error {
	sp := compare.Speedups(sums)
	out := struct {
		Machine  results.Machine `json:"machine"`
		Partial  bool            `json:"partial"`
		Cells    []jsonCell      `json:"cells"`
		Warnings []string        `json:"warnings"`
	}{Machine: f.Machine, Partial: f.Partial, Cells: []jsonCell{}, Warnings: runWarnings(f, sums)}
	for _, s := range sums {
		out.Cells = append(out.Cells, toJSONCell(s, sp))
	}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	return JSON(w, out)
}

// csvFloat formats a raw number for CSV: empty when unknown.
func csvFloat(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return strconv.FormatFloat(round10(v), 'f', -1, 64)
}

var csvCellHeader = []string{"menu", "strategy", "cores", "n", "dishes_per_sec", "ci_lo", "ci_hi", "speedup", "bound_dishes_per_sec", "pct_of_bound",
	"p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns", "cv", "orders", "served", "failed", "cancelled", "behind",
	"lower_bound", "little_mean_ns", "menu_mix_bound_dishes_per_sec", "cpu_ns_per_dish", "cores_received", "censored", "flags"}

func csvCell(s compare.CellSummary, sp map[results.Cell]float64) []string {
	speed, ok := sp[s.Cell]
	if !ok {
		speed = math.NaN()
	}
	return []string{s.Menu, s.Strategy, strconv.Itoa(s.Cores), strconv.Itoa(s.Throughput.N),
		csvFloat(s.Throughput.Center), csvFloat(s.Throughput.Lo), csvFloat(s.Throughput.Hi), csvFloat(speed),
		csvFloat(s.Bound), csvFloat(s.PctOfBound()),
		csvFloat(s.P50), csvFloat(s.P90), csvFloat(s.P99), csvFloat(s.P999), csvFloat(s.Max), csvFloat(s.CV),
		strconv.Itoa(s.Orders), strconv.Itoa(s.Served), strconv.Itoa(s.Failed), strconv.Itoa(s.Cancelled), strconv.FormatBool(s.Behind),
		strings.Join(s.Lower, ";"), csvFloat(float64(unknownIfZero(s.LittleMean))), csvFloat(float64(unknownIfZero(s.MixBound))),
		csvFloat(float64(unknownIfZero(s.CPUPerDish))), csvFloat(float64(unknownIfZero(s.CoresReceived))), strconv.Itoa(s.Censored),
		strings.Join(s.FlagNames(), ";")}
}

func runCSV(w io.Writer, f *results.File, sums []compare.CellSummary) error {
	cw := csv.NewWriter(w)
	sp := compare.Speedups(sums)
	cw.Write(csvCellHeader)
	for _, s := range sums {
		cw.Write(csvCell(s, sp))
	}
	cw.Flush()
	return cw.Error()
}

// deltaText renders a change with its test: "-20.00% (p=0.000 n=8)".
func deltaText(c compare.Change) string {
	if c.N1 == 0 {
		if c.Note == "" {
			return ""
		}
		if d := c.Delta(); d != "" {
			return d + " (" + c.Note + ")"
		}
		return "(" + c.Note + ")"
	}
	return c.Delta() + " (" + c.Stat() + ")"
}

// mismatchLines lists the mismatches of ms as text, severe ones marked.
func mismatchLines(ms []results.Mismatch) []string {
	var out []string
	for _, m := range ms {
		if m.Severe {
			out = append(out, "DIFFERENT DEFINITION: "+m.Text)
		} else {
			out = append(out, m.Text)
		}
	}
	return out
}
