package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/kitchenbench/kitchenbench/internal/command"
	"github.com/kitchenbench/kitchenbench/render"
	"github.com/kitchenbench/kitchenbench/results"
)

func cmdMerge(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := newFlags("merge", stderr)
	out := fs.String("out", "", "merged result `FILE.json` to write (required), with its .txt twin")
	force := fs.Bool("force", false, "overwrite an existing --out file")
	format := fs.String("format", "text", "table `format`: text, markdown, csv or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" || !strings.HasSuffix(*out, ".json") {
		return command.Usage("merge needs --out FILE.json")
	}
	if fs.NArg() < 2 {
		return command.Usage("merge needs at least two result files, got %d", fs.NArg())
	}
	files, err := readFiles(fs.Args())
	if err != nil {
		return err
	}
	merged, err := results.Merge(files...)
	if err != nil {
		return command.Input(err)
	}
	// Merge refuses severe mismatches; the others (Go version, calibration,
	// count) are merged but named first.
	for _, m := range results.Mismatches(files) {
		fmt.Fprintf(stderr, "kitchen: merge: %s\n", m.Text)
	}
	if err := render.Write(stdout, *format, render.RunReport{File: merged}); err != nil {
		return err
	}
	path, err := results.Save(*out, merged, *force)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "kitchen: merged %d files (%d samples) into %s\n", len(files), len(merged.Samples), path)
	return nil
}
