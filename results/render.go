package results

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// Output formats of Render.
const (
	FormatText     = "text"     // ASCII tables for a terminal or CI log
	FormatMarkdown = "markdown" // GitHub-flavoured markdown, fits a pull-request comment
	FormatCSV      = "csv"      // one record per cell (and file), raw numbers, for spreadsheets
	FormatJSON     = "json"     // the summaries as JSON, raw numbers, for other tools
)

// Formats lists the formats Render accepts.
var Formats = []string{FormatText, FormatMarkdown, FormatCSV, FormatJSON}

// NoisyCV is the coefficient of variation of dishes/s above which a cell is
// reported as noisy.
const NoisyCV = 0.10

// Render writes v to w in format (one of Formats). v is a *File (a run's
// tables: one per menu, strategies by core counts), a *Comparison (files side
// by side) or a *Verdict (the outcome of Check).
//
// In text and markdown, figures are for people: dishes/s as 1.23k with the
// 95% confidence interval's half-width (±2%, ±∞ with fewer than 6 samples),
// durations as 1.2ms, speedups as 1.95×, and warnings listed under the
// tables. CSV and JSON carry raw numbers (dishes/s, ns).
func Render(w io.Writer, format string, v any) error {
	if !slices.Contains(Formats, format) {
		return fmt.Errorf("unknown format %q: want one of %s", format, strings.Join(Formats, ", "))
	}
	switch v := v.(type) {
	case *File:
		return renderRun(w, format, v)
	case *Comparison:
		return renderComparison(w, format, v)
	case *Verdict:
		return renderVerdict(w, format, v)
	default:
		panic(fmt.Sprintf("results: Render of %T; want *File, *Comparison or *Verdict", v))
	}
}

// Warnings returns what a reader of f's tables should be warned about, in a
// fixed order: a partial run, oversubscribed core counts, noisy cells,
// failed orders, runs behind schedule, and too few samples for intervals.
func Warnings(f *File) []string {
	return runWarnings(f, Summarize(f.Samples))
}

func runWarnings(f *File, sums []CellSummary) []string {
	var out []string
	if f.Partial {
		out = append(out, "partial: the run was interrupted; these tables hold only the samples measured before")
	}
	if n := f.Machine.LogicalCPUs; n > 0 {
		var over []string
		for _, c := range coresOf(sums) {
			if c > n {
				over = append(over, strconv.Itoa(c))
			}
		}
		if len(over) > 0 {
			out = append(out, fmt.Sprintf("oversubscribed: %s cores exceed the machine's %d logical CPUs; no speedup is possible there", strings.Join(over, ", "), n))
		}
	}
	for _, s := range sums {
		if s.CV > NoisyCV {
			out = append(out, fmt.Sprintf("noisy: %s: dishes/s varies by %.1f%% (CV) between samples; more samples (-count) or a quieter machine help", cellName(s.Cell), 100*s.CV))
		}
	}
	for _, s := range sums {
		if s.Failed > 0 {
			out = append(out, fmt.Sprintf("failed orders: %s: %d of %d orders failed", cellName(s.Cell), s.Failed, s.Orders))
		}
	}
	for _, s := range sums {
		if n := s.Flags["over-bound"]; n > 0 {
			out = append(out, fmt.Sprintf("over bound: %s: %d of %d samples read above their model bound (%.0f%% at the median): the bound or the calibration did not hold; read the figure with care", cellName(s.Cell), n, s.N, s.PctOfBound()))
		} else if s.Bound > 0 && s.PctOfBound() > 100 {
			out = append(out, fmt.Sprintf("over bound: %s: %.0f%% of its model bound: the bound or the calibration did not hold; read the figure with care", cellName(s.Cell), s.PctOfBound()))
		}
	}
	for _, s := range sums {
		if n := s.Flags["starved"]; n > 0 {
			rcv := ""
			if s.CoresReceived > 0 {
				rcv = fmt.Sprintf(" (median %.1f of %d cores received)", s.CoresReceived, s.Cores)
			}
			out = append(out, fmt.Sprintf("starved: %s: %d of %d samples did not get the cores their strategy keeps busy%s; they are kept, marked, and left out of `kitchen check`", cellName(s.Cell), n, s.N, rcv))
		}
	}
	for _, s := range sums {
		if n := s.Flags["mix-starvation"]; n > 0 || (s.MixBound > 0 && s.Bound > 1.2*s.MixBound) {
			out = append(out, fmt.Sprintf("mix starvation: %s: the served mix's bound %s is above the menu mix's %s: the strategy served its quick dishes and starved the slow ones",
				cellName(s.Cell), FormatRate(s.Bound), FormatRate(s.MixBound)))
		}
	}
	for _, s := range sums {
		if len(s.Lower) > 0 {
			little := ""
			if s.LittleMean > 0 {
				little = fmt.Sprintf("; Little's law puts the steady-state mean at %s", FormatNs(s.LittleMean))
			}
			out = append(out, fmt.Sprintf("censored: %s: %s are lower bounds (≥): %d orders were still waiting when their windows closed%s", cellName(s.Cell), strings.Join(s.Lower, ", "), s.Censored, little))
		}
	}
	for _, s := range sums {
		if s.Behind {
			out = append(out, fmt.Sprintf("behind schedule: %s: the open loop fell behind its arrival schedule; its latencies understate the load", cellName(s.Cell)))
		}
	}
	few := 0
	for _, s := range sums {
		if s.Throughput.N > 0 && !s.Throughput.HasCI() {
			few++
		}
	}
	if few > 0 {
		out = append(out, fmt.Sprintf("few samples: %d of %d cells have too few samples for a 95%% confidence interval (±∞); use 6 or more per cell", few, len(sums)))
	}
	return out
}

