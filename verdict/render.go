package verdict

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/kitchenbench/kitchenbench/render"
	"github.com/kitchenbench/kitchenbench/results"
)

var _ render.Subject = (*Set)(nil)

// ForFormat is New(files) for the formats that show a verdict (text and
// markdown: render.ForPeople), nil for the others, so that CSV and JSON
// output does not compute one.
func ForFormat(format string, files []*results.File) render.Subject {
	if !render.ForPeople(format) {
		return nil
	}
	return New(files)
}

// Title heads every rendering of a verdict: what was judged and how.
const Title = "Verdict: the strategy with the most dishes/s, per menu and core count"

// Headers are the columns of the verdict table, after the machine's
// (when there are several files).
var Headers = []string{"menu", "cores", "winner", "× sync at 1 core", "% of bound", "binds", "the kitchen", "next best"}

// Row is one cell of m as table cells, in Headers order.
func Row(m Menu, c Cell) []string {
	winner := c.Winner
	if c.Tie && c.RunnerUp != "" {
		winner += " ≈ " + c.RunnerUp
	}
	if c.Oversubscribed {
		winner += " (oversubscribed)"
	}
	return []string{m.Name, strconv.Itoa(c.Cores), winner, results.FormatSpeedup(c.Speedup), pctText(c.PctOfBound), c.Binds.Short(), c.Kitchen(), NextBest(c)}
}

// NextBest describes the runner-up against the winner: "loops, −12%
// (p=0.000 n=10+10)", or "loops, within noise (p=0.31 n=10+10)".
func NextBest(c Cell) string {
	if c.RunnerUp == "" {
		return "—"
	}
	if c.TooFew {
		return fmt.Sprintf("%s, not told apart: too few samples (%s)", c.RunnerUp, c.NoiseText())
	}
	if c.Tie {
		return fmt.Sprintf("%s, within noise (%s)", c.RunnerUp, c.NoiseText())
	}
	return fmt.Sprintf("%s, %s (%s)", c.RunnerUp, deltaText(c.RunnerUpDishesPerSec, c.DishesPerSec), c.NoiseText())
}

func deltaText(v, ref float64) string {
	if !(ref > 0) {
		return "?"
	}
	d := 100 * (v/ref - 1)
	decimals := 0
	if a := math.Abs(d); a < 1 && a > 0 {
		// Two figures, never a bare "−0%" beside a small p; at most four
		// decimals, never an exponent.
		decimals = min(4, 1-int(math.Floor(math.Log10(a))))
	}
	return strings.Replace(fmt.Sprintf("%+.*f%%", decimals, d), "-", "−", 1)
}

func pctText(p float64) string {
	if !(p > 0) || math.IsInf(p, 0) {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", p)
}

// coresList is "1 core", "1 and 2 cores", "1, 2 and 4 cores".
func coresList(ns []int) string {
	if len(ns) == 1 {
		return results.FormatCores(ns[0])
	}
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1] + " cores"
}

// Sentence says the verdict on m in one sentence: "dinner-rush: eventloop
// at 1 core, 546× sync, 91% of bound, the 1000 grills bind — the
// multitasking cook."
func Sentence(m Menu) string { return m.Name + ": " + Clause(m) }

// Clause is Sentence without the menu's name: "eventloop at 1 core, …".
func Clause(m Menu) string {
	if m.Best < 0 {
		return "nothing was served."
	}
	c := m.Cells[m.Best]
	var b strings.Builder
	fmt.Fprintf(&b, "%s at %s", c.Winners(), results.FormatCores(c.Cores))
	switch {
	case c.TooFew && c.RunnerUp != "":
		fmt.Fprintf(&b, " (not told apart: too few samples, %s)", c.NoiseText())
	case c.Tie && c.RunnerUp != "":
		fmt.Fprintf(&b, " (a tie: within noise, %s)", c.NoiseText())
	}
	var parts []string
	if !math.IsNaN(c.Speedup) {
		parts = append(parts, results.FormatSpeedup(c.Speedup)+" sync")
	}
	if c.PctOfBound > 0 {
		parts = append(parts, pctText(c.PctOfBound)+" of bound")
	}
	if s := c.Binds.String(); s != "" {
		parts = append(parts, s)
	}
	if len(parts) > 0 {
		b.WriteString(", " + strings.Join(parts, ", "))
	}
	if k := c.Kitchen(); k != "" {
		b.WriteString(" — " + k)
	}
	// What the other core counts add.
	var more []string
	for _, o := range m.Cells {
		switch {
		case o.Cores == c.Cores || o.Oversubscribed:
		case o.Cores > c.Cores:
			more = append(more, fmt.Sprintf("%s add nothing measurable", results.FormatCores(o.Cores)))
		case o.Winners() != c.Winners():
			more = append(more, fmt.Sprintf("at %s, %s (%s)", results.FormatCores(o.Cores), o.Winners(), results.FormatSpeedup(o.Speedup)))
		}
	}
	if len(more) > 0 {
		b.WriteString("; " + strings.Join(more, "; "))
	}
	b.WriteString(".")
	return b.String()
}

