package bench

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
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

// Knee finds the highest rate in [lo, hi] for which ok holds, assuming ok
// holds below some rate and fails above it, to within relative tolerance
// tol (e.g. 0.05), by bisection on log(rate). It returns 0 when ok fails
// even at lo and hi when ok holds at hi, with every probe in order.
func Knee(ctx context.Context, lo, hi, tol float64, ok func(ctx context.Context, rate float64) (bool, error)) (float64, []Probe, error) {
	if !(lo > 0 && hi > lo && tol > 0) {
		return 0, nil, fmt.Errorf("bench: knee search needs 0 < lo < hi and tol > 0, got lo %v hi %v tol %v", lo, hi, tol)
	}
	var probes []Probe
	try := func(r float64) (bool, error) {
		good, err := ok(ctx, r)
		if err == nil {
			probes = append(probes, Probe{r, good})
		}
		return good, err
	}
	good, err := try(hi)
	if err != nil || good {
		return hi, probes, err
	}
	if good, err = try(lo); err != nil || !good {
		return 0, probes, err
	}
	for hi/lo > 1+tol {
		mid := math.Sqrt(lo * hi)
		good, err := try(mid)
		if err != nil {
			return lo, probes, err
		}
		if good {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo, probes, nil
}

// MeetsSLOs reports whether the latencies meet every SLO, and the first
// one they miss.
func MeetsSLOs(sorted []int64, slos []SLO) (bool, string) {
	if len(sorted) == 0 {
		return false, "no orders finished"
	}
	for _, s := range slos {
		if got := Percentile(sorted, s.Percentile); got > int64(s.Limit) {
			return false, fmt.Sprintf("%s: measured %v", s, time.Duration(got))
		}
	}
	return true, ""
}
