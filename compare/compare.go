package compare

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"golang.org/x/perf/benchmath"

	"github.com/kitchenbench/kitchenbench/results"
)

// A Comparison sets result files side by side: the cells they have in
// common, each with every file's figures and its change from the first file.
type Comparison struct {
	Files  []*results.File  // the files compared; Files[0] is the base of every change
	Labels []string         // a short distinct name per file, for column headers
	Sums   [][]CellSummary  // Sums[i] summarises every cell of Files[i]
	Curves [][]Curve        // Curves[i]: Files[i]'s normalized speedup curves, over all its cells
	Cells  []CellComparison // cells common to all files, ordered as Summarize orders Files[0]
	// Mismatches between the files' configurations and machines, against
	// Files[0], severe ones first: what a reader must know first.
	Mismatches []results.Mismatch
}

// A CellComparison is one cell across the compared files. Every slice has
// one entry per file.
type CellComparison struct {
	results.Cell
	Sums       []CellSummary
	Throughput []Change  // change in dishes/s from Files[0]; Throughput[0] is the zero Change
	P99        []Change  // change in pooled p99 latency from Files[0], not tested; P99[0] is the zero Change
	Speedup    []float64 // speedup over the file's own sync at 1 core; NaN where it has none
	// Differs[i] says why the cell's definition differs between Files[0]
	// and Files[i] ("" when alike): such changes are shown, not tested.
	Differs []string
}

// A Change is the difference between one cell's figures in two files, with
// its significance (Mann-Whitney U test over the per-sample figures, as
// benchstat does).
type Change struct {
	Old, New float64  // the figures compared (median dishes/s, or p99 ns)
	Ratio    float64  // New/Old - 1: -0.2 is 20% lower; NaN when Old is 0
	P        float64  // p-value; 1 when the test cannot run
	N1, N2   int      // samples on each side; 0 when not tested
	Warnings []string // why the test is weak, e.g. too few samples
	// Note says why a change was not tested ("untested": a pooled p99;
	// "censored: not compared"; "not compared: different sample duration");
	// "" for a tested one.
	Note string
}

// Significant reports whether the change is statistically significant at
// Alpha.
func (c Change) Significant() bool { return c.N1 > 0 && c.P <= Alpha }

// Delta renders the change as benchstat does: "~" when not significant,
// else the signed percentage ("-20.00%").
func (c Change) Delta() string {
	if c.N1 == 0 {
		if c.Note != "" && !math.IsNaN(c.Ratio) && c.Old != 0 {
			return fmt.Sprintf("%+.2f%%", 100*c.Ratio)
		}
		return ""
	}
	if !c.Significant() {
		return "~"
	}
	if math.IsNaN(c.Ratio) {
		return "?"
	}
	return fmt.Sprintf("%+.2f%%", 100*c.Ratio)
}

// Stat renders the test's figures as benchstat does: "p=0.002 n=6" or
// "p=0.002 n=6+8".
func (c Change) Stat() string {
	if c.N1 == 0 {
		return ""
	}
	return benchmath.Comparison{P: c.P, N1: c.N1, N2: c.N2}.String()
}

// TooFewSamples reports whether the samples were too few for any change to
// be significant at Alpha (benchmath's verdict).
func (c Change) TooFewSamples() bool {
	for _, w := range c.Warnings {
		if strings.HasPrefix(w, "need ") {
			return true
		}
	}
	return false
}

// change compares the per-sample figures old and new; oldC and newC are the
// figures shown for them.
func change(old, new []float64, oldC, newC float64) Change {
	c := Change{Old: oldC, New: newC, Ratio: math.NaN(), P: 1, N1: len(old), N2: len(new)}
	if oldC != 0 {
		c.Ratio = newC/oldC - 1
	} else if newC == 0 {
		c.Ratio = 0
	}
	if len(old) == 0 || len(new) == 0 {
		return c
	}
	s1 := benchmath.NewSample(slices.Clone(old), &thresholds)
	s2 := benchmath.NewSample(slices.Clone(new), &thresholds)
	r := benchmath.AssumeNothing.Compare(s1, s2)
	c.P = r.P
	for _, w := range r.Warnings {
		c.Warnings = append(c.Warnings, w.Error())
	}
	return c
}

// untested is a change shown but not tested, with why.
func untested(old, new float64, note string) Change {
	c := Change{Old: old, New: new, Ratio: math.NaN(), P: math.NaN(), Note: note}
	if old != 0 {
		c.Ratio = new/old - 1
	}
	return c
}

// mismatchesOf returns the mismatches between the first file and file i.
func mismatchesOf(ms []results.Mismatch, i int) []results.Mismatch {
	var out []results.Mismatch
	for _, m := range ms {
		if m.File == i {
			out = append(out, m)
		}
	}
	return out
}

// samplesOf returns the samples of f by cell.
func samplesOf(f *results.File) map[results.Cell][]*results.Sample {
	m := map[results.Cell][]*results.Sample{}
	for i := range f.Samples {
		s := &f.Samples[i]
		m[s.Cell()] = append(m[s.Cell()], s)
	}
	return m
}

func figures(ss []*results.Sample, f func(*results.Sample) float64) []float64 {
	v := make([]float64, len(ss))
	for i, s := range ss {
		v[i] = f(s)
	}
	return v
}

