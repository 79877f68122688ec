package bench

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultCores(t *testing.T) {
	for n, want := range map[int][]int{1: {1}, 2: {1, 2}, 6: {1, 2, 4, 6}, 8: {1, 2, 4, 8}} {
		assert.Equal(t, want, DefaultCores(n), "DefaultCores(%d)", n)
	}
}

func TestParseCores(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []int
		err  string
	}{
		{"4,1, 2,1", []int{1, 2, 4}, ""},
		{"x", nil, `"x" is not a whole number`},
		{"0", nil, "0 out of range [1, 4096]"},
		{",", nil, "empty list"},
	} {
		got, err := ParseCores(tc.in)
		if tc.err != "" {
			assert.EqualError(t, err, tc.err, "ParseCores(%q)", tc.in)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, "ParseCores(%q)", tc.in)
		back, err := ParseCores(FormatCores(got))
		require.NoError(t, err)
		assert.Equal(t, got, back, "FormatCores round trip")
	}
}
