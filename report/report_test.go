package report

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/results"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func writeReport(t *testing.T, files []*results.File, opts Options) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, files, opts), "Write()")
	return buf.String()
}

var (
	chartRE    = regexp.MustCompile(`<svg class="chart" data-menu="([^"]*)" data-kind="([^"]*)"`)
	externalRE = regexp.MustCompile(`(?i)\b(?:src|href|xlink:href|action|poster|data)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|//)`)
)

func TestWrite(t *testing.T) {
	tests := []struct {
		name         string
		files        []*results.File
		wantMachines []string
		wantBand     bool // one shared predicted band in the banquet chart
		// wantCannotFit is dinner-rush's one line on the series the
		// scaling law cannot be fitted to.
		wantCannotFit string
	}{
		{
			name:          "one machine",
			files:         testFiles(testMachines[0]),
			wantMachines:  []string{"laptop"},
			wantBand:      true,
			wantCannotFit: "cannot fit — every strategy was measured at fewer than 3 core counts (1, 2)",
		},
		{
			name:          "two machines",
			files:         testFiles(testMachines...),
			wantMachines:  []string{"laptop", "server"},
			wantCannotFit: "cannot fit — every strategy on laptop (fewer than 3 core counts)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			html := writeReport(t, tc.files, Options{})

			// One chart of each kind per menu, in order.
			var got []string
			for _, m := range chartRE.FindAllStringSubmatch(html, -1) {
				got = append(got, m[1]+"/"+m[2])
			}
			assert.Equal(t, []string{
				"banquet/throughput", "banquet/latency", "banquet/bound",
				"dinner-rush/throughput", "dinner-rush/latency", "dinner-rush/bound",
			}, got, "charts (data-menu/data-kind)")

			// Self-contained: nothing fetched from anywhere.
			for _, m := range externalRE.FindAllString(html, -1) {
				t.Errorf("Write() references an external resource: %s", m)
			}
			for _, tag := range []string{"<script", "<link", "<img", "<iframe", "@import", "url("} {
				assert.NotContains(t, html, tag, "Write() output")
			}

			// The machines side by side.
			machines := section(t, html, "machines")
			for i, name := range tc.wantMachines {
				assert.Contains(t, machines, "<th class=\"text\">"+name+"</th>", "machines table header")
				assert.Contains(t, machines, testMachines[i].cpu, "machines table CPU model")
				assert.Contains(t, machines, "abc123"+name, "machines table commit")
			}
			assert.Equal(t, len(tc.wantMachines), strings.Count(machines, "go1.26.0"), "machines table: Go version cells")

			// Predictions are labelled as such in charts and tables.
			banquet := section(t, html, "menu-banquet")
			assert.Contains(t, banquet, "predicted (USL fit)", "throughput chart legend")
			assert.Contains(t, banquet, "64 cores (predicted)", "predictions table header")
			assert.Equal(t, tc.wantBand, strings.Contains(banquet, "> predicted</text>"), "shaded band label \"predicted\"")

			// dinner-rush has only 1 and 2 cores on the laptop: one line
			// says so, and no table row repeats it.
			rush := section(t, html, "menu-dinner-rush")
			assert.Equal(t, 1, strings.Count(rush, "cannot fit"), "\"cannot fit\" in dinner-rush")
			assert.True(t, strings.Contains(rush, tc.wantCannotFit), "dinner-rush should say %q", tc.wantCannotFit)
			assert.True(t, strings.Contains(rush, "--cores 1,2,4"), "dinner-rush should say how to fit the law")
			assert.Equal(t, 0, strings.Count(section(t, html, "menu-banquet"), "cannot fit"), "banquet is fitted everywhere")

			// The verdict comes before the first chart, one per menu.
			firstChart := strings.Index(html, `<svg class="chart"`)
			for _, menu := range []string{"banquet", "dinner-rush"} {
				i := strings.Index(html, `data-verdict-menu="`+menu+`"`)
				assert.True(t, i >= 0 && i < firstChart, "verdict on %s before the first chart (at %d, chart at %d)", menu, i, firstChart)
			}
			if len(tc.files) > 1 {
				assert.Contains(t, rush, "predicted (USL fit)", "the server's dinner-rush (1, 2, 4 cores) is fitted")
			} else {
				assert.NotContains(t, rush, "predicted (USL fit)", "no prediction without a fit")
			}
		})
	}
}

