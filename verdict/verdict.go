// Package verdict answers the question a run is made for — sync, async or
// threads? — in one sentence per menu: for each menu and core count of a
// result file, the strategy that served the most dishes per second, its
// speedup over sync, its share of the model bound, the resource that binds
// it (kitchen.Binding) and the talk's name for that kitchen, saying "tie"
// instead of crowning one when the best two are within noise. Given several
// files it says where their machines agree and where they differ.
//
// It reads what package results holds; the menus and strategies it names
// come from packages kitchen and strategies. A Set is a render.Subject,
// so render.Write prints it in any format; `kitchen run` and `kitchen
// compare` print it, and package report puts it at the top of the page.
package verdict

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"golang.org/x/perf/benchmath"

	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// Noise is how the verdict tells a win from noise: the Mann-Whitney U test
// over the two cells' per-sample dishes/s, as benchstat compares two
// benchmarks, at significance level compare.Alpha. Too few samples for
// the test to reach Alpha (3 a side or fewer) count as a tie.
const Noise = "Mann-Whitney U, α = 0.05"

// Kitchens names each strategy's kitchen as the talk "Choosing between
// free threading and async" would.
var Kitchens = map[string]string{
	"sync":       "one cook",
	"eventloop":  "the multitasking cook",
	"pool":       "many cooks with many grills",
	"gil":        "many cooks sharing one lock, like CPython's GIL",
	"goroutines": "a cook for every order",
	"loops":      "a multitasking cook per core",
}

// A Set is the verdict on one or more result files.
type Set struct {
	Files      []File      // one per file, in the order given
	Agreements []Agreement // per menu shared by every file; nil for one file
}

// A File is the verdict on one result file.
type File struct {
	Label string // the machine, as results.MachineLabels names it
	Menus []Menu // in the order the file first measured them
}

// A Menu is the verdict on one menu of one file.
type Menu struct {
	Name string
	// Cells has one entry per core count measured, ascending.
	Cells []Cell
	// Best indexes the headline cell in Cells: the fewest cores at which
	// the menu's highest throughput is reached (within noise), among the
	// core counts the machine has CPUs for. -1 when nothing was served.
	Best int
}

// A Cell is the verdict at one core count: the winner and what limits it.
type Cell struct {
	Cores        int
	Winner       string
	DishesPerSec float64 // the winner's median
	Speedup      float64 // the winner's median over sync's at 1 core; NaN without that baseline
	PctOfBound   float64 // the winner's median as % of its model bound; 0 when unknown

	// RunnerUp is the strategy with the next best median ("" when only
	// one was measured); P is the Mann-Whitney p-value of winner against
	// runner-up, N1 and N2 their sample counts.
	RunnerUp             string
	RunnerUpDishesPerSec float64
	P                    float64
	N1, N2               int
	// Tie is set when the winner's lead over the runner-up is within
	// noise. Contenders lists the winner and every strategy whose samples
	// it does not beat significantly, best first.
	Tie        bool
	Contenders []string
	// TooFew is set with Tie when the samples are too few for the test to
	// reach significance whatever they say (the smallest p-value
	// Mann-Whitney U can give with N1 and N2 samples is above Alpha): the
	// two are not told apart, rather than found alike.
	TooFew bool

	Binds Binding
	// Oversubscribed is set when the machine has fewer logical CPUs than
	// Cores: no speedup is possible there.
	Oversubscribed bool
}

// Binding is the resource that limits a cell, from the model bound
// (kitchen.Binding), with the figures that make it readable.
type Binding struct {
	// Limit is kitchen.LimitCores, LimitGrills or LimitInProgress,
	// "arrivals" when an open loop's arrival rate is below the kitchen's
	// bound, or "" when it is unknown (the file lacks the menu or the
	// calibration).
	Limit kitchen.Limit
	// Count is how many of the limiting resource there are: cores the
	// strategy cooks on, grills, or orders in progress at once.
	Count float64
	// Cooks is set when the orders in progress are limited by the
	// strategy's cooks rather than the menu's customers.
	Cooks bool
}

