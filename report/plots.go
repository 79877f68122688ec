package report

import (
	"image/color"
	"maps"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/kitchenbench/kitchenbench/compare"
)

// palette colours strategies, in analysis.Strategies order, the same in
// every chart (Tableau 10).
var palette = []color.RGBA{
	{0x4e, 0x79, 0xa7, 0xff}, {0xf2, 0x8e, 0x2b, 0xff}, {0x59, 0xa1, 0x4f, 0xff},
	{0xe1, 0x57, 0x59, 0xff}, {0x76, 0xb7, 0xb2, 0xff}, {0xb0, 0x7a, 0xa1, 0xff},
	{0xed, 0xc9, 0x48, 0xff}, {0xff, 0x9d, 0xa7, 0xff}, {0x9c, 0x75, 0x5f, 0xff},
	{0xba, 0xb0, 0xac, 0xff},
}

// Glyphs tell machines apart: measurements are filled, predictions the
// hollow counterpart of the same shape.
var (
	filledGlyphs = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{}}
	hollowGlyphs = []draw.GlyphDrawer{draw.RingGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}}
)

var (
	grey        = color.RGBA{0x55, 0x55, 0x55, 0xff}
	shade       = color.RGBA{0xee, 0xee, 0xee, 0xff}
	predDashes  = []vg.Length{vg.Points(5), vg.Points(3)}
	glyphRadius = vg.Points(3)
)

func (a *analysis) strategyColor(name string) color.Color {
	return palette[max(slices.Index(a.Strategies, name), 0)%len(palette)]
}

