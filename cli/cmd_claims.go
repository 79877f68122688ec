package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/render"
)

// claimsOptions are kitchen check --claims' flags.
type claimsOptions struct {
	rounds int
	format string // of the table
	// strict makes a claim that could not be checked here (skipped for
	// lack of CPUs, or starved of them throughout) fail the check, exit
	// 2: what CI uses, so that a runner too small or too busy to check a
	// claim never reads as one that passed.
	strict bool
}

// runClaims measures bench.Claims and prints them. A failed claim is an
// error (exit 1); a skipped or starved one is reported as such, and with
// o.strict is an error too (exit 2: the check is inconclusive).
func runClaims(ctx context.Context, stdout, stderr io.Writer, o claimsOptions) error {
	start := time.Now()
	res, err := bench.CheckClaims(ctx, bench.Claims, bench.ClaimOptions{
		Rounds:   o.rounds,
		Progress: func(msg string) { fmt.Fprintf(stderr, "kitchen: measuring %s\n", msg) },
	})
	if err != nil {
		return err
	}
	if err := render.Write(stdout, o.format, render.Claims(res)); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "kitchen: claims measured in %v\n", time.Since(start).Round(100*time.Millisecond))
	return claimsVerdict(stderr, res, o.strict)
}

// claimsVerdict turns the results into the command's outcome: failed
// claims exit 1; skipped and starved ones are named, and under strict
// exit 2.
func claimsVerdict(stderr io.Writer, res []bench.ClaimResult, strict bool) error {
	t := bench.TallyClaims(res)
	for _, note := range t.Notes() {
		fmt.Fprintln(stderr, "kitchen:", note)
	}
	if err := t.Failure(); err != nil {
		return err
	}
	if err := t.Unchecked(); strict && err != nil {
		return &exitError{code: 2, err: fmt.Errorf("--strict: %w", err)}
	}
	return nil
}
