package render

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/bench"
)

func TestClaimsSayStarvedSkippedAndFailed(t *testing.T) {
	c := bench.Claim{Menu: "banquet", Cores: 2, Num: "pool", Den: "sync", Metric: "dishes/s", Min: 1.8}
	res := Claims{
		{Claim: c, Pass: true, Ratio: 1.9, Rounds: 3},
		{Claim: c, Ratio: 1.2, Rounds: 3},
		{Claim: c, Ratio: 1.26, Rounds: 3, Starved: true, Retaken: 6},
		{Claim: c, Skipped: "needs 2 CPUs, this machine has 1"},
	}
	for _, format := range []string{FormatText, FormatMarkdown, FormatCSV} {
		var w bytes.Buffer
		require.NoError(t, Write(&w, format, res))
		assert.Contains(t, w.String(), "starved: inconclusive", format)
		assert.Contains(t, w.String(), "[6 starved rounds measured again]", format)
		assert.Contains(t, w.String(), "skipped: needs 2 CPUs", format)
		assert.Contains(t, w.String(), "FAIL", format)
	}
	var w bytes.Buffer
	require.NoError(t, Write(&w, FormatJSON, res))
	var back []bench.ClaimResult
	require.NoError(t, json.Unmarshal(w.Bytes(), &back))
	assert.Len(t, back, 4, "JSON: the results as measured")
}
