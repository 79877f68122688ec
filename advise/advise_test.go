package advise

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/results"
)

var p99Within50ms = []bench.SLO{{Percentile: 99, Limit: 50 * time.Millisecond}}

func cell(m *kitchen.Menu, strategy string, rate, p99 float64, lower ...string) compare.CellSummary {
	return compare.CellSummary{Cell: results.Cell{Menu: m.Name, Strategy: strategy, Cores: 1},
		Throughput: compare.Estimate{Center: rate}, P50: p99 / 2, P99: p99, Served: 100, Lower: lower}
}

func menu(t *testing.T, name string) *kitchen.Menu {
	t.Helper()
	m, ok := kitchen.Lookup(name)
	require.True(t, ok, name)
	return m
}

// Decide never reads a censored percentile as met: a lower bound below
// the limit says nothing about the true value.
func TestDecideTreatsACensoredPercentileAsUnknown(t *testing.T) {
	m := menu(t, "dinner-rush")
	in := Input{Menu: m, SLOs: p99Within50ms, NsPerUnit: 1000, Cores: 1, Measured: 1, Rows: []compare.CellSummary{
		cell(m, "sync", 1000, float64(10*time.Millisecond), "p99", "p999", "max"),
		cell(m, "eventloop", 1000, float64(20*time.Millisecond)),
	}}
	a, err := Decide(in)
	require.NoError(t, err)
	assert.False(t, a.Meets["sync"], "sync's p99 is only a lower bound")
	assert.Contains(t, a.Why["sync"], "unknown: ≥10.0ms is a lower bound")
	assert.True(t, a.Meets["eventloop"])
	assert.Equal(t, "eventloop", a.Pick)

	var w bytes.Buffer
	require.NoError(t, a.ToText(&w))
	assert.Regexp(t, `sync +\| unknown +\|.*\| ≥10\.0ms \|`, w.String(), "the table shows the bound as such")
	assert.Contains(t, w.String(), "  - sync: p99=50ms unknown: ≥10.0ms is a lower bound")
	assert.Contains(t, w.String(), "and is not known to meet the SLO (p99=50ms unknown")
	assert.True(t, a.Unknown["sync"])
	assert.False(t, a.Unknown["eventloop"])
}

// A strategy that misses one SLO outright misses, whatever another SLO's
// censored percentile leaves open; when every strategy is either, the
// advice says which are unknown and what would tell.
func TestDecideMissBeatsUnknown(t *testing.T) {
	m := menu(t, "dinner-rush")
	slos, err := bench.ParseSLOs("p50=5ms,p99=50ms")
	require.NoError(t, err)
	in := Input{Menu: m, SLOs: slos, NsPerUnit: 1000, Cores: 1, Measured: 1, Rows: []compare.CellSummary{
		cell(m, "sync", 1000, float64(12*time.Millisecond), "p99", "p999", "max"),     // p50 6ms > 5ms; p99 left open
		cell(m, "eventloop", 1000, float64(8*time.Millisecond), "p99", "p999", "max"), // p50 4ms; p99 left open
	}}
	a, err := Decide(in)
	require.NoError(t, err)
	assert.Equal(t, "", a.Pick)
	assert.False(t, a.Unknown["sync"], "sync misses p50 outright")
	assert.Contains(t, a.Why["sync"], "p50=5ms measured")
	assert.True(t, a.Unknown["eventloop"])
	assert.Equal(t, "no strategy is known to meet the SLO here: 1 have a percentile that is only a lower bound, as orders were still waiting when the window closed; windows long enough that fewer of them are cut off (--duration) would tell", a.Reason())
}