func cellName(c Cell) string { return fmt.Sprintf("%s/%s/%d", c.Menu, c.Strategy, c.Cores) }

func coresOf(sums []CellSummary) []int {
	var out []int
	for _, s := range sums {
		if !slices.Contains(out, s.Cores) {
			out = append(out, s.Cores)
		}
	}
	slices.Sort(out)
	return out
}

func strategiesOf(sums []CellSummary, menu string) []string {
	var out []string
	for _, s := range sums {
		if s.Menu == menu && !slices.Contains(out, s.Strategy) {
			out = append(out, s.Strategy)
		}
	}
	return out
}

// machineLine describes where a file was measured, on one line.
func machineLine(f *File) string {
	m := f.Machine
	var parts []string
	if m.CPUModel != "" {
		parts = append(parts, m.CPUModel)
	}
	if m.LogicalCPUs > 0 {
		parts = append(parts, fmt.Sprintf("%d logical CPUs", m.LogicalCPUs))
	}
	if m.OS != "" || m.Arch != "" {
		parts = append(parts, m.OS+"/"+m.Arch)
	}
	if m.GoVersion != "" {
		parts = append(parts, m.GoVersion)
	}
	if m.NsPerUnit > 0 {
		parts = append(parts, fmt.Sprintf("%s per CPU unit", FormatNs(m.NsPerUnit)))
	}
	if m.Commit != "" {
		parts = append(parts, "commit "+m.Commit)
	}
	if !m.Date.IsZero() {
		parts = append(parts, m.Date.UTC().Format("2006-01-02 15:04 UTC"))
	}
	name := m.Name
	if name == "" {
		name = "unnamed machine"
	}
	s := name
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	if f.Partial {
		s += " [partial]"
	}
	return s
}

// table returns a tablewriter table for text or markdown; aligns gives
// each column's alignment.
func table(w io.Writer, format string, aligns []tw.Align) *tablewriter.Table {
	var r tw.Renderer
	if format == FormatMarkdown {
		r = renderer.NewMarkdown()
	} else {
		r = renderer.NewBlueprint(tw.Rendition{
			Symbols:  tw.NewSymbols(tw.StyleASCII),
			Settings: tw.Settings{Separators: tw.Separators{BetweenRows: tw.On}},
		})
	}
	return tablewriter.NewTable(w,
		tablewriter.WithRenderer(r),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignmentConfig(tw.CellAlignment{Global: tw.AlignCenter, PerColumn: aligns}),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{Global: tw.AlignRight, PerColumn: aligns}),
	)
}

