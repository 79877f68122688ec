package kitchen

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// rateUnits are the periods a rate may be given per.
var rateUnits = []struct {
	suffix  string
	seconds float64
}{{"/s", 1}, {"/min", 60}, {"/h", 3600}}

// ParseRate reads an open-loop arrival rate in orders per second, written
// as the command line's --rate and a menu file's rate take it: a number,
// with k for thousands, per second (the default), minute or hour: "2000",
// "2000/s", "2k/s", "120/min", "1.5k/min", "1e6/h". Spaces around the
// number are allowed. The rate must be finite and in (0, MaxRate].
//
// Its error names the text and what is wanted, and leaves it to the caller
// to say where the text came from:
//
//	"fast": want orders per second in (0, 10000000], such as 2000/s, 2k/s or 120/min
func ParseRate(s string) (float64, error) {
	v, ok := readRate(s)
	if !ok || v <= 0 || v > MaxRate {
		return 0, fmt.Errorf("%q: want orders per second in (0, %d], such as 2000/s, 2k/s or 120/min", s, MaxRate)
	}
	return v, nil
}

// readRate is ParseRate's grammar without its bounds. A menu file reads
// its rate with it and leaves the range to Validate, where 0 means "no
// rate of its own" and a rate out of range is reported as one.
func readRate(s string) (float64, bool) {
	t := strings.TrimSpace(s)
	per := 1.0
	for _, u := range rateUnits {
		if num, ok := strings.CutSuffix(t, u.suffix); ok {
			t, per = strings.TrimSpace(num), u.seconds
			break
		}
	}
	thousands := 1.0
	if num, ok := strings.CutSuffix(t, "k"); ok {
		t, thousands = num, 1000
	}
	f, err := strconv.ParseFloat(t, 64)
	v := f * thousands / per
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}
