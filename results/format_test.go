package results

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		got, want string
	}{
		{FormatNs(0), "0"},
		{FormatNs(850), "850ns"},
		{FormatNs(999.7), "1.00µs"},
		{FormatNs(1234567), "1.23ms"},
		{FormatNs(1.2e6), "1.20ms"},
		{FormatNs(12_345_678_900), "12.3s"},
		{FormatNs(math.NaN()), "?"},
		{FormatRate(0), "0"},
		{FormatRate(0.5), "0.5"},
		{FormatRate(950), "950"},
		{FormatRate(999.6), "1.00k"},
		{FormatRate(12345), "12.3k"},
		{FormatRate(1.2e6), "1.20M"},
		{FormatRate(7.5), "7.50"},
		{FormatSpeedup(1.949), "1.95×"},
		{FormatSpeedup(math.NaN()), "-"},
	} {
		assert.Equal(t, tc.want, tc.got, "Format…() = %q; want %q", tc.got, tc.want)
	}
}

func TestFormatCores(t *testing.T) {
	assert.Equal(t, "1 core", FormatCores(1))
	assert.Equal(t, "2 cores", FormatCores(2))
	assert.Equal(t, "64 cores", FormatCores(64))
}
