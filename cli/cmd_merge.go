package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/kitchenbench/kitchenbench/results"
)

const mergeHelp = `Usage: kitchen merge --out FILE.json RESULT RESULT [RESULT...]

Merges result files measured on the same machine into one, as if one run
had taken all their samples: each cell's percentiles are then recomputed
from the merged latency histograms, and its median and interval from all
its samples. Knees and menu definitions of every file are kept. Files from
different machines, or whose samples are defined differently (sample
duration, warm-up, arrivals, rate, customers, a menu redefined, go test
-bench against timed windows), are refused: compare them instead. Prints
the merged tables.

Example:

	kitchen merge --out results/merged.json results/monday.json results/tuesday.json
`

func cmdMerge(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := newFlags("merge", mergeHelp, stderr)
	out := fs.String("out", "", "merged result `FILE.json` to write (required), with its .txt twin")
	force := fs.Bool("force", false, "overwrite an existing --out file")
	format := fs.String("format", "text", "table `format`: text, markdown, csv or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	if *out == "" || !strings.HasSuffix(*out, ".json") {
		return usageError("merge needs --out FILE.json")
	}
	if fs.NArg() < 2 {
		return usageError("merge needs at least two result files, got %d", fs.NArg())
	}
	files, err := readFiles(fs.Args())
	if err != nil {
		return err
	}
	merged, err := results.Merge(files...)
	if err != nil {
		return inputError(err)
	}
	// Merge refuses severe mismatches; the others (Go version, calibration,
	// count) are merged but named first.
	for _, m := range results.Mismatches(files) {
		fmt.Fprintf(stderr, "kitchen: merge: %s\n", m.Text)
	}
	if err := renderRun(stdout, *format, merged, false); err != nil {
		return err
	}
	path, err := saveRun(*out, merged, *force)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "kitchen: merged %d files (%d samples) into %s\n", len(files), len(merged.Samples), path)
	return nil
}