// AgreementSentence says where the machines agree on a menu and where
// they differ, naming machines by labels.
func AgreementSentence(a Agreement, labels []string) string {
	return a.Menu + ": " + AgreementClause(a, labels)
}

// AgreementClause is AgreementSentence without the menu's name.
func AgreementClause(a Agreement, labels []string) string {
	n := "the machines"
	if len(labels) == 2 {
		n = "both machines"
	}
	if len(a.Cores) == 0 {
		return "no core count was measured on every machine."
	}
	var agree, differ []string
	// Runs of core counts that agree on the same strategy read as one:
	// "pool at 1 and 2 cores".
	var run []int
	runWinner := ""
	flush := func() {
		if len(run) > 0 {
			agree = append(agree, fmt.Sprintf("%s at %s", runWinner, coresList(run)))
		}
		run, runWinner = nil, ""
	}
	for _, c := range a.Cores {
		if c.Agree() {
			if c.Common[0] != runWinner {
				flush()
			}
			run, runWinner = append(run, c.Cores), c.Common[0]
			continue
		}
		flush()
		var each []string
		for i, w := range c.Winners {
			each = append(each, fmt.Sprintf("%s on %s", w, labels[i]))
		}
		differ = append(differ, fmt.Sprintf("at %s: %s", results.FormatCores(c.Cores), strings.Join(each, ", ")))
	}
	flush()
	switch {
	case len(differ) == 0:
		return fmt.Sprintf("%s agree — %s.", n, strings.Join(agree, ", "))
	case len(agree) == 0:
		return fmt.Sprintf("%s differ %s.", n, strings.Join(differ, "; "))
	}
	return fmt.Sprintf("%s agree on %s, and differ %s.", n, strings.Join(agree, ", "), strings.Join(differ, "; "))
}

// Labels returns the files' labels.
func (s *Set) Labels() []string {
	out := make([]string, len(s.Files))
	for i, f := range s.Files {
		out[i] = f.Label
	}
	return out
}

// ToText writes s for a terminal: a table per file, then one sentence per
// menu, and, for several files, where they agree. It ends with the
// sentences, so that a run's output ends with its answer.
func (s *Set) ToText(w io.Writer) error {
	ew := &render.ErrWriter{W: w}
	for _, f := range s.Files {
		title := Title
		if len(s.Files) > 1 {
			title += " — " + f.Label
		}
		ew.Printf("\n%s (ties: %s)\n", title, Noise)
		t := &render.Table{Header: Headers, Left: len(Headers)}
		for _, m := range f.Menus {
			for _, c := range m.Cells {
				t.Rows = append(t.Rows, Row(m, c))
			}
		}
		if err := t.Text(ew); err != nil {
			return err
		}
		ew.Printf("\n")
		for _, m := range f.Menus {
			ew.Printf("  %s\n", Sentence(m))
		}
	}
	if len(s.Agreements) > 0 {
		ew.Printf("\nAcross machines:\n")
		for _, a := range s.Agreements {
			ew.Printf("  %s\n", AgreementSentence(a, s.Labels()))
		}
	}
	return ew.Err
}

