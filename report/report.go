// Package report turns result files into one self-contained HTML page and
// chart images: per menu, throughput against cores for each strategy with
// the Universal Scalability Law fitted by package scaling and its
// predictions beyond the measured cores (always marked as predicted),
// latency percentiles, throughput against the analytic model bound, and,
// given files from several machines, the machines side by side. The page
// needs no network: charts are inline SVG drawn with gonum.org/v1/plot,
// styles are inline, and there is no script. It reads what package results
// holds and knows nothing of how it was measured; `kitchen report` wires it
// to the command line.
package report

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/scaling"
	"github.com/kitchenbench/kitchenbench/verdict"
)

// DefaultPredictCores are the core counts at which the report shows USL
// predictions, for the core counts beyond those measured: the machines
// people ask about and do not have.
var DefaultPredictCores = []int{4, 8, 16, 32, 64}

// Options configures Write. The zero value is ready to use.
type Options struct {
	// Title heads the page; "" means "kitchenbench report".
	Title string
	// PredictCores are the core counts at which to predict throughput
	// from each fit; only those beyond a series' largest measured core
	// count are shown. nil means DefaultPredictCores.
	PredictCores []int
}

// Write writes the HTML report of files to w. Each file is one machine's
// run; several files are shown side by side, each fitted on its own.
func Write(w io.Writer, files []*results.File, opts Options) error {
	if opts.Title == "" {
		opts.Title = "kitchenbench report"
	}
	if opts.PredictCores == nil {
		opts.PredictCores = DefaultPredictCores
	}
	a, err := analyze(files, opts.PredictCores)
	if err != nil {
		return err
	}
	page, err := a.page(opts)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, page); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// The view model: everything the template shows, already formatted.
type (
	pageView struct {
		Title        string
		Sources      []string
		Machines     []machineRow
		Verdict      verdictView
		Menus        []menuView
		PredictCores []int
	}
	// verdictView is the answer at the top of the page: a sentence per
	// menu (with each machine's, given several) and the table behind it.
	verdictView struct {
		Multi bool
		Noise string
		Menus []verdictMenu
		Head  []string
		Rows  []verdictRow
	}
	verdictRow struct {
		Cells    []string
		Headline bool // the cell the menu's sentence is about
	}
	verdictMenu struct {
		Name, ID string
		Clause   string          // the verdict (one machine) or where the machines agree
		Machines []machineClause // each machine's verdict, given several
	}
	machineClause struct{ Label, Clause string }
	machineRow    struct {
		Name   string
		Values []string // one per source
	}
	menuView struct {
		Name, ID                   string
		Throughput, Latency, Bound template.HTML // inline <svg class="chart">
		MultiSource                bool
		Fits                       []fitRow // the fitted series only
		CannotFit                  string   // one line on the series that could not be fitted; "" when all were
		FitHint                    bool     // say how to measure enough core counts to fit
		Normalized                 bool     // the throughput chart shows speedups over each machine's sync
		Predicted                  bool     // the throughput chart shows predictions
		Cells                      []cellRow
	}
	fitRow struct {
		Machine, Strategy, Cores string
		Lambda, Sigma, Kappa     string
		PeakN, PeakX             string
		R2, RMSE                 string
		Pred                     []predCell // one per PredictCores
	}
	predCell struct {
		Value    string
		Measured bool // within the measured range: no prediction shown
	}
	cellRow struct {
		Machine, Strategy                string
		Cores                            int
		Median, CI                       string
		P50, P99, P999                   string
		PctBound, CV                     string
		Orders, Served, Failed, Canceled int
		Behind                           bool
	}
)

