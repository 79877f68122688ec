package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/kitchenbench/kitchenbench/history"
	"github.com/kitchenbench/kitchenbench/internal/command"
	"github.com/kitchenbench/kitchenbench/render"
)

func cmdHistory(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := newFlags("history", stderr)
	o := history.DefaultOptions
	fs.Float64Var(&o.Alpha, "alpha", o.Alpha, "significance `level` of each permutation test")
	fs.IntVar(&o.Permutations, "permutations", o.Permutations, "random permutations per test, `N`")
	fs.IntVar(&o.MinSize, "min-size", o.MinSize, "fewest commits, `N`, on each side of a change point")
	fs.Uint64Var(&o.Seed, "seed", o.Seed, "`seed` of the permutations")
	minChange := fs.String("min-change", "5%", "smallest change reported, as a `percentage`")
	format := fs.String("format", "text", "output `format`: text, markdown, csv or json")
	fail := fs.Bool("fail", false, "exit 1 when a change point is a drop in dishes/s")
	if err := parse(fs, args); err != nil {
		return err
	}
	paths := fs.Args()
	if len(paths) == 0 {
		return command.Usage("history needs a DIR or result FILEs")
	}
	if err := o.Validate(); err != nil {
		return command.Usage("%v", err)
	}
	mc, err := command.ParsePercent("--min-change", *minChange)
	if err != nil {
		return err
	}
	o.MinChange = mc
	if mc == 0 {
		o.MinChange = -1 // report every significant split
	}
	files, err := history.ReadFiles(paths)
	if err != nil {
		return command.Input(err)
	}
	r := history.Analyze(files, o)
	if err := render.Write(stdout, *format, r); err != nil {
		return err
	}
	if n := r.Drops(); *fail && n > 0 {
		return fmt.Errorf("%d change point(s) where dishes/s dropped", n)
	}
	return ctx.Err()
}
