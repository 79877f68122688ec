package results

import (
	"fmt"
	"io"
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
