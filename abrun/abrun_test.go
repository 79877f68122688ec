package abrun

import (
	"context"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/abtest"
	"github.com/kitchenbench/kitchenbench/results"
)

func TestRoundText(t *testing.T) {
	a := results.Cell{Menu: "banquet", Strategy: "sync", Cores: 1}
	b := results.Cell{Menu: "banquet", Strategy: "pool", Cores: 2}
	r := abtest.Round{
		Old: map[results.Cell]float64{a: 100, b: 200},
		New: map[results.Cell]float64{a: 90, b: 220},
	}
	assert.Equal(t, "  banquet/pool/2 new/old 1.100  banquet/sync/1 new/old 0.900", roundText(r), "cells in name order")
}

func TestRunRefusesARefThatIsNotACommit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skipf("no git: %v", err)
	}
	if _, err := runGit(context.Background(), "", "rev-parse", "--show-toplevel"); err != nil {
		t.Skipf("not in a git checkout: %v", err)
	}
	_, err := Run(context.Background(), Options{Ref: "no-such-ref-for-abrun", Pkg: "./cmd/kitchen", Rounds: 3})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `--against "no-such-ref-for-abrun": not a commit`)
}
