package compare_test

import (
	"bytes"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/internal/fixture"
	"github.com/kitchenbench/kitchenbench/render"
	"github.com/kitchenbench/kitchenbench/results"
)

func TestCompareNeverComparesACensoredP99(t *testing.T) {
	a := fixture.File("a", 6, 1, nil)
	b := fixture.File("b", 6, 1, nil)
	c := results.Cell{Menu: "dinner-rush", Strategy: "sync", Cores: 1}
	for i := range b.Samples {
		s := &b.Samples[i]
		if s.Cell() == c {
			s.Censored = 5
			s.CensoredMin = time.Duration(0.9 * s.Latency.Max) // orders waiting from 0.9 × max on
			s.Latency.Lower = []string{"p99", "p999", "max"}
		}
	}
	cmp, err := compare.Compare([]*results.File{a, b})
	require.NoError(t, err)
	for _, cc := range cmp.Cells {
		p := cc.P99[1]
		assert.Zero(t, p.N1, "%v: p99 is never tested", cc.Cell)
		if cc.Cell == c {
			assert.True(t, cc.Sums[1].IsLower("p99"), "the merged p99 is at or above the smallest censored age")
			assert.True(t, math.IsNaN(p.Ratio), "a censored p99 has no change: %v", p.Ratio)
			assert.Equal(t, "censored: not compared", p.Note)
			assert.Equal(t, "", p.Delta())
		} else {
			assert.Equal(t, "untested", p.Note, "%v", cc.Cell)
			assert.False(t, math.IsNaN(p.Ratio))
		}
	}
	var buf bytes.Buffer
	require.NoError(t, render.Write(&buf, render.FormatText, render.Comparison(cmp)))
	assert.Contains(t, buf.String(), "(censored: not compared)")
	assert.Regexp(t, `≥\d`, buf.String(), "the censored p99 shown as a lower bound")
}