// ToMarkdown writes s as GitHub-flavoured markdown, for a pull-request
// comment: the sentences first, then the table.
func (s *Set) ToMarkdown(w io.Writer) error {
	ew := &render.ErrWriter{W: w}
	ew.Printf("### %s\n\n", Title)
	for _, f := range s.Files {
		if len(s.Files) > 1 {
			ew.Printf("**%s**\n\n", mdEscape(f.Label))
		}
		for _, m := range f.Menus {
			ew.Printf("- %s\n", mdEscape(Sentence(m)))
		}
		ew.Printf("\n")
	}
	if len(s.Agreements) > 0 {
		ew.Printf("**Across machines**\n\n")
		for _, a := range s.Agreements {
			ew.Printf("- %s\n", mdEscape(AgreementSentence(a, s.Labels())))
		}
		ew.Printf("\n")
	}
	head := Headers
	if len(s.Files) > 1 {
		head = append([]string{"machine"}, Headers...)
	}
	t := &render.Table{Header: head, Left: len(head)}
	for _, f := range s.Files {
		for _, m := range f.Menus {
			for _, c := range m.Cells {
				row := Row(m, c)
				if len(s.Files) > 1 {
					row = append([]string{f.Label}, row...)
				}
				t.Rows = append(t.Rows, row)
			}
		}
	}
	if err := t.Markdown(ew); err != nil {
		return err
	}
	ew.Printf("\nTies: %s.\n", Noise)
	return ew.Err
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`).Replace(s)
}

// ToCSV writes one record per file, menu and core count, with raw numbers.
func (s *Set) ToCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"machine", "menu", "cores", "winner", "dishes_per_sec", "speedup_vs_sync_1core", "pct_of_bound",
		"binds", "kitchen", "runner_up", "runner_up_dishes_per_sec", "p", "n1", "n2", "tie", "contenders", "headline", "oversubscribed"})
	num := func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ""
		}
		return strconv.FormatFloat(v, 'g', 6, 64)
	}
	for _, f := range s.Files {
		for _, m := range f.Menus {
			for i, c := range m.Cells {
				cw.Write([]string{f.Label, m.Name, strconv.Itoa(c.Cores), c.Winner, num(c.DishesPerSec), num(c.Speedup), num(c.PctOfBound),
					string(c.Binds.Limit), c.Kitchen(), c.RunnerUp, num(c.RunnerUpDishesPerSec), num(c.P), strconv.Itoa(c.N1), strconv.Itoa(c.N2),
					strconv.FormatBool(c.Tie), strings.Join(c.Contenders, " "), strconv.FormatBool(i == m.Best), strconv.FormatBool(c.Oversubscribed)})
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// ToJSON writes s with a sentence per menu and raw numbers.
func (s *Set) ToJSON(w io.Writer) error {
	type jsonCell struct {
		Cores          int      `json:"cores"`
		Winner         string   `json:"winner"`
		DishesPerSec   float64  `json:"dishes_per_sec"`
		Speedup        *float64 `json:"speedup_vs_sync_1core,omitempty"`
		PctOfBound     float64  `json:"pct_of_bound,omitempty"`
		Binds          Binding  `json:"binds,omitempty"`
		Kitchen        string   `json:"kitchen,omitempty"`
		RunnerUp       string   `json:"runner_up,omitempty"`
		RunnerUpDPS    float64  `json:"runner_up_dishes_per_sec,omitempty"`
		P              float64  `json:"p"`
		N1             int      `json:"n1"`
		N2             int      `json:"n2"`
		Tie            bool     `json:"tie"`
		Contenders     []string `json:"contenders"`
		Oversubscribed bool     `json:"oversubscribed,omitempty"`
	}
	type jsonMenu struct {
		Menu     string     `json:"menu"`
		Sentence string     `json:"sentence"`
		Headline *int       `json:"headline_cores,omitempty"`
		Cells    []jsonCell `json:"cells"`
	}
	type jsonFile struct {
		Machine string     `json:"machine"`
		Menus   []jsonMenu `json:"menus"`
	}
	type jsonAgreement struct {
		Menu     string `json:"menu"`
		Agree    bool   `json:"agree"`
		Sentence string `json:"sentence"`
	}
	out := struct {
		Noise      string          `json:"noise"`
		Files      []jsonFile      `json:"files"`
		Agreements []jsonAgreement `json:"agreements,omitempty"`
	}{Noise: Noise}
	for _, f := range s.Files {
		jf := jsonFile{Machine: f.Label, Menus: []jsonMenu{}}
		for _, m := range f.Menus {
			jm := jsonMenu{Menu: m.Name, Sentence: Sentence(m), Cells: []jsonCell{}}
			if m.Best >= 0 {
				jm.Headline = &m.Cells[m.Best].Cores
			}
			for _, c := range m.Cells {
				jc := jsonCell{Cores: c.Cores, Winner: c.Winner, DishesPerSec: c.DishesPerSec, PctOfBound: c.PctOfBound,
					Binds: c.Binds, Kitchen: c.Kitchen(), RunnerUp: c.RunnerUp, RunnerUpDPS: c.RunnerUpDishesPerSec,
					P: c.P, N1: c.N1, N2: c.N2, Tie: c.Tie, Contenders: c.Contenders, Oversubscribed: c.Oversubscribed}
				if !math.IsNaN(c.Speedup) {
					jc.Speedup = &c.Speedup
				}
				jm.Cells = append(jm.Cells, jc)
			}
			jf.Menus = append(jf.Menus, jm)
		}
		out.Files = append(out.Files, jf)
	}
	for _, a := range s.Agreements {
		out.Agreements = append(out.Agreements, jsonAgreement{Menu: a.Menu, Agree: a.Agree, Sentence: AgreementSentence(a, s.Labels())})
	}
	return render.JSON(w, out)
}
