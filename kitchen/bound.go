package kitchen

import (
	"math"
	"time"
)

// Capacity is what a strategy brings to a kitchen at a given core count:
// how many cores can cook at once, and how many orders it can have in
// progress at once.
type Capacity struct {
	// Cores is how many CPU steps can run in parallel: 1 for one cook or
	// one event loop or a GIL, min(cooks, cores) for a pool.
	Cores float64
	// Cooks is how many orders can be in progress at once (cooking or
	// waiting); 0 means unlimited (an event loop parks any number).
	Cooks int
}

// Bound returns the analytic upper bound on throughput, in dishes per
// second, for menu m served with capacity c when one work unit costs
// nsPerUnit nanoseconds. With cpu, grill and rest the mean per-order demand
// (seconds), G grills, C customers and k = min(c.Cooks, C) orders in
// progress:
//
//	X ≤ min(c.Cores / cpu,  G / grill,  k / (cpu + grill + rest))
//
// the utilisation law for the cores and the grills, and Little's law for
// the orders in progress (each order takes at least cpu+grill+rest). Terms
// whose demand is zero impose no limit. Queueing makes real throughput
// lower; the bound says how close a strategy gets to its kitchen's limit.
// For sync (one cook, Cores 1, Cooks 1) it is 1/(cpu+grill+rest).
func Bound(m *Menu, c Capacity, nsPerUnit float64) float64 {
	l, terms := Binding(m, c, nsPerUnit)
	return terms[l]
}

// Limit names the resource that binds a bound.
type Limit string

const (
	LimitCores      Limit = "cores"       // CPU work: Cores / cpu
	LimitGrills     Limit = "grills"      // grills: G / grill
	LimitInProgress Limit = "in-progress" // orders in progress: min(cooks, customers) / cycle
)

// Binding returns which term of Bound is smallest for m under c, and the
// three terms (dishes/s; +Inf where a term imposes no limit).
func Binding(m *Menu, c Capacity, nsPerUnit float64) (Limit, map[Limit]float64) {
	cost := m.MeanCost()
	cpu := cost.CPUUnits * nsPerUnit / float64(time.Second)
	grill := cost.Grill.Seconds()
	cycle := cpu + grill + cost.Rest.Seconds()
	terms := map[Limit]float64{LimitCores: math.Inf(1), LimitGrills: math.Inf(1), LimitInProgress: math.Inf(1)}
	if cpu > 0 && c.Cores > 0 {
		terms[LimitCores] = c.Cores / cpu
	}
	if grill > 0 {
		terms[LimitGrills] = float64(m.Grills) / grill
	}
	inProgress := m.Customers
	if c.Cooks > 0 && c.Cooks < inProgress {
		inProgress = c.Cooks
	}
	if cycle > 0 {
		terms[LimitInProgress] = float64(inProgress) / cycle
	}
	best := LimitCores
	for _, l := range []Limit{LimitGrills, LimitInProgress} {
		if terms[l] < terms[best] {
			best = l
		}
	}
	return best, terms
}
