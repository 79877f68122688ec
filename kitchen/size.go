package kitchen

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// sizeUnits are the units a size may carry, longest suffix first.
var sizeUnits = []struct {
	suffix string
	bytes  int64
}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}}

// ParseSize reads a byte count written as a whole number of bytes or with
// a unit B, KiB, MiB or GiB: "512", "64KiB", "1.5MiB". The result must be a
// whole number of bytes.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(strings.ReplaceAll(s, "_", ""))
	mult := int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.bytes
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("size %q unreadable", s)
	}
	b := f * float64(mult)
	if b != math.Trunc(b) || math.Abs(b) >= 1<<62 {
		return 0, fmt.Errorf("size %q is not a whole number of bytes below 2^62", s)
	}
	return int64(b), nil
}

// FormatSize writes n bytes the way menu files and flags write sizes and
// ParseSize reads them: in the largest binary unit that divides it
// exactly, with no space ("256MiB", "64KiB"), or as bare bytes ("1000").
func FormatSize(n int64) string {
	for _, u := range sizeUnits[:3] {
		if n != 0 && n%u.bytes == 0 {
			return strconv.FormatInt(n/u.bytes, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}