// Compare sets files side by side over the cells they all have. It fails,
// saying why, when there are fewer than two files, when they share no menu,
// or when they share menus but no cell (menu, strategy and core count).
func Compare(files []*results.File) (*Comparison, error) {
	if len(files) < 2 {
		return nil, fmt.Errorf("%w: comparing needs at least two result files, got %d", ErrIncomparable, len(files))
	}
	labels := results.Labels(files)
	c := &Comparison{Files: files, Labels: labels, Mismatches: results.Mismatches(files)}
	bySample := make([]map[results.Cell][]*results.Sample, len(files))
	speedups := make([]map[results.Cell]float64, len(files))
	for i, f := range files {
		sums := Summarize(f.Samples)
		c.Sums = append(c.Sums, sums)
		c.Curves = append(c.Curves, Curves(sums))
		bySample[i] = samplesOf(f)
		speedups[i] = Speedups(sums)
	}

	// Menus in common.
	common := Menus(c.Sums[0])
	for i := 1; i < len(files); i++ {
		common = intersect(common, Menus(c.Sums[i]))
	}
	if len(common) == 0 {
		var b strings.Builder
		for i := range files {
			fmt.Fprintf(&b, "; %s has %s", labels[i], listOrNone(Menus(c.Sums[i])))
		}
		return nil, fmt.Errorf("%w: they share no menu%s", ErrIncomparable, b.String())
	}

	for _, s := range c.Sums[0] {
		if !slices.Contains(common, s.Menu) {
			continue
		}
		cc := CellComparison{Cell: s.Cell}
		inAll := true
		for i := range files {
			si, ok := Find(c.Sums[i], s.Cell)
			if !ok {
				inAll = false
				break
			}
			cc.Sums = append(cc.Sums, si)
		}
		if !inAll {
			continue
		}
		base := bySample[0][s.Cell]
		for i := range files {
			differs := ""
			if i > 0 {
				differs = results.Incomparable(mismatchesOf(c.Mismatches, i), s.Cell)
			}
			cc.Differs = append(cc.Differs, differs)
			sp, ok := speedups[i][s.Cell]
			if !ok {
				sp = math.NaN()
			}
			cc.Speedup = append(cc.Speedup, sp)
			if i == 0 {
				cc.Throughput = append(cc.Throughput, Change{})
				cc.P99 = append(cc.P99, Change{})
				continue
			}
			cur := bySample[i][s.Cell]
			dps := func(s *results.Sample) float64 { return s.DishesPerSec }
			if differs != "" {
				cc.Throughput = append(cc.Throughput, untested(cc.Sums[0].Throughput.Center, cc.Sums[i].Throughput.Center, "not compared: different "+differs))
			} else {
				cc.Throughput = append(cc.Throughput, change(figures(base, dps), figures(cur, dps), cc.Sums[0].Throughput.Center, cc.Sums[i].Throughput.Center))
			}
			// One p99 per comparison: the pooled one of the merged
			// histograms, shown with its change and never tested (the
			// per-sample p99s of short windows are a different figure).
			switch {
			case cc.Sums[0].IsLower("p99") || cc.Sums[i].IsLower("p99"):
				ch := untested(cc.Sums[0].P99, cc.Sums[i].P99, "censored: not compared")
				ch.Ratio = math.NaN()
				cc.P99 = append(cc.P99, ch)
			case differs != "":
				cc.P99 = append(cc.P99, untested(cc.Sums[0].P99, cc.Sums[i].P99, "not compared: different "+differs))
			default:
				cc.P99 = append(cc.P99, untested(cc.Sums[0].P99, cc.Sums[i].P99, "untested"))
			}
		}
		c.Cells = append(c.Cells, cc)
	}
	if len(c.Cells) == 0 {
		var b strings.Builder
		for i := range files {
			st, cores := shapeOf(c.Sums[i], common)
			fmt.Fprintf(&b, "; %s has strategies %s at cores %s", labels[i], listOrNone(st), intList(cores))
		}
		return nil, fmt.Errorf("%w: they share menus %s but no cell (menu, strategy and core count)%s", ErrIncomparable, strings.Join(common, ", "), b.String())
	}
	return c, nil
}

// Menus lists the menus of sums in their order.
func Menus(sums []CellSummary) []string {
	var out []string
	for _, s := range sums {
		if !slices.Contains(out, s.Menu) {
			out = append(out, s.Menu)
		}
	}
	return out
}

func shapeOf(sums []CellSummary, menus []string) (strategies []string, cores []int) {
	for _, s := range sums {
		if !slices.Contains(menus, s.Menu) {
			continue
		}
		if !slices.Contains(strategies, s.Strategy) {
			strategies = append(strategies, s.Strategy)
		}
		if !slices.Contains(cores, s.Cores) {
			cores = append(cores, s.Cores)
		}
	}
	slices.Sort(cores)
	return strategies, cores
}

func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func listOrNone(v []string) string {
	if len(v) == 0 {
		return "none"
	}
	return strings.Join(v, ", ")
}

func intList(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = fmt.Sprint(n)
	}
	return listOrNone(s)
}

// ErrIncomparable is wrapped by the errors of Compare and Check about files
// that cannot be compared (as opposed to files that cannot be read).
var ErrIncomparable = errors.New("result files cannot be compared")
