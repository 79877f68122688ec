package bench

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kitchenbench/kitchenbench/results"
)

// Off a terminal, Progress writes a line at each tenth of the way and at
// the end, never one per sample.
func TestProgressPrintsAPlainLineEachTenth(t *testing.T) {
	var b strings.Builder
	p := NewProgress(&b)
	const total = 40
	for done := 1; done <= total; done++ {
		p.Update(done, total, results.Sample{Menu: "banquet", Strategy: "sync", Cores: 1})
	}
	p.Finish()
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	assert.Len(t, lines, 10, "one line per tenth:\n%s", b.String())
	assert.True(t, strings.HasPrefix(lines[0], "kitchen: 4/40 samples (10%), eta "), lines[0])
	assert.True(t, strings.HasPrefix(lines[9], "kitchen: 40/40 samples (100%), eta "), lines[9])
	assert.NotContains(t, b.String(), "\r", "no bar off a terminal")
}
