package bench

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTallyClaims(t *testing.T) {
	c := Claim{Menu: "banquet", Cores: 2, Num: "pool", Den: "sync", Metric: "dishes/s", Min: 1.8}
	pass := ClaimResult{Claim: c, Pass: true, Ratio: 1.9, Rounds: 3}
	fail := ClaimResult{Claim: c, Ratio: 1.2, Rounds: 3}
	starved := ClaimResult{Claim: c, Ratio: 1.26, Rounds: 3, Starved: true}
	skipped := ClaimResult{Claim: c, Skipped: "needs 2 CPUs, this machine has 1"}

	all := TallyClaims([]ClaimResult{pass, pass})
	assert.NoError(t, all.Failure())
	assert.NoError(t, all.Unchecked())
	assert.Empty(t, all.Notes())

	mixed := TallyClaims([]ClaimResult{pass, fail, starved, skipped})
	assert.Equal(t, 4, mixed.Total)
	assert.Len(t, mixed.Failed, 1)
	assert.ErrorContains(t, mixed.Failure(), "1 of 4 claims failed: "+c.String())
	assert.ErrorContains(t, mixed.Unchecked(), "2 of 4 claims could not be checked here (1 skipped, 1 starved)")
	notes := mixed.Notes()
	if assert.Len(t, notes, 2) {
		assert.Contains(t, notes[0], "1 of 4 claims starved")
		assert.Contains(t, notes[1], "1 of 4 claims skipped, not checked")
	}
}
