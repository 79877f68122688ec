package cli

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/internal/command"
)

func TestClaimsVerdict(t *testing.T) {
	c := bench.Claim{Menu: "banquet", Cores: 2, Num: "pool", Den: "sync", Metric: "dishes/s", Min: 1.8}
	pass := bench.ClaimResult{Claim: c, Pass: true, Ratio: 1.9, Rounds: 3}
	fail := bench.ClaimResult{Claim: c, Ratio: 1.2, Rounds: 3}
	starved := bench.ClaimResult{Claim: c, Ratio: 1.26, Rounds: 3, Starved: true, Retaken: 6}
	skipped := bench.ClaimResult{Claim: c, Skipped: "needs 2 CPUs, this machine has 1"}
	tests := []struct {
		name   string
		res    []bench.ClaimResult
		strict bool
		code   int // 0 none, else the exit code
		say    string
	}{
		{"all pass", []bench.ClaimResult{pass, pass}, true, 0, ""},
		{"a failure", []bench.ClaimResult{pass, fail}, false, 1, "1 of 2 claims failed"},
		{"starved is not failed", []bench.ClaimResult{pass, starved}, false, 0, "1 of 2 claims starved"},
		{"skipped is not a pass under --strict", []bench.ClaimResult{pass, skipped}, true, 2, "could not be checked here (1 skipped, 0 starved)"},
		{"starved under --strict", []bench.ClaimResult{pass, starved}, true, 2, "(0 skipped, 1 starved)"},
		{"skipped without --strict", []bench.ClaimResult{skipped}, false, 0, "1 of 1 claims skipped"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var w bytes.Buffer
			err := claimsVerdict(&w, tc.res, tc.strict)
			if tc.code == 0 {
				assert.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.Equal(t, tc.code, command.Status(context.Background(), &bytes.Buffer{}, "kitchen", err), "exit code")
			}
			all := w.String()
			if err != nil {
				all += err.Error()
			}
			assert.Contains(t, all, tc.say)
			var ee *command.ExitError
			if tc.code == 1 {
				assert.False(t, errors.As(err, &ee), "a failure is a plain error: exit 1")
			}
		})
	}
}

// Stopped before it measured anything, check --claims still prints every
// claim, each saying it was not measured, and returns why it stopped.
func TestClaimsStoppedShowWhatWasMeasured(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	err := runClaims(ctx, &out, &errOut, 1, "text", false)
	require.ErrorIs(t, err, context.Canceled)
	here := 0 // the claims this machine has the CPUs for; the others say so
	for _, c := range bench.Claims {
		if c.Cores <= runtime.NumCPU() {
			here++
		}
	}
	assert.Equal(t, here, strings.Count(out.String(), "not measured: the check was stopped first"), "a row per claim:\n%s", out.String())
}
