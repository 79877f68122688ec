package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/internal/fixture"
	"github.com/kitchenbench/kitchenbench/results"
)

// runFixture is a run with something to warn about: an oversubscribed core
// count (4 on 2 CPUs), a noisy cell, failed orders, a run behind schedule,
// a censored cell (dinner-rush/sync/1: orders still waiting at the
// window's end reach its p99), a starved sample and a cell over its bound.
func runFixture() *results.File {
	f := fixture.File("laptop", 6, 1, nil)
	f.Path = "results/laptop.json"
	for i := range f.Samples {
		s := &f.Samples[i]
		s.CPUTime = time.Duration(float64(s.Served) * 900 * float64(min(s.Cores, 2))) // 900 ns per dish per core used
		s.CPUPerDish = float64(s.CPUTime) / float64(s.Served)
		if s.Cell() == (results.Cell{Menu: "dinner-rush", Strategy: "sync", Cores: 1}) {
			// The fixture records latencies lat×i/100 for i in 1..200:
			// orders from 1.9 × lat on were still waiting.
			s.Censored = 10
			s.CensoredMin = time.Duration(0.95 * s.Latency.Max)
			s.Latency.Lower = []string{"p99", "p999", "max"}
			s.Latency.LittleMean = 8.6e9
		}
		if s.Cell() == (results.Cell{Menu: "banquet", Strategy: "pool", Cores: 2}) && s.Iter == 1 {
			s.Starved = true
			s.CoresReceived = 1.1
			s.Flags = append(s.Flags, "starved")
		}
		if s.Cell() == (results.Cell{Menu: "banquet", Strategy: "sync", Cores: 1}) {
			s.MixBound = s.Bound / 1.5 // served a lighter mix than the menu's
		}
		if s.Cell() == (results.Cell{Menu: "banquet", Strategy: "eventloop", Cores: 1}) {
			s.Bound = s.DishesPerSec / 1.04
			s.Flags = append(s.Flags, "over-bound")
		}
		if s.Cell() == (results.Cell{Menu: "dinner-rush", Strategy: "pool", Cores: 2}) && s.Iter%2 == 1 {
			s.DishesPerSec *= 0.7 // noisy
		}
		if s.Cell() == (results.Cell{Menu: "banquet", Strategy: "sync", Cores: 2}) && s.Iter == 3 {
			s.Behind = true
		}
	}
	return f
}

func comparisonFixture(t *testing.T) *compare.Comparison {
	a := fixture.File("laptop", 6, 1, nil)
	a.Path = "results/laptop.json"
	b := fixture.File("server", 6, 3, map[string]float64{"dinner-rush/pool/2": 0.5})
	b.Path = "results/server.json"
	b.Machine.CPUModel, b.Machine.LogicalCPUs = "Big Iron 9000", 4
	b.Samples = b.Samples[:len(b.Samples)-1] // one sample fewer in the last cell
	c, err := compare.Compare([]*results.File{a, b})
	require.NoError(t, err)
	return c
}

func verdictFixture(t *testing.T) *compare.Verdict {
	rng := rand.New(rand.NewPCG(3, 4))
	base := fixture.Synth("baseline", 8, 0.01, rng, nil)
	cur := fixture.Synth("current", 8, 0.01, rng, map[string]float64{"m2/pool/2": 0.8, "m1/loops/1": 1.3})
	v, err := compare.Check(base, cur, 0.05)
	require.NoError(t, err)
	return v
}

func TestRenderGolden(t *testing.T) {
	inputs := []struct {
		name string
		v    Subject
	}{
		{"run", Run(runFixture())},
		{"compare", Comparison(comparisonFixture(t))},
		{"check", Verdict(verdictFixture(t))},
	}
	ext := map[string]string{FormatText: "txt", FormatMarkdown: "md", FormatCSV: "csv", FormatJSON: "json"}
	for _, in := range inputs {
		for _, format := range Formats {
			name := in.name + "." + ext[format]
			t.Run(name, func(t *testing.T) {
				var buf bytes.Buffer
				require.NoError(t, Write(&buf, format, in.v), "Write(%s)", format)
				out := buf.Bytes()
				switch format {
				case FormatJSON:
					assert.True(t, json.Valid(out), "Render(json) is not valid JSON")
				case FormatCSV:
					recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
					assert.NoError(t, err, "Render(csv) is not valid CSV")
					assert.Greater(t, len(recs), 1, "Render(csv) records")
				}
				fixture.Golden(t, name, out)
			})
		}
	}
}

func TestRenderRunContent(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, FormatText, Run(runFixture())))
	out := buf.String()
	for _, want := range []string{
		"machine: laptop (Test CPU 3000, 2 logical CPUs, linux/amd64",
		"menu dinner-rush", "menu banquet", "4 cores (over)",
		"oversubscribed: 4 cores exceed the machine's 2 logical CPUs",
		"noisy: dinner-rush/pool/2",
		"failed orders: banquet/eventloop/4: 3 of",
		"behind schedule: banquet/sync/2",
		"p99 ≥", "censored: dinner-rush: in 1 of 9 cells the latency percentiles are lower bounds (≥), orders still waiting when their windows closed; longer windows (--duration) narrow them: sync/1 from p99 (60 orders, Little's mean 8.60s)",
		"starved: banquet/pool/2: 1 of 6 samples did not get the cores",
		"over bound: banquet/eventloop/1: 6 of 6 samples read above their model bound (104% at the median)",
		"cpu 900ns/dish", "cpu 1.80µs/dish", "! starved 1/6",
		"91% of bound, 136% of the menu mix's", "mix starvation: banquet/sync/1: the served mix's bound 275 is above the menu mix's 183",
	} {
		assert.Contains(t, out, want, "Render(text) output")
	}
	// eventloop is the best at 1 core on dinner-rush: 4k dishes/s.
	assert.Regexp(t, `4\.0\dk ±\d+% \*`, out, "best strategy marked")
	assert.Equal(t, 6, strings.Count(out, "% *"), "one best per column and menu: 2 menus × 3 core counts")
}

func TestRenderErrors(t *testing.T) {
	err := Write(&bytes.Buffer{}, "yaml", Run(runFixture()))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown format "yaml": want one of text, markdown, csv, json`, "Write() error")
}
