package verdict

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/internal/fixture"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/render"
	"github.com/kitchenbench/kitchenbench/results"
)

// spread is the per-sample jitter of every synthetic cell: ±2%, so that
// cells 10% apart are told apart by Mann-Whitney and cells 0.5% apart
// are not.
var spread = []float64{1, 1.01, 0.99, 1.02, 0.98, 1.005, 0.995, 1.015}

// cell is one synthetic cell: dishes/s of strategy at cores.
type cell struct {
	strategy string
	cores    int
	dps      float64
}

// synth builds a result file of one menu from cells, len(spread) samples
// each. The menu is a built-in one, so that the binding comes from its
// definition; nsPerUnit is the machine's calibration.
func synth(menu string, cpus int, date time.Time, cells ...cell) *results.File {
	f := &results.File{
		Schema: results.SchemaVersion,
		Machine: results.Machine{CPUModel: "Test CPU", LogicalCPUs: cpus, OS: "linux", Arch: "amd64",
			NsPerUnit: 1000, Date: date},
	}
	for _, c := range cells {
		for i, j := range spread {
			f.Samples = append(f.Samples, results.Sample{
				Menu: menu, Strategy: c.strategy, Cores: c.cores, Iter: i,
				Orders: 100, Served: 100, Elapsed: time.Second,
				DishesPerSec: c.dps * j, Bound: c.dps * 1.1,
			})
		}
	}
	return f
}

var day = time.Date(2026, 11, 25, 13, 0, 0, 0, time.UTC)

func TestOf(t *testing.T) {
	tests := []struct {
		name      string
		file      *results.File
		wantCells []string // "cores winner tie binds", per core count
		wantBest  int      // cores of the headline cell
		wantSpeed float64  // the headline's × sync
	}{
		{
			name: "clear winner",
			file: synth("dinner-rush", 2, day,
				cell{"sync", 1, 10}, cell{"eventloop", 1, 5000}, cell{"pool", 1, 20},
				cell{"sync", 2, 10}, cell{"eventloop", 2, 5000}, cell{"loops", 2, 9000}),
			wantCells: []string{"1 eventloop false cores", "2 loops false cores"},
			wantBest:  2,
			wantSpeed: 900,
		},
		{
			name: "within noise is a tie",
			file: synth("banquet", 2, day,
				cell{"sync", 1, 500}, cell{"pool", 1, 505}, cell{"gil", 1, 400},
				cell{"pool", 2, 1000}, cell{"goroutines", 2, 1003}, cell{"gil", 2, 480}),
			wantCells: []string{"1 pool true cores", "2 goroutines true cores"},
			wantBest:  2,
			wantSpeed: 1003.0 / 500,
		},
		{
			name: "more cores that add nothing do not make the headline",
			file: synth("steak-and-salad", 2, day,
				cell{"sync", 1, 280}, cell{"eventloop", 1, 1750}, cell{"pool", 1, 280},
				cell{"eventloop", 2, 1752}, cell{"pool", 2, 560}),
			wantCells: []string{"1 eventloop false grills", "2 eventloop false grills"},
			wantBest:  1,
			wantSpeed: 1750.0 / 280,
		},
		{
			name: "oversubscribed core counts are no headline",
			file: synth("banquet", 1, day,
				cell{"sync", 1, 500}, cell{"pool", 1, 490},
				cell{"pool", 2, 700}),
			wantCells: []string{"1 sync false cores", "2 pool false cores"},
			wantBest:  1,
			wantSpeed: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Of(tc.file, "m")
			require.Len(t, v.Menus, 1)
			m := v.Menus[0]
			var got []string
			for _, c := range m.Cells {
				got = append(got, fmt.Sprintf("%d %s %v %s", c.Cores, c.Winner, c.Tie, c.Binds.Limit))
			}
			assert.Equal(t, tc.wantCells, got, "Of() cells")
			require.GreaterOrEqual(t, m.Best, 0, "Of() headline")
			h := m.Cells[m.Best]
			assert.Equal(t, tc.wantBest, h.Cores, "Of() headline cores")
			assert.InDelta(t, tc.wantSpeed, h.Speedup, tc.wantSpeed*0.02, "Of() headline × sync")
			assert.InDelta(t, 100/1.1, h.PctOfBound, 2, "Of() headline %% of bound")
		})
	}
}

