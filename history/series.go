package history

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/stats"
)

// Machine identifies where a series was measured. Files of one machine
// share every field; figures from different machines are never compared.
type Machine struct {
	CPUModel    string
	LogicalCPUs int
	OS, Arch    string
}

// MachineOf returns the machine a result file was measured on.
func MachineOf(m results.Machine) Machine {
	return Machine{CPUModel: m.CPUModel, LogicalCPUs: m.LogicalCPUs, OS: m.OS, Arch: m.Arch}
}

func (m Machine) String() string {
	model := m.CPUModel
	if model == "" {
		model = "unknown CPU"
	}
	return fmt.Sprintf("%s / %d cpus / %s/%s", model, m.LogicalCPUs, m.OS, m.Arch)
}

// Point is one commit's figure in a series.
type Point struct {
	Commit string    // "" when the file recorded none
	Date   time.Time // the result file's date
	Files  []string  // the files whose samples it pools
	Value  float64   // median dishes/s over the commit's samples of the cell
}

// Series is one cell's figures on one machine, oldest commit first.
type Series struct {
	Machine Machine
	Cell    results.Cell
	Points  []Point
}

// Name is the cell as `kitchen` prints it: menu/strategy/cores.
func (s *Series) Name() string {
	return fmt.Sprintf("%s/%s/%d", s.Cell.Menu, s.Cell.Strategy, s.Cell.Cores)
}

// Build turns result files into series: files are grouped by machine and
// ordered by date (then commit, then path); consecutive files of one
// commit pool their samples into one point. Each series is a cell measured
// on one machine; a cell missing from a file simply has no point there.
// Series are sorted by machine and then by cell.
func Build(files []*results.File) []Series {
	fs := slices.Clone(files)
	slices.SortStableFunc(fs, func(a, b *results.File) int {
		return cmp.Or(a.Machine.Date.Compare(b.Machine.Date),
			cmp.Compare(a.Machine.Commit, b.Machine.Commit),
			cmp.Compare(a.Path, b.Path))
	})
	type key struct {
		m Machine
		c results.Cell
	}
	type acc struct {
		points []Point
		values [][]float64 // the samples of each point
	}
	series := map[key]*acc{}
	for _, f := range fs {
		m := MachineOf(f.Machine)
		byCell := map[results.Cell][]float64{}
		for _, s := range f.Samples {
			if s.Served > 0 && s.DishesPerSec > 0 {
				byCell[s.Cell()] = append(byCell[s.Cell()], s.DishesPerSec)
			}
		}
		for c, v := range byCell {
			a := series[key{m, c}]
			if a == nil {
				a = &acc{}
				series[key{m, c}] = a
			}
			n := len(a.points)
			if n > 0 && f.Machine.Commit != "" && a.points[n-1].Commit == f.Machine.Commit {
				a.points[n-1].Files = append(a.points[n-1].Files, f.Path)
				a.values[n-1] = append(a.values[n-1], v...)
				continue
			}
			a.points = append(a.points, Point{Commit: f.Machine.Commit, Date: f.Machine.Date, Files: []string{f.Path}})
			a.values = append(a.values, v)
		}
	}
	out := make([]Series, 0, len(series))
	for k, a := range series {
		for i := range a.points {
			a.points[i].Value = stats.Median(a.values[i])
		}
		out = append(out, Series{Machine: k.m, Cell: k.c, Points: a.points})
	}
	slices.SortFunc(out, func(a, b Series) int {
		return cmp.Or(strings.Compare(a.Machine.String(), b.Machine.String()),
			cmp.Compare(a.Cell.Menu, b.Cell.Menu),
			cmp.Compare(a.Cell.Strategy, b.Cell.Strategy),
			cmp.Compare(a.Cell.Cores, b.Cell.Cores))
	})
	return out
}

// ChangePoint is a lasting change in one series.
type ChangePoint struct {
	Machine Machine
	Cell    results.Cell
	Index   int       // the point of the first commit after the change
	Commit  string    // that commit ("" when unknown)
	Date    time.Time // that point's date
	Before  float64   // median dishes/s from the previous change point (or the start) up to this one
	After   float64   // median dishes/s from this change point up to the next (or the end)
	P       float64   // the permutation test's p-value
}

// Change is After/Before − 1: −0.2 for a 20% drop.
func (c ChangePoint) Change() float64 { return c.After/c.Before - 1 }

// Report is what Analyze finds in a set of result files.
type Report struct {
	Options  Options  // the settings used, defaults filled in
	Files    int      // result files read
	Series   []Series // every series searched
	Changes  []ChangePoint
	Warnings []string
}

// Analyze builds the series of files and finds the change points of each.
func Analyze(files []*results.File, o Options) *Report {
	o = o.withDefaults()
	r := &Report{Options: o, Files: len(files), Series: Build(files)}
	machines := map[Machine]bool{}
	for _, f := range files {
		machines[MachineOf(f.Machine)] = true
		if f.Machine.Date.IsZero() {
			r.Warnings = append(r.Warnings, fmt.Sprintf("%s: no date in the file's machine record: its place in the history is a guess", f.Path))
		}
	}
	if len(machines) > 1 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("%d machines: each has its own series", len(machines)))
	}
	short := 0
	for _, s := range r.Series {
		if len(s.Points) < 2*o.MinSize {
			short++
			continue
		}
		values := make([]float64, len(s.Points))
		for i, p := range s.Points {
			values[i] = p.Value
		}
		for _, sp := range Detect(values, o) {
			p := s.Points[sp.Index]
			r.Changes = append(r.Changes, ChangePoint{
				Machine: s.Machine, Cell: s.Cell, Index: sp.Index, Commit: p.Commit, Date: p.Date,
				Before: sp.Before, After: sp.After, P: sp.P,
			})
		}
	}
	if short > 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("%d of %d series have fewer than %d commits: too short to search", short, len(r.Series), 2*o.MinSize))
	}
	return r
}