func (a *analysis) page(opts Options) (*pageView, error) {
	pv := &pageView{Title: opts.Title, PredictCores: opts.PredictCores}
	for _, s := range a.Sources {
		pv.Sources = append(pv.Sources, s.Label)
	}
	pv.Machines = a.machines()
	ids := map[string]int{}
	menuIDs := map[string]string{}
	for _, m := range a.Menus {
		id := "menu-" + fileSafe(m.Name)
		if ids[id]++; ids[id] > 1 {
			id += "-" + strconv.Itoa(ids[id])
		}
		menuIDs[m.Name] = id
	}
	pv.Verdict = a.verdictView(menuIDs)
	for _, m := range a.Menus {
		mv := menuView{Name: m.Name, ID: menuIDs[m.Name], MultiSource: len(a.Sources) > 1}
		for _, kind := range chartKinds {
			svg, err := inlineSVG(a.chart(m, kind), m.Name, kind)
			if err != nil {
				return nil, fmt.Errorf("report: menu %s: %s chart: %w", m.Name, kind, err)
			}
			switch kind {
			case KindThroughput:
				mv.Throughput = svg
			case KindLatency:
				mv.Latency = svg
			case KindBound:
				mv.Bound = svg
			}
		}
		mv.CannotFit, mv.FitHint = a.cannotFit(m)
		mv.Normalized = a.baselines(m) != nil
		for _, s := range m.Series {
			mv.Predicted = mv.Predicted || len(s.Pred) > 0
			if s.FitErr == nil {
				mv.Fits = append(mv.Fits, a.fitRow(s, opts.PredictCores))
			}
			for _, cs := range s.Cells {
				mv.Cells = append(mv.Cells, cellRow{
					Machine:  a.Sources[s.Source].Label,
					Strategy: s.Strategy,
					Cores:    cs.Cores,
					Median:   fmtNum(cs.Throughput.Center),
					CI:       fmtCI(cs.Throughput),
					P50:      fmtNs(cs.P50),
					P99:      fmtNs(cs.P99),
					P999:     fmtNs(cs.P999),
					PctBound: fmtPct(cs),
					CV:       fmt.Sprintf("%.1f%%", 100*cs.CV),
					Orders:   cs.Orders,
					Served:   cs.Served,
					Failed:   cs.Failed,
					Canceled: cs.Cancelled,
					Behind:   cs.Behind,
				})
			}
		}
		pv.Menus = append(pv.Menus, mv)
	}
	return pv, nil
}

func (a *analysis) fitRow(s series, predictCores []int) fitRow {
	r := fitRow{Machine: a.Sources[s.Source].Label, Strategy: s.Strategy}
	var cores []string
	for _, cs := range s.Cells {
		cores = append(cores, strconv.Itoa(cs.Cores))
	}
	r.Cores = strings.Join(cores, ", ")
	m := s.Fit
	r.Lambda = fmtNum(m.Lambda)
	r.Sigma = strconv.FormatFloat(m.Sigma, 'g', 3, 64)
	r.Kappa = strconv.FormatFloat(m.Kappa, 'g', 3, 64)
	r.PeakN, r.PeakX = "none (κ≈0)", "→ "+fmtNum(m.Lambda/max(m.Sigma, 1e-300))+" as cores → ∞"
	if m.Sigma == 0 {
		r.PeakX = "unbounded"
	}
	if n, ok := m.PeakN(); ok {
		r.PeakN, r.PeakX = strconv.Itoa(n), fmtNum(m.Predict(float64(n)))
	}
	r.R2 = strconv.FormatFloat(m.R2, 'f', 3, 64)
	r.RMSE = fmtNum(m.RMSE)
	for _, n := range predictCores {
		if float64(n) <= m.MaxN {
			r.Pred = append(r.Pred, predCell{Value: "measured", Measured: true})
		} else {
			r.Pred = append(r.Pred, predCell{Value: fmtNum(m.Predict(float64(n)))})
		}
	}
	return r
}

