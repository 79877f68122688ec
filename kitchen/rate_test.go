package kitchen

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rateTests are texts ParseRate reads, and what it makes of them.
var rateTests = []struct {
	in   string
	want float64 // 0: refused
}{
	{"2000", 2000},
	{"2000/s", 2000},
	{"2k/s", 2000},
	{"2k", 2000},
	{"0.5k", 500},
	{"120/min", 2},
	{"1.5k/min", 25},
	{"120000/min", 2000},
	{"36k/h", 10},
	{"1e6/h", 1e6 / 3600},
	{".5/s", 0.5},
	{"1e7", MaxRate},
	{" 2000 /s ", 2000},
	{"0x1p4/s", 16}, // what strconv.ParseFloat reads
	{"", 0},
	{"fast", 0},
	{"/s", 0},
	{"k/s", 0},
	{"2kk/s", 0},
	{"2K/s", 0},
	{"2000/ms", 0},
	{"2000/sec", 0},
	{"2000/s/s", 0},
	{"2 k/s", 0},
	{"1_000/s", 1000}, // Go number syntax, as in YAML
	{"0", 0},
	{"0/min", 0},
	{"-0", 0},
	{"-5/s", 0},
	{"10000001", 0},
	{"10001k/s", 0},
	{"NaN", 0},
	{"nan/s", 0},
	{"Inf", 0},
	{"+inf/min", 0},
	{"1e400/s", 0},
	{"1e308k", 0}, // finite, but not once multiplied by 1000
}

func TestParseRate(t *testing.T) {
	for _, tc := range rateTests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseRate(tc.in)
			if tc.want == 0 {
				require.Error(t, err, "ParseRate(%q) = %v; want an error", tc.in, got)
				assert.Equal(t, strconv.Quote(tc.in)+": want orders per second in (0, 10000000], such as 2000/s, 2k/s or 120/min",
					err.Error(), "ParseRate(%q) error", tc.in)
				assert.Zero(t, got, "ParseRate(%q) value with its error", tc.in)
				return
			}
			require.NoError(t, err, "ParseRate(%q)", tc.in)
			assert.InDelta(t, tc.want, got, 1e-9*tc.want, "ParseRate(%q)", tc.in)
		})
	}
}

// FuzzParseRate checks that ParseRate never panics, accepts only finite
// rates in (0, MaxRate], agrees with the menu file's reading, and reads
// back what it accepted when it is written as a plain number per second.
func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"2000", "2000/s", "2k/s", "120/min", "1.5k/min", "1e6/h", "fast", "-1/s", "NaN", "1e308k", " 7 /min"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseRate(s)
		if err != nil {
			require.Zero(t, v, "ParseRate(%q) value with its error", s)
			require.ErrorContains(t, err, strconv.Quote(s), "ParseRate(%q): the error quotes the text", s)
			return
		}
		require.True(t, v > 0 && v <= MaxRate, "ParseRate(%q) = %v, out of (0, %d]", s, v, MaxRate)
		// The same rate in every spelling the grammar has reads back as v,
		// to rounding: per second with and without the unit and with
		// spaces, in thousands, per minute and per hour.
		plain := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
		for _, again := range []string{plain(v), plain(v) + "/s", " " + plain(v) + " /s", plain(v/1000) + "k", plain(v*60) + "/min", plain(v*3600/1000) + "k/h"} {
			w, err := ParseRate(again)
			if err != nil && v > MaxRate*(1-1e-12) {
				continue // rounding may carry a rate at the bound just over it
			}
			require.NoError(t, err, "ParseRate(%q), from ParseRate(%q) = %v", again, s, v)
			require.InEpsilon(t, v, w, 1e-12, "ParseRate(%q), from ParseRate(%q) = %v", again, s, v)
		}
	})
}
