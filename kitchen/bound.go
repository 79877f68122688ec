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
	// ReadsOffCores says reads run on threads of their own (an event loop's
	// reader pool), not on the cores counted in Cores; false: the cook that
	// reads spends the read's time on its core.
	ReadsOffCores bool
}

// Costs are the calibrated prices of a menu's demand on this machine: what
// Bound needs besides the menu and the strategy's capacity.
type Costs struct {
	// NsPerUnit is one work unit's time (see Calibrate).
	NsPerUnit float64
	// CallRTT is the round trip of a call that holds for nothing and
	// answers nothing, to the grill service the run uses (loopback unless
	// --grill names another machine), measured at start.
	CallRTT time.Duration
	// ReadNsPerKiB is the time a pantry read takes per KiB read, measured
	// at start on the same pantry.
	ReadNsPerKiB float64
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
//
// Bound prices only CPU steps; BoundCosts also prices call and read steps.
func Bound(m *Menu, c Capacity, nsPerUnit float64) float64 {
	return BoundCosts(m, c, Costs{NsPerUnit: nsPerUnit})
}

// BoundCosts is Bound for menus with real I/O. A call holds one of the
// service's grills for its hold (the grills term) and keeps its order in
// progress for its hold plus one round trip, CallRTT (the in-progress
// term). A read takes ReadNsPerKiB per KiB: on the cook's core (the cores
// term) unless c.ReadsOffCores, and in the order's time in progress either
// way.
//
// Note: the grills term uses the hold alone, not hold + CallRTT: the
// service holds a grill only from the request's arrival to the reply, a
// part of the round trip, so counting the whole trip would make the bound
// lower than what a strategy can reach. The CPU the cook spends in send
// and receive system calls is not priced (it is in CallRTT's time in
// progress, not in the cores term), so at one core a call-heavy menu's
// bound is optimistic by that much.
func BoundCosts(m *Menu, c Capacity, costs Costs) float64 {
	l, terms := BindingCosts(m, c, costs)
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
	return BindingCosts(m, c, Costs{NsPerUnit: nsPerUnit})
}

// BindingCosts is Binding with call and read steps priced by costs.
func BindingCosts(m *Menu, c Capacity, costs Costs) (Limit, map[Limit]float64) {
	cost := m.MeanCost()
	cpu := cost.CPUUnits * costs.NsPerUnit / float64(time.Second)
	read := cost.ReadB / 1024 * costs.ReadNsPerKiB / float64(time.Second)
	grill := cost.Grill.Seconds() + cost.Hold.Seconds()
	cycle := cpu + grill + cost.Rest.Seconds() + cost.Calls*costs.CallRTT.Seconds() + read
	if !c.ReadsOffCores {
		cpu += read
	}
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