// LimitArrivals binds an open loop whose customers arrive more slowly
// than the kitchen could serve them.
const LimitArrivals kitchen.Limit = "arrivals"

// String says what binds, in words: "the 4 grills bind".
func (b Binding) String() string {
	switch b.Limit {
	case kitchen.LimitCores:
		if b.Count == 1 {
			return "its one core binds"
		}
		return fmt.Sprintf("the %g cores bind", b.Count)
	case kitchen.LimitGrills:
		if b.Count == 1 {
			return "the one grill binds"
		}
		return fmt.Sprintf("the %g grills bind", b.Count)
	case kitchen.LimitInProgress:
		who := "customers"
		if b.Cooks {
			who = "cooks"
		}
		if b.Count == 1 {
			return "one order at a time binds"
		}
		return fmt.Sprintf("the %g %s in progress bind", b.Count, who)
	case LimitArrivals:
		return "the arrival rate binds"
	}
	return ""
}

// Short is String's one-word form for table cells: "grills".
func (b Binding) Short() string {
	switch b.Limit {
	case kitchen.LimitInProgress:
		if b.Cooks {
			return "cooks"
		}
		return "customers"
	case "":
		return "—"
	}
	return string(b.Limit)
}

var _ json.Marshaler = Binding{}

// MarshalJSON writes the binding as its limit's name.
func (b Binding) MarshalJSON() ([]byte, error) { return json.Marshal(string(b.Limit)) }

// Kitchen returns the talk's name for the winner's kitchen, or for both
// kitchens of a tie.
func (c Cell) Kitchen() string {
	names := []string{c.Winner}
	if c.Tie && c.RunnerUp != "" {
		names = append(names, c.RunnerUp)
	}
	var out []string
	for _, n := range names {
		if k := Kitchens[n]; k != "" {
			out = append(out, k)
		}
	}
	return strings.Join(out, " or ")
}

// Winners names the winner, or "a and b" for a tie.
func (c Cell) Winners() string {
	if c.Tie && c.RunnerUp != "" {
		return c.Winner + " and " + c.RunnerUp
	}
	return c.Winner
}

// NoiseText states the test behind a tie or a win: "p=0.31, n=10+10".
func (c Cell) NoiseText() string {
	if c.RunnerUp == "" {
		return ""
	}
	return benchmath.Comparison{P: c.P, N1: c.N1, N2: c.N2}.String()
}

// New returns the verdict on files, labelled by results.MachineLabels.
func New(files []*results.File) *Set {
	labels := results.MachineLabels(files)
	s := &Set{}
	for i, f := range files {
		s.Files = append(s.Files, Of(f, labels[i]))
	}
	if len(s.Files) > 1 {
		s.Agreements = agreements(s.Files)
	}
	return s
}

