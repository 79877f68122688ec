package render

import (
	"fmt"
	"io"
	"strconv"

	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/stats"
)

// OpenLoop is an open-loop run's queueing and latency per cell beside the
// load generator's dispatch lag (how late it placed orders: the harness's
// own lateness), with, per menu, an optional model row. Figures are ns,
// medians over samples.
type OpenLoop struct {
	Rows []OpenLoopRow `json:"rows"`
}

// OpenLoopRow is one cell, or (Model) what a queueing model predicts for
// the menu at the run's rate.
type OpenLoopRow struct {
	Menu        string  `json:"menu"`
	Strategy    string  `json:"strategy"` // the model's name when Model
	Cores       int     `json:"cores,omitempty"`
	Model       bool    `json:"model,omitempty"`
	Utilisation float64 `json:"utilisation,omitempty"` // the model's ρ
	QueueP50    float64 `json:"queue_p50_ns"`
	P50         float64 `json:"p50_ns"`
	P90         float64 `json:"p90_ns"`
	P99         float64 `json:"p99_ns"`
	LagP50      float64 `json:"dispatch_lag_p50_ns,omitempty"` // measured rows only
	LagP99      float64 `json:"dispatch_lag_p99_ns,omitempty"`
}

var _ Subject = OpenLoop{}

// OpenLoopOf gathers f's open-loop cells (samples with a target rate) in
// the order of their first sample. After each menu's last cell, model
// (when not nil) may add a row for that menu at its median target rate.
// A closed-loop file gives an empty table.
func OpenLoopOf(f *results.File, model func(menu string, rate float64) (OpenLoopRow, bool)) OpenLoop {
	type key struct {
		menu, strategy string
		cores          int
	}
	type figs struct{ queue, p50, p90, p99, lag50, lag99, rate []float64 }
	cells := map[key]*figs{}
	var keys []key
	for _, s := range f.Samples {
		if s.TargetRate <= 0 {
			continue
		}
		k := key{s.Menu, s.Strategy, s.Cores}
		c := cells[k]
		if c == nil {
			c = &figs{}
			cells[k] = c
			keys = append(keys, k)
		}
		l := s.Latency
		c.queue = append(c.queue, l.QueueP50)
		c.p50, c.p90, c.p99 = append(c.p50, l.P50), append(c.p90, l.P90), append(c.p99, l.P99)
		c.lag50, c.lag99 = append(c.lag50, s.DispatchLagP50), append(c.lag99, s.DispatchLagP99)
		c.rate = append(c.rate, s.TargetRate)
	}
	med := stats.Median
	var out OpenLoop
	for i, k := range keys {
		c := cells[k]
		out.Rows = append(out.Rows, OpenLoopRow{Menu: k.menu, Strategy: k.strategy, Cores: k.cores,
			QueueP50: med(c.queue), P50: med(c.p50), P90: med(c.p90), P99: med(c.p99),
			LagP50: med(c.lag50), LagP99: med(c.lag99)})
		if model != nil && (i == len(keys)-1 || keys[i+1].menu != k.menu) {
			if r, ok := model(k.menu, med(c.rate)); ok {
				r.Menu, r.Model = k.menu, true
				out.Rows = append(out.Rows, r)
			}
		}
	}
	return out
}

const openLoopTitle = "open loop: queueing and latency beside the load generator's dispatch lag (medians over samples)"

func (o OpenLoop) table() *Table {
	ns := results.FormatNs
	t := &Table{Header: []string{"menu", "strategy", "cores", "queue p50", "p50", "p90", "p99", "dispatch lag p50", "lag p99"}, Left: 2}
	for _, r := range o.Rows {
		cores, lag50, lag99 := strconv.Itoa(r.Cores), ns(r.LagP50), ns(r.LagP99)
		if r.Model {
			cores, lag50, lag99 = fmt.Sprintf("(ρ %.2f)", r.Utilisation), "-", "-"
		}
		t.Rows = append(t.Rows, []string{r.Menu, r.Strategy, cores, ns(r.QueueP50), ns(r.P50), ns(r.P90), ns(r.P99), lag50, lag99})
	}
	return t
}

func (o OpenLoop) tables(w io.Writer, format string) error {
	if len(o.Rows) == 0 {
		return nil
	}
	if err := Heading(w, format, 3, openLoopTitle); err != nil {
		return err
	}
	return tableBlock(w, format, o.table())
}

// ToText writes the table under its title; nothing for a closed loop.
func (o OpenLoop) ToText(w io.Writer) error { return o.tables(w, FormatText) }

// ToMarkdown writes the table under a heading; nothing for a closed loop.
func (o OpenLoop) ToMarkdown(w io.Writer) error { return o.tables(w, FormatMarkdown) }

// ToCSV writes one record per row, figures in ns; model rows have
// model=true, their ρ in utilisation and no dispatch lag.
func (o OpenLoop) ToCSV(w io.Writer) error {
	t := &Table{Header: []string{"menu", "strategy", "cores", "model", "utilisation", "queue_p50_ns", "p50_ns", "p90_ns", "p99_ns", "dispatch_lag_p50_ns", "dispatch_lag_p99_ns"}}
	for _, r := range o.Rows {
		lag50, lag99, util := CSVFloat(r.LagP50), CSVFloat(r.LagP99), ""
		if r.Model {
			lag50, lag99, util = "", "", CSVFloat(r.Utilisation)
		}
		t.Rows = append(t.Rows, []string{r.Menu, r.Strategy, strconv.Itoa(r.Cores), strconv.FormatBool(r.Model), util,
			CSVFloat(r.QueueP50), CSVFloat(r.P50), CSVFloat(r.P90), CSVFloat(r.P99), lag50, lag99})
	}
	return t.CSV(w)
}

// ToJSON writes o as JSON.
func (o OpenLoop) ToJSON(w io.Writer) error {
	if o.Rows == nil {
		o.Rows = []OpenLoopRow{}
	}
	return JSON(w, o)
}
