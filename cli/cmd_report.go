package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/kitchenbench/kitchenbench/internal/command"
	"github.com/kitchenbench/kitchenbench/report"
	"github.com/kitchenbench/kitchenbench/results"
)

func cmdReport(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := newFlags("report", stderr)
	out := fs.String("out", "report.html", "HTML `FILE` to write, or - for standard output")
	images := fs.String("images", "", "also write each chart into `DIR`")
	imgFormat := fs.String("image-format", "png", "chart image `format`: png or svg")
	title := fs.String("title", "", "page `title`")
	force := fs.Bool("force", false, "overwrite an existing --out file")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return command.Usage("report needs at least one result file")
	}
	if *imgFormat != "png" && *imgFormat != "svg" {
		return command.Usage("--image-format %q: want png or svg", *imgFormat)
	}
	files, err := readFiles(fs.Args())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, files, report.Options{Title: *title}); err != nil {
		return command.Input(err)
	}
	if *out == "-" {
		_, err = stdout.Write(buf.Bytes())
		return err
	}
	if err := results.WriteFileAtomic(*out, buf.Bytes(), *force); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "kitchen: wrote %s\n", *out)
	if *images != "" {
		paths, err := report.Charts(*images, files, *imgFormat)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "kitchen: wrote %d charts into %s\n", len(paths), *images)
	}
	return nil
}
