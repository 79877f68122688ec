package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/internal/command"
	"github.com/kitchenbench/kitchenbench/render"
)

// runClaims measures bench.Claims, prints them in format, and returns
// the outcome (claimsVerdict), or, when measuring stopped early (an
// interrupt), prints what was measured and returns why it stopped.
func runClaims(ctx context.Context, stdout, stderr io.Writer, rounds int, format string, strict bool) error {
	res, err := bench.CheckClaimsShown(ctx, stderr, rounds)
	if res == nil {
		return err
	}
	if err := render.Write(stdout, format, render.Claims(res)); err != nil {
		return err
	}
	if err != nil {
		return err // stopped early: the claims measured so far are shown
	}
	return claimsVerdict(stderr, res, strict)
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
		return &command.ExitError{Code: 2, Err: fmt.Errorf("--strict: %w", err)}
	}
	return nil
}
