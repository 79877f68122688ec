package advise

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// Request says what to advise on (a menu, or a described dish), for how
// many cores, and where the measurements come from: a result file, or a
// fresh measurement of every strategy here.
type Request struct {
	Menu  *kitchen.Menu // the menu advised on; nil: the described Dish
	Dish  Dish          // used when Menu is nil
	SLOs  []bench.SLO
	Cores int // the core count advised for; measured at up to this machine's CPUs

	// From, when set, holds the measurements, named FromName in errors;
	// otherwise every strategy is measured Count times for Duration.
	From     *results.File
	FromName string
	Count    int
	Duration time.Duration

	// Log, when set, is told what is measured.
	Log io.Writer
}

// Validate checks r's ranges, that it asks about a menu or a described
// dish but not both, and, without a menu, the dish; each error names the
// flag of kitchen advise that sets the field.
func (r Request) Validate() error {
	if r.Cores < 1 || r.Cores > bench.MaxCores {
		return fmt.Errorf("--cores %d out of range [1, %d]", r.Cores, bench.MaxCores)
	}
	if r.Count < 1 || r.Count > 100 {
		return fmt.Errorf("--count %d out of range [1, 100]", r.Count)
	}
	described := r.Dish.CPU != 0 || r.Dish.Grill != 0 || r.Dish.Rest != 0
	switch {
	case r.Menu != nil && described:
		// Advise would measure the menu and drop the dish without a word.
		return fmt.Errorf("advise takes a MENU (%s) or a dish described by --cpu, --grill and --rest, not both", r.Menu.Name)
	case r.Menu != nil:
		return nil
	case !described:
		return errors.New("advise needs a MENU or a dish: --cpu, --grill and/or --rest")
	}
	_, err := r.Dish.Menu(0)
	return err
}

// DishError is Advise's error when the described dish cannot be made into
// a menu at the work unit's cost (too much CPU time for a step, …): bad
// input, as Validate's errors are.
type DishError struct{ Err error }

func (e *DishError) Error() string { return e.Err.Error() }
func (e *DishError) Unwrap() error { return e.Err }

// ErrNoMeasurements is Advise's error when a result file holds no sample
// of the menu at the core count measured.
var ErrNoMeasurements = errors.New("no measurements")

// Advise gathers the figures of every strategy serving r's menu at
// min(r.Cores, this machine's CPUs) and decides (Decide). It calibrates
// the work unit once, when measuring: the described dish's units, the
// run's bounds and the advice's reasoning all use that one figure; with a
// result file they use the file's.
func Advise(ctx context.Context, r Request) (*Advice, error) {
	measured := min(r.Cores, runtime.NumCPU())
	menu := r.Menu
	var rows []compare.CellSummary
	var nsPerUnit float64
	if r.From != nil {
		if menu == nil {
			var err error
			if menu, err = r.Dish.Menu(0); err != nil {
				return nil, &DishError{err}
			}
		}
		nsPerUnit = r.From.Machine.NsPerUnit
		for _, s := range compare.Summarize(r.From.Samples) {
			if s.Menu == menu.Name && s.Cores == measured {
				rows = append(rows, s)
			}
		}
		if len(rows) == 0 {
			return nil, fmt.Errorf("%s: %w of menu %q at %d cores", r.FromName, ErrNoMeasurements, menu.Name, measured)
		}
	} else {
		nsPerUnit = bench.Calibrate().NsPerUnit
		if menu == nil {
			// Work units for the described CPU time, at this machine's speed.
			var err error
			if menu, err = r.Dish.Menu(nsPerUnit); err != nil {
				return nil, &DishError{err}
			}
		}
		if r.Log != nil {
			fmt.Fprintf(r.Log, "kitchen: measuring %s: %d strategies × %d samples of %v at %d cores\n",
				menu.Name, len(strategies.Names()), r.Count, r.Duration, measured)
		}
		f, err := bench.Measure(ctx, &bench.Matrix{Menus: []*kitchen.Menu{menu}, Strategies: strategies.Names(),
			Cores: []int{measured}, Count: r.Count, Duration: r.Duration, NsPerUnit: nsPerUnit}, bench.MeasureOptions{})
		if err != nil {
			return nil, err
		}
		rows = compare.Summarize(f.Samples)
	}
	return Decide(Input{Menu: menu, Rows: rows, SLOs: r.SLOs, NsPerUnit: nsPerUnit, Cores: r.Cores, Measured: measured})
}