// throughputChart draws median dishes/s (with the 95% interval) against
// cores, one solid line per series, and the USL prediction beyond the
// measured cores as a dashed line with hollow markers over a shaded band
// labelled "predicted".
//
// Given several machines, whose absolute figures do not compare, it draws
// each machine's speedup over its own sync at 1 core instead (when every
// machine has that baseline): strategies keep their colours, machines are
// told apart by marker shape.
func (a *analysis) throughputChart(m menuAnalysis) *chart {
	c := newChart(m.Name+": throughput against cores", "cores (log scale)", "dishes/s (log scale)")
	base := a.baselines(m)
	if base != nil {
		c.p.Title.Text = m.Name + ": speedup over each machine's sync at 1 core"
		c.p.Y.Label.Text = "× sync at 1 core (log scale)"
	}
	scale := func(src int, v float64) float64 {
		if base == nil {
			return v
		}
		return v / base[src]
	}
	legend := map[string]bool{}
	var (
		under     []plot.Plotter // drawn first: the predicted band
		over      []plot.Plotter
		ys        []float64
		coreTicks []float64
		maxMeas   float64              // largest measured core count
		predFrom  = map[float64]bool{} // MaxN of the series with predictions
		anyPred   bool
	)
	for _, s := range m.Series {
		col := a.strategyColor(s.Strategy)
		var meas plotter.XYs
		var errs plotter.YErrors
		for _, cs := range s.Cells {
			ctr := cs.Throughput.Center
			if !(ctr > 0) || math.IsInf(ctr, 0) {
				continue
			}
			lo, hi := ctr, ctr // no bar without a finite interval (fewer than 6 samples)
			if cs.Throughput.HasCI() {
				lo, hi = min(max(cs.Throughput.Lo, ctr/10), ctr), max(cs.Throughput.Hi, ctr) // the log axis cannot show 0
			}
			ctr, lo, hi = scale(s.Source, ctr), scale(s.Source, lo), scale(s.Source, hi)
			n := float64(cs.Cores)
			meas = append(meas, plotter.XY{X: n, Y: ctr})
			errs = append(errs, struct{ Low, High float64 }{ctr - lo, hi - ctr})
			ys = append(ys, lo, hi)
			coreTicks = append(coreTicks, n)
			maxMeas = max(maxMeas, n)
		}
		if len(meas) == 0 {
			continue
		}
		line := must(plotter.NewLine(meas))
		line.Color, line.Width = col, vg.Points(1.5)
		sc := must(plotter.NewScatter(meas))
		sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: glyphRadius, Shape: filledGlyphs[s.Source%len(filledGlyphs)]}
		eb := must(plotter.NewYErrorBars(struct {
			plotter.XYs
			plotter.YErrors
		}{meas, errs}))
		eb.Color = col
		over = append(over, line, eb, sc)
		switch {
		case len(a.Sources) == 1:
			c.addLegend(s.Strategy, line, sc)
		case !legend[s.Strategy]:
			// One entry per strategy, in its colour; the machines'
			// marker shapes follow.
			legend[s.Strategy] = true
			l := must(plotter.NewLine(plotter.XYs{{}, {}}))
			l.Color, l.Width = col, vg.Points(2.5)
			c.addLegend(s.Strategy, l)
		}

		if len(s.Pred) == 0 {
			continue
		}
		anyPred = true
		predFrom[s.Fit.MaxN] = true
		// The dashed line starts from the model at the largest measured
		// core count, which carries no marker: only measurements do.
		path := plotter.XYs{{X: s.Fit.MaxN, Y: scale(s.Source, s.Fit.Predict(s.Fit.MaxN))}}
		var pts plotter.XYs
		for _, p := range s.Pred {
			if p.X > 0 {
				y := scale(s.Source, p.X)
				pts = append(pts, plotter.XY{X: float64(p.N), Y: y})
				ys = append(ys, y)
				coreTicks = append(coreTicks, float64(p.N))
			}
		}
		if len(pts) == 0 {
			continue
		}
		path = append(path, pts...)
		pl := must(plotter.NewLine(path))
		pl.Color, pl.Width, pl.Dashes = col, vg.Points(1.2), predDashes
		ps := must(plotter.NewScatter(pts))
		ps.GlyphStyle = draw.GlyphStyle{Color: col, Radius: glyphRadius, Shape: hollowGlyphs[s.Source%len(hollowGlyphs)]}
		over = append(over, pl, ps)
	}

	yMin, yMax := logRange(ys)
	xMax := slices.Max(append(coreTicks, 2))
	if anyPred {
		pl := must(plotter.NewLine(plotter.XYs{{}, {}}))
		pl.Color, pl.Width, pl.Dashes = grey, vg.Points(1.2), predDashes
		ps := must(plotter.NewScatter(plotter.XYs{{}}))
		ps.GlyphStyle = draw.GlyphStyle{Color: grey, Radius: glyphRadius, Shape: draw.RingGlyph{}}
		c.addLegend("predicted (USL fit)", pl, ps)
		// Shade the predicted region when it is the same for every
		// series and holds no measurement.
		if len(predFrom) == 1 {
			from := slices.Collect(maps.Keys(predFrom))[0]
			if from >= maxMeas {
				band := must(plotter.NewPolygon(plotter.XYs{{X: from, Y: yMin}, {X: xMax * 1.15, Y: yMin}, {X: xMax * 1.15, Y: yMax}, {X: from, Y: yMax}}))
				band.Color, band.LineStyle.Width = shade, 0
				lbl := must(plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: from, Y: yMax}}, Labels: []string{" predicted"}}))
				lbl.TextStyle[0].Color = grey
				lbl.TextStyle[0].YAlign = draw.YTop
				under = append(under, band, lbl)
			}
		}
	}
	a.addSourceLegend(c)
	c.p.Add(under...)
	c.p.Add(over...)

	c.p.X.Scale = plot.LogScale{}
	c.p.X.Min, c.p.X.Max = 1/1.15, xMax*1.15
	c.p.X.Tick.Marker = coreTickMarks(coreTicks)
	c.p.Y.Scale = plot.LogScale{}
	c.p.Y.Min, c.p.Y.Max = yMin, yMax
	c.p.Y.Tick.Marker = logTicks(yMin, yMax)
	return c
}