func TestTieNamesBoth(t *testing.T) {
	f := synth("banquet", 2, day, cell{"sync", 1, 500}, cell{"pool", 2, 1000}, cell{"goroutines", 2, 1003}, cell{"gil", 2, 480})
	c := Of(f, "m").Menus[0].Cells[1]
	assert.Equal(t, "goroutines and pool", c.Winners(), "Winners()")
	assert.Equal(t, []string{"goroutines", "pool"}, c.Contenders, "Contenders")
	assert.Greater(t, c.P, compare.Alpha, "p-value of a tie")
	assert.Equal(t, "a cook for every order or many cooks with many grills", c.Kitchen(), "Kitchen()")
	assert.Contains(t, Sentence(Of(f, "m").Menus[0]), "(a tie: within noise, p=", "Sentence()")
}

func TestTooFewSamplesIsATie(t *testing.T) {
	f := synth("banquet", 2, day, cell{"sync", 1, 500}, cell{"pool", 1, 800})
	f.Samples = f.Samples[:0:0]
	for _, s := range synth("banquet", 2, day, cell{"sync", 1, 500}, cell{"pool", 1, 800}).Samples {
		if s.Iter < 2 { // two samples a side: Mann-Whitney cannot reach α
			f.Samples = append(f.Samples, s)
		}
	}
	c := Of(f, "m").Menus[0].Cells[0]
	assert.True(t, c.Tie, "pool 60%% ahead on 2 samples a side is not a verdict")
	assert.True(t, c.TooFew, "and not a finding that they are alike")
	assert.Equal(t, "pool", c.Winner)
	assert.Contains(t, Sentence(Of(f, "m").Menus[0]), "not told apart: too few samples", "Sentence()")
	assert.NotContains(t, Sentence(Of(f, "m").Menus[0]), "within noise", "Sentence()")
}

func TestUnreachable(t *testing.T) {
	for _, tc := range []struct {
		n1, n2 int
		want   bool
	}{
		{1, 1, true}, {3, 3, true}, {3, 4, true}, // 2/20 = 0.1, 2/35 ≈ 0.057
		{3, 5, false}, {4, 4, false}, {6, 6, false}, // 2/56 ≈ 0.036, 2/70 ≈ 0.029
		{0, 6, true},
	} {
		assert.Equal(t, tc.want, unreachable(tc.n1, tc.n2), "unreachable(%d, %d)", tc.n1, tc.n2)
	}
}

func TestBinding(t *testing.T) {
	m, ok := kitchen.Lookup("steak-and-salad")
	require.True(t, ok)
	tests := []struct {
		strategy string
		cores    int
		rate     float64
		want     string
	}{
		{"sync", 1, 0, "one order at a time binds"},
		{"eventloop", 1, 0, "the 4 grills bind"},
		{"pool", 2, 0, "the 2 cooks in progress bind"},
		{"eventloop", 1, 100, "the arrival rate binds"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s-%d-%g", tc.strategy, tc.cores, tc.rate), func(t *testing.T) {
			cs := compare.CellSummary{Cell: results.Cell{Menu: m.Name, Strategy: tc.strategy, Cores: tc.cores}}
			b := binding(m, cs, 1000, tc.rate)
			assert.Equal(t, tc.want, b.String(), "binding(%s at %d cores).String()", tc.strategy, tc.cores)
		})
	}
	assert.Equal(t, Binding{}, binding(nil, compare.CellSummary{}, 1000, 0), "no menu: unknown")
	assert.Equal(t, "—", Binding{}.Short(), "unknown binding's Short()")
}

func TestAgreement(t *testing.T) {
	a := synth("banquet", 2, day, cell{"sync", 1, 500}, cell{"pool", 1, 505}, cell{"pool", 2, 1000}, cell{"goroutines", 2, 900})
	b := synth("banquet", 2, day.Add(time.Hour), cell{"sync", 1, 400}, cell{"pool", 1, 404}, cell{"pool", 2, 800}, cell{"goroutines", 2, 802})
	c := synth("banquet", 2, day.Add(2*time.Hour), cell{"sync", 1, 400}, cell{"pool", 1, 300}, cell{"pool", 2, 500}, cell{"goroutines", 2, 790})
	tests := []struct {
		name      string
		files     []*results.File
		wantAgree bool
		want      string
	}{
		{"a tie on one machine agrees with a win on the other", []*results.File{a, b}, true,
			"banquet: both machines agree — pool at 1 and 2 cores."},
		{"machines that differ say where", []*results.File{a, c}, false,
			"banquet: both machines agree on sync at 1 core, and differ at 2 cores: pool on Test CPU / 2 cpus, 2026-11-25 13:00, goroutines on Test CPU / 2 cpus, 2026-11-25 15:00."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New(tc.files)
			require.Len(t, s.Agreements, 1)
			assert.Equal(t, tc.wantAgree, s.Agreements[0].Agree, "Agree")
			assert.Equal(t, tc.want, AgreementSentence(s.Agreements[0], s.Labels()), "AgreementSentence()")
		})
	}
	assert.Nil(t, New([]*results.File{a}).Agreements, "one file: no agreement")
}