// cells prepares one row's cells for format: markdown has no multi-line
// cells (lines join with <br>) and needs '|' escaped.
func cells(format string, row []string) []string {
	if format != FormatMarkdown {
		return row
	}
	out := make([]string, len(row))
	for i, c := range row {
		c = strings.ReplaceAll(c, "|", `\|`)
		c = strings.ReplaceAll(c, "*", `\*`)
		out[i] = strings.ReplaceAll(c, "\n", "<br>")
	}
	return out
}

func aligns(left, right int) []tw.Align {
	a := make([]tw.Align, 0, left+right)
	for range left {
		a = append(a, tw.AlignLeft)
	}
	for range right {
		a = append(a, tw.AlignRight)
	}
	return a
}

// renderTable writes header and rows as one table.
func renderTable(w io.Writer, format string, left int, header []string, rows [][]string) error {
	t := table(w, format, aligns(left, len(header)-left))
	t.Header(anySlice(cells(format, header))...)
	for _, r := range rows {
		if err := t.Append(cells(format, r)); err != nil {
			return err
		}
	}
	return t.Render()
}

func anySlice(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// errWriter remembers the first write error, so rendering code can write
// freely and check once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }

// heading writes a section title: "### title" in markdown, "title" after
// a blank line in text.
func heading(w *errWriter, format string, level int, title string) {
	if format == FormatMarkdown {
		w.printf("%s %s\n\n", strings.Repeat("#", level), title)
	} else {
		w.printf("\n%s\n", title)
	}
}

// list writes items as a markdown bullet list or indented text lines.
// RenderMismatches writes the differences between compared files that
// change what a figure means (text or markdown), as Render lists them at
// the top of a comparison: for a caller that prints something of its own
// (a verdict) between them and the tables.
func RenderMismatches(out io.Writer, format string, ms []Mismatch) error {
	w := &errWriter{w: out}
	list(w, format, "mismatches (read these first)", mismatchLines(ms))
	return w.err
}

func list(w *errWriter, format, title string, items []string) {
	if len(items) == 0 {
		return
	}
	if format == FormatMarkdown {
		w.printf("**%s**\n\n", title)
		for _, it := range items {
			w.printf("- %s\n", it)
		}
		w.printf("\n")
		return
	}
	w.printf("%s:\n", title)
	for _, it := range items {
		w.printf("  - %s\n", it)
	}
}

// ciText is the confidence interval's half-width as benchstat prints it.
func ciText(e Estimate) string {
	if !e.HasCI() {
		return "±∞"
	}
	return fmt.Sprintf("±%.0f%%", e.HalfWidthPct())
}

func coreHeader(c, cpus int) string {
	s := fmt.Sprintf("%d cores", c)
	if c == 1 {
		s = "1 core"
	}
	if cpus > 0 && c > cpus {
		s += " (over)"
	}
	return s
}

// renderRun writes a run's tables: one per menu.
func renderRun(out io.Writer, format string, f *File) error {
	sums := Summarize(f.Samples)
	switch format {
	case FormatCSV:
		return runCSV(out, f, sums)
	case FormatJSON:
		return runJSON(out, f, sums)
	}
	w := &errWriter{w: out}
	sp := Speedups(sums)
	cores := coresOf(sums)
	if format == FormatMarkdown {
		w.printf("Measured on %s.\n\n", strings.ReplaceAll(machineLine(f), "*", `\*`))
	} else {
		w.printf("machine: %s\n", machineLine(f))
	}
	for _, menu := range menusOf(sums) {
		heading(w, format, 3, "menu "+menu)
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
				s, ok := Find(sums, Cell{menu, st, c})
				if !ok {
					row = append(row, "-")
					continue
				}
				line1 := FormatRate(s.Throughput.Center) + " " + ciText(s.Throughput)
				if best[c] == st {
					line1 += " *"
				}
				line2 := "-"
				if v, ok := sp[s.Cell]; ok {
					line2 = FormatSpeedup(v)
				}
				if s.Bound > 0 {
					line2 += fmt.Sprintf(" %.0f%% of bound", s.PctOfBound())
					if s.PctOfBound() > 100 || s.Flags["over-bound"] > 0 {
						line2 += " (over!)"
					}
					if s.MixBound > 0 && math.Abs(s.Bound/s.MixBound-1) > 0.05 {
						line2 += fmt.Sprintf(", %.0f%% of the menu mix's", 100*s.Throughput.Center/s.MixBound)
					}
				}
				line3 := fmt.Sprintf("p50 %s p99 %s", latText(s, "p50"), latText(s, "p99"))
				if len(s.Lower) > 0 && s.LittleMean > 0 {
					line3 += ", Little " + FormatNs(s.LittleMean)
				}
				lines := []string{line1, line2, line3}
				if s.CPUPerDish > 0 {
					lines = append(lines, "cpu "+FormatNs(s.CPUPerDish)+"/dish")
				}
				if fl := s.FlagNames(); len(fl) > 0 {
					lines = append(lines, "! "+strings.Join(fl, ", "))
				}
				row = append(row, strings.Join(lines, "\n"))
			}
			rows = append(rows, row)
		}
		if err := renderTable(w, format, 1, header, rows); err != nil {
			return err
		}
		if format == FormatMarkdown {
			w.printf("\n")
		}
	}
	legend := "each cell: median dishes/s ±95% CI, * best in its column; speedup over sync at 1 core (this machine's shape), % of the model bound; p50 and p99 latency, ≥ a censored lower bound with Little's-law mean beside; cpu-ns per dish; ! sample flags"
	if format == FormatMarkdown {
		w.printf("<sub>%s</sub>\n\n", legend)
	} else {
		w.printf("%s\n", legend)
	}
	list(w, format, "warnings", runWarnings(f, sums))
	return w.err
}