// section returns the <section id="id"> … </section> of html.
func section(t *testing.T, html, id string) string {
	t.Helper()
	start := strings.Index(html, `<section id="`+id+`"`)
	if start < 0 {
		start = strings.Index(html, `id="`+id+`"`)
	}
	require.GreaterOrEqual(t, start, 0, "no section %q", id)
	end := strings.Index(html[start:], "</section>")
	require.GreaterOrEqual(t, end, 0, "section %q not closed", id)
	return html[start : start+end]
}

func TestWriteGolden(t *testing.T) {
	// The page without the charts' drawing instructions: tables, captions
	// and chart placement. The SVG itself is checked in a browser
	// (TestBrowser) and by TestCharts.
	html := writeReport(t, testFiles(testMachines...), Options{Title: "golden"})
	got := regexp.MustCompile(`(?s)(<svg class="chart"[^>]*?) width=.*?</svg>`).ReplaceAllString(html, "$1>…</svg>")
	path := filepath.Join("testdata", "report.html.golden")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./report -update to create it")
	if got != string(want) {
		t.Errorf("Write() differs from %s (go test ./report -update to accept):\n%s", path, lineDiff(string(want), got))
	}
}

func TestWriteEscapes(t *testing.T) {
	files := testFiles(testMachines[0])
	for i := range files[0].Samples {
		s := &files[0].Samples[i]
		if s.Menu == "banquet" {
			s.Menu = `<script>alert("menu")</script>`
		}
		if s.Strategy == "pool" {
			s.Strategy = `p&"o"<l>`
		}
	}
	files[0].Machine.Name = `<b>host</b>`
	html := writeReport(t, files, Options{Title: "<i>t</i>"})
	for _, raw := range []string{`<script>`, `<b>host`, `<i>t`, `p&"o"<l>`} {
		assert.NotContains(t, html, raw, "Write() must escape every name")
	}
	assert.Contains(t, html, "&lt;script&gt;", "escaped menu name")
	assert.Contains(t, html, "&lt;b&gt;host&lt;/b&gt;", "escaped machine name")
}

func TestWriteErrors(t *testing.T) {
	tests := []struct {
		name    string
		files   []*results.File
		wantErr string
	}{
		{"no files", nil, "report: no result files"},
		{"nil file", []*results.File{testFiles(testMachines[0])[0], nil}, "report: file 1 is nil"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Write(&buf, tc.files, Options{})
			assert.EqualError(t, err, tc.wantErr, "Write()")
			assert.Zero(t, buf.Len(), "Write() wrote output despite the error")
		})
	}
}

func TestAnalyzeFits(t *testing.T) {
	a, err := analyze(testFiles(testMachines...), DefaultPredictCores)
	require.NoError(t, err)
	require.Len(t, a.Menus, 2)
	assert.Equal(t, []string{"sync", "eventloop", "pool", "gil", "goroutines", "loops"}, a.Strategies, "strategies in display order")
	found := 0
	for _, m := range a.Menus {
		for _, s := range m.Series {
			if m.Name != "banquet" || s.Strategy != "pool" {
				continue
			}
			found++
			require.NoError(t, s.FitErr, "%s fit", a.label(s))
			// The jitter is symmetric, so the fit lands near the truth.
			assert.InEpsilon(t, 0.05, s.Fit.Sigma, 0.1, "%s σ", a.label(s))
			assert.InEpsilon(t, 0.002, s.Fit.Kappa, 0.1, "%s κ", a.label(s))
			// Predictions only beyond the measured cores.
			for _, p := range s.Pred {
				assert.Greater(t, float64(p.N), s.Fit.MaxN, "%s: prediction at %d cores", a.label(s), p.N)
				assert.False(t, p.Measured)
			}
			wantPred := map[string]int{"laptop": 4, "server": 2}[a.Sources[s.Source].Label] // 8..64, 32..64
			assert.Len(t, s.Pred, wantPred, "%s predictions", a.label(s))
		}
	}
	assert.Equal(t, 2, found, "banquet/pool series")
}

func TestCharts(t *testing.T) {
	tests := []struct {
		format string
		check  func(t *testing.T, data []byte)
	}{
		{"svg", func(t *testing.T, data []byte) {
			assert.Contains(t, string(data), "<svg", "SVG file")
			assert.Contains(t, string(data), "</svg>", "SVG file")
		}},
		{"png", func(t *testing.T, data []byte) {
			img, err := png.Decode(bytes.NewReader(data))
			require.NoError(t, err, "PNG file")
			assert.Equal(t, image.Pt(800, 453), img.Bounds().Size(), "PNG size")
			assert.Greater(t, distinctColors(img, 10), 5, "PNG colours")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.format, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "charts")
			paths, err := Charts(dir, testFiles(testMachines...), tc.format)
			require.NoError(t, err, "Charts()")
			var names []string
			for _, p := range paths {
				names = append(names, filepath.Base(p))
				data, err := os.ReadFile(p)
				require.NoError(t, err)
				tc.check(t, data)
			}
			ext := "." + tc.format
			assert.Equal(t, []string{
				"banquet-throughput" + ext, "banquet-latency" + ext, "banquet-bound" + ext,
				"dinner-rush-throughput" + ext, "dinner-rush-latency" + ext, "dinner-rush-bound" + ext,
			}, names, "Charts() paths")
		})
	}
	t.Run("bad format", func(t *testing.T) {
		_, err := Charts(t.TempDir(), testFiles(testMachines[0]), "gif")
		assert.EqualError(t, err, `report: image format "gif": want svg or png`)
	})
}