// baselines returns, for several machines, each one's median dishes/s of
// sync at 1 core on menu m (compare.BaselineStrategy and BaselineCores),
// by source; nil for one machine or when a machine lacks the baseline.
func (a *analysis) baselines(m menuAnalysis) map[int]float64 {
	if len(a.Sources) < 2 {
		return nil
	}
	base := map[int]float64{}
	for _, s := range m.Series {
		if s.Strategy != compare.BaselineStrategy {
			continue
		}
		for _, cs := range s.Cells {
			if cs.Cores == compare.BaselineCores && cs.Throughput.Center > 0 {
				base[s.Source] = cs.Throughput.Center
			}
		}
	}
	if len(base) < len(a.Sources) {
		return nil
	}
	return base
}

// percentiles are the latency chart's markers.
// key is the percentile's name in results.Latency.Lower.
var percentiles = []struct {
	name, key string
	get       func(cellSummary) float64
	col       color.Color
}{
	{"p50", "p50", func(s cellSummary) float64 { return s.P50 }, color.RGBA{0x4e, 0x79, 0xa7, 0xff}},
	{"p99", "p99", func(s cellSummary) float64 { return s.P99 }, color.RGBA{0xf2, 0x8e, 0x2b, 0xff}},
	{"p99.9", "p999", func(s cellSummary) float64 { return s.P999 }, color.RGBA{0xe1, 0x57, 0x59, 0xff}},
}

// lowerBoundGlyph marks a value that is only a lower bound: an open ring
// with an arrow pointing up, towards where the true value may lie.
type lowerBoundGlyph struct{}

func (lowerBoundGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	draw.RingGlyph{}.DrawGlyph(c, sty, pt)
	ls := draw.LineStyle{Color: sty.Color, Width: vg.Points(1)}
	r := sty.Radius
	tipY := pt.Y + 3.5*r
	c.StrokeLine2(ls, pt.X, pt.Y+r, pt.X, tipY)
	c.StrokeLine2(ls, pt.X-0.8*r, tipY-r, pt.X, tipY)
	c.StrokeLine2(ls, pt.X+0.8*r, tipY-r, pt.X, tipY)
}

// latencyChart draws p50, p99 and p99.9 latency of every measured cell,
// one column per strategy and core count, on a log scale, joined by a thin
// line so each cell's spread reads at a glance.
func (a *analysis) latencyChart(m menuAnalysis) *chart {
	c := newChart(m.Name+": order latency percentiles", "strategy / cores", "order latency, ms (log scale)")
	cats, labels := m.categories()
	var ys []float64
	var spreads, marks []plot.Plotter
	byPct := make([]map[int]plotter.XYs, len(percentiles)) // by source
	for i := range byPct {
		byPct[i] = map[int]plotter.XYs{}
	}
	lower := make([]plotter.XYs, len(percentiles)) // censored: lower bounds only
	for _, s := range m.Series {
		dx := groupOffset(s.Source, len(a.Sources), 0.6)
		for _, cs := range s.Cells {
			x := float64(slices.Index(cats, catKey{s.Strategy, cs.Cores})) + dx
			var col plotter.XYs
			for i, p := range percentiles {
				if v := p.get(cs) / 1e6; v > 0 {
					if s.Lower[cs.Cores][p.key] {
						lower[i] = append(lower[i], plotter.XY{X: x, Y: v})
					} else {
						byPct[i][s.Source] = append(byPct[i][s.Source], plotter.XY{X: x, Y: v})
					}
					col = append(col, plotter.XY{X: x, Y: v})
					ys = append(ys, v)
				}
			}
			if len(col) > 1 {
				l := must(plotter.NewLine(col))
				l.Color, l.Width = grey, vg.Points(0.6)
				spreads = append(spreads, l)
			}
		}
	}
	for i, p := range percentiles {
		var thumb plot.Thumbnailer
		for src := range a.Sources {
			xys := byPct[i][src]
			if len(xys) == 0 {
				continue
			}
			sc := must(plotter.NewScatter(xys))
			sc.GlyphStyle = draw.GlyphStyle{Color: p.col, Radius: glyphRadius, Shape: filledGlyphs[src%len(filledGlyphs)]}
			marks = append(marks, sc)
			if thumb == nil {
				thumb = sc
			}
		}
		if len(lower[i]) > 0 {
			sc := must(plotter.NewScatter(lower[i]))
			sc.GlyphStyle = draw.GlyphStyle{Color: p.col, Radius: glyphRadius, Shape: lowerBoundGlyph{}}
			marks = append(marks, sc)
			if thumb == nil {
				thumb = sc
			}
		}
		if thumb != nil {
			c.addLegend(p.name, thumb)
		}
	}
	if slices.ContainsFunc(lower, func(xys plotter.XYs) bool { return len(xys) > 0 }) {
		sc := must(plotter.NewScatter(plotter.XYs{{}}))
		sc.GlyphStyle = draw.GlyphStyle{Color: grey, Radius: glyphRadius, Shape: lowerBoundGlyph{}}
		c.addLegend("≥ lower bound (censored)", sc)
	}
	a.addSourceLegend(c)
	c.p.Add(spreads...)
	c.p.Add(marks...)

	nominal(c.p, labels)
	yMin, yMax := logRange(ys)
	c.p.Y.Scale = plot.LogScale{}
	c.p.Y.Min, c.p.Y.Max = yMin, yMax
	c.p.Y.Tick.Marker = logTicks(yMin, yMax)
	return c
}

