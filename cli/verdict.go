package cli

import (
	"io"

	"github.com/kitchenbench/kitchenbench/render"
	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/verdict"
)

// printVerdict writes the verdict on files (package verdict) in format.
// Only text and markdown get one: a CSV or JSON output stays one
// document that other tools can read.
func printVerdict(w io.Writer, format string, files ...*results.File) error {
	if format != render.FormatText && format != render.FormatMarkdown {
		return nil
	}
	return render.Write(w, format, verdict.New(files))
}
