package strategies

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

// Pick returns the strategy names in list, a comma-separated list
// (kitchen.SplitList), in its order; every name (Names) when list is
// empty. A name that is neither built in nor registered is an error
// that lists the known ones.
func Pick(list string) ([]string, error) {
	known := Names()
	if list == "" {
		return known, nil
	}
	names := kitchen.SplitList(list)
	for _, n := range names {
		if !slices.Contains(known, n) {
			return nil, fmt.Errorf("unknown strategy %q (want some of %s)", n, strings.Join(known, ", "))
		}
	}
	return names, nil
}
