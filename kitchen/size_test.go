package kitchen

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		bad  string // "" when in is read
	}{
		{"512", 512, ""},
		{"512B", 512, ""},
		{"64KiB", 64 << 10, ""},
		{"1.5MiB", 3 << 19, ""},
		{" 2 GiB ", 2 << 30, ""},
		{"1_000", 1000, ""},
		{"4294967295GiB", 1<<62 - 1<<30, ""}, // the largest whole GiB below 2^62
		{"4294967296GiB", 0, "not a whole number of bytes below 2^62"},
		{"1.5", 0, "not a whole number of bytes below 2^62"},
		{"0.5KiB", 512, ""},
		{"lots", 0, `size "lots" unreadable`},
		{"NaN", 0, "unreadable"},
		{"1KB", 0, "unreadable"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseSize(tc.in)
			if tc.bad != "" {
				assert.ErrorContains(t, err, tc.bad, "ParseSize(%q) = %d", tc.in, got)
				return
			}
			require.NoError(t, err, "ParseSize(%q)", tc.in)
			assert.Equal(t, tc.want, got, "ParseSize(%q)", tc.in)
		})
	}
}

func TestFormatSize(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{
		{0, "0"},
		{512, "512"},
		{1000, "1000"},
		{1536, "1536"},
		{64 << 10, "64KiB"},
		{4 << 10, "4KiB"},
		{3 << 20, "3MiB"},
		{256 << 20, "256MiB"},
		{2 << 30, "2GiB"},
		{1<<30 + 1<<20, "1025MiB"},
		{3<<20 + 1<<10, "3073KiB"},
	} {
		assert.Equal(t, tc.want, FormatSize(tc.n), "FormatSize(%d)", tc.n)
		back, err := ParseSize(tc.want)
		require.NoError(t, err, "ParseSize(FormatSize(%d))", tc.n)
		assert.Equal(t, tc.n, back, "ParseSize(FormatSize(%d))", tc.n)
	}
}
