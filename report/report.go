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
