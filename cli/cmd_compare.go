package cli

import (
	"context"
	"errors"
	"io"

	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/render"
	"github.com/kitchenbench/kitchenbench/results"
)

const compareHelp = `Usage: kitchen compare [flags] FILE FILE [FILE...]

Compares result files side by side: files from other machines, from other
commits, or plain 'go test -bench' output of BenchmarkKitchen. Differences
in configuration and machine come first (sample duration, warm-up, closed
or open loop, rate, customers, a menu redefined, go test -bench against
timed windows, CPU, Go version); cells defined differently are shown but
not tested. For every cell the files share it shows each file's dishes/s
with the change against the first file and its significance (Mann-Whitney
U, α = 0.05, uncorrected: 'kitchen check' is the gate), the pooled p99
(≥ when censored; its change is not tested), the share of the model bound
(the figure to compare across machines) and the speedup over the file's own
sync at 1 core (the shape of a run on its own machine).
Each file's verdict, and where the machines agree, comes before the tables.

Example:

	kitchen compare results/laptop.json results/ci-runner.json
	go test -run '^$' -bench Kitchen -count 6 ./bench > new.txt && kitchen compare old.txt new.txt
`

func cmdCompare(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := newFlags("compare", compareHelp, stderr)
	format := fs.String("format", "text", "output `format`: text, markdown, csv or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	if fs.NArg() < 2 {
		return usageError("compare needs at least two result files, got %d", fs.NArg())
	}
	files, err := readFiles(fs.Args())
	if err != nil {
		return err
	}
	cmp, err := compare.Compare(files)
	if err != nil {
		return inputError(err)
	}
	if *format == render.FormatText || *format == render.FormatMarkdown {
		// Mismatches first, then the verdict, then the tables.
		if err := render.Mismatches(stdout, *format, cmp.Mismatches); err != nil {
			return err
		}
		if err := printVerdict(stdout, *format, files...); err != nil {
			return err
		}
		tables := *cmp
		tables.Mismatches = nil
		cmp = &tables
	}
	return render.Write(stdout, *format, render.Comparison(cmp))
}

// readFiles reads result files, reporting every unreadable one.
func readFiles(paths []string) ([]*results.File, error) {
	var files []*results.File
	var errs []error
	for _, p := range paths {
		f, err := results.Read(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		files = append(files, f)
	}
	if len(errs) > 0 {
		return nil, inputError(errors.Join(errs...))
	}
	return files, nil
}
