package report

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/scaling"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// strategyOrder is the order strategies appear in, in tables, legends and
// colours: the registry's (strategies.Names), from one thread to many.
// Strategies not listed follow in name order.
var strategyOrder = strategies.Names()

// source is one result file, labelled for tables and legends.
type source struct {
	Label string
	File  *results.File
}

// series is one strategy on one machine in one menu: its measured cells,
// ascending by cores, and its scalability fit.
type series struct {
	Source   int // index into analysis.Sources
	Strategy string
	Cells    []cellSummary

	// Lower names, per core count, the latency percentiles ("p50",
	// "p99", "p999", …) that some sample of the cell could only bound
	// from below (results.Latency.Lower): censored orders reach them.
	Lower map[int]map[string]bool

	Fit    scaling.Model
	FitErr error                // why there is no fit; nil when Fit is valid
	Pred   []scaling.Prediction // predictions beyond the measured cores only
}

// menuAnalysis is everything shown for one menu.
type menuAnalysis struct {
	Name   string
	Series []series // by strategy (in strategyOrder), then source
}

type analysis struct {
	Sources    []source
	Strategies []string // every strategy seen, in display order
	Menus      []menuAnalysis
}

// analyze summarises every file and fits every (file, menu, strategy)
// series. Fits are per file: one machine's contention says nothing about
// another's.
func analyze(files []*results.File, predictCores []int) (*analysis, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("report: no result files")
	}
	a := &analysis{}
	for i, f := range files {
		if f == nil {
			return nil, fmt.Errorf("report: file %d is nil", i)
		}
	}
	for i, label := range results.MachineLabels(files) {
		a.Sources = append(a.Sources, source{Label: label, File: files[i]})
	}

	menus := map[string]*menuAnalysis{}
	strategies := map[string]bool{}
	for si, src := range a.Sources {
		type key struct{ menu, strategy string }
		bySeries := map[key]*series{}
		for _, cs := range summarize(src.File.Samples) {
			k := key{cs.Menu, cs.Strategy}
			s := bySeries[k]
			if s == nil {
				s = &series{Source: si, Strategy: cs.Strategy}
				bySeries[k] = s
			}
			s.Cells = append(s.Cells, cs)
			strategies[cs.Strategy] = true
		}
		points := map[key][]scaling.Point{}
		for _, smp := range src.File.Samples {
			if s := bySeries[key{smp.Menu, smp.Strategy}]; s != nil && len(smp.Latency.Lower) > 0 {
				if s.Lower == nil {
					s.Lower = map[int]map[string]bool{}
				}
				if s.Lower[smp.Cores] == nil {
					s.Lower[smp.Cores] = map[string]bool{}
				}
				for _, p := range smp.Latency.Lower {
					s.Lower[smp.Cores][p] = true
				}
			}
			if smp.DishesPerSec > 0 && smp.Cores >= 1 {
				k := key{smp.Menu, smp.Strategy}
				points[k] = append(points[k], scaling.Point{N: float64(smp.Cores), X: smp.DishesPerSec})
			}
		}
		for k, s := range bySeries {
			slices.SortFunc(s.Cells, func(a, b cellSummary) int { return cmp.Compare(a.Cores, b.Cores) })
			s.Fit, s.FitErr = scaling.Fit(points[k])
			if s.FitErr == nil {
				for _, p := range s.Fit.Predictions(predictCores) {
					if float64(p.N) > s.Fit.MaxN {
						s.Pred = append(s.Pred, p)
					}
				}
			}
			m := menus[k.menu]
			if m == nil {
				m = &menuAnalysis{Name: k.menu}
				menus[k.menu] = m
			}
			m.Series = append(m.Series, *s)
		}
	}

	for name := range strategies {
		a.Strategies = append(a.Strategies, name)
	}
	slices.SortFunc(a.Strategies, compareStrategies)
	for _, m := range menus {
		slices.SortFunc(m.Series, func(x, y series) int {
			return cmp.Or(compareStrategies(x.Strategy, y.Strategy), cmp.Compare(x.Source, y.Source))
		})
		a.Menus = append(a.Menus, *m)
	}
	slices.SortFunc(a.Menus, func(x, y menuAnalysis) int { return cmp.Compare(x.Name, y.Name) })
	return a, nil
}

func compareStrategies(a, b string) int {
	ia, ib := slices.Index(strategyOrder, a), slices.Index(strategyOrder, b)
	if ia < 0 {
		ia = len(strategyOrder)
	}
	if ib < 0 {
		ib = len(strategyOrder)
	}
	return cmp.Or(cmp.Compare(ia, ib), cmp.Compare(a, b))
}

// label names a series in a legend: the strategy, and the machine when
// there is more than one.
func (a *analysis) label(s series) string {
	if len(a.Sources) == 1 {
		return s.Strategy
	}
	return s.Strategy + " @ " + a.Sources[s.Source].Label
}

// categories returns the (strategy, cores) pairs measured in m, in display
// order, with their tick labels: the x axis of the latency and bound charts.
func (m menuAnalysis) categories() (cats []catKey, labels []string) {
	seen := map[catKey]bool{}
	for _, s := range m.Series {
		for _, c := range s.Cells {
			k := catKey{s.Strategy, c.Cores}
			if !seen[k] {
				seen[k] = true
				cats = append(cats, k)
			}
		}
	}
	slices.SortFunc(cats, func(x, y catKey) int {
		return cmp.Or(compareStrategies(x.Strategy, y.Strategy), cmp.Compare(x.Cores, y.Cores))
	})
	for _, k := range cats {
		labels = append(labels, fmt.Sprintf("%s/%d", k.Strategy, k.Cores))
	}
	return cats, labels
}

type catKey struct {
	Strategy string
	Cores    int
}
