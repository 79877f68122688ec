package cli

import (
	"context"
	"io"

	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/internal/command"
	"github.com/kitchenbench/kitchenbench/render"
	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/verdict"
)

func cmdCompare(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := newFlags("compare", stderr)
	format := fs.String("format", "text", "output `format`: text, markdown, csv or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 2 {
		return command.Usage("compare needs at least two result files, got %d", fs.NArg())
	}
	files, err := readFiles(fs.Args())
	if err != nil {
		return err
	}
	cmp, err := compare.Compare(files)
	if err != nil {
		return command.Input(err)
	}
	return render.Write(stdout, *format, render.ComparisonReport(cmp, verdict.ForFormat(*format, files)))
}

// readFiles is results.ReadFiles with unreadable files an input error
// (exit 2).
func readFiles(paths []string) ([]*results.File, error) {
	files, err := results.ReadFiles(paths)
	if err != nil {
		return nil, command.Input(err)
	}
	return files, nil
}