// The runner-up is said to be "less simple" only when it is: a faster but
// simpler runner-up lost on the SLO, and the reason says so instead. (The
// old test `runnerUp != pick` was always true, so every runner-up within
// 5% was called less simple, sync included.)
func TestReasonRunnerUp(t *testing.T) {
	m := menu(t, "dinner-rush")
	slow, fast := float64(10*time.Millisecond), float64(90*time.Millisecond)
	tests := []struct {
		name         string
		rows         []compare.CellSummary
		pick, runner string
		want, not    []string
	}{
		{
			name: "simpler runner-up misses the SLO",
			rows: []compare.CellSummary{cell(m, "sync", 1050, fast), cell(m, "eventloop", 1000, slow)},
			pick: "eventloop", runner: "sync",
			want: []string{"Runner-up sync", "misses the SLO (p99=50ms measured 90.0ms)"},
			not:  []string{"less simple"},
		},
		{
			name: "less simple runner-up as fast",
			rows: []compare.CellSummary{cell(m, "sync", 1000, slow), cell(m, "pool", 1020, slow)},
			pick: "sync", runner: "pool",
			want: []string{"Runner-up pool", "but is less simple"},
			not:  []string{"misses"},
		},
		{
			name: "slower runner-up",
			rows: []compare.CellSummary{cell(m, "sync", 500, slow), cell(m, "pool", 1000, slow)},
			pick: "pool", runner: "sync",
			want: []string{"Runner-up sync reaches 500 dishes/s (50% of it)"},
			not:  []string{"less simple", "misses"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Decide(Input{Menu: m, Rows: tc.rows, SLOs: p99Within50ms, NsPerUnit: 1000, Cores: 1, Measured: 1})
			require.NoError(t, err)
			assert.Equal(t, tc.pick, a.Pick)
			assert.Equal(t, tc.runner, a.RunnerUp)
			r := a.Reason()
			for _, w := range tc.want {
				assert.Contains(t, r, w)
			}
			for _, n := range tc.not {
				assert.NotContains(t, r, n)
			}
		})
	}
}

func TestNoPick(t *testing.T) {
	m := menu(t, "dinner-rush")
	a, err := Decide(Input{Menu: m, SLOs: p99Within50ms, NsPerUnit: 1000, Cores: 1, Measured: 1,
		Rows: []compare.CellSummary{cell(m, "sync", 1000, float64(time.Second))}})
	require.NoError(t, err)
	assert.Empty(t, a.Pick)
	var w bytes.Buffer
	require.NoError(t, a.ToText(&w))
	assert.Contains(t, w.String(), "No recommendation: no strategy met the SLO here")
}

func TestToJSON(t *testing.T) {
	m := menu(t, "dinner-rush")
	a, err := Decide(Input{Menu: m, SLOs: p99Within50ms, NsPerUnit: 1000, Cores: 1, Measured: 1,
		Rows: []compare.CellSummary{cell(m, "pool", 900, float64(time.Millisecond)), cell(m, "sync", 1000, float64(time.Millisecond))}})
	require.NoError(t, err)
	var w bytes.Buffer
	require.NoError(t, a.ToJSON(&w))
	var got struct {
		Pick       string `json:"pick"`
		Strategies []struct {
			Strategy string `json:"strategy"`
		} `json:"strategies"`
	}
	require.NoError(t, json.Unmarshal(w.Bytes(), &got))
	assert.Equal(t, "sync", got.Pick)
	require.Len(t, got.Strategies, 2)
	assert.Equal(t, "sync", got.Strategies[0].Strategy, "rows in the registry's order")
}

// A strategy that served nothing misses, and is never counted unknown,
// whatever its (empty) percentiles say.
func TestDecideServedNothingMisses(t *testing.T) {
	m := menu(t, "dinner-rush")
	none := cell(m, "sync", 0, float64(10*time.Millisecond), "p99", "p999", "max")
	none.Served = 0
	in := Input{Menu: m, SLOs: p99Within50ms, NsPerUnit: 1000, Cores: 1, Measured: 1, Rows: []compare.CellSummary{
		none, cell(m, "eventloop", 1000, float64(80*time.Millisecond)),
	}}
	a, err := Decide(in)
	require.NoError(t, err)
	assert.False(t, a.Meets["sync"])
	assert.Empty(t, a.Unknown, "nothing served is not unknown")
	assert.Equal(t, "served no orders", a.Why["sync"])
	assert.Equal(t, "no strategy met the SLO here; the table shows how far each is from it", a.Reason())
}
