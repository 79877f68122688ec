package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/kitchenbench/kitchenbench/bench"
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
		switch {
		case r.Min > 0 && r.Max > 0:
			th = fmt.Sprintf("%g×–%g×", r.Min, r.Max)
		case r.Max > 0:
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
