package bench

import (
	"math"
	"slices"
	"time"

	"github.com/kitchenbench/kitchenbench/strategies"
)

// Latencies summarises the latency of served orders, in nanoseconds, by
// exact order statistics (Percentile's rank rule), with censored orders at
// the age they had reached.
type Latencies struct {
	N                        int
	P50, P90, P99, P999, Max int64
	QueueP50, ServiceP50     int64
	// Censored orders are among the N, at their age when the window
	// closed; CensoredMin is the youngest of them (0 when none). A
	// percentile >= CensoredMin may be a censored order's lower bound.
	Censored    int
	CensoredMin int64
}

// Lower names the percentiles of l that are only lower bounds: those at
// or above the youngest censored order's age, since every order at or
// above that rank may be censored, and a censored order's true latency
// is higher than its age. nil when nothing was censored.
func (l Latencies) Lower() []string {
	if l.Censored == 0 {
		return nil
	}
	var out []string
	for _, q := range []struct {
		name string
		v    int64
	}{{"p50", l.P50}, {"p90", l.P90}, {"p99", l.P99}, {"p999", l.P999}, {"max", l.Max}} {
		if q.v >= l.CensoredMin {
			out = append(out, q.name)
		}
	}
	return out
}

// Throughput returns served dishes per second.
func (r *Result) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Served) / r.Elapsed.Seconds()
}

// Latencies summarises the latency of the orders of the dish with index
// dish, or of all dishes when dish < 0: served orders, and orders still
// unfinished when the run ended at the latency they had reached by then (a
// lower bound: leaving them out would hide the slowest orders). Failed
// orders are left out.
func (r *Result) Latencies(dish int) Latencies {
	lat := r.Sorted(dish)
	if len(lat) == 0 {
		return Latencies{}
	}
	queue := make([]int64, 0, len(r.Records))
	service := make([]int64, 0, len(r.Records))
	censored, youngest := 0, int64(0)
	for _, rec := range r.Records {
		if rec.Outcome == strategies.Failed || (dish >= 0 && int(rec.Dish) != dish) {
			continue
		}
		queue = append(queue, rec.Queue)
		service = append(service, rec.Latency-rec.Queue)
		if rec.Censored {
			if censored == 0 || rec.Latency < youngest {
				youngest = rec.Latency
			}
			censored++
		}
	}
	slices.Sort(queue)
	slices.Sort(service)
	return Latencies{
		Censored:    censored,
		CensoredMin: youngest,
		N:           len(lat),
		P50:         Percentile(lat, 50),
		P90:         Percentile(lat, 90),
		P99:         Percentile(lat, 99),
		P999:        Percentile(lat, 99.9),
		Max:         lat[len(lat)-1],
		QueueP50:    Percentile(queue, 50),
		ServiceP50:  Percentile(service, 50),
	}
}

// Sorted returns the latencies Latencies summarises, sorted.
func (r *Result) Sorted(dish int) []int64 {
	lat := make([]int64, 0, len(r.Records))
	for _, rec := range r.Records {
		if rec.Outcome != strategies.Failed && (dish < 0 || int(rec.Dish) == dish) {
			lat = append(lat, rec.Latency)
		}
	}
	slices.Sort(lat)
	return lat
}

// Percentile returns the p-th percentile (0 < p <= 100) of sorted by the
// nearest-rank rule of stats.Rank, the one percentile rule of this
// module (results.Histogram.Quantile uses it too): the value of rank
// ceil(p/100 × n), at least 1 and at most n. For 170 orders the p99 is the
// 169th. It returns 0 for an empty slice.
func Percentile(sorted []int64, p float64) int64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[percentileRank(p, len(sorted))-1]
}

// percentileRank is stats.Rank's rule: p/100 × n rounded to 9 decimals
// (so that 99.9% of 1000 is rank 999 despite floating point), then the
// ceiling, in [1, n].
func percentileRank(p float64, n int) int {
	x := math.Round(p/100*float64(n)*1e9) / 1e9
	return min(max(int(math.Ceil(x)), 1), n)
}

// String formats l for logs.
func (l Latencies) String() string {
	return "p50 " + time.Duration(l.P50).String() + " p99 " + time.Duration(l.P99).String()
}
