package kitchen

import "testing"

func TestFormatSizeRoundTripsThroughParseSize(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{
		{256 << 20, "256 MiB"},
		{1 << 30, "1 GiB"},
		{4 << 10, "4 KiB"},
		{1000, "1000 B"},
		{3<<20 + 1<<10, "3073 KiB"},
	} {
		got := FormatSize(tc.n)
		if got != tc.want {
			t.Errorf("FormatSize(%d) = %q; want %q", tc.n, got, tc.want)
		}
		if back, err := ParseSize(got); err != nil || back != tc.n {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", got, back, err, tc.n)
		}
	}
}