// cannotFit says, in one line, which series of m the scaling law could not
// be fitted to and why, and what would make it possible; "" when every
// series was fitted, and whether to say how to measure enough core counts
// (when some series had too few). One line per menu, not one per series: on the 1- and
// 2-core machines most people have, no series can be fitted.
func (a *analysis) cannotFit(m menuAnalysis) (line string, hint bool) {
	type group struct {
		strategies []string
		all        bool
	}
	var (
		tooFew     = map[int]*group{} // by source
		tooFewSrcs []int
		cores      []int // measured core counts of the series with too few
		others     []string
		total      = map[int]int{}
	)
	for _, s := range m.Series {
		total[s.Source]++
	}
	for _, s := range m.Series {
		switch {
		case s.FitErr == nil:
		case errors.Is(s.FitErr, scaling.ErrTooFewCores):
			g := tooFew[s.Source]
			if g == nil {
				g = &group{}
				tooFew[s.Source] = g
				tooFewSrcs = append(tooFewSrcs, s.Source)
			}
			g.strategies = append(g.strategies, s.Strategy)
			for _, c := range s.Cells {
				if !slices.Contains(cores, c.Cores) {
					cores = append(cores, c.Cores)
				}
			}
		default:
			name := s.Strategy
			if len(a.Sources) > 1 {
				name += " on " + a.Sources[s.Source].Label
			}
			others = append(others, name+" ("+strings.TrimPrefix(s.FitErr.Error(), "scaling: ")+")")
		}
	}
	if len(tooFewSrcs) == 0 && len(others) == 0 {
		return "", false
	}
	slices.Sort(cores)
	var parts []string
	everything := len(others) == 0
	for _, src := range tooFewSrcs {
		g := tooFew[src]
		g.all = len(g.strategies) == total[src]
		everything = everything && g.all
	}
	if everything && len(tooFewSrcs) == len(total) {
		who := "every strategy"
		if len(a.Sources) > 1 {
			who += " on every machine"
		}
		parts = append(parts, fmt.Sprintf("%s was measured at fewer than 3 core counts (%s)", who, joinInts(cores)))
	} else {
		for _, src := range tooFewSrcs {
			g := tooFew[src]
			who := strings.Join(g.strategies, ", ")
			if g.all {
				who = "every strategy"
			}
			if len(a.Sources) > 1 {
				who += " on " + a.Sources[src].Label
			}
			parts = append(parts, who+" (fewer than 3 core counts)")
		}
		parts = append(parts, others...)
	}
	return "Scaling law: cannot fit — " + strings.Join(parts, "; ") + ".", len(tooFewSrcs) > 0
}

// verdictView builds the verdict at the top of the page (package
// verdict), menus in the page's order; ids maps menus to their sections.
func (a *analysis) verdictView(ids map[string]string) verdictView {
	files := make([]*results.File, len(a.Sources))
	for i, s := range a.Sources {
		files[i] = s.File
	}
	set := verdict.New(files) // labels as analyze's: results.MachineLabels
	v := verdictView{Multi: len(a.Sources) > 1, Noise: verdict.Noise, Head: verdict.Headers}
	if v.Multi {
		v.Head = append([]string{"machine"}, verdict.Headers...)
	}
	for _, m := range a.Menus {
		vm := verdictMenu{Name: m.Name, ID: ids[m.Name]}
		for _, f := range set.Files {
			i := slices.IndexFunc(f.Menus, func(x verdict.Menu) bool { return x.Name == m.Name })
			if i < 0 {
				continue
			}
			if !v.Multi {
				vm.Clause = verdict.Clause(f.Menus[i])
			} else {
				vm.Machines = append(vm.Machines, machineClause{Label: f.Label, Clause: verdict.Clause(f.Menus[i])})
			}
			for j, c := range f.Menus[i].Cells {
				row := verdict.Row(f.Menus[i], c)
				if v.Multi {
					row = append([]string{f.Label}, row...)
				}
				v.Rows = append(v.Rows, verdictRow{Cells: row, Headline: j == f.Menus[i].Best})
			}
		}
		if v.Multi {
			vm.Clause = "measured on only some of the machines."
			for _, ag := range set.Agreements {
				if ag.Menu == m.Name {
					vm.Clause = verdict.AgreementClause(ag, set.Labels())
				}
			}
		}
		v.Menus = append(v.Menus, vm)
	}
	return v
}

