package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

// MG1 is an M/G/1 FIFO queue: Poisson arrivals at Rate per second to one
// server whose service time is Service[i] with probability proportional
// to Weights[i]. It is what queueing theory predicts for an open loop
// served by one cook that takes orders first come, first served and never
// switches between them: an event loop on a menu of CPU steps alone, or
// sync (see MG1Of). Compare its figures with a run's to tell the kitchen's
// queueing from the harness's lateness.
type MG1 struct {
	Rate    float64         // arrivals per second, > 0
	Service []time.Duration // service time of each kind of order
	Weights []float64       // relative frequency of each, >= 0, not all 0
}

// MG1Of models menu m at rate orders per second when one work unit costs
// nsPerUnit: each dish's service time is its CPU work, plus its waits when
// withWaits (a cook that blocks through them: sync). Without withWaits a
// menu with waits has no M/G/1 model (a loop overlaps them) and MG1Of
// returns an error.
func MG1Of(m *kitchen.Menu, rate, nsPerUnit float64, withWaits bool) (MG1, error) {
	q := MG1{Rate: rate}
	for _, d := range m.Dishes {
		c := d.Cost()
		if !withWaits && c.Grill+c.Rest > 0 {
			return MG1{}, fmt.Errorf("bench: menu %q: dish %q waits, so one loop is no M/G/1 queue", m.Name, d.Name)
		}
		s := time.Duration(c.CPUUnits * nsPerUnit)
		if withWaits {
			s += c.Grill + c.Rest
		}
		q.Service = append(q.Service, s)
		q.Weights = append(q.Weights, d.Weight)
	}
	return q, q.check()
}

func (q MG1) check() error {
	if !(q.Rate > 0) || math.IsInf(q.Rate, 0) {
		return fmt.Errorf("bench: M/G/1 rate %v out of range (0, +Inf)", q.Rate)
	}
	if len(q.Service) == 0 || len(q.Service) != len(q.Weights) {
		return fmt.Errorf("bench: M/G/1 needs one weight per service time, got %d and %d", len(q.Service), len(q.Weights))
	}
	total := 0.0
	for i, w := range q.Weights {
		if w < 0 || math.IsNaN(w) || q.Service[i] < 0 {
			return fmt.Errorf("bench: M/G/1 order kind %d: weight %v, service %v; want both >= 0", i, w, q.Service[i])
		}
		total += w
	}
	if total <= 0 {
		return fmt.Errorf("bench: M/G/1 weights sum to %v; want > 0", total)
	}
	return nil
}

// Utilisation returns ρ = Rate × E[S], the share of time the server is busy.
func (q MG1) Utilisation() float64 {
	mean, _ := q.moments()
	return q.Rate * mean
}

// MeanWait returns the Pollaczek-Khinchine mean queueing delay,
// λE[S²] / 2(1-ρ), in seconds; +Inf when ρ >= 1.
func (q MG1) MeanWait() float64 {
	mean, sq := q.moments()
	rho := q.Rate * mean
	if rho >= 1 {
		return math.Inf(1)
	}
	return q.Rate * sq / (2 * (1 - rho))
}

// moments returns E[S] and E[S²] in seconds and seconds squared.
func (q MG1) moments() (mean, sq float64) {
	total := 0.0
	for i, w := range q.Weights {
		s := q.Service[i].Seconds()
		mean += w * s
		sq += w * s * s
		total += w
	}
	return mean / total, sq / total
}

// MG1Figures are an M/G/1 queue's predicted percentiles, in nanoseconds.
type MG1Figures struct {
	Utilisation   float64 // ρ
	IdleShare     float64 // share of orders that found the server idle
	QueueP50      float64 // queueing delay
	P50, P90, P99 float64 // latency: queueing delay plus service
	MeanWait      float64 // mean queueing delay of the simulated orders
}

// Simulate runs n orders through q by Lindley's recursion,
// W(k+1) = max(0, W(k) + S(k) - A(k+1)), with gaps A and service times S
// drawn from a generator seeded with seed, and returns the percentiles of
// queueing delay and latency. The same arguments give the same figures.
// A queue with ρ >= 1 grows without bound: the figures then depend on n.
func (q MG1) Simulate(n int, seed uint64) (MG1Figures, error) {
	if err := q.check(); err != nil {
		return MG1Figures{}, err
	}
	if n < 1 {
		return MG1Figures{}, fmt.Errorf("bench: M/G/1 simulation of %d orders; want >= 1", n)
	}
	cum := make([]float64, len(q.Weights))
	total := 0.0
	for i, w := range q.Weights {
		total += w
		cum[i] = total
	}
	rng := rand.New(rand.NewPCG(seed, 0x6d6731)) // "mg1"
	gap := float64(time.Second) / q.Rate
	wait := make([]int64, n)
	lat := make([]int64, n)
	idle := 0
	var w, sumWait float64 // ns
	for k := range n {
		if k > 0 {
			w = max(0, w-rng.ExpFloat64()*gap)
		}
		i, _ := slices.BinarySearch(cum, rng.Float64()*total)
		i = min(i, len(cum)-1)
		s := float64(q.Service[i])
		if w == 0 {
			idle++
		}
		wait[k], lat[k] = int64(w), int64(w+s)
		sumWait += w
		w += s // the next order's wait, before its gap
	}
	slices.Sort(wait)
	slices.Sort(lat)
	return MG1Figures{
		Utilisation: q.Utilisation(),
		IdleShare:   float64(idle) / float64(n),
		QueueP50:    float64(Percentile(wait, 50)),
		P50:         float64(Percentile(lat, 50)),
		P90:         float64(Percentile(lat, 90)),
		P99:         float64(Percentile(lat, 99)),
		MeanWait:    sumWait / float64(n),
	}, nil
}