// boundChart draws each cell's median throughput as a percentage of its
// analytic model bound: bars coloured by strategy, grouped left to right
// by machine (left to right, darkest first), against a dashed line at
// 100%.
func (a *analysis) boundChart(m menuAnalysis) *chart {
	c := newChart(m.Name+": throughput as % of the model bound", "strategy / cores", "% of model bound")
	cats, labels := m.categories()
	nsrc := len(a.Sources)
	// 75% of the plot's width shared by the categories, 80% of a
	// category's slot by its bars.
	barW := vg.Length(float64(chartWidth) * 0.75 / float64(len(cats)) * 0.8 / float64(nsrc))
	barW = min(max(barW, vg.Points(2)), vg.Points(40))

	yMax := 120.0
	var missing plotter.XYLabels
	legend := map[string]bool{}
	noBound := map[int]bool{} // categories labelled n/a
	for _, s := range m.Series {
		vals := make(plotter.Values, len(cats))
		any := false
		for _, cs := range s.Cells {
			i := slices.Index(cats, catKey{s.Strategy, cs.Cores})
			if pct := cs.PctOfBound(); cs.Bound > 0 && pct >= 0 && !math.IsInf(pct, 0) {
				vals[i] = pct
				yMax = max(yMax, vals[i]*1.1)
				any = true
			} else if !noBound[i] {
				noBound[i] = true
				missing.XYs = append(missing.XYs, plotter.XY{X: float64(i), Y: 2})
				missing.Labels = append(missing.Labels, "n/a")
			}
		}
		if !any {
			continue
		}
		bc := must(plotter.NewBarChart(vals, barW))
		bc.Color = tint(a.strategyColor(s.Strategy), s.Source)
		bc.LineStyle.Width = 0
		bc.Offset = vg.Length(float64(s.Source)-float64(nsrc-1)/2) * barW
		c.p.Add(bc)
		if !legend[s.Strategy] {
			legend[s.Strategy] = true
			c.addLegend(s.Strategy, bc)
		}
	}
	if len(legend) == 0 {
		c.p.Title.Text += " (no bounds recorded)"
	}
	bound := plotter.NewFunction(func(float64) float64 { return 100 })
	bound.Color, bound.Width, bound.Dashes = grey, vg.Points(1), []vg.Length{vg.Points(3), vg.Points(2)}
	c.p.Add(bound)
	c.addLegend("model bound", bound)
	if len(missing.XYs) > 0 {
		lbl := must(plotter.NewLabels(missing))
		for i := range lbl.TextStyle {
			lbl.TextStyle[i].Color = grey
			lbl.TextStyle[i].XAlign = draw.XCenter
			lbl.TextStyle[i].Font.Size = vg.Points(7)
		}
		c.p.Add(lbl)
		c.addLegend("n/a: no bound")
	}
	if nsrc > 1 {
		// Machines by shade, left to right: a grey swatch of each.
		for i, src := range a.Sources {
			sw := must(plotter.NewBarChart(plotter.Values{0}, barW))
			sw.Color, sw.LineStyle.Width = tint(grey, i), 0
			c.addLegend(src.Label, sw)
		}
	}
	nominal(c.p, labels)
	c.p.Y.Min, c.p.Y.Max = 0, yMax
	return c
}