// machines lays the machines' metadata out one column per file.
func (a *analysis) machines() []machineRow {
	rows := []struct {
		name string
		get  func(f *results.File) string
	}{
		{"Label", func(f *results.File) string { return f.Machine.Label }},
		{"CPU model", func(f *results.File) string { return f.Machine.CPUModel }},
		{"Logical CPUs", func(f *results.File) string { return strconv.Itoa(f.Machine.LogicalCPUs) }},
		{"OS/arch", func(f *results.File) string { return f.Machine.OS + "/" + f.Machine.Arch }},
		{"Kernel", func(f *results.File) string { return f.Machine.Kernel }},
		{"Go version", func(f *results.File) string { return f.Machine.GoVersion }},
		{"Cores run", func(f *results.File) string { return joinInts(f.Machine.GOMAXPROCS) }},
		{"ns per unit", func(f *results.File) string {
			if f.Machine.NsPerUnit == 0 {
				return ""
			}
			return strconv.FormatFloat(f.Machine.NsPerUnit, 'f', 2, 64)
		}},
		{"Commit", func(f *results.File) string { return f.Machine.Commit }},
		{"Date", func(f *results.File) string {
			if f.Machine.Date.IsZero() {
				return ""
			}
			return f.Machine.Date.UTC().Format(time.RFC3339)
		}},
		{"Samples", func(f *results.File) string {
			s := strconv.Itoa(len(f.Samples))
			if f.Partial {
				s += " (partial run)"
			}
			return s
		}},
		{"File", func(f *results.File) string { return f.Path }},
	}
	var out []machineRow
	for _, r := range rows {
		mr := machineRow{Name: r.name}
		empty := true
		for _, s := range a.Sources {
			v := r.get(s.File)
			if v == "" || v == "/" {
				v = "—"
			} else {
				empty = false
			}
			mr.Values = append(mr.Values, v)
		}
		if empty && r.name == "Label" {
			continue // no run was given --label
		}
		out = append(out, mr)
	}
	return out
}

