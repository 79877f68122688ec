package advise

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// Reason words the advice from its figures: what the pick serves, which
// resource binds it, how the runner-up compares and what it would need,
// and the model bound at the advised core count when it exceeds the
// measured one.
func (a *Advice) Reason() string {
	if a.Pick == "" {
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
		if !a.Meets[a.RunnerUp] {
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

// WriteText writes the advice as a table of the strategies, in the
// registry's order, then the recommendation and its reason.
func WriteText(w io.Writer, a *Advice) error {
	m := a.Menu
	fmt.Fprintf(w, "menu %s: %s\n\n", m.Name, m.About)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "strategy\tdishes/s\t% of bound\tp50\tp99\tSLO")
	for _, s := range a.sorted() {
		slo := "-"
		if len(a.SLOs) > 0 {
			slo = "meets"
			if !a.Meets[s.Strategy] {
				slo = "misses: " + a.Why[s.Strategy]
			}
		}
		mark := ""
		if s.Strategy == a.Pick {
			mark = "  ← recommended"
		}
		fmt.Fprintf(tw, "%s\t%s\t%.0f%%\t%s\t%s\t%s%s\n", s.Strategy, results.FormatRate(s.Throughput.Center), s.PctOfBound(),
			LatencyText(s, "p50"), LatencyText(s, "p99"), slo, mark)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var err error
	if a.Pick != "" {
		_, err = fmt.Fprintf(w, "\nRecommendation: %s. %s\n", a.Pick, a.Reason())
	} else {
		_, err = fmt.Fprintf(w, "\nNo recommendation: %s.\n", a.Reason())
	}
	return err
}

// jsonAdvice is WriteJSON's document.
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

// WriteJSON writes the advice as one JSON document.
func WriteJSON(w io.Writer, a *Advice) error {
	d := jsonAdvice{Menu: a.Menu.Name, Cores: a.Cores, Measured: a.Measured, Pick: a.Pick, RunnerUp: a.RunnerUp,
		Reason: a.Reason(), Meets: a.Meets, Why: a.Why}
	for _, s := range a.SLOs {
		d.SLOs = append(d.SLOs, s.String())
	}
	for _, s := range a.sorted() {
		d.Strategies = append(d.Strategies, jsonRow{s.Strategy, s.Throughput.Center, s.PctOfBound(), LatencyText(s, "p50"), LatencyText(s, "p99")})
	}
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(d)
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
