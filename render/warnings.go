package render

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/results"
)

// NoisyCV is the coefficient of variation of dishes/s above which a cell is
// reported as noisy.
const NoisyCV = 0.10

// Warnings returns what a reader of f's tables should be warned about, in a
// fixed order: a partial run, oversubscribed core counts, noisy cells,
// failed orders, runs behind schedule, and too few samples for intervals.
func Warnings(f *results.File) []string {
	return runWarnings(f, compare.Summarize(f.Samples))
}

func runWarnings(f *results.File, sums []compare.CellSummary) []string {
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
			out = append(out, fmt.Sprintf("noisy: %s: dishes/s varies by %.1f%% (CV) between samples; more samples (-count) or a quieter machine help", s.Cell.String(), 100*s.CV))
		}
	}
	for _, s := range sums {
		if s.Failed > 0 {
			out = append(out, fmt.Sprintf("failed orders: %s: %d of %d orders failed", s.Cell.String(), s.Failed, s.Orders))
		}
	}
	for _, s := range sums {
		if n := s.Flags["over-bound"]; n > 0 {
			out = append(out, fmt.Sprintf("over bound: %s: %d of %d samples read above their model bound (%.0f%% at the median): the bound or the calibration did not hold; read the figure with care", s.Cell.String(), n, s.N, s.PctOfBound()))
		} else if s.Bound > 0 && s.PctOfBound() > 100 {
			out = append(out, fmt.Sprintf("over bound: %s: %.0f%% of its model bound: the bound or the calibration did not hold; read the figure with care", s.Cell.String(), s.PctOfBound()))
		}
	}
	for _, s := range sums {
		if n := s.Flags["starved"]; n > 0 {
			rcv := ""
			if s.CoresReceived > 0 {
				rcv = fmt.Sprintf(" (median %.1f of %d cores received)", s.CoresReceived, s.Cores)
			}
			out = append(out, fmt.Sprintf("starved: %s: %d of %d samples did not get the cores their strategy keeps busy%s; they are kept, marked, and left out of `kitchen check`", s.Cell.String(), n, s.N, rcv))
		}
	}
	for _, s := range sums {
		if n := s.Flags["mix-starvation"]; n > 0 || (s.MixBound > 0 && s.Bound > 1.2*s.MixBound) {
			out = append(out, fmt.Sprintf("mix starvation: %s: the served mix's bound %s is above the menu mix's %s: the strategy served its quick dishes and starved the slow ones",
				s.Cell.String(), results.FormatRate(s.Bound), results.FormatRate(s.MixBound)))
		}
	}
	out = append(out, censoredWarnings(sums)...)
	for _, s := range sums {
		if s.Behind {
			out = append(out, fmt.Sprintf("behind schedule: %s: the open loop fell behind its arrival schedule; its latencies understate the load", s.Cell.String()))
		}
	}
	few := 0
	for _, s := range sums {
		if s.Throughput.N > 0 && !s.Throughput.HasCI() {
			few++
		}
	}
	if few > 0 {
		out = append(out, fmt.Sprintf("few samples: %d of %d cells have too few samples for a %.0f%% confidence interval (±∞); use %d or more per cell", few, len(sums), 100*compare.Confidence, compare.MinSamplesCI))
	}
	return out
}

func coresOf(sums []compare.CellSummary) []int {
	var out []int
	for _, s := range sums {
		if !slices.Contains(out, s.Cores) {
			out = append(out, s.Cores)
		}
	}
	slices.Sort(out)
	return out
}

func strategiesOf(sums []compare.CellSummary, menu string) []string {
	var out []string
	for _, s := range sums {
		if s.Menu == menu && !slices.Contains(out, s.Strategy) {
			out = append(out, s.Strategy)
		}
	}
	return out
}

// machineLine describes where a file was measured, on one line.
func machineLine(f *results.File) string {
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
		parts = append(parts, fmt.Sprintf("%s per CPU unit", results.FormatNs(m.NsPerUnit)))
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

// writeTable writes header and rows as one ruled table, headers aligned
// as their columns: the first left columns name, the rest are figures.
func writeTable(w io.Writer, format string, left int, header []string, rows [][]string) error {
	t := &Table{Header: header, Rows: rows, Left: left, Ruled: true, AlignHeader: true}
	return t.write(w, format)
}

// Mismatches writes the differences between compared files that
// change what a figure means (text or markdown), as Comparison lists them at
// the top of a comparison: for a caller that prints something of its own
// (a verdict) between them and the tables.
func Mismatches(out io.Writer, format string, ms []results.Mismatch) error {
	return List(out, format, "mismatches (read these first)", mismatchLines(ms))
}

// ciText is the confidence interval's half-width as benchstat prints it.
func ciText(e compare.Estimate) string {
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

// censoredWarnings is a line per menu with cells whose latency percentiles
// are lower bounds, orders still waiting when the windows closed: each
// such cell with the first percentile censored (the higher ones are too),
// the orders censored, and Little's-law mean, the figure a longer window
// would approach.
func censoredWarnings(sums []compare.CellSummary) []string {
	var out []string
	for _, menu := range compare.Menus(sums) {
		var cells []string
		all := 0
		for _, s := range sums {
			if s.Menu != menu {
				continue
			}
			all++
			if len(s.Lower) == 0 {
				continue
			}
			c := fmt.Sprintf("%s/%d from %s (%d orders", s.Strategy, s.Cores, s.Lower[0], s.Censored)
			if s.LittleMean > 0 {
				c += ", Little's mean " + results.FormatNs(s.LittleMean)
			}
			cells = append(cells, c+")")
		}
		if len(cells) > 0 {
			out = append(out, fmt.Sprintf("censored: %s: in %d of %d cells the latency percentiles are lower bounds (≥), orders still waiting when their windows closed; longer windows (--duration) narrow them: %s",
				menu, len(cells), all, strings.Join(cells, ", ")))
		}
	}
	return out
}
