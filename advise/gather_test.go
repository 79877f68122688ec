package advise

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/internal/fixture"
	"github.com/kitchenbench/kitchenbench/kitchen"
)

// With a result file Advise measures nothing: it decides on the file's
// rows of the menu at the cores measured, or says there are none.
func TestAdviseFromAResultFile(t *testing.T) {
	m, ok := kitchen.Lookup("dinner-rush")
	require.True(t, ok)
	f := fixture.File("a", 3, 1, nil)
	adv, err := Advise(context.Background(), Request{Menu: m, Cores: 1, From: f, FromName: "a.json"})
	require.NoError(t, err)
	assert.Equal(t, "eventloop", adv.Pick, "the fastest by far at 1 core")
	assert.Len(t, adv.Rows, 3, "a row per strategy in the file")

	big, ok := kitchen.Lookup("big-roast")
	require.True(t, ok)
	_, err = Advise(context.Background(), Request{Menu: big, Cores: 1, From: f, FromName: "a.json"})
	assert.ErrorIs(t, err, ErrNoMeasurements)
	assert.ErrorContains(t, err, `a.json: no measurements of menu "big-roast" at 1 cores`)
}

func TestRequestValidate(t *testing.T) {
	menu := kitchen.Menus()[0]
	for _, tc := range []struct {
		name string
		r    Request
		want string // "" for valid
	}{
		{"a menu", Request{Menu: menu, Cores: 2, Count: 3}, ""},
		{"a dish", Request{Dish: Dish{CPU: time.Millisecond, Customers: 1}, Cores: 1, Count: 1}, ""},
		{"no cores", Request{Menu: menu, Cores: 0, Count: 3}, "--cores 0 out of range [1, 4096]"},
		{"too many samples", Request{Menu: menu, Cores: 1, Count: 101}, "--count 101 out of range [1, 100]"},
		{"no dish", Request{Cores: 1, Count: 3}, "advise needs a MENU or a dish"},
		{"a menu and a dish", Request{Menu: menu, Dish: Dish{CPU: time.Millisecond, Customers: 1}, Cores: 1, Count: 3}, "advise takes a MENU (" + menu.Name + ") or a dish described by --cpu, --grill and --rest, not both"},
		{"a menu and a grill wait", Request{Menu: menu, Dish: Dish{Grill: time.Millisecond, Customers: 1}, Cores: 1, Count: 3}, "not both"},
		{"a menu and a rest", Request{Menu: menu, Dish: Dish{Rest: time.Millisecond, Customers: 1}, Cores: 1, Count: 3}, "not both"},
		{"a negative dish", Request{Dish: Dish{CPU: -time.Millisecond, Customers: 1}, Cores: 1, Count: 3}, "must not be negative"},
	} {
		err := tc.r.Validate()
		if tc.want == "" {
			assert.NoError(t, err, tc.name)
		} else {
			assert.ErrorContains(t, err, tc.want, tc.name)
		}
	}
}

func TestAdviseRefusesADishTooLongForAStep(t *testing.T) {
	// Valid as described, but at this machine's cost per unit its CPU
	// step needs more units than a step may have: bad input (DishError),
	// found after calibrating, before anything is measured.
	r := Request{Dish: Dish{CPU: 1000 * time.Hour, Customers: 1}, Cores: 1, Count: 1, Duration: time.Millisecond}
	require.NoError(t, r.Validate())
	_, err := Advise(context.Background(), r)
	var de *DishError
	require.ErrorAs(t, err, &de)
	assert.Contains(t, err.Error(), "out of range")
}
