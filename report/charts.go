package report

import (
	"bytes"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/kitchenbench/kitchenbench/results"
)

// Chart kinds, one chart of each per menu, in the order they are shown.
// They name the image files written by Charts and the data-kind attribute
// of each inline <svg class="chart">.
const (
	KindThroughput = "throughput" // dishes/s against cores, with USL predictions
	KindLatency    = "latency"    // p50, p99 and p99.9 per strategy and cores
	KindBound      = "bound"      // throughput as % of the model bound
)

var chartKinds = []string{KindThroughput, KindLatency, KindBound}

// Chart size: 800×450 CSS pixels (1pt = 4/3 px).
const (
	chartWidth  vg.Length = 600 // points
	chartHeight vg.Length = 340
)

// Charts writes the charts of every menu in files into dir, as format
// ("svg" or "png") images named MENU-KIND.FORMAT (KIND one of
// KindThroughput, KindLatency, KindBound), and returns their paths in
// order. They are the charts of the HTML report, for READMEs and
// pull-request comments. dir is created if needed.
func Charts(dir string, files []*results.File, format string) ([]string, error) {
	if format != "svg" && format != "png" {
		return nil, fmt.Errorf("report: image format %q: want svg or png", format)
	}
	a, err := analyze(files, DefaultPredictCores)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	var paths []string
	for _, m := range a.Menus {
		for _, kind := range chartKinds {
			var buf bytes.Buffer
			if err := a.chart(m, kind).render(&buf, format); err != nil {
				return paths, fmt.Errorf("report: menu %s: %s chart: %w", m.Name, kind, err)
			}
			path := filepath.Join(dir, fileSafe(m.Name)+"-"+kind+"."+format)
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				return paths, fmt.Errorf("report: %w", err)
			}
			paths = append(paths, path)
		}
	}
	return paths, nil
}

// fileSafe maps a menu name to a file name: anything but letters, digits,
// '.', '-' and '_' becomes '_'.
func fileSafe(name string) string {
	s := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, name)
	if s == "" || strings.Trim(s, ".") == "" {
		s = "menu"
	}
	return s
}

// chart is a plot with its legend drawn beside it rather than over the
// data.
type chart struct {
	p      *plot.Plot
	legend plot.Legend
	labels []string // the legend's texts, which plot.Legend does not expose, to size its column
}

func newChart(title, xLabel, yLabel string) *chart {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Legend = plot.NewLegend() // unused: the legend is drawn beside the plot
	return &chart{p: p, legend: plot.NewLegend()}
}

func (c *chart) addLegend(label string, thumbs ...plot.Thumbnailer) {
	label = " " + label // clear of the thumbnail's glyph
	c.legend.Add(label, thumbs...)
	c.labels = append(c.labels, label)
}

// render draws c as an image of the given format ("svg" or "png").
func (c *chart) render(w *bytes.Buffer, format string) error {
	cw, err := draw.NewFormattedCanvas(chartWidth, chartHeight, format)
	if err != nil {
		return err
	}
	dc := draw.New(cw)
	if format == "png" {
		dc.SetColor(color.White) // the PNG is transparent otherwise
		dc.Fill(dc.Rectangle.Path())
	}
	legendW := vg.Length(0)
	c.legend.TextStyle.Font.Size = vg.Points(10)
	for _, l := range c.labels {
		legendW = max(legendW, c.legend.TextStyle.Width(l))
	}
	if legendW > 0 {
		legendW += c.legend.ThumbnailWidth + 3*vg.Millimeter
	}
	legendW = min(legendW, chartWidth/3)
	c.p.Draw(draw.Crop(dc, 0, -legendW, 0, 0))
	if legendW > 0 {
		la := draw.Crop(dc, chartWidth-legendW, 0, 0, -vg.Centimeter)
		c.legend.Top, c.legend.Left = true, true
		c.legend.Draw(la)
	}
	_, err = cw.WriteTo(w)
	return err
}

// chart builds the chart of kind for menu m.
func (a *analysis) chart(m menuAnalysis, kind string) *chart {
	switch kind {
	case KindThroughput:
		return a.throughputChart(m)
	case KindLatency:
		return a.latencyChart(m)
	case KindBound:
		return a.boundChart(m)
	}
	panic("report: unknown chart kind " + kind)
}
