package bench

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// KneeSearch is how FindKnee probes a kitchen: the objectives, the core
// count the caller set (GOMAXPROCS), the shortest probe and the work
// unit's cost for the model bound.
type KneeSearch struct {
	SLOs      []SLO
	SLOText   string // the objectives as written, for results.Knee; "" joins SLOs
	Cores     int
	Probe     time.Duration // shortest schedule of a probe; longer where the SLO's percentile needs more orders
	NsPerUnit float64
	// Log, when set, is told each probe's rate and verdict ("meets the
	// SLO" or "misses: why").
	Log func(rate float64, verdict string)
}

// FindKnee finds the highest Poisson arrival rate at which s serving k
// meets every objective (Knee), bisecting between the model bound ×1.2
// and a twentieth of it to within 5%. A probe fails when an SLO
// percentile is exceeded (failed orders counting as infinitely late) or
// when the kitchen fell behind: orders left unserved, or completions
// lagging the schedule by more than the tightest limit. Latency counts
// from each order's scheduled arrival. It returns the knee, and the
// sample measured at it when one met the objectives there (nil when none
// did).
func FindKnee(ctx context.Context, k *kitchen.Kitchen, s strategies.Strategy, o KneeSearch) (results.Knee, *results.Sample, error) {
	var worst time.Duration
	orders := 0
	slo := []string{o.SLOText}
	if o.SLOText == "" {
		slo = nil
	}
	for _, x := range o.SLOs {
		worst = max(worst, x.Limit)
		orders = max(orders, KneeOrders(x.Percentile))
		if o.SLOText == "" {
			slo = append(slo, x.String())
		}
	}
	m := k.Menu
	bound := kitchen.Bound(m, s.Capacity(o.Cores), o.NsPerUnit)
	hi := 1.2 * bound
	lo := hi / 20
	passed := map[float64]results.Sample{} // the last probe that met the SLO at each rate
	seed := m.Seed
	probeAt := func(ctx context.Context, rate float64) (bool, error) {
		d := max(o.Probe, time.Duration(float64(orders)/rate*float64(time.Second)))
		seed++ // a repeated probe gets a schedule of its own
		res, err := RunOpen(ctx, k, s, OpenLoad{Rate: rate, Duration: d, Seed: seed, Grace: 2 * worst, Tolerance: worst})
		if err != nil {
			return false, err
		}
		ok, why := MeetsSLOs(res.SLOLatencies(), o.SLOs)
		if res.Behind && ok {
			ok, why = false, fmt.Sprintf("behind schedule (%d orders unserved, completions up to %v behind it)", res.Unfinished, res.Backlog.Round(time.Microsecond))
		}
		if o.Log != nil {
			verdict := "meets the SLO"
			if !ok {
				verdict = "misses: " + why
			}
			o.Log(rate, verdict)
		}
		if ok {
			passed[rate] = OpenSampleOf(k, res, d, o.Cores, o.NsPerUnit)
		}
		return ok, nil
	}
	rate, probes, err := Knee(ctx, lo, hi, 0.05, probeAt)
	if err != nil {
		return results.Knee{}, nil, err
	}
	kn := results.Knee{Menu: m.Name, Strategy: s.Name(), Cores: o.Cores, SLO: strings.Join(slo, ","), Rate: rate,
		Lowest: lo, Highest: hi, Bound: bound, Probes: len(probes)}
	if best, ok := passed[rate]; ok && rate > 0 {
		return kn, &best, nil
	}
	return kn, nil, nil
}

// FindKnees finds the knee (FindKnee) of every strategy named in names
// on every menu, at o.Cores (GOMAXPROCS, set for the search and restored
// after), and returns them in a result file with the samples measured at
// each knee. When o.NsPerUnit is 0 it calibrates first. Each probe is
// logged to log, when not nil, as "kitchen: menu/strategy at rate/s:
// verdict"; o.Log is not used. A file where no strategy met the SLO has
// no samples and is marked partial.
func FindKnees(ctx context.Context, menus []*kitchen.Menu, names []string, o KneeSearch, log io.Writer) (*results.File, error) {
	prev := runtime.GOMAXPROCS(o.Cores)
	defer runtime.GOMAXPROCS(prev)
	if o.NsPerUnit == 0 {
		o.NsPerUnit = Calibrate().NsPerUnit
	}
	f := &results.File{Schema: results.SchemaVersion, Machine: ThisMachine(ctx, false),
		Config: results.Config{Strategies: names, Cores: []int{o.Cores}, Arrival: string(Poisson), Duration: o.Probe}}
	f.Machine.NsPerUnit, f.Machine.GOMAXPROCS = o.NsPerUnit, []int{o.Cores}
	for _, m := range menus {
		k, err := kitchen.New(m)
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			s, err := strategies.New(name)
			if err != nil {
				return nil, err
			}
			o.Log = nil
			if log != nil {
				o.Log = func(rate float64, verdict string) {
					fmt.Fprintf(log, "kitchen: %s/%s at %s/s: %s\n", m.Name, name, results.FormatRate(rate), verdict)
				}
			}
			kn, at, err := FindKnee(ctx, k, s, o)
			if err != nil {
				return nil, err
			}
			f.Knees = append(f.Knees, kn)
			if at != nil {
				f.Samples = append(f.Samples, *at)
			}
		}
	}
	f.Partial = len(f.Samples) == 0 // no strategy met the SLO: nothing was sampled at a knee
	return f, nil
}
