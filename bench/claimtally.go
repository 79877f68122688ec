package bench

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// ClaimTally sorts claim results by outcome: the claims that failed,
// that were skipped here and that starved of CPU, by name, of Total.
type ClaimTally struct {
	Failed, Skipped, Starved []string
	Total                    int
}

// TallyClaims sorts res by outcome (ClaimResult.Verdict).
func TallyClaims(res []ClaimResult) ClaimTally {
	t := ClaimTally{Total: len(res)}
	for _, r := range res {
		switch r.Verdict() {
		case "FAIL":
			t.Failed = append(t.Failed, r.Claim.String())
		case "skipped":
			t.Skipped = append(t.Skipped, r.Claim.String())
		case "starved":
			t.Starved = append(t.Starved, r.Claim.String())
		}
	}
	return t
}

// Notes says what a reader must know of the claims not checked: those
// starved (to measure on a quieter machine) and those skipped.
func (t ClaimTally) Notes() []string {
	var out []string
	if len(t.Starved) > 0 {
		out = append(out, fmt.Sprintf("%d of %d claims starved: the process received markedly fewer cores than the strategies keep busy while other work ran (%s); measure them on a quieter machine",
			len(t.Starved), t.Total, strings.Join(t.Starved, "; ")))
	}
	if len(t.Skipped) > 0 {
		out = append(out, fmt.Sprintf("%d of %d claims skipped, not checked (%s)", len(t.Skipped), t.Total, strings.Join(t.Skipped, "; ")))
	}
	return out
}

// Failure is an error naming the failed claims; nil when none failed.
func (t ClaimTally) Failure() error {
	if len(t.Failed) == 0 {
		return nil
	}
	return fmt.Errorf("%d of %d claims failed: %s", len(t.Failed), t.Total, strings.Join(t.Failed, "; "))
}

// Unchecked is an error counting the claims skipped or starved here:
// not checked, which is not a pass; nil when every claim was checked.
func (t ClaimTally) Unchecked() error {
	if n := len(t.Skipped) + len(t.Starved); n > 0 {
		return fmt.Errorf("%d of %d claims could not be checked here (%d skipped, %d starved): inconclusive, not a pass",
			n, t.Total, len(t.Skipped), len(t.Starved))
	}
	return nil
}

// CheckClaimsShown is CheckClaims of the talk's Claims in rounds rounds,
// with what it measures logged to w as it goes, one "kitchen: measuring
// …" line each, and the time it took at the end. Like CheckClaims, it
// returns the results so far with an error.
func CheckClaimsShown(ctx context.Context, w io.Writer, rounds int) ([]ClaimResult, error) {
	start := time.Now()
	res, err := CheckClaims(ctx, Claims, ClaimOptions{
		Rounds:   rounds,
		Progress: func(msg string) { fmt.Fprintf(w, "kitchen: measuring %s\n", msg) },
	})
	if err != nil {
		return res, err
	}
	fmt.Fprintf(w, "kitchen: claims measured in %v\n", time.Since(start).Round(100*time.Millisecond))
	return res, nil
}
