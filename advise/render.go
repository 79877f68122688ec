package advise

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/render"
	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// Reason words the advice from its figures: what the pick serves, which
// resource binds it, how the runner-up compares and what it would need,
// and the model bound at the advised core count when it exceeds the
// measured one.
func (a *Advice) Reason() string {
	if a.Pick == "" {
		if n := len(a.Unknown); n > 0 {
			return fmt.Sprintf("no strategy is known to meet the SLO here: %d have a percentile that is only a lower bound, as orders were still waiting when the window closed; windows long enough that fewer of them are cut off (--duration) would tell", n)
		}
		return "no strategy met the SLO here; the table shows how far each is from it"
	}
	byName := a.byName()
	p := byName[a.Pick]
	m, ns := a.Menu, a.NsPerUnit
	var b strings.Builder
	fmt.Fprintf(&b, "%s serves %s dishes/s", a.Pick, results.FormatRate(p.Throughput.Center))
	if s, ok := byName["sync"]; ok && a.Pick != "sync" && s.Throughput.Center > 0 {
		fmt.Fprintf(&b, " (%.1f× sync)", p.Throughput.Center/s.Throughput.Center)
	}
	fmt.Fprintf(&b, " with p99 %s", LatencyText(p, "p99"))
	limit, terms := kitchen.Binding(m, a.pick.Capacity(a.Measured), ns)
	cost := m.MeanCost()
	cpuShare := cost.CPUUnits * ns / (cost.CPUUnits*ns + float64(cost.Grill+cost.Rest))
	switch limit {
	case kitchen.LimitCores:
		fmt.Fprintf(&b, "; the cores bind: at %s of cooking per dish, %g core(s) serve at most %s dishes/s, so only more cores serve it faster",
			results.FormatNs(cost.CPUUnits*ns), a.pick.Capacity(a.Measured).Cores, results.FormatRate(terms[limit]))
	case kitchen.LimitGrills:
		fmt.Fprintf(&b, "; the %d grills bind (%s dishes/s at most), so more cooks or cores would not help", m.Grills, results.FormatRate(terms[limit]))
	case kitchen.LimitInProgress:
		fmt.Fprintf(&b, "; waiting binds (%.0f%% of a dish's time is waiting): what counts is how many dishes are in progress at once", 100*(1-cpuShare))
	}
	if a.RunnerUp != "" {
		r := byName[a.RunnerUp]
		fmt.Fprintf(&b, ". Runner-up %s reaches %s dishes/s (%.0f%% of it)", a.RunnerUp, results.FormatRate(r.Throughput.Center), 100*r.Throughput.Center/p.Throughput.Center)
		switch {
		case r.Throughput.Center < Within*p.Throughput.Center:
			b.WriteString(need(m, a.runnerUp, p.Throughput.Center, ns, a.Measured))
		case a.Meets[a.RunnerUp] && simpler(a.Pick, a.RunnerUp):
			// As fast, within Within, and meeting the SLO: simplicity
			// decided.
			b.WriteString(" but is less simple")
		}
		switch {
		case a.Unknown[a.RunnerUp]:
			fmt.Fprintf(&b, ", and is not known to meet the SLO (%s)", a.Why[a.RunnerUp])
		case !a.Meets[a.RunnerUp]:
			fmt.Fprintf(&b, ", and misses the SLO (%s)", a.Why[a.RunnerUp])
		}
	}
	if a.Cores > a.Measured {
		pb := kitchen.Bound(m, a.pick.Capacity(a.Cores), ns)
		fmt.Fprintf(&b, ". Measured at %d cores (this machine's CPUs); at %d cores the model bound for %s is %s dishes/s", a.Measured, a.Cores, a.Pick, results.FormatRate(pb))
	}
	b.WriteString(".")
	return b.String()
}

// need says what strategy s would need to match target dishes/s,
// according to the model bound.
func need(m *kitchen.Menu, s strategies.Strategy, target, nsPerUnit float64, cores int) string {
	limit, terms := kitchen.Binding(m, s.Capacity(cores), nsPerUnit)
	if terms[limit] >= target {
		return ""
	}
	factor := target / terms[limit]
	switch limit {
	case kitchen.LimitCores:
		if c := s.Capacity(cores).Cores; c < float64(cores) {
			return fmt.Sprintf(": it computes on %g core(s) whatever the machine has", c)
		}
		return fmt.Sprintf(": it would need %d cores to match", int(math.Ceil(factor*float64(cores))))
	case kitchen.LimitInProgress:
		return fmt.Sprintf(": it would need %.0f× more dishes in progress at once (more cooks) to match", factor)
	case kitchen.LimitGrills:
		return fmt.Sprintf(": it would need %.0f× more grills", factor)
	}
	return ""
}

var _ render.Subject = (*Advice)(nil)