// Of returns the verdict on one file, labelled label.
func Of(f *results.File, label string) File {
	out := File{Label: label}
	sums := compare.Summarize(f.Samples)
	speedups := compare.Speedups(sums)
	perSample := map[results.Cell][]float64{}
	targetRate := map[results.Cell]float64{}
	for _, s := range f.Samples {
		perSample[s.Cell()] = append(perSample[s.Cell()], s.DishesPerSec)
		targetRate[s.Cell()] = max(targetRate[s.Cell()], s.TargetRate)
	}
	var menus []string
	byMenuCores := map[string]map[int][]compare.CellSummary{}
	for _, cs := range sums {
		if byMenuCores[cs.Menu] == nil {
			menus = append(menus, cs.Menu)
			byMenuCores[cs.Menu] = map[int][]compare.CellSummary{}
		}
		byMenuCores[cs.Menu][cs.Cores] = append(byMenuCores[cs.Menu][cs.Cores], cs)
	}
	for _, name := range menus {
		menu := menuOf(f, name)
		m := Menu{Name: name, Best: -1}
		cores := make([]int, 0, len(byMenuCores[name]))
		for c := range byMenuCores[name] {
			cores = append(cores, c)
		}
		slices.Sort(cores)
		for _, n := range cores {
			cands := byMenuCores[name][n]
			slices.SortStableFunc(cands, func(a, b compare.CellSummary) int {
				return cmp.Compare(b.Throughput.Center, a.Throughput.Center)
			})
			w := cands[0]
			if !(w.Throughput.Center > 0) {
				continue // nothing served at this core count
			}
			c := Cell{
				Cores: n, Winner: w.Strategy, DishesPerSec: w.Throughput.Center,
				Speedup: math.NaN(), PctOfBound: w.PctOfBound(),
				Contenders:     []string{w.Strategy},
				Oversubscribed: f.Machine.LogicalCPUs > 0 && n > f.Machine.LogicalCPUs,
			}
			if sp, ok := speedups[w.Cell]; ok {
				c.Speedup = sp
			}
			for i, r := range cands[1:] {
				p, n1, n2 := uTest(perSample[w.Cell], perSample[r.Cell])
				if i == 0 {
					c.RunnerUp, c.RunnerUpDishesPerSec, c.P, c.N1, c.N2 = r.Strategy, r.Throughput.Center, p, n1, n2
					c.Tie = p > compare.Alpha
					c.TooFew = c.Tie && unreachable(n1, n2)
				}
				if p > compare.Alpha && r.Throughput.Center > 0 {
					c.Contenders = append(c.Contenders, r.Strategy)
				}
			}
			c.Binds = binding(menu, w, f.Machine.NsPerUnit, targetRate[w.Cell])
			m.Cells = append(m.Cells, c)
		}
		m.Best = best(m.Cells, name, perSample)
		out.Menus = append(out.Menus, m)
	}
	return out
}

// best picks the headline cell: the fewest cores whose winner is not
// significantly below the menu's best winner, among the core counts that
// are not oversubscribed (all of them when every one is).
func best(cells []Cell, menu string, perSample map[results.Cell][]float64) int {
	top := -1
	for i, c := range cells {
		if c.Oversubscribed && hasFitting(cells) {
			continue
		}
		if top < 0 || c.DishesPerSec > cells[top].DishesPerSec {
			top = i
		}
	}
	if top < 0 {
		return -1
	}
	topSamples := perSample[results.Cell{Menu: menu, Strategy: cells[top].Winner, Cores: cells[top].Cores}]
	for i, c := range cells[:top] {
		if c.Oversubscribed && hasFitting(cells) {
			continue
		}
		p, _, _ := uTest(topSamples, perSample[results.Cell{Menu: menu, Strategy: c.Winner, Cores: c.Cores}])
		if p > compare.Alpha {
			return i
		}
	}
	return top
}

func hasFitting(cells []Cell) bool {
	return slices.ContainsFunc(cells, func(c Cell) bool { return !c.Oversubscribed })
}

// uTest runs the Mann-Whitney U test on two cells' dishes/s. With too
// few samples benchmath's p cannot reach Alpha, which reads as a tie.
func uTest(a, b []float64) (p float64, n1, n2 int) {
	if len(a) == 0 || len(b) == 0 {
		return 1, len(a), len(b)
	}
	th := benchmath.Thresholds{CompareAlpha: compare.Alpha}
	r := benchmath.AssumeNothing.Compare(benchmath.NewSample(slices.Clone(a), &th), benchmath.NewSample(slices.Clone(b), &th))
	return r.P, len(a), len(b)
}

// menuOf returns the menu a file measured: the definition it carries,
// else the built-in menu of that name, else nil.
func menuOf(f *results.File, name string) *kitchen.Menu {
	if raw, ok := f.Config.Menus[name]; ok {
		var m kitchen.Menu
		if err := json.Unmarshal(raw, &m); err == nil && m.Validate() == nil {
			return &m
		}
	}
	if m, ok := kitchen.Lookup(name); ok {
		return m
	}
	return nil
}

