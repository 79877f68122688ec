package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/internal/command"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/render"
)

func cmdMenus(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := newFlags("menus", stderr)
	cores := fs.Int("cores", runtime.NumCPU(), "the larger core `count` for the bounds")
	check := fs.Bool("check", false, "the arguments are menu files to check")
	format := fs.String("format", "text", "output `format`: text, markdown, csv or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *cores < 1 || *cores > bench.MaxCores {
		return command.Usage("--cores %d out of range [1, %d]", *cores, bench.MaxCores)
	}
	menus := kitchen.Menus()
	if *check {
		if fs.NArg() == 0 {
			return command.Usage("menus --check needs at least one menu file")
		}
		menus = nil
		var errs []error
		for _, path := range fs.Args() {
			m, err := kitchen.LoadMenu(path)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			fmt.Fprintf(stdout, "%s: ok (menu %q)\n", path, m.Name)
			menus = append(menus, m)
		}
		if len(errs) > 0 {
			return command.Input(errors.Join(errs...))
		}
	} else if fs.NArg() > 0 {
		var err error
		if menus, err = kitchen.PickMenus(strings.Join(fs.Args(), ",")); err != nil {
			return command.Usage("%v", err) // the names were arguments, not --menus
		}
	}
	listing, err := render.MenusOf(menus, bench.Calibrate().NsPerUnit, *cores)
	if err != nil {
		return err
	}
	return render.Write(stdout, *format, listing)
}
