package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/results"
)

// checkClaims measures bench.Claims and prints them; a failed claim is an
// error (exit 1).
func checkClaims(ctx context.Context, stdout, stderr io.Writer, rounds int) error {
	start := time.Now()
	res, err := bench.CheckClaims(ctx, bench.Claims, bench.ClaimOptions{
		Rounds:   rounds,
		Progress: func(msg string) { fmt.Fprintf(stderr, "kitchen: measuring %s\n", msg) },
	})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "claim\tmeasured\tthreshold\tresult\ttakeaway")
	failed := 0
	for _, r := range res {
		verdict := "pass"
		switch {
		case r.Skipped != "":
			verdict = "skipped: " + r.Skipped
		case !r.Pass:
			verdict = "FAIL"
			failed++
		case r.Tries > 1:
			verdict = "pass (on the second try)"
		}
		th := fmt.Sprintf("≥ %g×", r.Min)
		if r.Max > 0 {
			th = fmt.Sprintf("≤ %g×", r.Max)
		}
		measured := "-"
		if r.Skipped == "" {
			measured = fmt.Sprintf("%.2f× (%s vs %s)", r.Ratio, figure(r.Claim, r.NumValue), figure(r.Claim, r.DenValue))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Claim, measured, th, verdict, r.Talk)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "kitchen: claims measured in %v\n", time.Since(start).Round(100*time.Millisecond))
	if failed > 0 {
		return fmt.Errorf("%d of %d claims failed", failed, len(res))
	}
	return nil
}

func figure(c bench.Claim, v float64) string {
	if c.Metric == "dishes/s" {
		return results.FormatRate(v) + " dishes/s"
	}
	return results.FormatNs(v)
}

// freshRun measures the baseline's cells again on this machine.
func freshRun(ctx context.Context, stderr io.Writer, base *results.File, count int) (*results.File, error) {
	o := &runOptions{count: count, duration: base.Config.Duration, format: "text", out: "-"}
	if o.duration <= 0 {
		o.duration = 150 * time.Millisecond
	}
	for _, s := range base.Samples {
		if !slices.Contains(o.strategies, s.Strategy) {
			o.strategies = append(o.strategies, s.Strategy)
		}
		if !slices.Contains(o.cores, s.Cores) {
			o.cores = append(o.cores, s.Cores)
		}
		if slices.ContainsFunc(o.menus, func(m *kitchen.Menu) bool { return m.Name == s.Menu }) {
			continue
		}
		m, ok := kitchen.Lookup(s.Menu)
		if raw, found := base.Config.Menus[s.Menu]; found {
			var fm kitchen.Menu
			if err := json.Unmarshal(raw, &fm); err == nil && fm.Validate() == nil {
				m, ok = &fm, true
			}
		}
		if !ok {
			return nil, inputError(fmt.Errorf("%s: menu %q is neither built in nor defined in the file", base.Path, s.Menu))
		}
		o.menus = append(o.menus, m)
	}
	if _, err := pickStrategies(joinStrings(o.strategies)); err != nil {
		return nil, inputError(fmt.Errorf("%s: %w", base.Path, err))
	}
	slices.Sort(o.cores)
	if base.Config.Arrival != "" && base.Config.Arrival != "closed" {
		o.arrivals = bench.Arrivals(base.Config.Arrival)
		o.rate = base.Config.Rate
	}
	fmt.Fprintf(stderr, "kitchen: no --current: measuring the baseline's %d menus × %d strategies × %d core counts afresh\n",
		len(o.menus), len(o.strategies), len(o.cores))
	return measure(ctx, stderr, o)
}

func joinStrings(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ","
		}
		out += x
	}
	return out
}
