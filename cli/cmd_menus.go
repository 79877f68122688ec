package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/render"
	"github.com/kitchenbench/kitchenbench/strategies"
)

func cmdMenus(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := newFlags("menus", stderr)
	cores := fs.Int("cores", runtime.NumCPU(), "the larger core `count` for the bounds")
	check := fs.Bool("check", false, "the arguments are menu files to check")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *cores < 1 || *cores > 4096 {
		return usageError("--cores %d out of range [1, 4096]", *cores)
	}
	menus := kitchen.Menus()
	if *check {
		if fs.NArg() == 0 {
			return usageError("menus --check needs at least one menu file")
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
			return inputError(errors.Join(errs...))
		}
	} else if fs.NArg() > 0 {
		var err error
		if menus, err = pickMenus(strings.Join(fs.Args(), ",")); err != nil {
			return err
		}
	}
	cal := bench.Calibrate()
	fmt.Fprintf(stdout, "1 work unit = %.0f ns on this machine (calibrated now)\n", cal.NsPerUnit)
	for _, m := range menus {
		if err := printMenu(stdout, m, cal.NsPerUnit, *cores); err != nil {
			return err
		}
	}
	return nil
}

func printMenu(w io.Writer, m *kitchen.Menu, nsPerUnit float64, cores int) error {
	fmt.Fprintf(w, "\n%s: %s\n", m.Name, m.About)
	fmt.Fprintf(w, "  grills %d, customers %d, seed %d\n", m.Grills, m.Customers, m.Seed)
	dishes := &render.Table{Header: []string{"dish", "weight", "steps", "cpu", "grill", "rest"}, Left: 3}
	for i := range m.Dishes {
		d := &m.Dishes[i]
		var steps []string
		for _, s := range d.Steps {
			switch s.Kind {
			case kitchen.CPU:
				steps = append(steps, fmt.Sprintf("%s(cpu %d)", s.Name, s.Units))
			case kitchen.Call:
				steps = append(steps, fmt.Sprintf("%s(call %v, %s)", s.Name, s.Wait, kitchen.FormatSize(int64(s.Reply))))
			case kitchen.Read:
				steps = append(steps, fmt.Sprintf("%s(read %s)", s.Name, kitchen.FormatSize(s.Bytes)))
			default:
				steps = append(steps, fmt.Sprintf("%s(%s %v)", s.Name, s.Kind, s.Wait))
			}
		}
		c := d.Cost()
		dishes.Rows = append(dishes.Rows, []string{d.Name, fmt.Sprintf("%g", d.Weight), strings.Join(steps, " → "),
			time.Duration(c.CPUUnits * nsPerUnit).Round(time.Microsecond).String(), (c.Grill + c.Hold).String(), c.Rest.String()})
	}
	if err := dishes.Text(w); err != nil {
		return err
	}
	fmt.Fprintf(w, "model bound, dishes/s:\n")
	bounds := &render.Table{Header: []string{"strategy", "1 core", fmt.Sprintf("%d cores", cores)}, Left: 1}
	for _, name := range strategies.Names() {
		s, err := strategies.New(name)
		if err != nil {
			return err
		}
		bounds.Rows = append(bounds.Rows, []string{name, fmt.Sprintf("%.0f", kitchen.Bound(m, s.Capacity(1), nsPerUnit)),
			fmt.Sprintf("%.0f", kitchen.Bound(m, s.Capacity(cores), nsPerUnit))})
	}
	return bounds.Text(w)
}
