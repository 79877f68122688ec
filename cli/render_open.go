package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/results"
)

// mg1Orders is how many orders the M/G/1 model simulates: enough for a
// stable p99 of a menu whose rare dish is 1 in 200.
const mg1Orders = 1_000_000

// renderOpenLoop prints, for an open-loop run, each cell's queueing delay
// and latency percentiles beside the load generator's dispatch lag (how
// late it placed orders: the harness's own lateness), and, for each menu
// one FIFO cook could serve without overlapping waits, what an M/G/1
// model of it predicts at the run's rate and calibrated work unit. Figures
// are medians over samples. It prints nothing for a closed loop.
func renderOpenLoop(w io.Writer, f *results.File) error {
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
	if len(keys) == 0 {
		return nil
	}
	ns := results.FormatNs
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\nopen loop: queueing and latency beside the load generator's dispatch lag (medians over samples)\n")
	fmt.Fprintf(tw, "menu\tstrategy\tcores\tqueue p50\tp50\tp90\tp99\tdispatch lag p50\tp99\t\n")
	for i, k := range keys {
		c := cells[k]
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t\n", k.menu, k.strategy, k.cores,
			ns(results.Median(c.queue)), ns(results.Median(c.p50)), ns(results.Median(c.p90)), ns(results.Median(c.p99)),
			ns(results.Median(c.lag50)), ns(results.Median(c.lag99)))
		if i == len(keys)-1 || keys[i+1].menu != k.menu {
			modelRow(tw, f, k.menu, results.Median(c.rate))
		}
	}
	return tw.Flush()
}

// modelRow prints the M/G/1 prediction for menu at rate, if the menu is
// one that model describes (CPU steps only) and the run has a calibration.
func modelRow(w io.Writer, f *results.File, menu string, rate float64) {
	raw, ok := f.Config.Menus[menu]
	if !ok || f.Machine.NsPerUnit <= 0 {
		return
	}
	var m kitchen.Menu
	if json.Unmarshal(raw, &m) != nil {
		return
	}
	q, err := bench.MG1Of(&m, rate, f.Machine.NsPerUnit, false)
	if err != nil {
		return
	}
	p, err := q.Simulate(mg1Orders, m.Seed)
	if err != nil {
		return
	}
	fmt.Fprintf(w, "%s\tM/G/1 FIFO model\t(ρ %.2f)\t%s\t%s\t%s\t%s\t-\t-\t\n", menu, p.Utilisation,
		results.FormatNs(p.QueueP50), results.FormatNs(p.P50), results.FormatNs(p.P90), results.FormatNs(p.P99))
}