// binding says what limits cell cs of menu m: the open loop's arrival
// rate when it is below the kitchen's bound, else the smallest term of
// the model bound.
func binding(m *kitchen.Menu, cs compare.CellSummary, nsPerUnit, rate float64) Binding {
	if m == nil || nsPerUnit <= 0 {
		return Binding{}
	}
	st, err := strategies.New(cs.Strategy)
	if err != nil {
		return Binding{}
	}
	capacity := st.Capacity(cs.Cores)
	limit, terms := kitchen.Binding(m, capacity, nsPerUnit)
	if rate > 0 && rate < terms[limit] {
		return Binding{Limit: LimitArrivals, Count: rate}
	}
	b := Binding{Limit: limit}
	switch limit {
	case kitchen.LimitCores:
		b.Count = capacity.Cores
	case kitchen.LimitGrills:
		b.Count = float64(m.Grills)
	case kitchen.LimitInProgress:
		b.Count = float64(m.Customers)
		if capacity.Cooks > 0 && capacity.Cooks < m.Customers {
			b.Count, b.Cooks = float64(capacity.Cooks), true
		}
	}
	return b
}

// An Agreement compares one menu's verdicts across files.
type Agreement struct {
	Menu  string
	Cores []CoresAgreement // core counts every file measured, ascending
	// Headline lists each file's headline winner (or tie), "" where a
	// file served nothing.
	Headline []string
	Agree    bool // every shared core count agrees
}

// CoresAgreement compares the files' verdicts at one core count.
type CoresAgreement struct {
	Cores   int
	Common  []string // strategies among every file's contenders, best first in the first file
	Winners []string // each file's winner (or tie), in file order
}

// Agree reports whether the files share a contender at this core count.
func (c CoresAgreement) Agree() bool { return len(c.Common) > 0 }

func agreements(files []File) []Agreement {
	var out []Agreement
	for _, m0 := range files[0].Menus {
		menus, inAll := inEach(files, func(f File) []Menu { return f.Menus }, func(m Menu) bool { return m.Name == m0.Name })
		if !inAll {
			continue
		}
		a := Agreement{Menu: m0.Name, Agree: true}
		for _, m := range menus {
			h := ""
			if m.Best >= 0 {
				h = m.Cells[m.Best].Winners()
			}
			a.Headline = append(a.Headline, h)
		}
		for _, c0 := range m0.Cells {
			ca := CoresAgreement{Cores: c0.Cores, Common: slices.Clone(c0.Contenders)}
			cells, inAll := inEach(menus, func(m Menu) []Cell { return m.Cells }, func(c Cell) bool { return c.Cores == c0.Cores })
			if !inAll {
				continue
			}
			for _, c := range cells {
				ca.Winners = append(ca.Winners, c.Winners())
				ca.Common = slices.DeleteFunc(ca.Common, func(s string) bool { return !slices.Contains(c.Contenders, s) })
			}
			a.Agree = a.Agree && ca.Agree()
			a.Cores = append(a.Cores, ca)
		}
		if len(a.Cores) == 0 {
			a.Agree = false
		}
		out = append(out, a)
	}
	return out
}

// inEach picks, from the list that list gives for each of from, its first
// element that match accepts; all is false when some list has none.
func inEach[S, T any](from []S, list func(S) []T, match func(T) bool) (picked []T, all bool) {
	picked = make([]T, len(from))
	for i, s := range from {
		l := list(s)
		j := slices.IndexFunc(l, match)
		if j < 0 {
			return nil, false
		}
		picked[i] = l[j]
	}
	return picked, true
}

// unreachable reports whether a two-sided Mann-Whitney U test of n1
// against n2 samples cannot reach compare.Alpha: its smallest p-value,
// two orderings out of C(n1+n2, n1), is above it.
func unreachable(n1, n2 int) bool {
	if n1 <= 0 || n2 <= 0 {
		return true
	}
	ways := 1.0 // C(n1+n2, n1)
	for i := 1; i <= n1; i++ {
		ways = ways * float64(n2+i) / float64(i)
	}
	return 2/ways > compare.Alpha
}
