package history

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/kitchenbench/kitchenbench/render"
	"github.com/kitchenbench/kitchenbench/results"
)

var _ render.Subject = (*Report)(nil)

var header = []string{"machine", "cell", "commit", "date", "before", "after", "change", "p"}

func rows(r *Report) [][]string {
	out := make([][]string, 0, len(r.Changes))
	for _, c := range r.Changes {
		out = append(out, []string{
			c.Machine.String(), c.Cell.String(), shortCommit(c.Commit), dateText(c.Date),
			results.FormatRate(c.Before) + "/s", results.FormatRate(c.After) + "/s",
			fmt.Sprintf("%+.1f%%", 100*c.Change()), fmt.Sprintf("%.3f", c.P),
		})
	}
	return out
}

func shortCommit(c string) string {
	if c == "" {
		return "?"
	}
	if len(c) > 12 {
		return c[:12]
	}
	return c
}

func dateText(t time.Time) string {
	if t.IsZero() {
		return "?"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

func summary(r *Report) string {
	return fmt.Sprintf("%d change point(s) in %d series from %d files (E-divisive means, permutation test: α = %g, %d permutations, seed %d, at least %d commits each side, changes of %g%% or more)",
		len(r.Changes), len(r.Series), r.Files, r.Options.Alpha, r.Options.Permutations, r.Options.Seed, r.Options.MinSize, 100*max(r.Options.MinChange, 0))
}

// ToText writes r as a plain-text table with a summary line.
func (r *Report) ToText(w io.Writer) error { return r.table(w, render.FormatText, "", "") }

// ToMarkdown writes r as a markdown table, for a CI job summary.
func (r *Report) ToMarkdown(w io.Writer) error { return r.table(w, render.FormatMarkdown, "**", "- ") }

func (r *Report) table(w io.Writer, format, bold, bullet string) error {
	if _, err := fmt.Fprintf(w, "%s%s%s\n\n", bold, summary(r), bold); err != nil {
		return err
	}
	if len(r.Changes) > 0 {
		t := &render.Table{Header: header, Rows: rows(r), Left: 4}
		if err := t.Write(w, format); err != nil {
			return err
		}
		if _, err := fmt.Fprintln(w); err != nil {
			return err
		}
	}
	for _, s := range r.Warnings {
		if _, err := fmt.Fprintf(w, "%swarning: %s\n", bullet, s); err != nil {
			return err
		}
	}
	return nil
}

// ToCSV writes one row per change point, figures unformatted.
func (r *Report) ToCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"machine", "menu", "strategy", "cores", "commit", "date", "before_dishes_per_sec", "after_dishes_per_sec", "change", "p"}); err != nil {
		return err
	}
	for _, c := range r.Changes {
		date := ""
		if !c.Date.IsZero() {
			date = c.Date.UTC().Format(time.RFC3339)
		}
		f := func(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
		if err := cw.Write([]string{c.Machine.String(), c.Cell.Menu, c.Cell.Strategy, strconv.Itoa(c.Cell.Cores),
			c.Commit, date, f(c.Before), f(c.After), f(c.Change()), f(c.P)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

type jsonChange struct {
	Machine  string    `json:"machine"`
	Menu     string    `json:"menu"`
	Strategy string    `json:"strategy"`
	Cores    int       `json:"cores"`
	Index    int       `json:"index"`
	Commit   string    `json:"commit,omitempty"`
	Date     time.Time `json:"date"`
	Before   float64   `json:"before_dishes_per_sec"`
	After    float64   `json:"after_dishes_per_sec"`
	Change   float64   `json:"change"`
	P        float64   `json:"p"`
}

type jsonReport struct {
	Method       string       `json:"method"`
	Alpha        float64      `json:"alpha"`
	Permutations int          `json:"permutations"`
	Seed         uint64       `json:"seed"`
	MinSize      int          `json:"min_size"`
	MinChange    float64      `json:"min_change"`
	Files        int          `json:"files"`
	Series       int          `json:"series"`
	Changes      []jsonChange `json:"changes"`
	Warnings     []string     `json:"warnings,omitempty"`
}

// ToJSON writes r as one JSON object.
func (r *Report) ToJSON(w io.Writer) error {
	out := jsonReport{Method: "e-divisive-means", Alpha: r.Options.Alpha, Permutations: r.Options.Permutations,
		Seed: r.Options.Seed, MinSize: r.Options.MinSize, MinChange: max(r.Options.MinChange, 0), Files: r.Files, Series: len(r.Series),
		Changes: []jsonChange{}, Warnings: r.Warnings}
	for _, c := range r.Changes {
		out.Changes = append(out.Changes, jsonChange{Machine: c.Machine.String(), Menu: c.Cell.Menu,
			Strategy: c.Cell.Strategy, Cores: c.Cell.Cores, Index: c.Index, Commit: c.Commit, Date: c.Date,
			Before: c.Before, After: c.After, Change: c.Change(), P: c.P})
	}
	return render.JSON(w, out)
}
