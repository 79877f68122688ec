package advise

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

func TestDishMenu(t *testing.T) {
	tests := []struct {
		name      string
		dish      Dish
		nsPerUnit float64
		kinds     []kitchen.StepKind
		units     int64 // of the CPU step, if any
		grills    int
		bad       string
	}{
		{name: "cpu and grill, calibrated", dish: Dish{CPU: 2 * time.Millisecond, Grill: 20 * time.Millisecond, Customers: 5}, nsPerUnit: 1000,
			kinds: []kitchen.StepKind{kitchen.CPU, kitchen.Grill}, units: 2000, grills: 5},
		{name: "grill only, calibrated: no cpu step", dish: Dish{Grill: time.Millisecond, Customers: 2, Grills: 1}, nsPerUnit: 1000,
			kinds: []kitchen.StepKind{kitchen.Grill}, grills: 1},
		{name: "not calibrated: one unit", dish: Dish{Rest: time.Millisecond, Customers: 1},
			kinds: []kitchen.StepKind{kitchen.CPU, kitchen.Rest}, units: 1},
		{name: "negative", dish: Dish{CPU: -1, Customers: 1}, bad: "must not be negative"},
		{name: "nothing", dish: Dish{Customers: 1}, bad: "needs --cpu"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := tc.dish.Menu(tc.nsPerUnit)
			if tc.bad != "" {
				assert.ErrorContains(t, err, tc.bad)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, DishName, m.Name)
			var kinds []kitchen.StepKind
			for _, s := range m.Dishes[0].Steps {
				kinds = append(kinds, s.Kind)
				if s.Kind == kitchen.CPU {
					assert.Equal(t, tc.units, s.Units)
				}
			}
			assert.Equal(t, tc.kinds, kinds)
			assert.Equal(t, tc.grills, m.Grills)
		})
	}
}
