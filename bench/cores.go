package bench

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

// MaxCores is the largest core count (GOMAXPROCS) a run accepts.
const MaxCores = 4096

// DefaultCores is the core counts a run measures on a machine of n CPUs
// unless told otherwise: 1, 2, 4, … up to n, and n itself.
func DefaultCores(n int) []int {
	var cs []int
	for c := 1; c < n; c *= 2 {
		cs = append(cs, c)
	}
	return append(cs, n)
}

// ParseCores reads a comma-separated list of core counts ("1,2,4"), each
// in [1, MaxCores], and returns them sorted, repeats dropped.
func ParseCores(s string) ([]int, error) {
	var out []int
	for _, p := range kitchen.SplitList(s) {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number", p)
		}
		if n < 1 || n > MaxCores {
			return nil, fmt.Errorf("%d out of range [1, %d]", n, MaxCores)
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty list")
	}
	slices.Sort(out)
	return out, nil
}

// FormatCores writes core counts as ParseCores reads them: "1,2,4".
func FormatCores(cs []int) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = strconv.Itoa(c)
	}
	return strings.Join(s, ",")
}
