//go:build unix

package report

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/results"
)

// chartCheckScript runs at the end of the page, after every inline chart
// is parsed, measures each svg.chart and writes the result into the DOM,
// which chromium --dump-dom then prints. It is injected by the test only:
// the report itself carries no script.
const chartCheckScript = `<script>
(function () {
  var out = [];
  document.querySelectorAll('svg.chart').forEach(function (s) {
    var r = s.getBoundingClientRect();
    out.push({menu: s.dataset.menu, kind: s.dataset.kind, width: r.width, height: r.height,
      shapes: s.querySelectorAll('path, text, circle, rect, line, polyline, polygon').length});
  });
  var pre = document.createElement('pre');
  pre.id = 'chart-check';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
`

// chromiumTimeout bounds each chromium run, so that a hung browser fails
// the test instead of stalling CI.
const chromiumTimeout = 90 * time.Second

// findChromium returns the Chromium binary. Without one it skips the
// test, except in CI (the CI environment variable is set), where a
// missing browser fails it: a browser test that CI skips checks nothing.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	const msg = "chromium is not installed (Debian: apt-get install -y chromium)"
	if os.Getenv("CI") != "" {
		t.Fatalf("%s, and CI is set: the browser test of the report must run in CI", msg)
	}
	t.Skip(msg + "; skipping the browser test of the report")
	return ""
}

// runChromium runs headless Chromium with a fresh profile on url plus the
// extra flags and returns its standard output. Network access is cut off
// by a host resolver that resolves nothing, so a report that needed the
// network would render without it here too.
func runChromium(t *testing.T, bin, url string, extra ...string) []byte {
	t.Helper()
	profile, err := os.MkdirTemp("", "kitchenbench-chromium-")
	require.NoError(t, err)
	// Not t.TempDir: Chromium's helpers may still be writing to the
	// profile as it exits, and a failed cleanup would fail the test.
	t.Cleanup(func() { os.RemoveAll(profile) })

	ctx, cancel := context.WithTimeout(context.Background(), chromiumTimeout)
	defer cancel()
	args := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
		"--host-resolver-rules=MAP * ~NOTFOUND",
		"--user-data-dir=" + profile,
	}, extra...)
	args = append(args, url)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "HOME="+profile)
	// Chromium forks helpers; on timeout kill the whole process group.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("chromium %s: no answer within %v\nstderr:\n%s", strings.Join(extra, " "), chromiumTimeout, tail(stderr.String(), 2000))
	}
	require.NoError(t, err, "chromium %s\nstderr:\n%s", strings.Join(extra, " "), tail(stderr.String(), 2000))
	return stdout.Bytes()
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// firstScreenScript measures, once the page is laid out, where each
// menu's verdict and the first chart are, for the first-screen test.
const firstScreenScript = `<script>
(function () {
  var out = {viewport: window.innerHeight, verdicts: [], firstChart: -1};
  document.querySelectorAll('[data-verdict-menu]').forEach(function (e) {
    var r = e.getBoundingClientRect();
    out.verdicts.push({menu: e.dataset.verdictMenu, top: r.top, bottom: r.bottom, text: e.textContent});
  });
  var c = document.querySelector('svg.chart');
  if (c) { out.firstChart = c.getBoundingClientRect().top; }
  var pre = document.createElement('pre');
  pre.id = 'first-screen';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
`

// firstScreen is what firstScreenScript reports.
type firstScreen struct {
	Viewport   float64
	FirstChart float64
	Verdicts   []struct {
		Menu        string
		Top, Bottom float64
		Text        string
	}
}

type chartBox struct {
	Menu, Kind    string
	Width, Height float64
	Shapes        int
}

