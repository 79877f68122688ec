package compare

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/results"
)

// notesWith returns the gate's notes for base against cur.
func notesWith(t *testing.T, base, cur *results.File) []string {
	t.Helper()
	v, err := Check(base, cur, 0.05)
	require.NoError(t, err, "Check")
	return v.Notes
}

func hasNote(notes []string, part string) bool {
	for _, n := range notes {
		if strings.Contains(n, part) {
			return true
		}
	}
	return false
}

func TestGateNotesCellsInOneFileOnly(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	base, cur := gateFile("base", 6, rng, nil), gateFile("cur", 6, rng, nil)
	onlyIn := func(f *results.File, menu string) *results.File {
		g := *f
		g.Samples = nil
		for _, s := range f.Samples {
			if s.Menu != menu {
				g.Samples = append(g.Samples, s)
			}
		}
		return &g
	}
	notes := notesWith(t, base, onlyIn(cur, "banquet"))
	assert.True(t, hasNote(notes, "12 cells of base are not in cur"), "banquet's 12 cells missing from the current file: %q", notes)
	assert.False(t, hasNote(notes, "cells of cur are not in base"), "%q", notes)
	notes = notesWith(t, onlyIn(base, "banquet"), cur)
	assert.True(t, hasNote(notes, "12 cells of cur are not in base"), "%q", notes)
	assert.False(t, hasNote(notes, "cells of base are not in cur"), "%q", notes)
	assert.False(t, hasNote(notesWith(t, base, cur), "not checked"), "every cell in both")
}

func TestGateNotesPartialFilesAndStarvedSamples(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	base, cur := gateFile("base", 6, rng, nil), gateFile("cur", 6, rng, nil)
	cur.Partial = true
	cur.Samples[0].Starved = true
	cur.Samples[1].Starved = true
	notes := notesWith(t, base, cur)
	assert.True(t, hasNote(notes, "cur is partial"), "%q", notes)
	assert.False(t, hasNote(notes, "base is partial"), "%q", notes)
	assert.True(t, hasNote(notes, "2 starved samples of cur"), "%q", notes)
	assert.False(t, hasNote(notes, "starved samples of base"), "none in the baseline: %q", notes)
}

func TestGateLatencyWatch(t *testing.T) {
	base, cur := twinFiles(6, 5) // the same samples until changed below
	slow := results.Cell{Menu: "banquet", Strategy: "pool", Cores: 2}
	censored := results.Cell{Menu: "dinner-rush", Strategy: "sync", Cores: 1}
	for i := range cur.Samples {
		s := &cur.Samples[i]
		switch s.Cell() {
		case slow:
			s.Latency.P99 *= 2 // p99 doubled, dishes/s unchanged
		case censored:
			s.Latency.P99 *= 3
			s.Latency.Lower = []string{"p99"}
		}
	}
	notes := notesWith(t, base, cur)
	require.True(t, hasNote(notes, "latency watch (not gated): pooled p99 rose beyond 5%"), "%q", notes)
	for _, n := range notes {
		if strings.HasPrefix(n, "latency watch (not gated)") {
			assert.Contains(t, n, "banquet/pool/2", "the cell whose p99 doubled")
			assert.NotContains(t, n, "dinner-rush/sync/1", "a censored p99 is never compared")
			assert.Equal(t, 1, strings.Count(n, "→"), "only that cell: %q", n)
		}
	}
	assert.True(t, hasNote(notes, "latency watch: 1 cells have a censored p99"), "%q", notes)
	assert.False(t, hasNote(notesWith(t, base, base), "latency watch"), "no change, no watch")
}

func TestSortFindingsOrdersByCellThenMetric(t *testing.T) {
	f := func(menu, strategy string, cores int, metric string) Finding {
		return Finding{Cell: results.Cell{Menu: menu, Strategy: strategy, Cores: cores}, Metric: metric}
	}
	got := []Finding{
		f("dinner-rush", "sync", 1, "b"), f("banquet", "sync", 2, "a"), f("banquet", "pool", 2, "a"),
		f("banquet", "sync", 1, "b"), f("banquet", "sync", 1, "a"), f("banquet", "sync", 10, "a"),
	}
	sortFindings(got)
	var order []string
	for _, x := range got {
		order = append(order, x.Cell.String()+" "+x.Metric)
	}
	assert.Equal(t, []string{
		"banquet/pool/2 a", "banquet/sync/1 a", "banquet/sync/1 b", "banquet/sync/2 a", "banquet/sync/10 a", "dinner-rush/sync/1 b",
	}, order)
}
