package bench

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// SLO is a latency objective: the given percentile of order latency must
// not exceed Limit.
type SLO struct {
	Percentile float64 // e.g. 99 for p99
	Limit      time.Duration
}

func (s SLO) String() string {
	return "p" + strconv.FormatFloat(s.Percentile, 'f', -1, 64) + "=" + s.Limit.String()
}

// ParseSLOs parses a comma-separated list such as "p99=50ms" or
// "p50=5ms,p99.9=100ms".
func ParseSLOs(s string) ([]SLO, error) {
	var out []SLO
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok || !strings.HasPrefix(k, "p") {
			return nil, fmt.Errorf("SLO %q: want pNN=DURATION, e.g. p99=50ms", part)
		}
		p, err := strconv.ParseFloat(k[1:], 64)
		if err != nil || p <= 0 || p > 100 {
			return nil, fmt.Errorf("SLO %q: percentile %q out of range (0, 100]", part, k[1:])
		}
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("SLO %q: limit %q is not a positive duration", part, v)
		}
		out = append(out, SLO{Percentile: p, Limit: d})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("SLO %q: empty", s)
	}
	return out, nil
}

// Probe is one rate tried by Knee.
type Probe struct {
	Rate float64
	OK   bool
}

// KneeRepeats is how many times Knee measures a rate near the boundary,
// deciding by majority: one probe there is a coin flip between a knee
// biased by whichever way its one sample happened to fall.
const KneeRepeats = 3

// kneeNear is how close the bracket must be, hi/lo at most 1 + kneeNear ×
// tol, for Knee to repeat its probes: the last few bisection steps, where
// a probe's noise decides the answer.
const kneeNear = 4

// Knee finds the highest rate in [lo, hi] for which ok holds, assuming ok
// holds below some rate and fails above it, to within relative tolerance
// tol (e.g. 0.05), by bisection on log(rate). Near the boundary (the
// bracket within 1 + 4 × tol) each rate is probed KneeRepeats times and
// decided by majority. It returns 0 when ok fails even at lo and hi when
// ok holds at hi, with every probe in order.
func Knee(ctx context.Context, lo, hi, tol float64, ok func(ctx context.Context, rate float64) (bool, error)) (float64, []Probe, error) {
	if !(lo > 0 && hi > lo && tol > 0) {
		return 0, nil, fmt.Errorf("bench: knee search needs 0 < lo < hi and tol > 0, got lo %v hi %v tol %v", lo, hi, tol)
	}
	var probes []Probe
	try := func(r float64, times int) (bool, error) {
		yes := 0
		for i := 0; i < times; i++ {
			good, err := ok(ctx, r)
			if err != nil {
				return false, err
			}
			probes = append(probes, Probe{r, good})
			if good {
				yes++
			}
			if yes > times/2 || (i+1-yes) > times/2 {
				break // the majority is settled
			}
		}
		return yes > times/2, nil
	}
	good, err := try(hi, 1)
	if err != nil || good {
		return hi, probes, err
	}
	// lo is probed last, only if no rate above it met the objective: a
	// probe at the lowest rate is the slowest of all (its orders arrive
	// slowest), and usually needless.
	verified := false
	for hi/lo > 1+tol {
		mid := math.Sqrt(lo * hi)
		times := 1
		if hi/lo <= 1+kneeNear*tol {
			times = KneeRepeats
		}
		good, err := try(mid, times)
		if err != nil {
			return lo, probes, err
		}
		if good {
			lo, verified = mid, true
		} else {
			hi = mid
		}
	}
	if !verified {
		if good, err := try(lo, 1); err != nil || !good {
			return 0, probes, err
		}
	}
	return lo, probes, nil
}

// KneeOrders is how many orders a knee probe needs for percentile p: at
// least 1,000, and enough that ten orders lie beyond the percentile (10,000
// for a p99.9), so the percentile is not the probe's maximum. At most
// 100,000.
func KneeOrders(p float64) int {
	n := 1000.0
	if p < 100 {
		n = max(n, math.Ceil(math.Round(10/(1-p/100)*1e6)/1e6)) // 99.9 gives 10,000, not 10,001
	}
	return int(min(n, 100_000))
}

// MeetsSLOs reports whether the latencies meet every SLO, and the first
// one they miss.
func MeetsSLOs(sorted []int64, slos []SLO) (bool, string) {
	if len(sorted) == 0 {
		return false, "no orders finished"
	}
	for _, s := range slos {
		if got := Percentile(sorted, s.Percentile); got > int64(s.Limit) {
			what := "measured " + results.FormatNs(float64(got))
			if got == math.MaxInt64 {
				what = "a failed order"
			}
			return false, fmt.Sprintf("%s: %s", s, what)
		}
	}
	return true, ""
}

// SLOLatencies returns every order's latency, sorted, for MeetsSLOs: a
// failed order counts as infinitely late (it never met any objective), a
// censored one at the age it had reached (already beyond the grace
// period), so neither is left out of the objective.
func (r *Result) SLOLatencies() []int64 {
	lat := make([]int64, 0, len(r.Records))
	for _, rec := range r.Records {
		if rec.Outcome == strategies.Failed {
			lat = append(lat, math.MaxInt64)
		} else {
			lat = append(lat, rec.Latency)
		}
	}
	slices.Sort(lat)
	return lat
}
