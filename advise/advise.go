// Package advise recommends a concurrency strategy for a menu from
// measurements of every strategy serving it: Decide picks, among the
// strategies meeting the latency objectives, the simplest whose throughput
// is within 5% of the best, and names the fastest other one as runner-up;
// Reason words the choice from the figures (which resource binds, what the
// runner-up would need). Decide separates the choice from its wording so
// that each can be tested alone. An Advice is a render.Subject: package
// render writes it in every --format.
//
// The measurements come from package bench (bench.Measure) or a result
// file (package compare summarizes them); the model bounds from package
// kitchen. Advise does the whole job for a Request: it reads or measures
// the figures, then decides.
package advise

import (
	"fmt"
	"slices"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// Simplicity orders the strategies one would rather maintain, simplest
// first: the talk's order. gil is not in it: it is measured for reference,
// never recommended (it is CPython's constraint, not a choice).
var Simplicity = []string{"sync", "eventloop", "pool", "goroutines", "loops"}

// Within is how close to the best throughput a simpler strategy must come
// to be preferred: 0.95, within 5%.
const Within = 0.95

// Input is what Decide decides on.
type Input struct {
	Menu      *kitchen.Menu
	Rows      []compare.CellSummary // one per strategy, all at Measured cores
	SLOs      []bench.SLO
	NsPerUnit float64 // the work unit's cost the rows were measured with
	Cores     int     // the core count advised for
	Measured  int     // the core count measured: at most this machine's CPUs
}

// Advice is Decide's answer.
type Advice struct {
	Input
	Meets    map[string]bool   // strategy → meets every SLO (and served orders)
	Unknown  map[string]bool   // strategy → misses none it was measured on, but a lower bound below a limit leaves one open
	Why      map[string]string // strategy → why it misses an SLO, or why it is unknown
	Pick     string            // "" when no strategy met the SLOs
	RunnerUp string            // the fastest other strategy of Simplicity; "" when none

	pick, runnerUp strategies.Strategy
}

// Decide picks a strategy. It fails only when a strategy it would name is
// not registered.
func Decide(in Input) (*Advice, error) {
	a := &Advice{Input: in, Meets: map[string]bool{}, Unknown: map[string]bool{}, Why: map[string]string{}}
	byName := a.byName()
	for _, s := range in.Rows {
		var missed, open string // the first SLO measured above its limit; the first left open
		for _, slo := range in.SLOs {
			q := percentileName(slo.Percentile)
			switch {
			case s.Percentile(q) > float64(slo.Limit) && missed == "":
				missed = fmt.Sprintf("%s measured %s", slo, LatencyText(s, q))
			case s.Percentile(q) <= float64(slo.Limit) && s.IsLower(q) && open == "":
				// A lower bound below the limit says nothing: orders
				// still waiting when the window closed may lie above it.
				open = fmt.Sprintf("%s unknown: %s is a lower bound (orders still waiting when the window closed)", slo, LatencyText(s, q))
			}
		}
		switch {
		case missed != "":
			a.Why[s.Strategy] = missed
		case s.Served == 0:
			a.Why[s.Strategy] = "served no orders"
		case open != "":
			a.Why[s.Strategy] = open
			a.Unknown[s.Strategy] = true
		}
		a.Meets[s.Strategy] = s.Served > 0 && missed == "" && open == ""
	}
	best := 0.0
	for _, name := range Simplicity {
		if s, ok := byName[name]; ok && a.Meets[name] {
			best = max(best, s.Throughput.Center)
		}
	}
	for _, name := range Simplicity {
		if s, ok := byName[name]; ok && a.Meets[name] && s.Throughput.Center >= Within*best {
			a.Pick = name
			break
		}
	}
	if a.Pick == "" {
		return a, nil
	}
	for _, name := range Simplicity {
		if s, ok := byName[name]; ok && name != a.Pick && (a.RunnerUp == "" || s.Throughput.Center > byName[a.RunnerUp].Throughput.Center) {
			a.RunnerUp = name
		}
	}
	var err error
	if a.pick, err = strategies.New(a.Pick); err != nil {
		return nil, fmt.Errorf("advise: %w", err)
	}
	if a.RunnerUp != "" {
		if a.runnerUp, err = strategies.New(a.RunnerUp); err != nil {
			return nil, fmt.Errorf("advise: %w", err)
		}
	}
	return a, nil
}

func (a *Advice) byName() map[string]compare.CellSummary {
	m := map[string]compare.CellSummary{}
	for _, s := range a.Rows {
		m[s.Strategy] = s
	}
	return m
}

// simpler reports whether strategy x comes before y in Simplicity.
func simpler(x, y string) bool {
	i, j := slices.Index(Simplicity, x), slices.Index(Simplicity, y)
	return i >= 0 && (j < 0 || i < j)
}

// percentileName names the summary percentile (CellSummary.Percentile)
// an objective on percentile p is checked against.
func percentileName(p float64) string {
	switch {
	case p <= 50:
		return "p50"
	case p <= 90:
		return "p90"
	case p <= 99:
		return "p99"
	case p <= 99.9:
		return "p999"
	}
	return "max"
}

// LatencyText formats percentile q ("p50", "p90", "p99", "p999" or "max")
// of s, as "≥121ms" when it is only a lower bound (censored orders reach
// it).
func LatencyText(s compare.CellSummary, q string) string {
	v := results.FormatNs(s.Percentile(q))
	if s.IsLower(q) {
		return "≥" + v
	}
	return v
}
