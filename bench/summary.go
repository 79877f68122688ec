package bench

import (
	"math"
	"slices"
	"time"

	"github.com/kitchenbench/kitchenbench/strategies"
)

// Latencies summarises the latency of served orders, in nanoseconds, by
// exact order statistics (nearest rank).
type Latencies struct {
	N                        int
	P50, P90, P99, P999, Max int64
	QueueP50, ServiceP50     int64
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
	for _, rec := range r.Records {
		if rec.Outcome == strategies.Failed || (dish >= 0 && int(rec.Dish) != dish) {
			continue
		}
		queue = append(queue, rec.Queue)
		service = append(service, rec.Latency-rec.Queue)
	}
	slices.Sort(queue)
	slices.Sort(service)
	return Latencies{
		N:          len(lat),
		P50:        Percentile(lat, 50),
		P90:        Percentile(lat, 90),
		P99:        Percentile(lat, 99),
		P999:       Percentile(lat, 99.9),
		Max:        lat[len(lat)-1],
		QueueP50:   Percentile(queue, 50),
		ServiceP50: Percentile(service, 50),
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
// nearest-rank method: the smallest value with at least p% of the values
// at or below it. It returns 0 for an empty slice.
func Percentile(sorted []int64, p float64) int64 {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// String formats l for logs.
func (l Latencies) String() string {
	return "p50 " + time.Duration(l.P50).String() + " p99 " + time.Duration(l.P99).String()
}
