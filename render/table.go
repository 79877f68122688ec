package render

import (
	"encoding/csv"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// Table is a header and rows of cells, written as text or markdown by
// tablewriter, or as CSV. The first Left columns are names, aligned left;
// the rest are figures, aligned right.
//
// Note: text/tabwriter was the other candidate; tablewriter was kept
// because one table value gives both the ASCII and the markdown form,
// which --format needs for every table.
type Table struct {
	Header      []string
	Rows        [][]string
	Left        int  // leading columns aligned left
	Ruled       bool // text: a rule between rows, for tables with multi-line cells
	AlignHeader bool // headers aligned as their columns (else centred)
}

// Text writes t as an ASCII table.
func (t *Table) Text(w io.Writer) error { return t.write(w, FormatText) }

// Markdown writes t as a GitHub-flavoured markdown table; cells have '|'
// and '*' escaped and line breaks as <br>.
func (t *Table) Markdown(w io.Writer) error { return t.write(w, FormatMarkdown) }

// CSV writes the header and rows as CSV records, cells unchanged.
func (t *Table) CSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	if err := cw.WriteAll(t.Rows); err != nil {
		return err
	}
	return cw.Error()
}

// Write writes t in format: text or markdown as tables, csv as records.
// JSON has no tabular form here: a subject writes its own.
func (t *Table) Write(w io.Writer, format string) error {
	switch format {
	case FormatCSV:
		return t.CSV(w)
	case FormatMarkdown, FormatText:
		return t.write(w, format)
	}
	return CheckFormat(format)
}

func (t *Table) write(w io.Writer, format string) error {
	aligns := make([]tw.Align, len(t.Header))
	for i := range aligns {
		aligns[i] = tw.AlignRight
		if i < t.Left {
			aligns[i] = tw.AlignLeft
		}
	}
	var r tw.Renderer
	if format == FormatMarkdown {
		r = renderer.NewMarkdown()
	} else {
		rend := tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)}
		if t.Ruled {
			rend.Settings = tw.Settings{Separators: tw.Separators{BetweenRows: tw.On}}
		}
		r = renderer.NewBlueprint(rend)
	}
	header := tw.CellAlignment{Global: tw.AlignCenter}
	if t.AlignHeader {
		header.PerColumn = aligns
	}
	tab := tablewriter.NewTable(w,
		tablewriter.WithRenderer(r),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignmentConfig(header),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{Global: tw.AlignRight, PerColumn: aligns}),
	)
	h := cells(format, t.Header)
	hs := make([]any, len(h))
	for i, c := range h {
		hs[i] = c
	}
	tab.Header(hs...)
	for _, row := range t.Rows {
		if err := tab.Append(cells(format, row)); err != nil {
			return err
		}
	}
	return tab.Render()
}

// cells prepares one row for format: markdown has no multi-line cells
// (lines join with <br>) and needs '|' and '*' escaped.
func cells(format string, row []string) []string {
	if format != FormatMarkdown {
		return row
	}
	out := make([]string, len(row))
	for i, c := range row {
		c = strings.ReplaceAll(c, "|", `\|`)
		c = strings.ReplaceAll(c, "*", `\*`)
		out[i] = strings.ReplaceAll(c, "\n", "<br>")
	}
	return out
}
