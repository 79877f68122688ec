package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/kitchenbench/kitchenbench/results"
)

func renderRun(w io.Writer, format string, f *results.File) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "menu\tstrategy\tcores\tdishes/s\tp50\tp99\tbound%")
	for _, s := range results.Summarize(f.Samples) {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.0f\t%v\t%v\t%.0f%%\n", s.Menu, s.Strategy, s.Cores, s.Throughput.Center,
			time.Duration(s.P50).Round(time.Microsecond), time.Duration(s.P99).Round(time.Microsecond), s.PctOfBound())
	}
	return tw.Flush()
}
