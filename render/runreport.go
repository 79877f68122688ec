package render

import (
	"io"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/results"
)

// RunReport is everything `kitchen run` and `kitchen merge` print of a
// result file: its tables (Run), then, for an open loop, its queueing
// table beside an M/G/1 model (bench.PredictMG1), and with PerDish each
// dish's latency. In JSON each table is a document of its own (a stream
// that json.Decoder and jq read); in CSV a blank line separates the
// tables. Its Verdict, when set, comes last in every format: the answer
// the run ends with (a document of its own in JSON, a table of its own in
// CSV).
type RunReport struct {
	File    *results.File
	PerDish bool    // add the per-dish table (PerDishOf)
	Verdict Subject // the verdict on File (package verdict)
}

var _ Subject = RunReport{}

func (r RunReport) ToText(w io.Writer) error     { return r.write(w, FormatText) }
func (r RunReport) ToMarkdown(w io.Writer) error { return r.write(w, FormatMarkdown) }
func (r RunReport) ToCSV(w io.Writer) error      { return r.write(w, FormatCSV) }
func (r RunReport) ToJSON(w io.Writer) error     { return r.write(w, FormatJSON) }

// write writes the report's tables in format, skipping empty ones.
func (r RunReport) write(w io.Writer, format string) error {
	if err := Write(w, format, Run(r.File)); err != nil {
		return err
	}
	var more []Subject
	if o := OpenLoopOf(r.File, mg1Row(r.File)); len(o.Rows) > 0 {
		more = append(more, o)
	}
	if p := PerDishOf(r.File); r.PerDish && len(p.Menus) > 0 {
		more = append(more, p)
	}
	if r.Verdict != nil {
		more = append(more, r.Verdict)
	}
	for _, s := range more {
		if format == FormatCSV {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
		if err := Write(w, format, s); err != nil {
			return err
		}
	}
	return nil
}

// ForPeople reports whether format is one for people (text, markdown),
// where reports add what is for people only, such as a verdict; CSV and
// JSON stay documents for other tools.
func ForPeople(format string) bool { return format == FormatText || format == FormatMarkdown }

// forPeople writes s in text or markdown only; nothing in CSV or JSON,
// nor when s is nil.
func forPeople(w io.Writer, format string, s Subject) error {
	if s == nil || !ForPeople(format) {
		return nil
	}
	return Write(w, format, s)
}

// mg1Row is bench.PredictMG1 on f as a row of the open-loop table.
func mg1Row(f *results.File) func(menu string, rate float64) (OpenLoopRow, bool) {
	return func(menu string, rate float64) (OpenLoopRow, bool) {
		p, ok := bench.PredictMG1(f, menu, rate)
		if !ok {
			return OpenLoopRow{}, false
		}
		return OpenLoopRow{Strategy: "M/G/1 FIFO model", Utilisation: p.Utilisation,
			QueueP50: p.QueueP50, P50: p.P50, P90: p.P90, P99: p.P99}, true
	}
}
