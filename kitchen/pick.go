package kitchen

import (
	"fmt"
	"slices"
	"strings"
)

// SplitList splits a comma-separated list of names as the command line
// writes them ("banquet, dinner-rush"), trimming spaces and dropping
// empty and repeated names; the first of each name keeps its place.
func SplitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// PickMenus returns fresh copies of the built-in menus named in list, a
// comma-separated list (SplitList), in its order; every built-in menu
// when list is empty. An unknown name is an error that lists the
// built-in ones.
func PickMenus(list string) ([]*Menu, error) {
	if list == "" {
		return Menus(), nil
	}
	var ms []*Menu
	for _, name := range SplitList(list) {
		m, ok := Lookup(name)
		if !ok {
			return nil, fmt.Errorf("unknown menu %q (built-in: %s)", name, strings.Join(MenuNames(), ", "))
		}
		ms = append(ms, m)
	}
	return ms, nil
}

// LoadMenus appends to have the menus in the files at paths (LoadMenu),
// in order, refusing a menu whose name one before it has: results, tables
// and --menus tell menus apart by name.
func LoadMenus(have []*Menu, paths ...string) ([]*Menu, error) {
	for _, path := range paths {
		m, err := LoadMenu(path)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(have, func(x *Menu) bool { return x.Name == m.Name }) {
			return nil, fmt.Errorf("%s: menu %q is already on the run", path, m.Name)
		}
		have = append(have, m)
	}
	return have, nil
}

// FindMenu returns the menu arg names: the menu file at arg when it ends
// in .yaml or .yml (LoadMenu), else the built-in menu of that name.
func FindMenu(arg string) (*Menu, error) {
	if strings.HasSuffix(arg, ".yaml") || strings.HasSuffix(arg, ".yml") {
		return LoadMenu(arg)
	}
	ms, err := PickMenus(arg)
	if err != nil {
		return nil, err
	}
	if len(ms) != 1 {
		return nil, fmt.Errorf("%q: want one menu", arg)
	}
	return ms[0], nil
}
