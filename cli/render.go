package cli

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/kitchenbench/kitchenbench/results"
)

// renderRun prints a run's tables and warnings, and with perDish the
// latency of each dish (text format only).
func renderRun(w io.Writer, format string, f *results.File, perDish bool) error {
	if err := results.Render(w, format, f); err != nil {
		return err
	}
	if format == results.FormatText {
		if err := renderOpenLoop(w, f); err != nil {
			return err
		}
	}
	if perDish && format == results.FormatText {
		return renderPerDish(w, f)
	}
	return nil
}

// renderPerDish prints, per menu of several dishes, each dish's p50 and
// p99 latency for every strategy and core count: the median over samples
// of each sample's per-dish percentile. It shows what a table of all
// orders averages away, such as quick dishes stuck behind a long one.
func renderPerDish(w io.Writer, f *results.File) error {
	type key struct {
		menu, strategy string
		cores          int
	}
	p50 := map[key]map[string][]float64{}
	p99 := map[key]map[string][]float64{}
	lower := map[key]map[string]map[string]bool{} // censored percentiles

	var keys []key
	dishes := map[string][]string{}
	for _, s := range f.Samples {
		if len(s.PerDish) == 0 {
			continue
		}
		k := key{s.Menu, s.Strategy, s.Cores}
		if p50[k] == nil {
			p50[k], p99[k] = map[string][]float64{}, map[string][]float64{}
			lower[k] = map[string]map[string]bool{}
			keys = append(keys, k)
		}
		for d, l := range s.PerDish {
			p50[k][d] = append(p50[k][d], l.P50)
			p99[k][d] = append(p99[k][d], l.P99)
			for _, q := range l.Lower {
				if lower[k][d] == nil {
					lower[k][d] = map[string]bool{}
				}
				lower[k][d][q] = true
			}
			if !slices.Contains(dishes[s.Menu], d) {
				dishes[s.Menu] = append(dishes[s.Menu], d)
			}
		}
	}
	menu := ""
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, k := range keys {
		if k.menu != menu {
			if menu != "" {
				fmt.Fprintln(tw)
			}
			menu = k.menu
			sort.Strings(dishes[menu])
			fmt.Fprintf(tw, "\nmenu %s: latency by dish (p50 / p99, median over samples; ≥ a censored lower bound)\n", menu)
			fmt.Fprintf(tw, "strategy\tcores\t%s\n", strings.Join(dishes[menu], "\t"))
		}
		fmt.Fprintf(tw, "%s\t%d", k.strategy, k.cores)
		for _, d := range dishes[menu] {
			if len(p50[k][d]) == 0 {
				fmt.Fprint(tw, "\t-")
				continue
			}
			// A percentile censored in any sample is shown as a lower
			// bound: the median of lower bounds is no measured figure.
			fmt.Fprintf(tw, "\t%s / %s", perDishText(results.Median(p50[k][d]), lower[k][d]["p50"]), perDishText(results.Median(p99[k][d]), lower[k][d]["p99"]))
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

func perDishText(ns float64, lower bool) string {
	if lower {
		return "≥" + results.FormatNs(ns)
	}
	return results.FormatNs(ns)
}
