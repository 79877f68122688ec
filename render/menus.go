package render

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// Menus is what `kitchen menus` lists: each menu's dishes with their
// steps and costs, and every strategy's model bound on throughput at 1
// core and at Cores, priced at NsPerUnit per work unit (MenusOf).
type Menus struct {
	NsPerUnit float64
	Cores     int
	Menus     []MenuListing
}

// MenuListing is one menu of Menus.
type MenuListing struct {
	Name, About       string
	Grills, Customers int
	Seed              uint64
	Dishes            []DishListing
	Bounds            []BoundListing
}

// DishListing is one dish: its steps as text ("season(cpu 50)") and its
// CPU time at NsPerUnit, grill time (calls included) and rest time.
type DishListing struct {
	Name             string
	Weight           float64
	Steps            []string
	CPU, Grill, Rest time.Duration
}

// BoundListing is a strategy's model bound, dishes/s, at 1 core and at
// Menus.Cores.
type BoundListing struct {
	Strategy        string
	OneCore, AtCore float64
}

var _ Subject = Menus{}

// MenusOf lists menus with their bounds for every registered strategy.
func MenusOf(menus []*kitchen.Menu, nsPerUnit float64, cores int) (Menus, error) {
	out := Menus{NsPerUnit: nsPerUnit, Cores: cores}
	for _, m := range menus {
		l := MenuListing{Name: m.Name, About: m.About, Grills: m.Grills, Customers: m.Customers, Seed: m.Seed}
		for i := range m.Dishes {
			d := &m.Dishes[i]
			var steps []string
			for _, s := range d.Steps {
				switch s.Kind {
				case kitchen.CPU:
					steps = append(steps, fmt.Sprintf("%s(cpu %d)", s.Name, s.Units))
				case kitchen.Call:
					steps = append(steps, fmt.Sprintf("%s(call %v, %s)", s.Name, s.Wait, kitchen.FormatSize(int64(s.Reply))))
				case kitchen.Read:
					steps = append(steps, fmt.Sprintf("%s(read %s)", s.Name, kitchen.FormatSize(s.Bytes)))
				default:
					steps = append(steps, fmt.Sprintf("%s(%s %v)", s.Name, s.Kind, s.Wait))
				}
			}
			c := d.Cost()
			l.Dishes = append(l.Dishes, DishListing{Name: d.Name, Weight: d.Weight, Steps: steps,
				CPU: time.Duration(c.CPUUnits * nsPerUnit).Round(time.Microsecond), Grill: c.Grill + c.Hold, Rest: c.Rest})
		}
		for _, name := range strategies.Names() {
			s, err := strategies.New(name)
			if err != nil {
				return Menus{}, fmt.Errorf("menu %s: %w", m.Name, err)
			}
			l.Bounds = append(l.Bounds, BoundListing{Strategy: name,
				OneCore: kitchen.Bound(m, s.Capacity(1), nsPerUnit), AtCore: kitchen.Bound(m, s.Capacity(cores), nsPerUnit)})
		}
		out.Menus = append(out.Menus, l)
	}
	return out, nil
}

func (m Menus) ToText(w io.Writer) error     { return m.tables(w, FormatText) }
func (m Menus) ToMarkdown(w io.Writer) error { return m.tables(w, FormatMarkdown) }
func (m Menus) ToJSON(w io.Writer) error     { return JSON(w, m) }

// ToCSV writes two tables, a blank line between them: every menu's
// dishes (durations in ns), then every menu's bounds.
func (m Menus) ToCSV(w io.Writer) error {
	dishes := &Table{Header: []string{"menu", "dish", "weight", "steps", "cpu_ns", "grill_ns", "rest_ns"}}
	bounds := &Table{Header: []string{"menu", "strategy", "bound_1core", "bound_" + strconv.Itoa(m.Cores) + "cores"}}
	for _, l := range m.Menus {
		for _, d := range l.Dishes {
			dishes.Rows = append(dishes.Rows, []string{l.Name, CSVFloat(d.Weight), strings.Join(d.Steps, " "),
				strconv.FormatInt(int64(d.CPU), 10), strconv.FormatInt(int64(d.Grill), 10), strconv.FormatInt(int64(d.Rest), 10)})
		}
		for _, b := range l.Bounds {
			bounds.Rows = append(bounds.Rows, []string{l.Name, b.Strategy, CSVFloat(b.OneCore), CSVFloat(b.AtCore)})
		}
	}
	if err := dishes.CSV(w); err != nil {
		return err
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return err
	}
	return bounds.CSV(w)
}

// tables writes the calibration, then per menu its header lines, dishes
// and bounds, in text or markdown.
func (m Menus) tables(out io.Writer, format string) error {
	w := &ErrWriter{W: out}
	w.Printf("1 work unit = %.0f ns on this machine (calibrated now)\n", m.NsPerUnit)
	for _, l := range m.Menus {
		if format == FormatMarkdown {
			w.Printf("\n### %s\n\n%s\n\ngrills %d, customers %d, seed %d\n\n", l.Name, l.About, l.Grills, l.Customers, l.Seed)
		} else {
			w.Printf("\n%s: %s\n  grills %d, customers %d, seed %d\n", l.Name, l.About, l.Grills, l.Customers, l.Seed)
		}
		dishes := &Table{Header: []string{"dish", "weight", "steps", "cpu", "grill", "rest"}, Left: 3}
		for _, d := range l.Dishes {
			dishes.Rows = append(dishes.Rows, []string{d.Name, fmt.Sprintf("%g", d.Weight), strings.Join(d.Steps, " → "),
				d.CPU.String(), d.Grill.String(), d.Rest.String()})
		}
		bounds := &Table{Header: []string{"strategy", "1 core", fmt.Sprintf("%d cores", m.Cores)}, Left: 1}
		for _, b := range l.Bounds {
			bounds.Rows = append(bounds.Rows, []string{b.Strategy, fmt.Sprintf("%.0f", b.OneCore), fmt.Sprintf("%.0f", b.AtCore)})
		}
		if w.Err == nil {
			w.Err = tableBlock(w.W, format, dishes)
		}
		w.Printf("model bound, dishes/s:\n")
		if format == FormatMarkdown {
			w.Printf("\n")
		}
		if w.Err == nil {
			w.Err = tableBlock(w.W, format, bounds)
		}
	}
	return w.Err
}