// tint lightens col for the i-th machine, so that machines' bars of one
// strategy stand apart: full colour, then 45% and 70% towards white.
func tint(col color.Color, i int) color.Color {
	f := []float64{0, 0.45, 0.7}[i%3]
	r, g, b, _ := col.RGBA()
	mix := func(v uint32) uint8 { return uint8(float64(v>>8) + (255-float64(v>>8))*f) }
	return color.RGBA{mix(r), mix(g), mix(b), 0xff}
}

// addSourceLegend names the machines by glyph when there are several.
func (a *analysis) addSourceLegend(c *chart) {
	if len(a.Sources) < 2 {
		return
	}
	for i, src := range a.Sources {
		sc := must(plotter.NewScatter(plotter.XYs{{}}))
		sc.GlyphStyle = draw.GlyphStyle{Color: grey, Radius: glyphRadius, Shape: filledGlyphs[i%len(filledGlyphs)]}
		c.addLegend(src.Label, sc)
	}
}

// groupOffset spreads n machines' marks across width of a category's unit
// slot: the x offset of machine i.
func groupOffset(i, n int, width float64) float64 {
	if n < 2 {
		return 0
	}
	return (float64(i)/float64(n-1) - 0.5) * width / 2
}

// nominal sets a category x axis with slanted labels.
func nominal(p *plot.Plot, labels []string) {
	p.NominalX(labels...)
	p.X.Min, p.X.Max = -0.6, float64(len(labels))-0.4
	p.X.Tick.Label.Rotation = math.Pi / 4
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
}

// logRange returns a log axis range covering ys (the positive ones) with
// some room; [1, 10] when there are none.
func logRange(ys []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, y := range ys {
		if y > 0 && !math.IsInf(y, 0) {
			lo, hi = min(lo, y), max(hi, y)
		}
	}
	if math.IsInf(lo, 1) {
		return 1, 10
	}
	return lo / 1.4, hi * 1.4
}

// logTicks labels 1, 2 and 5 times each power of ten in [lo, hi], falling
// back to linear ticks when the range is too narrow for two of those.
func logTicks(lo, hi float64) plot.ConstantTicks {
	var ticks []plot.Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		base := math.Pow(10, e)
		for _, m := range []float64{1, 2, 5} {
			if v := m * base; v >= lo && v <= hi {
				ticks = append(ticks, plot.Tick{Value: v, Label: tickLabel(v)})
			}
		}
	}
	if len(ticks) < 2 {
		return plot.ConstantTicks(plot.DefaultTicks{}.Ticks(lo, hi))
	}
	return ticks
}

func tickLabel(v float64) string {
	switch {
	case v >= 1e6:
		return strconv.FormatFloat(v/1e6, 'g', 4, 64) + "M"
	case v >= 1e3:
		return strconv.FormatFloat(v/1e3, 'g', 4, 64) + "k"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// coreTickMarks labels every core count shown, measured or predicted.
func coreTickMarks(ns []float64) plot.ConstantTicks {
	ns = slices.Clone(ns)
	slices.Sort(ns)
	ns = slices.Compact(ns)
	if len(ns) == 0 {
		ns = []float64{1, 2}
	}
	ticks := make(plot.ConstantTicks, len(ns))
	for i, n := range ns {
		ticks[i] = plot.Tick{Value: n, Label: strconv.FormatFloat(n, 'g', -1, 64)}
	}
	return ticks
}

// must unwraps a plotter constructor's error, which only reports data
// that this package never builds (NaN, empty) as a programmer error.
func must[T any](v T, err error) T {
	if err != nil {
		panic("report: " + err.Error())
	}
	return v
}
