package render

import (
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/stats"
)

// PerDish is each dish's latency for every strategy and core count, one
// table per menu of several dishes: what a table of all orders averages
// away, such as quick dishes stuck behind a long one.
type PerDish struct {
	Menus []PerDishMenu `json:"menus"`
}

// PerDishMenu is one menu's table: a row per strategy and core count, a
// column per dish.
type PerDishMenu struct {
	Menu   string       `json:"menu"`
	Dishes []string     `json:"dishes"` // sorted
	Rows   []PerDishRow `json:"rows"`
}

// PerDishRow is one strategy at one core count; Dishes parallels the
// menu's Dishes.
type PerDishRow struct {
	Strategy string        `json:"strategy"`
	Cores    int           `json:"cores"`
	Dishes   []DishLatency `json:"dishes"`
}

// DishLatency is one dish's p50 and p99 in ns, medians over N samples; a
// percentile censored in any sample is a lower bound.
type DishLatency struct {
	N        int     `json:"n"` // 0: the dish was not served in this cell
	P50      float64 `json:"p50_ns"`
	P99      float64 `json:"p99_ns"`
	P50Lower bool    `json:"p50_lower,omitempty"`
	P99Lower bool    `json:"p99_lower,omitempty"`
}

var _ Subject = PerDish{}

// PerDishOf gathers f's per-dish latencies, cells in the order of their
// first sample. Menus without per-dish figures are left out.
func PerDishOf(f *results.File) PerDish {
	type acc struct {
		p50, p99   []float64
		lo50, lo99 bool
	}
	type key struct {
		menu, strategy string
		cores          int
	}
	cellsOf := map[key]map[string]*acc{}
	var keys []key
	dishes := map[string][]string{}
	var menus []string
	for _, s := range f.Samples {
		if len(s.PerDish) == 0 {
			continue
		}
		k := key{s.Menu, s.Strategy, s.Cores}
		if cellsOf[k] == nil {
			cellsOf[k] = map[string]*acc{}
			keys = append(keys, k)
		}
		if !slices.Contains(menus, s.Menu) {
			menus = append(menus, s.Menu)
		}
		for d, l := range s.PerDish {
			a := cellsOf[k][d]
			if a == nil {
				a = &acc{}
				cellsOf[k][d] = a
			}
			a.p50, a.p99 = append(a.p50, l.P50), append(a.p99, l.P99)
			a.lo50 = a.lo50 || slices.Contains(l.Lower, "p50")
			a.lo99 = a.lo99 || slices.Contains(l.Lower, "p99")
			if !slices.Contains(dishes[s.Menu], d) {
				dishes[s.Menu] = append(dishes[s.Menu], d)
			}
		}
	}
	var out PerDish
	for _, m := range menus {
		slices.Sort(dishes[m])
		pm := PerDishMenu{Menu: m, Dishes: dishes[m]}
		for _, k := range keys {
			if k.menu != m {
				continue
			}
			row := PerDishRow{Strategy: k.strategy, Cores: k.cores}
			for _, d := range pm.Dishes {
				a := cellsOf[k][d]
				if a == nil {
					row.Dishes = append(row.Dishes, DishLatency{})
					continue
				}
				row.Dishes = append(row.Dishes, DishLatency{N: len(a.p50),
					P50: stats.Median(a.p50), P99: stats.Median(a.p99), P50Lower: a.lo50, P99Lower: a.lo99})
			}
			pm.Rows = append(pm.Rows, row)
		}
		out.Menus = append(out.Menus, pm)
	}
	return out
}

func (p PerDish) title(m PerDishMenu) string {
	return fmt.Sprintf("menu %s: latency by dish (p50 / p99, median over samples; ≥ a censored lower bound)", m.Menu)
}

func (p PerDish) table(m PerDishMenu) *Table {
	t := &Table{Header: append([]string{"strategy", "cores"}, m.Dishes...), Left: 1}
	for _, r := range m.Rows {
		row := []string{r.Strategy, strconv.Itoa(r.Cores)}
		for _, d := range r.Dishes {
			if d.N == 0 {
				row = append(row, "-")
				continue
			}
			row = append(row, boundNs(d.P50, d.P50Lower)+" / "+boundNs(d.P99, d.P99Lower))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// boundNs formats ns, as a lower bound (≥) when lower.
func boundNs(ns float64, lower bool) string {
	if lower {
		return "≥" + results.FormatNs(ns)
	}
	return results.FormatNs(ns)
}

func (p PerDish) tables(w io.Writer, format string) error {
	for _, m := range p.Menus {
		if err := Heading(w, format, 3, p.title(m)); err != nil {
			return err
		}
		if err := tableBlock(w, format, p.table(m)); err != nil {
			return err
		}
	}
	return nil
}

// ToText writes one ASCII table per menu under its title.
func (p PerDish) ToText(w io.Writer) error { return p.tables(w, FormatText) }

// ToMarkdown writes one markdown table per menu under a heading.
func (p PerDish) ToMarkdown(w io.Writer) error { return p.tables(w, FormatMarkdown) }

// ToCSV writes one record per menu, strategy, core count and dish, in ns.
func (p PerDish) ToCSV(w io.Writer) error {
	t := &Table{Header: []string{"menu", "strategy", "cores", "dish", "n", "p50_ns", "p99_ns", "p50_lower", "p99_lower"}}
	for _, m := range p.Menus {
		for _, r := range m.Rows {
			for i, d := range r.Dishes {
				t.Rows = append(t.Rows, []string{m.Menu, r.Strategy, strconv.Itoa(r.Cores), m.Dishes[i], strconv.Itoa(d.N),
					CSVFloat(d.P50), CSVFloat(d.P99), strconv.FormatBool(d.P50Lower), strconv.FormatBool(d.P99Lower)})
			}
		}
	}
	return t.CSV(w)
}

// ToJSON writes p as JSON.
func (p PerDish) ToJSON(w io.Writer) error {
	if p.Menus == nil {
		p.Menus = []PerDishMenu{}
	}
	return JSON(w, p)
}