// inlineSVG renders c as SVG for embedding in HTML: the XML prolog is
// dropped and the root element is tagged class="chart" with data-menu and
// data-kind, the hooks the browser test and readers' scripts use. Text
// inside the SVG is escaped by vgsvg (html.EscapeString).
func inlineSVG(c *chart, menu, kind string) (template.HTML, error) {
	var buf bytes.Buffer
	if err := c.render(&buf, "svg"); err != nil {
		return "", err
	}
	s := buf.String()
	i := strings.Index(s, "<svg")
	if i < 0 {
		return "", errors.New("no <svg> element in rendered chart")
	}
	attrs := fmt.Sprintf(` class="chart" data-menu="%s" data-kind="%s" role="img" aria-label="%s"`,
		template.HTMLEscapeString(menu), kind, template.HTMLEscapeString(c.p.Title.Text))
	return template.HTML("<svg" + attrs + s[i+len("<svg"):]), nil
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// fmtNum formats a rate with three significant digits and no exponent.
func fmtNum(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "—"
	case math.Abs(v) >= 100:
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	case math.Abs(v) >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// fmtNs formats a latency in nanoseconds with three significant digits.
func fmtNs(ns float64) string {
	switch {
	case !(ns > 0):
		return "—"
	case ns >= 1e9:
		return strconv.FormatFloat(ns/1e9, 'g', 3, 64) + " s"
	case ns >= 1e6:
		return strconv.FormatFloat(ns/1e6, 'g', 3, 64) + " ms"
	case ns >= 1e3:
		return strconv.FormatFloat(ns/1e3, 'g', 3, 64) + " µs"
	}
	return strconv.FormatFloat(ns, 'g', 3, 64) + " ns"
}

func fmtCI(e results.Estimate) string {
	if !e.HasCI() {
		return "— (too few samples)"
	}
	return fmtNum(e.Lo) + " – " + fmtNum(e.Hi)
}

func fmtPct(cs cellSummary) string {
	if cs.Bound <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", cs.PctOfBound())
}

var pageTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #222; }
h1, h2, h3 { font-weight: 600; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
table { border-collapse: collapse; margin: .5em 0 1.5em; font-size: .9em; }
th, td { border: 1px solid #ddd; padding: .25em .6em; text-align: right; }
th { background: #f4f4f4; }
td.text, th.text { text-align: left; }
caption { text-align: left; font-weight: 600; padding: .3em 0; }
.predicted { font-style: italic; color: #555; background: #f0f0f0; }
.measured { color: #aaa; }
.cannot { color: #a33; text-align: left; }
figure { margin: 1em 0; }
svg.chart { display: block; width: 100%; max-width: 800px; height: auto; }
figcaption { font-size: .85em; color: #555; max-width: 60em; }
nav a { margin-right: 1em; }
h1 { margin: 0 0 .2em; font-size: 1.6em; }
#verdict h2 { margin-top: .6em; }
#verdict p.how { color: #555; font-size: .85em; margin: .2em 0 .6em; }
ul.verdicts { list-style: none; padding: 0; margin: 0 0 1em; }
ul.verdicts > li { margin: 0 0 .55em; padding: .35em .6em; border-left: 4px solid #4e79a7; background: #f6f8fb; }
ul.verdicts > li > a { font-weight: 700; color: inherit; }
ul.verdicts ul { list-style: none; padding: 0 0 0 1em; margin: .15em 0 0; font-size: .88em; color: #333; }
span.machine { font-weight: 600; }
p.cannot { color: #a33; }
table.verdict tr.headline td { font-weight: 600; background: #f6f8fb; }
table.verdict caption { font-weight: normal; color: #555; font-size: .95em; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<nav>{{range .Menus}}<a href="#{{.ID}}">{{.Name}}</a>{{end}}<a href="#verdict-table">verdict table</a><a href="#machines">machines</a></nav>

<section id="verdict">
<h2>Verdict</h2>
<p class="how">Per menu, the strategy that served the most dishes/s, at the fewest cores that reach it; two strategies are named when their difference is within noise ({{.Verdict.Noise}}). “× sync” is over sync at 1 core; “% of bound” is the share of the model's limit; “binds” is the resource that sets that limit.{{if .Verdict.Multi}} Each machine is judged on its own figures; they agree where one strategy is among the best (within noise) on every machine.{{end}}</p>
<ul class="verdicts">
{{range .Verdict.Menus}}<li data-verdict-menu="{{.Name}}"><a href="#{{.ID}}">{{.Name}}</a>: {{.Clause}}{{if .Machines}}
<ul>{{range .Machines}}<li><span class="machine">{{.Label}}</span>: {{.Clause}}</li>{{end}}</ul>{{end}}</li>
{{end}}</ul>
<table class="verdict" id="verdict-table">
<caption>Every core count; the rows the sentences are about in bold. “≈”: a tie within noise.</caption>
<tr>{{range .Verdict.Head}}<th class="text">{{.}}</th>{{end}}</tr>
{{range .Verdict.Rows}}<tr{{if .Headline}} class="headline"{{end}}>{{range .Cells}}<td class="text">{{.}}</td>{{end}}</tr>
{{end}}</table>
</section>
{{range .Menus}}{{$multi := .MultiSource}}
<section class="menu" id="{{.ID}}" data-menu="{{.Name}}">
<h2>Menu {{.Name}}</h2>

<h3>Throughput against cores</h3>
<figure>
{{.Throughput}}
<figcaption>{{if .Normalized}}Each machine's median dishes per second over its own sync at 1 core, with the 95% interval: the shape of each machine's scaling, comparable across fast and slow machines. Colours are strategies, marker shapes machines.{{else}}Median dishes per second with its 95% interval, measured (solid lines, filled markers).{{end}}
{{if .Predicted}}Dashed lines with hollow markers (and the shaded band, when every series is predicted from the same core count) are <strong>predicted</strong> by the Universal Scalability Law fitted to the measurements: not measured.{{end}}</figcaption>
</figure>

{{if .CannotFit}}<p class="cannot">{{.CannotFit}}{{if .FitHint}} Measure at 3 or more core counts to fit it and predict larger machines: <code>kitchen run --cores 1,2,4</code> on a machine with 4 or more cores.{{end}}</p>
{{end}}{{if .Fits}}<table class="fits">
<caption>Universal Scalability Law fit: X(N) = λN / (1 + σ(N−1) + κN(N−1))</caption>
<tr>{{if .MultiSource}}<th class="text">machine</th>{{end}}<th class="text">strategy</th><th>measured cores</th><th>λ (dishes/s on 1 core)</th><th>σ (contention)</th><th>κ (coherency)</th><th class="predicted">peak cores (predicted)</th><th class="predicted">peak dishes/s (predicted)</th><th>R²</th><th>RMSE (dishes/s)</th></tr>
{{range .Fits}}<tr>{{if $multi}}<td class="text">{{.Machine}}</td>{{end}}<td class="text">{{.Strategy}}</td><td>{{.Cores}}</td>
<td>{{.Lambda}}</td><td>{{.Sigma}}</td><td>{{.Kappa}}</td><td class="predicted">{{.PeakN}}</td><td class="predicted">{{.PeakX}}</td><td>{{.R2}}</td><td>{{.RMSE}}</td></tr>
{{end}}</table>

<table class="predictions">
<caption>Predicted dishes/s at core counts beyond those measured (USL; not measurements)</caption>
<tr>{{if .MultiSource}}<th class="text">machine</th>{{end}}<th class="text">strategy</th>{{range $.PredictCores}}<th class="predicted">{{.}} cores (predicted)</th>{{end}}</tr>
{{range .Fits}}<tr>{{if $multi}}<td class="text">{{.Machine}}</td>{{end}}<td class="text">{{.Strategy}}</td>{{range .Pred}}{{if .Measured}}<td class="measured">measured</td>{{else}}<td class="predicted">{{.Value}}</td>{{end}}{{end}}</tr>
{{end}}</table>
{{end}}
<h3>Latency</h3>
<figure>
{{.Latency}}
<figcaption>Order latency percentiles p50, p99 and p99.9 of each strategy at each measured core count (log scale). An open ring with an arrow up is only a lower bound: orders still waiting when the sample ended reach it, so the true value may be higher.</figcaption>
</figure>

<h3>Against the model bound</h3>
<figure>
{{.Bound}}
<figcaption>Median throughput as a percentage of the analytic bound of the model for that cell: 100% means the strategy got all the kitchen allows.</figcaption>
</figure>

<table class="cells">
<caption>Measurements</caption>
<tr>{{if .MultiSource}}<th class="text">machine</th>{{end}}<th class="text">strategy</th><th>cores</th><th>dishes/s (median)</th><th>95% interval</th><th>p50</th><th>p99</th><th>p99.9</th><th>% of bound</th><th>CV</th><th>orders</th><th>served</th><th>failed</th><th>cancelled</th><th>behind</th></tr>
{{range .Cells}}<tr>{{if $multi}}<td class="text">{{.Machine}}</td>{{end}}<td class="text">{{.Strategy}}</td><td>{{.Cores}}</td><td>{{.Median}}</td><td>{{.CI}}</td><td>{{.P50}}</td><td>{{.P99}}</td><td>{{.P999}}</td><td>{{.PctBound}}</td><td>{{.CV}}</td><td>{{.Orders}}</td><td>{{.Served}}</td><td>{{.Failed}}</td><td>{{.Canceled}}</td><td>{{if .Behind}}yes{{end}}</td></tr>
{{end}}</table>
</section>
{{end}}
<section id="machines">
<h2>Machines</h2>
<table class="machines">
<tr><th class="text"></th>{{range .Sources}}<th class="text">{{.}}</th>{{end}}</tr>
{{range .Machines}}<tr><th class="text">{{.Name}}</th>{{range .Values}}<td class="text">{{.}}</td>{{end}}</tr>
{{end}}</table>
</section>
</body>
</html>`))
