package advise

import (
	"errors"
	"fmt"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

// DishName is the name of the one-dish menu a Dish describes.
const DishName = "your-dish"

// Dish is one dish described by its times rather than a menu: CPU time to
// cook it, a grill (I/O) wait and a rest (plain wait), ordered by
// Customers at once on Grills grills (0: one per customer).
type Dish struct {
	CPU, Grill, Rest time.Duration
	Customers        int
	Grills           int
}

// Menu is the one-dish menu of d, its CPU time turned into work units at
// nsPerUnit (at least one unit; with no CPU time, no CPU step). With
// nsPerUnit 0 the CPU step keeps one unit: a menu to validate, or to look
// up in a result file by name, not to measure.
func (d Dish) Menu(nsPerUnit float64) (*kitchen.Menu, error) {
	if d.CPU < 0 || d.Grill < 0 || d.Rest < 0 {
		return nil, errors.New("--cpu, --grill and --rest must not be negative")
	}
	if d.CPU == 0 && d.Grill == 0 && d.Rest == 0 {
		return nil, errors.New("a dish needs --cpu, --grill and/or --rest")
	}
	dish := kitchen.Dish{Name: "dish", Weight: 1}
	switch {
	case nsPerUnit <= 0:
		dish.Steps = append(dish.Steps, kitchen.Step{Name: "cook", Kind: kitchen.CPU, Units: 1})
	case d.CPU > 0:
		dish.Steps = append(dish.Steps, kitchen.Step{Name: "cook", Kind: kitchen.CPU, Units: max(1, int64(float64(d.CPU)/nsPerUnit))})
	}
	grills := d.Grills
	if d.Grill > 0 {
		dish.Steps = append(dish.Steps, kitchen.Step{Name: "grill", Kind: kitchen.Grill, Wait: d.Grill})
		if grills == 0 {
			grills = d.Customers
		}
	}
	if d.Rest > 0 {
		dish.Steps = append(dish.Steps, kitchen.Step{Name: "rest", Kind: kitchen.Rest, Wait: d.Rest})
	}
	m := &kitchen.Menu{Name: DishName, About: "the dish described on the command line",
		Dishes: []kitchen.Dish{dish}, Grills: grills, Customers: d.Customers, Seed: 1}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("the described dish: %w", err)
	}
	return m, nil
}
