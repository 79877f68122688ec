package main

import (
	"io"

	"github.com/kitchenbench/kitchenbench/results"
)

// renderRun prints a run's tables and warnings.
func renderRun(w io.Writer, format string, f *results.File) error {
	return results.Render(w, format, f)
}