func TestNothingServed(t *testing.T) {
	f := synth("banquet", 2, day, cell{"sync", 1, 0})
	m := Of(f, "m").Menus[0]
	assert.Equal(t, -1, m.Best)
	assert.Equal(t, "banquet: nothing was served.", Sentence(m))
}

func TestNoBaseline(t *testing.T) {
	f := synth("banquet", 2, day, cell{"pool", 2, 1000})
	c := Of(f, "m").Menus[0].Cells[0]
	assert.True(t, math.IsNaN(c.Speedup), "no sync at 1 core: no × sync")
	assert.NotContains(t, Sentence(Of(f, "m").Menus[0]), "sync", "Sentence() without a baseline")
}

// goldenSet is two machines, three menus: a win, a tie, a disagreement.
func goldenSet() *Set {
	a := synth("dinner-rush", 2, day,
		cell{"sync", 1, 10}, cell{"eventloop", 1, 5000}, cell{"loops", 1, 4990},
		cell{"eventloop", 2, 5000}, cell{"loops", 2, 9000})
	a.Samples = append(a.Samples, synth("banquet", 2, day,
		cell{"sync", 1, 500}, cell{"pool", 1, 505}, cell{"pool", 2, 1000}, cell{"goroutines", 2, 900}).Samples...)
	b := synth("dinner-rush", 4, day.Add(24*time.Hour),
		cell{"sync", 1, 12}, cell{"eventloop", 1, 6000}, cell{"loops", 1, 5000},
		cell{"eventloop", 2, 6000}, cell{"loops", 2, 6010})
	b.Machine.Label = "ci-runner"
	b.Samples = append(b.Samples, synth("banquet", 4, day,
		cell{"sync", 1, 400}, cell{"pool", 1, 300}, cell{"pool", 2, 500}, cell{"goroutines", 2, 790}).Samples...)
	return New([]*results.File{a, b})
}

func TestRenderGolden(t *testing.T) {
	fixture.GoldenFormats(t, "verdict", render.Formats, func(w io.Writer, format string) error { return render.Write(w, format, goldenSet()) })
	err := render.Write(&bytes.Buffer{}, "yaml", goldenSet())
	assert.EqualError(t, err, `unknown format "yaml": want one of text, markdown, csv, json`)
}

func TestTextEndsWithASentencePerMenu(t *testing.T) {
	f := synth("dinner-rush", 2, day, cell{"sync", 1, 10}, cell{"eventloop", 1, 5000})
	f.Samples = append(f.Samples, synth("banquet", 2, day, cell{"sync", 1, 500}, cell{"pool", 2, 1000}).Samples...)
	var buf bytes.Buffer
	require.NoError(t, New([]*results.File{f}).ToText(&buf))
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	require.GreaterOrEqual(t, len(lines), 2)
	assert.True(t, strings.HasPrefix(lines[len(lines)-2], "  dinner-rush: eventloop at 1 core, 500× sync"), "second-last line: %q", lines[len(lines)-2])
	assert.True(t, strings.HasPrefix(lines[len(lines)-1], "  banquet: pool at 2 cores, 2.00× sync"), "last line: %q", lines[len(lines)-1])
}

func TestForFormatOnlyForPeople(t *testing.T) {
	files := []*results.File{synth("banquet", 2, day, cell{"sync", 1, 500}, cell{"pool", 2, 1000})}
	for _, format := range []string{render.FormatText, render.FormatMarkdown} {
		assert.NotNil(t, ForFormat(format, files), format)
	}
	for _, format := range []string{render.FormatCSV, render.FormatJSON} {
		assert.Nil(t, ForFormat(format, files), "%s output shows no verdict, so none is computed", format)
	}
}

func TestDeltaText(t *testing.T) {
	for _, tc := range []struct {
		v, ref float64
		want   string
	}{
		{88, 100, "−12%"}, {112, 100, "+12%"}, {99.62, 100, "−0.38%"}, {100.004, 100, "+0.0040%"}, {99.99999, 100, "−0.0000%"}, {100, 100, "+0%"}, {1, 0, "?"},
	} {
		assert.Equal(t, tc.want, deltaText(tc.v, tc.ref), "%v against %v", tc.v, tc.ref)
	}
}