// table is the advice's evidence: a row per strategy, in the registry's
// order, the pick marked; why a strategy misses the SLOs, or is not known
// to meet them, is listed below it (misses).
func (a *Advice) table() *render.Table {
	t := &render.Table{Header: []string{"strategy", "SLO", "dishes/s", "% of bound", "p50", "p99"}, Left: 2}
	for _, s := range a.sorted() {
		slo := "-"
		if len(a.SLOs) > 0 {
			switch {
			case a.Meets[s.Strategy]:
				slo = "meets"
			case a.Unknown[s.Strategy]:
				slo = "unknown"
			default:
				slo = "misses"
			}
		}
		switch {
		case s.Strategy == a.Pick && len(a.SLOs) == 0:
			slo = "← recommended"
		case s.Strategy == a.Pick:
			slo += " ← recommended"
		}
		t.Rows = append(t.Rows, []string{s.Strategy, slo, results.FormatRate(s.Throughput.Center), fmt.Sprintf("%.0f%%", s.PctOfBound()),
			LatencyText(s, "p50"), LatencyText(s, "p99")})
	}
	return t
}

// misses says, per strategy in the table's order, why it misses the SLOs.
func (a *Advice) misses() []string {
	var out []string
	for _, s := range a.sorted() {
		if why, ok := a.Why[s.Strategy]; ok {
			out = append(out, s.Strategy+": "+why)
		}
	}
	return out
}

// tables writes the menu, the evidence and the recommendation with its
// reason, as text or markdown.
func (a *Advice) tables(w io.Writer, format string) error {
	e := &render.ErrWriter{W: w}
	e.Printf("menu %s: %s\n\n", a.Menu.Name, a.Menu.About)
	if err := a.table().Write(e, format); err != nil {
		return err
	}
	if m := a.misses(); len(m) > 0 {
		e.Printf("\n")
		if err := render.List(e, format, "missing the SLO", m); err != nil {
			return err
		}
	}
	if a.Pick != "" {
		e.Printf("\nRecommendation: %s. %s\n", a.Pick, a.Reason())
	} else {
		e.Printf("\nNo recommendation: %s.\n", a.Reason())
	}
	return e.Err
}

// ToText writes the advice for a terminal.
func (a *Advice) ToText(w io.Writer) error { return a.tables(w, render.FormatText) }

// ToMarkdown writes the advice for a pull request or an issue.
func (a *Advice) ToMarkdown(w io.Writer) error { return a.tables(w, render.FormatMarkdown) }

// ToCSV writes the evidence alone, one record per strategy with raw
// numbers (latency in ns; a censored percentile is a lower bound).
func (a *Advice) ToCSV(w io.Writer) error {
	t := &render.Table{Header: []string{"strategy", "meets_slo", "recommended", "dishes_per_sec", "pct_of_bound", "p50_ns", "p99_ns", "p99_lower"}}
	for _, s := range a.sorted() {
		t.Rows = append(t.Rows, []string{s.Strategy, strconv.FormatBool(a.Meets[s.Strategy]), strconv.FormatBool(s.Strategy == a.Pick),
			render.CSVFloat(s.Throughput.Center), render.CSVFloat(s.PctOfBound()), render.CSVFloat(s.P50), render.CSVFloat(s.P99),
			strconv.FormatBool(s.IsLower("p99"))})
	}
	return t.CSV(w)
}

// jsonAdvice is ToJSON's document.
type jsonAdvice struct {
	Menu       string            `json:"menu"`
	Cores      int               `json:"cores"`
	Measured   int               `json:"measured_cores"`
	SLOs       []string          `json:"slos,omitempty"`
	Pick       string            `json:"pick,omitempty"`
	RunnerUp   string            `json:"runner_up,omitempty"`
	Reason     string            `json:"reason"`
	Meets      map[string]bool   `json:"meets"`
	Why        map[string]string `json:"why,omitempty"`
	Strategies []jsonRow         `json:"strategies"`
}

type jsonRow struct {
	Strategy   string  `json:"strategy"`
	DishesPerS float64 `json:"dishes_per_sec"`
	PctOfBound float64 `json:"pct_of_bound"`
	P50        string  `json:"p50"`
	P99        string  `json:"p99"`
}

// ToJSON writes the advice as one JSON document.
func (a *Advice) ToJSON(w io.Writer) error {
	d := jsonAdvice{Menu: a.Menu.Name, Cores: a.Cores, Measured: a.Measured, Pick: a.Pick, RunnerUp: a.RunnerUp,
		Reason: a.Reason(), Meets: a.Meets, Why: a.Why}
	for _, s := range a.SLOs {
		d.SLOs = append(d.SLOs, s.String())
	}
	for _, s := range a.sorted() {
		d.Strategies = append(d.Strategies, jsonRow{s.Strategy, s.Throughput.Center, s.PctOfBound(), LatencyText(s, "p50"), LatencyText(s, "p99")})
	}
	return render.JSON(w, d)
}

// sorted returns the rows in the registry's order of strategies.
func (a *Advice) sorted() []compare.CellSummary {
	rank := func(name string) int {
		if i := slices.Index(strategies.Names(), name); i >= 0 {
			return i
		}
		return len(strategies.Names())
	}
	rows := slices.Clone(a.Rows)
	slices.SortFunc(rows, func(x, y compare.CellSummary) int { return rank(x.Strategy) - rank(y.Strategy) })
	return rows
}