// TestBrowser renders the report in headless Chromium and checks that
// every chart drew: each svg.chart has a size and drawn elements, and a
// screenshot of the page is not blank and shows the charts' colours.
func TestBrowser(t *testing.T) {
	bin := findChromium(t)

	var buf bytes.Buffer
	require.NoError(t, Write(&buf, testFiles(testMachines...), Options{}))
	page := buf.String()
	wantCharts := len(chartRE.FindAllString(page, -1))
	require.Equal(t, 6, wantCharts, "charts in the report")
	require.Contains(t, page, "</body>")
	page = strings.Replace(page, "</body>", chartCheckScript+"</body>", 1)
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	require.NoError(t, os.WriteFile(path, []byte(page), 0o644))
	url := "file://" + path

	t.Run("charts have size", func(t *testing.T) {
		dom := runChromium(t, bin, url, "--dump-dom")
		m := regexp.MustCompile(`(?s)<pre id="chart-check">(.*?)</pre>`).FindSubmatch(dom)
		require.NotNil(t, m, "no #chart-check in the DOM: the check script did not run\n%s", tail(string(dom), 1000))
		var boxes []chartBox
		require.NoError(t, json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &boxes), "#chart-check: %s", m[1])
		require.Len(t, boxes, wantCharts, "svg.chart elements in the browser's DOM")
		for _, b := range boxes {
			assert.Greater(t, b.Width, 0.0, "%s/%s chart width", b.Menu, b.Kind)
			assert.Greater(t, b.Height, 0.0, "%s/%s chart height", b.Menu, b.Kind)
			assert.Greater(t, b.Shapes, 10, "%s/%s chart: drawn elements", b.Menu, b.Kind)
		}
	})

	t.Run("screenshot is not blank", func(t *testing.T) {
		shot := filepath.Join(dir, "shot.png")
		runChromium(t, bin, url, "--screenshot="+shot, "--window-size=1280,1600")
		f, err := os.Open(shot)
		require.NoError(t, err, "chromium wrote no screenshot")
		defer f.Close()
		img, err := png.Decode(f)
		require.NoError(t, err, "screenshot")
		assert.Greater(t, distinctColors(img, 10), 1, "screenshot colours: blank page")
		// The first chart's first strategy (sync, Tableau blue) is drawn.
		assert.True(t, hasColor(img, palette[0], 12), "screenshot shows no pixel of the charts' first colour %v", palette[0])
	})
}

// TestBrowserFirstScreen opens the report of two machines with five menus
// each, as most people's 2-core runs make it, at 1200×900 and checks that
// the first screen answers the question: every menu's verdict is fully
// visible without scrolling, above the first chart.
func TestBrowserFirstScreen(t *testing.T) {
	bin := findChromium(t)
	menus := []string{"banquet", "big-roast", "dinner-rush", "lunch-counter", "steak-and-salad"}
	files := fiveMenuFiles(menus)
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, files, Options{}))
	page := strings.Replace(buf.String(), "</body>", firstScreenScript+"</body>", 1)
	path := filepath.Join(t.TempDir(), "report.html")
	require.NoError(t, os.WriteFile(path, []byte(page), 0o644))

	dom := runChromium(t, bin, "file://"+path, "--dump-dom", "--window-size=1200,900")
	m := regexp.MustCompile(`(?s)<pre id="first-screen">(.*?)</pre>`).FindSubmatch(dom)
	require.NotNil(t, m, "no #first-screen in the DOM: the script did not run\n%s", tail(string(dom), 1000))
	var fs firstScreen
	require.NoError(t, json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &fs), "#first-screen: %s", m[1])
	require.Greater(t, fs.Viewport, 0.0, "viewport height")
	var got []string
	for _, v := range fs.Verdicts {
		got = append(got, v.Menu)
		assert.LessOrEqual(t, v.Bottom, fs.Viewport, "verdict on %s ends at %.0f px, below the first screen (%.0f px)", v.Menu, v.Bottom, fs.Viewport)
		assert.Contains(t, v.Text, " at ", "verdict on %s names a strategy at a core count", v.Menu)
		if fs.FirstChart >= 0 {
			assert.Less(t, v.Bottom, fs.FirstChart, "verdict on %s is above the first chart", v.Menu)
		}
	}
	assert.Equal(t, menus, got, "verdicts on the first screen")
}

// fiveMenuFiles is testFiles for both test machines with five menus (the
// banquet's samples under three more names) and no machine names, so
// that labels are as long as a real run's.
func fiveMenuFiles(menus []string) []*results.File {
	files := testFiles(testMachines...)
	for _, f := range files {
		f.Machine.Name = ""
		var extra []results.Sample
		for _, s := range f.Samples {
			if s.Menu != "banquet" {
				continue
			}
			for _, m := range menus {
				if m != "banquet" && m != "dinner-rush" {
					s.Menu = m
					extra = append(extra, s)
				}
			}
		}
		f.Samples = append(f.Samples, extra...)
	}
	return files
}

// hasColor reports whether img has a pixel within tol (per 8-bit channel)
// of want.
func hasColor(img image.Image, want color.RGBA, tol int) bool {
	near := func(a uint32, b uint8) bool { d := int(a>>8) - int(b); return d >= -tol && d <= tol }
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if near(r, want.R) && near(g, want.G) && near(b, want.B) {
				return true
			}
		}
	}
	return false
}
