package render

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Output formats.
const (
	FormatText     = "text"     // ASCII tables for a terminal or CI log
	FormatMarkdown = "markdown" // GitHub-flavoured markdown, fits a pull-request comment
	FormatCSV      = "csv"      // one record per row, raw numbers, for spreadsheets
	FormatJSON     = "json"     // raw numbers, for other tools
)

// Formats lists the formats Write accepts, in the order help text names them.
var Formats = []string{FormatText, FormatMarkdown, FormatCSV, FormatJSON}

// Subject is something that can be written in every format.
type Subject interface {
	ToText(w io.Writer) error
	ToMarkdown(w io.Writer) error
	ToCSV(w io.Writer) error
	ToJSON(w io.Writer) error
}

// split is a Subject whose text and markdown come from one writer of
// tables, and whose CSV and JSON have writers of their own.
type split struct {
	tables    func(w io.Writer, format string) error
	csv, json func(w io.Writer) error
}

var _ Subject = split{}

func (s split) ToText(w io.Writer) error     { return s.tables(w, FormatText) }
func (s split) ToMarkdown(w io.Writer) error { return s.tables(w, FormatMarkdown) }
func (s split) ToCSV(w io.Writer) error      { return s.csv(w) }
func (s split) ToJSON(w io.Writer) error     { return s.json(w) }

// A Renderer writes one subject in one format to w.
type Renderer func(w io.Writer) error

// CheckFormat returns an error naming the allowed formats when format is
// not one of Formats.
func CheckFormat(format string) error {
	if !slices.Contains(Formats, format) {
		return fmt.Errorf("unknown format %q: want one of %s", format, strings.Join(Formats, ", "))
	}
	return nil
}

// For returns the renderer of s in format.
func For(s Subject, format string) (Renderer, error) {
	switch format {
	case FormatText:
		return s.ToText, nil
	case FormatMarkdown:
		return s.ToMarkdown, nil
	case FormatCSV:
		return s.ToCSV, nil
	case FormatJSON:
		return s.ToJSON, nil
	}
	return nil, CheckFormat(format)
}

// Write writes s to w in format (one of Formats).
func Write(w io.Writer, format string, s Subject) error {
	r, err := For(s, format)
	if err != nil {
		return err
	}
	return r(w)
}

// tableBlock writes t in format; in markdown a blank line ends the table's
// block, so that a heading or another table can follow.
func tableBlock(w io.Writer, format string, t *Table) error {
	if err := t.Write(w, format); err != nil || format != FormatMarkdown {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// JSON writes v as indented JSON followed by a newline.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// ErrWriter remembers the first write error, so rendering code can write
// freely and check once.
type ErrWriter struct {
	W   io.Writer
	Err error // the first error a write returned
}

var _ io.Writer = (*ErrWriter)(nil)

func (e *ErrWriter) Write(p []byte) (int, error) {
	if e.Err != nil {
		return 0, e.Err
	}
	n, err := e.W.Write(p)
	e.Err = err
	return n, err
}

// Printf writes like fmt.Fprintf; a failure is kept in Err.
func (e *ErrWriter) Printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }

// Heading writes a section title: "### title" (level #s) in markdown,
// "title" after a blank line otherwise.
func Heading(w io.Writer, format string, level int, title string) error {
	var err error
	if format == FormatMarkdown {
		_, err = fmt.Fprintf(w, "%s %s\n\n", strings.Repeat("#", level), title)
	} else {
		_, err = fmt.Fprintf(w, "\n%s\n", title)
	}
	return err
}

// List writes items under title as a markdown bullet list or indented
// text lines; nothing when there are no items.
func List(w io.Writer, format, title string, items []string) error {
	if len(items) == 0 {
		return nil
	}
	e := &ErrWriter{W: w}
	if format == FormatMarkdown {
		e.Printf("**%s**\n\n", title)
		for _, it := range items {
			e.Printf("- %s\n", it)
		}
		e.Printf("\n")
		return e.Err
	}
	e.Printf("%s:\n", title)
	for _, it := range items {
		e.Printf("  - %s\n", it)
	}
	return e.Err
}

// CSVFloat formats a raw number for CSV: empty when unknown (NaN, ±Inf).
func CSVFloat(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