// distinctColors counts the distinct colours of img, stopping at limit.
func distinctColors(img image.Image, limit int) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}

func TestFileSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"banquet", "banquet"},
		{"dinner-rush", "dinner-rush"},
		{"a/b c", "a_b_c"},
		{"..", "menu"},
		{"", "menu"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, fileSafe(tc.in), "fileSafe(%q)", tc.in)
	}
}

// lineDiff shows the first lines where want and got differ, with two
// lines of context.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	var b strings.Builder
	for j := max(i-2, 0); j < i; j++ {
		fmt.Fprintf(&b, "  %d: %s\n", j+1, w[j])
	}
	for j := i; j < min(i+3, len(w)); j++ {
		fmt.Fprintf(&b, "- %d: %s\n", j+1, w[j])
	}
	for j := i; j < min(i+3, len(g)); j++ {
		fmt.Fprintf(&b, "+ %d: %s\n", j+1, g[j])
	}
	return b.String()
}

func TestWriteDegenerate(t *testing.T) {
	sample := func(menu, strategy string, cores int, dps float64) results.Sample {
		return results.Sample{Menu: menu, Strategy: strategy, Cores: cores, DishesPerSec: dps}
	}
	tests := []struct {
		name    string
		samples []results.Sample
		want    []string // substrings of the page
	}{
		{"no samples", nil, []string{`<section id="machines">`}},
		{"one cell", []results.Sample{sample("solo", "sync", 1, 10)}, []string{"Scaling law: cannot fit — every strategy was measured at fewer than 3 core counts (1)", `data-menu="solo" data-kind="bound"`, "(no bounds recorded)"}},
		{"nothing served", []results.Sample{sample("idle", "sync", 1, 0), sample("idle", "sync", 2, 0), sample("idle", "sync", 4, 0)}, []string{"Scaling law: cannot fit", `data-menu="idle" data-kind="latency"`, "</a>: nothing was served."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &results.File{Schema: results.SchemaVersion, Machine: results.Machine{Name: "m"}, Samples: tc.samples}
			html := writeReport(t, []*results.File{f}, Options{})
			for _, want := range tc.want {
				assert.Contains(t, html, want, "Write()")
			}
		})
	}
}

func TestLatencyLowerBounds(t *testing.T) {
	tests := []struct {
		name  string
		lower []string // Latency.Lower of dinner-rush's sync samples
		want  bool     // the latency chart marks lower bounds
	}{
		{"no censored orders", nil, false},
		{"censored p99 and p99.9", []string{"p99", "p999"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files := testFiles(testMachines[0])
			for i := range files[0].Samples {
				if s := &files[0].Samples[i]; s.Menu == "dinner-rush" && s.Strategy == "sync" {
					s.Latency.Lower = tc.lower
				}
			}
			a, err := analyze(files, DefaultPredictCores)
			require.NoError(t, err)
			for _, m := range a.Menus {
				var buf bytes.Buffer
				require.NoError(t, a.latencyChart(m).render(&buf, "svg"))
				got := strings.Contains(buf.String(), "≥ lower bound (censored)")
				assert.Equal(t, tc.want && m.Name == "dinner-rush", got, "%s latency chart: lower-bound legend", m.Name)
			}
		})
	}
}

func TestThroughputNormalizedAcrossMachines(t *testing.T) {
	tests := []struct {
		name  string
		files []*results.File
		want  string // the banquet throughput chart's title
	}{
		{"one machine: dishes/s", testFiles(testMachines[0]), "banquet: throughput against cores"},
		{"two machines: speedups", testFiles(testMachines...), "banquet: speedup over each machine&#39;s sync at 1 core"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			html := writeReport(t, tc.files, Options{})
			assert.True(t, strings.Contains(html, `data-kind="throughput" role="img" aria-label="`+tc.want+`"`), "throughput chart titled %q", tc.want)
		})
	}
}
