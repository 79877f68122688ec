package bench

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// Rerun returns a matrix that measures base's cells again on this
// machine, count samples per cell, defined as base defined them: its
// menus (the file's own definitions, else the built-in ones of that
// name), strategies, core counts, window, warm-up and arrivals. A count of
// 0 or less takes base's, at least compare.DefaultCount, the samples per
// cell the regression gate is stated for. A menu the
// file defines but that does not decode or validate is an error naming
// the menu and the file: measuring the built-in menu of that name instead
// would compare unlike cells in silence.
func Rerun(base *results.File, count int) (*Matrix, error) {
	if count <= 0 {
		count = max(base.Config.Count, compare.DefaultCount)
	}
	m := &Matrix{Count: count, Duration: base.Config.Duration}
	if m.Duration <= 0 {
		m.Duration = 150 * time.Millisecond
	}
	// The baseline's warm-up, so that its samples and the fresh ones are
	// defined alike (a file records an automatic warm-up as its cap, one
	// window).
	switch w := base.Config.Warmup; {
	case w > 0 && w == base.Config.Duration:
		m.Warmup = AutoWarmup
	default:
		m.Warmup = w
	}
	for _, s := range base.Samples {
		if !slices.Contains(m.Strategies, s.Strategy) {
			if !slices.Contains(strategies.Names(), s.Strategy) {
				return nil, fmt.Errorf("%s: unknown strategy %q (this kitchen knows %v)", base.Path, s.Strategy, strategies.Names())
			}
			m.Strategies = append(m.Strategies, s.Strategy)
		}
		if !slices.Contains(m.Cores, s.Cores) {
			m.Cores = append(m.Cores, s.Cores)
		}
		if slices.ContainsFunc(m.Menus, func(x *kitchen.Menu) bool { return x.Name == s.Menu }) {
			continue
		}
		menu, ok := kitchen.Lookup(s.Menu)
		if raw, found := base.Config.Menus[s.Menu]; found {
			var fm kitchen.Menu
			if err := json.Unmarshal(raw, &fm); err != nil {
				return nil, fmt.Errorf("%s: menu %q: %w", base.Path, s.Menu, err)
			}
			if err := fm.Validate(); err != nil {
				return nil, fmt.Errorf("%s: menu %q: %w", base.Path, s.Menu, err)
			}
			menu, ok = &fm, true
		}
		if !ok {
			return nil, fmt.Errorf("%s: menu %q is neither built in nor defined in the file", base.Path, s.Menu)
		}
		m.Menus = append(m.Menus, menu)
	}
	slices.Sort(m.Cores)
	if base.Config.Arrival != "" && base.Config.Arrival != "closed" {
		m.Arrivals = Arrivals(base.Config.Arrival)
		m.Rate = base.Config.Rate
		m.Warmup = 0
	}
	return m, nil
}