// latText formats percentile q of s: "≥121ms" when it is a censored
// lower bound.
func latText(s CellSummary, q string) string {
	v := FormatNs(s.percentile(q))
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

func toJSONEstimate(e Estimate) jsonEstimate {
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

func toJSONCell(s CellSummary, sp map[Cell]float64) jsonCell {
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

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func runJSON(w io.Writer, f *File, sums []CellSummary) error {
	sp := Speedups(sums)
	out := struct {
		Machine  Machine    `json:"machine"`
		Partial  bool       `json:"partial"`
		Cells    []jsonCell `json:"cells"`
		Warnings []string   `json:"warnings"`
	}{Machine: f.Machine, Partial: f.Partial, Cells: []jsonCell{}, Warnings: runWarnings(f, sums)}
	for _, s := range sums {
		out.Cells = append(out.Cells, toJSONCell(s, sp))
	}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	return writeJSON(w, out)
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

func csvCell(s CellSummary, sp map[Cell]float64) []string {
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

func runCSV(w io.Writer, f *File, sums []CellSummary) error {
	cw := csv.NewWriter(w)
	sp := Speedups(sums)
	cw.Write(csvCellHeader)
	for _, s := range sums {
		cw.Write(csvCell(s, sp))
	}
	cw.Flush()
	return cw.Error()
}

// deltaText renders a change with its test: "-20.00% (p=0.000 n=8)".
func deltaText(c Change) string {
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
func mismatchLines(ms []Mismatch) []string {
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

// renderComparison writes files side by side, a table per menu.
func renderComparison(out io.Writer, format string, c *Comparison) error {
	switch format {
	case FormatCSV:
		return comparisonCSV(out, c)
	case FormatJSON:
		return comparisonJSON(out, c)
	}
	w := &errWriter{w: out}
	list(w, format, "mismatches (read these first)", mismatchLines(c.Mismatches))
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
			w.printf("- %s\n", m)
		}
		w.printf("\n")
	} else {
		for _, m := range machines {
			w.printf("%s\n", m)
		}
	}
	var sums []CellSummary
	for _, cc := range c.Cells {
		sums = append(sums, cc.Sums[0])
	}
	for _, menu := range menusOf(sums) {
		heading(w, format, 3, "menu "+menu)
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
				row = append(row, FormatRate(s.Throughput.Center)+" "+ciText(s.Throughput))
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
				row = append(row, FormatSpeedup(v))
			}
			rows = append(rows, row)
		}
		if err := renderTable(w, format, 1, header, rows); err != nil {
			return err
		}
		if format == FormatMarkdown {
			w.printf("\n")
		}
	}
	legend := "dishes/s: median ±95% CI; vs: change from " + c.Labels[0] + ", ~ when not significant (Mann-Whitney U, α=0.05, uncorrected: `kitchen check` is the gate); p99: pooled over all orders, ≥ a censored lower bound, changes not tested; % of bound: the machine-independent figure; speedup: over each file's own sync at 1 core, the shape on its own machine (not machine-independent)"
	if format == FormatMarkdown {
		w.printf("<sub>%s</sub>\n\n", legend)
	} else {
		w.printf("%s\n", legend)
	}
	list(w, format, "warnings", comparisonWarnings(c))
	return w.err
}

func comparisonWarnings(c *Comparison) []string {
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
		out = append(out, fmt.Sprintf("few samples: %d of %d cells have too few samples for any change to be significant at α=%v (need >= 4 per file)", few, len(c.Cells), Alpha))
	}
	return out
}

func comparisonCSV(w io.Writer, c *Comparison) error {
	cw := csv.NewWriter(w)
	header := append([]string{"file"}, csvCellHeader...)
	header = append(header, "dishes_change", "dishes_p", "p99_change", "p99_note", "differs")
	cw.Write(header)
	for _, cc := range c.Cells {
		for i, s := range cc.Sums {
			sp := map[Cell]float64{cc.Cell: cc.Speedup[i]}
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

func toJSONChange(c Change) jsonChange {
	return jsonChange{jsonFloat(c.Old), jsonFloat(c.New), jsonFloat(c.Ratio), jsonFloat(c.P), c.N1, c.N2, c.Significant(), c.Delta(), c.Warnings, c.Note}
}

type jsonMismatch struct {
	What   string `json:"what"`
	Menu   string `json:"menu,omitempty"`
	Severe bool   `json:"severe"`
	Text   string `json:"text"`
}

func toJSONMismatches(ms []Mismatch) []jsonMismatch {
	out := []jsonMismatch{}
	for _, m := range ms {
		out = append(out, jsonMismatch{m.What, m.Menu, m.Severe, m.Text})
	}
	return out
}

func comparisonJSON(w io.Writer, c *Comparison) error {
	type fileJSON struct {
		Label   string  `json:"label"`
		Path    string  `json:"path,omitempty"`
		Partial bool    `json:"partial"`
		Machine Machine `json:"machine"`
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
			pf := perFile{jsonCell: toJSONCell(s, map[Cell]float64{cc.Cell: cc.Speedup[i]})}
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
	return writeJSON(w, out)
}

// verdictStatus is the one-line outcome of v.
func verdictStatus(v *Verdict) string {
	switch {
	case v.Regressed():
		return fmt.Sprintf("FAIL: %d significant regressions beyond %s", len(v.Regressions), pct(v.Threshold))
	case !v.Conclusive():
		return fmt.Sprintf("INCONCLUSIVE: %d of %d cells could not be tested (listed below); no regression found in the rest", len(v.Inconclusive()), v.Cells)
	}
	return fmt.Sprintf("OK: no cell dropped significantly beyond %s", pct(v.Threshold))
}

// methodText states the gate's method and its sensitivity.
func methodText(v *Verdict) string {
	tested := len(v.Tests) - len(v.Inconclusive())
	best, worst := math.Inf(1), 0.0
	for _, t := range v.Tests {
		if t.Tested() {
			best, worst = min(best, t.Detectable), max(worst, t.Detectable)
		}
	}
	s := fmt.Sprintf("%s, one-sided Welch t-test on log values against H0: drop <= %s, Holm's correction over %d cells at α=%v", v.Metric, pct(v.Threshold), tested, Alpha)
	if tested > 0 {
		s += fmt.Sprintf("; the tested cells would have flagged drops of %.1f%% (the most sensitive) to %.1f%% (the least) or more", 100*best, 100*worst)
	}
	return s
}

// renderVerdict writes the outcome of Check.
func renderVerdict(out io.Writer, format string, v *Verdict) error {
	switch format {
	case FormatCSV:
		return verdictCSV(out, v)
	case FormatJSON:
		return verdictJSON(out, v)
	}
	w := &errWriter{w: out}
	status := verdictStatus(v)
	if format == FormatMarkdown {
		w.printf("### kitchen check: %s\n\n", status)
	} else {
		w.printf("check: %s\n", status)
	}
	list(w, format, "mismatches (read these first)", mismatchLines(v.Mismatches))
	if format == FormatMarkdown {
		w.printf("Method: %s.\n\n", methodText(v))
		w.printf("- baseline %s: %s\n- current %s: %s\n\n", v.Labels[0], machineLine(v.Baseline), v.Labels[1], machineLine(v.Current))
	} else {
		w.printf("method: %s\n", methodText(v))
		w.printf("baseline %s: %s\ncurrent  %s: %s\n", v.Labels[0], machineLine(v.Baseline), v.Labels[1], machineLine(v.Current))
	}
	rows := verdictRows(v)
	if len(rows) > 0 {
		if format != FormatMarkdown {
			w.printf("\n")
		}
		header := []string{"finding", "menu", "strategy", "cores", "metric", v.Labels[0], v.Labels[1], "change", "test"}
		if err := renderTable(w, format, 5, header, rows); err != nil {
			return err
		}
		w.printf("\n")
	}
	var inc []string
	for _, t := range v.Inconclusive() {
		inc = append(inc, fmt.Sprintf("%s: %s", cellName(t.Cell), t.Reason))
	}
	list(w, format, "not tested", inc)
	heading(w, format, 4, "what each cell could detect")
	if format == FormatMarkdown {
		w.printf("\n")
	}
	header := []string{"menu", "strategy", "cores", "n", "change", "p (drop > " + pct(v.Threshold) + ")", "detects drops of"}
	var trows [][]string
	for _, t := range v.Tests {
		n := fmt.Sprintf("%d+%d", t.N1, t.N2)
		if !t.Tested() {
			trows = append(trows, []string{t.Menu, t.Strategy, strconv.Itoa(t.Cores), n, pctChange(t.Ratio), "-", "untested"})
			continue
		}
		trows = append(trows, []string{t.Menu, t.Strategy, strconv.Itoa(t.Cores), n, pctChange(t.Ratio), fmt.Sprintf("%.3g", t.P), fmt.Sprintf("≥%.1f%%", 100*t.Detectable)})
	}
	if err := renderTable(w, format, 2, header, trows); err != nil {
		return err
	}
	if format == FormatMarkdown {
		w.printf("\n")
	}
	list(w, format, "notes", v.Notes)
	return w.err
}

func pct(f float64) string { return strconv.FormatFloat(100*f, 'g', -1, 64) + "%" }

// verdictRows lists the findings: regressions, then unconfirmed changes,
// then improvements.
func verdictRows(v *Verdict) [][]string {
	var rows [][]string
	add := func(kind string, fs []Finding) {
		for _, f := range fs {
			rows = append(rows, []string{kind, f.Menu, f.Strategy, strconv.Itoa(f.Cores), f.Metric,
				formatMetric(f.Metric, f.Old), formatMetric(f.Metric, f.New), pctChange(f.Ratio), fmt.Sprintf("p=%.3g n=%d+%d", f.P, f.N1, f.N2)})
		}
	}
	add("REGRESSION", v.Regressions)
	add("unconfirmed", v.Unconfirmed)
	add("improvement", v.Improvements)
	return rows
}

func verdictCSV(w io.Writer, v *Verdict) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"finding", "menu", "strategy", "cores", "metric", "old", "new", "change", "p", "n1", "n2", "detectable_drop", "reason"})
	kind := map[Cell]string{}
	for _, k := range []struct {
		name string
		fs   []Finding
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

func verdictJSON(w io.Writer, v *Verdict) error {
	type findingJSON struct {
		Menu     string `json:"menu"`
		Strategy string `json:"strategy"`
		Cores    int    `json:"cores"`
		Metric   string `json:"metric"`
		jsonChange
	}
	conv := func(fs []Finding) []findingJSON {
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
	return writeJSON(w, struct {
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
	}{v.Regressed(), v.Conclusive(), verdictStatus(v), v.Labels[0], v.Labels[1], v.Metric, v.Threshold, Alpha, v.Cells,
		toJSONMismatches(v.Mismatches), conv(v.Regressions), conv(v.Unconfirmed), conv(v.Improvements), tests, notes})
}
